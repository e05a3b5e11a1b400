/*
 * fuzz_snap.c - libFuzzer target for what the SNMP process reads from the
 * capture process: the input is a snapshot's bytes (snapwire.h), read as
 * from a page-aligned mapping; a snapshot it accepts is then used as the
 * SNMP side uses one: every element of every array touched, every string
 * read, and the alarms evaluated on it twice.  Seeds: with
 * TS_FUZZ_SEED_DIR set (tools/fuzz sets it to a corpus directory it
 * passes), LLVMFuzzerInitialize() writes a small snapshot there first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "snapwire.h"

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
	}
	s.rows = rows;
	s.nrows = 3;
	s.ports = ports;
	s.nports = 1;
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
		n += strlen(s->cap_ifaces) + strlen(s->cap_error) +
		    strlen(s->hc_err) + strlen(s->other.name);
		if (al != NULL) {
			ts_alarms_eval(al, s, TS_NS_PER_SEC, ignore, NULL);
			ts_alarms_eval(al, s, 3 * TS_NS_PER_SEC, ignore, NULL);
		}
		free(s);
	}
	sink += n;
	free(buf);
	return 0;
}
