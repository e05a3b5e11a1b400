/*
 * fuzz_snap.c - libFuzzer target for what the SNMP process reads from the
 * capture process: the input is a snapshot's bytes (snapwire.h), read as
 * from a page-aligned mapping; a snapshot it accepts is then used as the
 * SNMP process uses one: every element of every array touched, every
 * string read (the kernel event source's callers, programs and reason
 * among them), the alarms evaluated on it twice, and every view of
 * tcpsleuthctl's control socket made from it (text and JSON, as
 * agentx/control.c answers).  Seeds: with
 * TS_FUZZ_SEED_DIR set (tools/fuzz sets it to a corpus directory it
 * passes), LLVMFuzzerInitialize() writes a small snapshot there first
 * (three rows with kernel columns, their callers, namespaces, listeners,
 * a bounded view, the kernel event source running).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "capbuf.h"
#include "ctlproto.h"
#include "snapwire.h"
#include "views.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void
ignore(void *arg, const struct ts_alarm_event *ev)
{
	(void)arg;
	sink += ev->alarm->id;
}

/* A small snapshot, written into TS_FUZZ_SEED_DIR as a seed. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("TS_FUZZ_SEED_DIR");
	struct ts_snapshot s;
	struct ts_snap_row rows[3];
	struct ts_snap_port ports[1];
	struct ts_snap_ns ns[1];
	struct ts_snap_lsn lsn[2];
	struct ts_snap_lgrp lgrp[1];
	struct ts_snap_top top[2];
	struct ts_snap_caller callers[3];
	char path[4096];
	uint8_t *buf;
	size_t len;
	FILE *fp;

	(void)argc;
	(void)argv;
	if (dir == NULL)
		return 0;
	memset(&s, 0, sizeof(s));
	memset(rows, 0, sizeof(rows));
	memset(ports, 0, sizeof(ports));
	for (int i = 0; i < 3; i++) {
		rows[i].key.family = TS_AF_INET;
		rows[i].key.port = (uint16_t)(7211 + i);
		rows[i].rate[0] = 5000;
		rows[i].failures = 100;
		snprintf(rows[i].name, sizeof(rows[i].name), "lo 127.0.0.1:%d",
		    7211 + i);
		rows[i].k.attempts = 100;
		rows[i].k.errs[0] = 100;
		rows[i].k.since = 1700000000LL * TS_NS_PER_SEC;
		snprintf(rows[i].k.last_caller, sizeof(rows[i].k.last_caller),
		    "pid %d lm-collector", 4300 + i);
		snprintf(rows[i].k.last_listener,
		    sizeof(rows[i].k.last_listener), "pid 4242 santaba");
		rows[i].k.listener_stopped = i == 0 ?
		    1700000000LL * TS_NS_PER_SEC : 0;
	}
	/* Two callers of the first row, one of the second; by key, then id. */
	memset(callers, 0, sizeof(callers));
	for (int i = 0; i < 3; i++) {
		struct ts_snap_caller *c = &callers[i];

		c->key = rows[i < 2 ? 0 : 1].key;
		c->id = (uint32_t)(i < 2 ? i + 1 : 1);
		c->netns = 4026531840u;
		c->uid = 1000;
		c->pid = (uint32_t)(4300 + i);
		c->count = 50;
		c->created = c->last = 1700000000LL * TS_NS_PER_SEC;
		snprintf(c->comm, sizeof(c->comm), "lm-collector");
		snprintf(c->cgroup, sizeof(c->cgroup),
		    "/system.slice/lm-collector.service");
		snprintf(c->owner, sizeof(c->owner), "lm-collector.service");
		snprintf(c->line, sizeof(c->line), "pid %d lm-collector",
		    4300 + i);
	}
	s.rows = rows;
	s.nrows = 3;
	s.ports = ports;
	s.nports = 1;
	memset(ns, 0, sizeof(ns));
	memset(lsn, 0, sizeof(lsn));
	memset(lgrp, 0, sizeof(lgrp));
	ns[0].ino = 4026531840u;
	ns[0].self = 1;
	ns[0].listeners = 2;
	snprintf(ns[0].name, sizeof(ns[0].name), "host");
	for (int i = 0; i < 2; i++) {
		lsn[i].netns = 4026531840u;
		lsn[i].key.family = TS_AF_INET;
		lsn[i].key.port = 8080;
		lsn[i].inode = (uint32_t)(1000 + i);
		lsn[i].group_size = 2;
		snprintf(lsn[i].comm, sizeof(lsn[i].comm), "nginx");
		snprintf(lsn[i].owner, sizeof(lsn[i].owner), "pid %d nginx",
		    4242 + i);
		snprintf(lsn[i].name, sizeof(lsn[i].name),
		    "host 127.0.0.1:8080");
	}
	lgrp[0] = (struct ts_snap_lgrp){ .netns = 4026531840u, .key = lsn[0].key,
	    .members = 2, .drops = 3 };
	snprintf(lgrp[0].name, sizeof(lgrp[0].name), "host 127.0.0.1:8080");
	top[0] = (struct ts_snap_top){ .row = 2, .rank = 1 };
	top[1] = (struct ts_snap_top){ .row = 0, .rank = 2 };
	s.ns = ns;
	s.nns = 1;
	s.lsn = lsn;
	s.nlsn = 2;
	s.lgrp = lgrp;
	s.nlgrp = 1;
	s.top = top;
	s.ntop = 2;
	s.lsnstat.ok = 1;
	s.lsnstat.rows = 2;
	s.lsnstat.ns_found = 1;
	/* The kernel event source running, its programs loaded but one. */
	s.callers = callers;
	s.ncallers = 3;
	s.kev_state = 1;
	snprintf(s.kev_reason, sizeof(s.kev_reason), "running");
	s.kev_c[0] = 300;
	s.kev_failures = 300;
	for (int i = 0; i < KEV__PROGS; i++) {
		s.kprog[i].state = i + 1 < KEV__PROGS ? TS_KPROG_LOADED :
		    TS_KPROG_DISABLED;
		snprintf(s.kprog[i].name, sizeof(s.kprog[i].name), "prog%d", i);
		snprintf(s.kprog[i].hook, sizeof(s.kprog[i].hook),
		    "tp_btf/hook%d", i);
	}
	len = ts_snapwire_size(&s);
	snprintf(path, sizeof(path), "%s/three-rows", dir);
	if ((buf = calloc(1, len)) != NULL && (fp = fopen(path, "w")) != NULL) {
		ts_snapwire_write(&s, buf, len);
		fwrite(buf, 1, len, fp);
		fclose(fp);
	}
	free(buf);
	return 0;
}

/* Every view, as text (80 columns, 20 rows) and as JSON (all rows). */
static size_t
views(const struct ts_snapshot *s, const struct ts_alarms *al)
{
	struct ts_view_data d = { s, al };
	size_t n = 0;

	for (int v = 0; v < TS_VIEW__COUNT; v++)
		for (int json = 0; json < 2; json++) {
			struct ts_ctl_req req;
			struct ts_capbuf cb;
			char err[256];
			FILE *fp;

			ts_ctl_req_default(&req, json);
			req.view = (enum ts_view_id)v;
			req.width = json ? 0 : 80;
			if ((fp = ts_capbuf_open(&cb, (size_t)1 << 24)) == NULL)
				continue;
			if (ts_view_reply(fp, &req, &d, (size_t)1 << 24, err,
			    sizeof(err)) == -1)
				n += strlen(err);
			(void)ts_capbuf_close(fp, &cb);
			n += cb.len;
			free(cb.buf);
		}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ts_alarms *al;
	struct ts_snapshot *s;
	uint8_t *buf = NULL;
	char err[256];
	size_t n = 0;

	if (al == NULL) {
		struct ts_alarm_conf ac;

		ts_alarm_conf_default(&ac);
		ac.endpoint.raise = 1000;
		ac.endpoint.clear = 500;
		ac.endpoint.hold = 0;
		ac.host.raise = 1000;
		ac.drops = 1;
		ac.coverage_min = 900;
		ac.max_alarms = 16;
		al = ts_alarms_new(&ac);
	}
	/* As a mapping is: page-aligned. */
	if (posix_memalign((void **)&buf, 4096, size ? size : 1) != 0)
		return 0;
	if (size > 0)
		memcpy(buf, data, size);
	if ((s = ts_snapwire_read(buf, size, err, sizeof(err))) != NULL) {
#define X(f, c, T)							\
		for (size_t i_ = 0; i_ < s->c; i_++) {			\
			const uint8_t *p_ = (const uint8_t *)&s->f[i_];	\
									\
			for (size_t k_ = 0; k_ < sizeof(T); k_++)	\
				n += p_[k_];				\
		}
		TS_SNAP_ARRAYS(X)
#undef X
		for (size_t i = 0; i < s->nrows; i++)
			n += strlen(s->rows[i].name) + strlen(s->rows[i].ifname);
		for (size_t i = 0; i < s->nns; i++)
			n += strlen(s->ns[i].name) + strlen(s->ns[i].ipname) +
			    strlen(s->ns[i].err);
		for (size_t i = 0; i < s->nlsn; i++)
			n += strlen(s->lsn[i].comm) + strlen(s->lsn[i].unit) +
			    strlen(s->lsn[i].owner) + strlen(s->lsn[i].name);
		for (size_t i = 0; i < s->nlgrp; i++)
			n += strlen(s->lgrp[i].owner) + strlen(s->lgrp[i].name);
		for (size_t i = 0; i < s->nrows; i++)
			n += strlen(s->rows[i].k.last_caller) +
			    strlen(s->rows[i].k.last_listener);
		for (size_t i = 0; i < s->ncallers; i++)
			n += strlen(s->callers[i].comm) +
			    strlen(s->callers[i].cgroup) +
			    strlen(s->callers[i].owner) +
			    strlen(s->callers[i].line);
		for (size_t i = 0; i < KEV__PROGS; i++)
			n += strlen(s->kprog[i].name) +
			    strlen(s->kprog[i].hook) +
			    strlen(s->kprog[i].error);
		n += strlen(s->kev_reason);
		for (size_t i = 0; i < s->ntop; i++)
			n += s->rows[s->top[i].row].failures;
		n += strlen(s->cap_ifaces) + strlen(s->cap_linktypes) +
		    strlen(s->cap_error) + strlen(s->hc_err) +
		    strlen(s->other.name) + strlen(s->lsnstat.err);
		if (al != NULL) {
			ts_alarms_eval(al, s, TS_NS_PER_SEC, ignore, NULL);
			ts_alarms_eval(al, s, 3 * TS_NS_PER_SEC, ignore, NULL);
		}
		n += views(s, al);
		free(s);
	}
	sink += n;
	free(buf);
	return 0;
}
