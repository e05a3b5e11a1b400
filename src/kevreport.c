/*
 * kevreport.c - the kernel event source in the reports (see kevreport.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "jsonutil.h"
#include "kevfeed.h"
#include "kevreason.h"
#include "kevreport.h"

static int
state_running(int st)
{
	return st == KEVSRC_RUNNING || st == KEVSRC_PARTIAL;
}

int
kevreport_running(const struct kevreport *kr)
{
	return kr->s != NULL && state_running(kr->s->kev_state);
}

/* The snapshot's counters as the loader gives them. */
static void
counters(const struct ts_snapshot *s, struct kev_counters *c)
{
	memcpy(c->c, s->kev_c, sizeof(c->c));
	c->bad_records = s->kev_bad_records;
}

const char *
kevreport_line(const struct kevreport *kr, char *buf, size_t len)
{
	const struct ts_snapshot *s = kr->s;
	struct kev_counters c;

	if (s == NULL || s->kev_state == 0)
		snprintf(buf, len, "none: %s", KEVREPORT_FILE);
	else if (!state_running(s->kev_state))
		snprintf(buf, len, "%s: %s", kevsrc_state_name(s->kev_state),
		    s->kev_reason);
	else {
		uint64_t lost;

		counters(s, &c);
		lost = kev_losses(&c) + c.bad_records;
		snprintf(buf, len, "%s: %s; failures %llu, unknown callers "
		    "%llu, losses %llu", kevsrc_state_name(s->kev_state),
		    s->kev_reason, (unsigned long long)s->kev_failures,
		    (unsigned long long)s->kev_unknown, (unsigned long long)lost);
	}
	return buf;
}

json_t *
kevreport_json(const struct kevreport *kr)
{
	const struct ts_snapshot *s = kr->s;
	json_t *o;

	if (s == NULL || s->kev_state == 0)
		return json_pack("{s:s,s:s}", "state", "none", "reason",
		    KEVREPORT_FILE);
	o = json_pack("{s:s,s:s}", "state", kevsrc_state_name(s->kev_state),
	    "reason", s->kev_reason);
	if (o == NULL || !state_running(s->kev_state))
		return o;
	json_object_set_new(o, "failures", ts_json_u64(s->kev_failures));
	json_object_set_new(o, "unknown_callers", ts_json_u64(s->kev_unknown));
	json_object_set_new(o, "events", ts_json_u64(s->kev_c[KEV_C_EVENTS]));
	json_object_set_new(o, "ring_full",
	    ts_json_u64(s->kev_c[KEV_C_RING_FULL]));
	json_object_set_new(o, "syn_map_full",
	    ts_json_u64(s->kev_c[KEV_C_SYN_FULL]));
	json_object_set_new(o, "thread_map_full",
	    ts_json_u64(s->kev_c[KEV_C_TID_FULL]));
	json_object_set_new(o, "bad_records", ts_json_u64(s->kev_bad_records));
	return o;
}

static void
errnos(const uint64_t *errs, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int e = 0; e < KEV_E__COUNT && n < len; e++)
		if (errs[e] != 0)
			n += (size_t)snprintf(buf + n, len - n, "%s%s %llu",
			    n ? ", " : "", kev_errcol_name(e),
			    (unsigned long long)errs[e]);
}

/* The kernel counted attempts on r (its callers' part is there). */
static int
counted(const struct ts_snap_row *r)
{
	return r->k.attempts != 0 || r->k.since != 0;
}

const char *
kevreport_cell(const struct kevreport *kr, const struct ts_snap_row *r,
    enum kevreport_cell which, ts_ns now, char *buf, size_t len)
{
	ts_ns stopped = r->k.listener_stopped;

	if (!kevreport_running(kr))
		return "-";
	switch (which) {
	case KEVR_CALLER:
		if (r->k.last_caller[0] == '\0')
			return "-";
		snprintf(buf, len, "%s", r->k.last_caller);
		return buf;
	case KEVR_ERRNO:
		if (!counted(r))
			return "-";
		errnos(r->k.errs, buf, len);
		return buf;
	case KEVR_LISTENER:
		/* "santaba (stopped 12s ago)", "santaba (listening)". */
		if (r->k.last_listener[0] == '\0')
			return "-";
		if (stopped == 0)
			snprintf(buf, len, "%s (listening)", r->k.last_listener);
		else
			snprintf(buf, len, "%s (stopped %llds ago)",
			    r->k.last_listener, (long long)((now > stopped ?
			    now - stopped : 0) / TS_NS_PER_SEC));
		return buf;
	}
	return "-";
}

static json_t *
errs_json(const uint64_t *errs)
{
	json_t *o = json_object();

	for (int e = 0; e < KEV_E__COUNT; e++)
		if (errs[e] != 0)
			json_object_set_new(o, kev_errcol_name(e),
			    ts_json_u64(errs[e]));
	return o;
}

/* Most attempts first, then the older caller. */
static int
caller_cmp(const void *a, const void *b)
{
	const struct ts_snap_caller *x = *(const struct ts_snap_caller *const *)a;
	const struct ts_snap_caller *y = *(const struct ts_snap_caller *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static json_t *
snap_caller_json(const struct ts_snap_caller *c)
{
	json_t *o = json_pack("{s:i,s:s,s:i,s:s,s:s,s:s}", "pid",
	    (json_int_t)c->pid, "comm", c->comm, "uid", (json_int_t)c->uid,
	    "cgroup", c->cgroup, "owner", c->owner, "line", c->line);

	if (o == NULL)
		return json_object();
	json_object_set_new(o, "attempts", ts_json_u64(c->count));
	json_object_set_new(o, "created", ts_json_time(c->created));
	json_object_set_new(o, "last_seen", ts_json_time(c->last));
	return o;
}

/* A row's "kernel" object from the snapshot (its callers: s->callers). */
static json_t *
snap_row_json(const struct ts_snapshot *s, const struct ts_snap_row *r)
{
	const struct ts_snap_caller *top[KEV_CALLERS_MAX];
	json_t *o = json_object(), *callers;
	size_t lo = 0, hi = s->ncallers, n = 0;

	json_object_set_new(o, "kernel_only", ts_json_u64(r->k.kfail));
	if (counted(r)) {
		callers = json_array();
		/* The callers are by row key, then id: the row's first. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (ts_epkey_cmp(&s->callers[mid].key, &r->key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < s->ncallers && n < KEV_CALLERS_MAX &&
		    ts_epkey_cmp(&s->callers[lo].key, &r->key) == 0; lo++)
			top[n++] = &s->callers[lo];
		if (n > 1)
			qsort(top, n, sizeof(top[0]), caller_cmp);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(callers, snap_caller_json(top[i]));
		json_object_set_new(o, "attempts", ts_json_u64(r->k.attempts));
		json_object_set_new(o, "since", ts_json_time(r->k.since));
		json_object_set_new(o, "errno", errs_json(r->k.errs));
		json_object_set_new(o, "callers", callers);
		json_object_set_new(o, "other_callers", ts_json_u64(r->k.other));
		json_object_set_new(o, "unknown_callers",
		    ts_json_u64(r->k.unknown));
		if (r->k.last_caller[0] != '\0')
			json_object_set_new(o, "last_caller", json_pack("{s:s}",
			    "line", r->k.last_caller));
	}
	if (r->k.last_listener[0] != '\0')
		json_object_set_new(o, "last_listener", json_pack("{s:s,s:b,s:o}",
		    "line", r->k.last_listener, "listening",
		    r->k.listener_stopped == 0, "stopped",
		    r->k.listener_stopped == 0 ? json_null() :
		    ts_json_time(r->k.listener_stopped)));
	return o;
}

static json_t *
who_json(const struct kev_who *w, uint32_t pid)
{
	struct ts_cg_owner o;
	char line[192];

	ts_cgroup_classify(w->cgroup[0] != '\0' ? w->cgroup : NULL, &o);
	kev_who_line(w, pid, line, sizeof(line));
	return json_pack("{s:i,s:s,s:i,s:s,s:s,s:s}", "pid", (json_int_t)pid,
	    "comm", w->comm, "uid", (json_int_t)w->uid, "cgroup", w->cgroup,
	    "owner", o.kind != TS_CG_NONE ? o.name : "", "line", line);
}

json_t *
kevreport_row_json(const struct kevreport *kv, const struct ts_snap_row *r)
{
	const struct kev_callrow *top[KEV_CALLERS_MAX];
	struct kevsrc_row kr;
	json_t *o, *errs, *reasons, *callers;
	size_t n;

	if (!kevreport_running(kv))
		return NULL;
	if (kv->ks == NULL || kv->row == NULL)
		return snap_row_json(kv->s, r);
	kv->row(kv->ks, &r->key, &kr);
	o = json_object();
	json_object_set_new(o, "kernel_only", ts_json_u64(r->k.kfail));
	if (kr.ep != NULL) {
		errs = json_object();
		reasons = json_object();
		callers = json_array();
		for (int e = 0; e < KEV_E__COUNT; e++)
			if (kr.ep->errs[e] != 0)
				json_object_set_new(errs, kev_errcol_name(e),
				    ts_json_u64(kr.ep->errs[e]));
		for (int e = 0; e < KEV_R__COUNT; e++)
			if (kr.ep->reasons[e] != 0)
				json_object_set_new(reasons, kev_reason_name(e),
				    ts_json_u64(kr.ep->reasons[e]));
		n = kev_callers_top(kr.ep, top, KEV_CALLERS_MAX);
		for (size_t i = 0; i < n; i++) {
			json_t *c = who_json(&top[i]->who, top[i]->pid);

			json_object_set_new(c, "attempts",
			    ts_json_u64(top[i]->count));
			json_object_set_new(c, "created",
			    ts_json_time(top[i]->created));
			json_object_set_new(c, "last_seen",
			    ts_json_time(top[i]->last));
			json_array_append_new(callers, c);
		}
		json_object_set_new(o, "attempts", ts_json_u64(kr.ep->total));
		json_object_set_new(o, "since", ts_json_time(kr.ep->created));
		json_object_set_new(o, "errno", errs);
		json_object_set_new(o, "reasons", reasons);
		json_object_set_new(o, "callers", callers);
		json_object_set_new(o, "other_callers", ts_json_u64(kr.ep->other));
		json_object_set_new(o, "unknown_callers",
		    ts_json_u64(kr.ep->unknown));
		if (kr.ep->has_last)
			json_object_set_new(o, "last_caller", who_json(
			    &kr.ep->last_caller.who, kr.ep->last_caller.pid));
	}
	if (kr.lsn != NULL) {
		json_t *l = who_json(&kr.lsn->who, kr.lsn->pid);

		json_object_set_new(l, "listening",
		    json_boolean(kr.lsn->active > 0));
		json_object_set_new(l, "stopped", kr.lsn->active > 0 ?
		    json_null() : ts_json_time(kr.lsn->stopped));
		json_object_set_new(o, "last_listener", l);
	}
	return o;
}
