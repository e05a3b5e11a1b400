/*
 * test_alarm.c - alarms with injected time: hold-down, hysteresis,
 * per-port thresholds, the storm summary, rate limiting, rows that go
 * away, host, drops, coverage and listener alarms; the same endpoint in two
 * namespaces is two alarms.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "tap.h"

#define SEC	TS_NS_PER_SEC

struct got {
	int		raise, clear, summary;
	uint32_t	summary_count;
	uint32_t	last_rate, last_threshold;
	uint16_t	last_port;
	uint8_t		last_kind;
};

static void
sink(void *arg, const struct ts_alarm_event *ev)
{
	struct got *g = arg;

	switch (ev->type) {
	case TS_ALEV_RAISE:
		g->raise++;
		break;
	case TS_ALEV_CLEAR:
		g->clear++;
		break;
	case TS_ALEV_SUMMARY:
		g->summary++;
		g->summary_count += ev->count;
		return;
	}
	g->last_rate = ev->alarm->rate;
	g->last_threshold = ev->alarm->threshold;
	g->last_port = ev->alarm->key.port;
	g->last_kind = ev->alarm->kind;
}

/* A snapshot of n endpoints 10.0.x.y:port with the same 1-minute rate. */
static struct ts_snapshot *
snap(size_t n, uint16_t port, uint32_t rate)
{
	struct ts_snapshot *s = calloc(1, sizeof(*s));

	s->rows = calloc(n ? n : 1, sizeof(*s->rows));
	s->nrows = n;
	s->wall = 1700000000LL * SEC;
	for (size_t i = 0; i < n; i++) {
		struct ts_snap_row *r = &s->rows[i];

		r->key.family = TS_AF_INET;
		r->key.addr[0] = 10;
		r->key.addr[2] = (uint8_t)(i >> 8);
		r->key.addr[3] = (uint8_t)i;
		r->key.port = port;
		r->rate[0] = rate;
		snprintf(r->name, sizeof(r->name), "lo 10.0.%zu.%zu:%u",
		    i >> 8, i & 255, port);
	}
	return s;
}

static struct ts_alarm_conf
conf(void)
{
	struct ts_alarm_conf c;

	ts_alarm_conf_default(&c);
	c.endpoint.raise = 2000;
	c.endpoint.clear = 1000;
	c.endpoint.hold = 10 * SEC;
	c.storm = 20;
	c.per_sec = 100;
	c.burst = 1000;
	return c;
}

static void
hold_and_hysteresis(void)
{
	struct ts_alarm_conf c = conf();
	struct ts_alarms *al = ts_alarms_new(&c);
	struct got g;
	struct ts_snapshot *s = snap(1, 7211, 3000);

	memset(&g, 0, sizeof(g));
	ts_alarms_eval(al, s, 0, sink, &g);
	ts_alarms_eval(al, s, 9 * SEC, sink, &g);
	is_u(g.raise, 0, "hold-down: nothing before 10 s above threshold");
	is_u(ts_alarms_active(al), 0, "hold-down: not in the alarm table yet");
	ts_alarms_eval(al, s, 10 * SEC, sink, &g);
	is_u(g.raise, 1, "hold-down: high after 10 s");
	ok(g.last_rate == 3000 && g.last_threshold == 2000 && g.last_port == 7211,
	    "high: rate, threshold and endpoint carried");
	ts_alarms_eval(al, s, 11 * SEC, sink, &g);
	is_u(g.raise, 1, "high is sent once");
	s->rows[0].rate[0] = 1500;	/* between clear and raise */
	ts_alarms_eval(al, s, 12 * SEC, sink, &g);
	is_u(g.clear, 0, "hysteresis: 1.5/s does not clear (clear below 1/s)");
	s->rows[0].rate[0] = 900;
	ts_alarms_eval(al, s, 13 * SEC, sink, &g);
	is_u(g.clear, 1, "below the clear threshold: normal");
	is_u(ts_alarms_active(al), 0, "cleared alarms leave the table");

	/* A dip under the threshold restarts the hold-down. */
	memset(&g, 0, sizeof(g));
	s->rows[0].rate[0] = 3000;
	ts_alarms_eval(al, s, 20 * SEC, sink, &g);
	s->rows[0].rate[0] = 1900;
	ts_alarms_eval(al, s, 25 * SEC, sink, &g);
	s->rows[0].rate[0] = 3000;
	ts_alarms_eval(al, s, 26 * SEC, sink, &g);
	ts_alarms_eval(al, s, 31 * SEC, sink, &g);
	is_u(g.raise, 0, "a dip restarts the hold-down");
	ts_alarms_eval(al, s, 36 * SEC, sink, &g);
	is_u(g.raise, 1, "...which then completes");

	/* The row expires while high: normal. */
	s->nrows = 0;
	ts_alarms_eval(al, s, 40 * SEC, sink, &g);
	ok(g.clear == 1 && g.last_rate == 0, "a row that went away clears");
	ts_snapshot_free(s);
	ts_alarms_free(al);
}

static void
ports_and_host(void)
{
	struct ts_alarm_conf c = conf();
	struct ts_alarms *al;
	struct got g;
	struct ts_snapshot *s = snap(1, 7211, 600);

	c.ports[0].port = 7211;
	c.ports[0].t.raise = 500;
	c.ports[0].t.clear = 100;
	c.ports[0].t.hold = 0;
	c.nports = 1;
	c.host.raise = 1500;
	c.host.clear = 500;
	c.host.hold = 0;
	al = ts_alarms_new(&c);
	memset(&g, 0, sizeof(g));
	ts_alarms_eval(al, s, 0, sink, &g);
	ok(g.raise == 1 && g.last_threshold == 500,
	    "per-port threshold: port 7211 high at 0.6/s at once");
	s->hc_ok = 1;
	s->hc.present[TS_HC_ATTEMPT_FAILS] = 1;
	s->hc_rate[TS_HR_ATTEMPT_FAILS][0] = 2010;
	ts_alarms_eval(al, s, SEC, sink, &g);
	ok(g.raise == 2 && g.last_kind == TS_AL_HOST && g.last_rate == 2010,
	    "host AttemptFails rate 2.01/s: host high");
	s->hc_rate[TS_HR_ATTEMPT_FAILS][0] = 0;
	ts_alarms_eval(al, s, 2 * SEC, sink, &g);
	ok(g.clear == 1 && g.last_kind == TS_AL_HOST, "host back to normal");
	ts_snapshot_free(s);
	ts_alarms_free(al);
}

static void
storm_and_limit(void)
{
	struct ts_alarm_conf c = conf();
	struct ts_alarms *al;
	struct got g;
	struct ts_snapshot *s = snap(1000, 22, 5000);

	c.endpoint.hold = 0;
	al = ts_alarms_new(&c);
	memset(&g, 0, sizeof(g));
	ts_alarms_eval(al, s, 0, sink, &g);
	ok(g.raise == 0 && g.summary == 1 && g.summary_count == 1000,
	    "a scan: 1000 endpoints high at once give one summary");
	is_u(ts_alarms_active(al), 1000, "...and all 1000 are in the alarm table");
	s->nrows = 0;
	ts_alarms_eval(al, s, SEC, sink, &g);
	ok(g.clear == 0 && g.summary == 2 && g.summary_count == 2000,
	    "...and their clearing is one summary too");
	ts_snapshot_free(s);
	ts_alarms_free(al);

	c = conf();
	c.endpoint.hold = 0;
	c.per_sec = 2;
	c.burst = 2;
	al = ts_alarms_new(&c);
	s = snap(5, 80, 5000);
	memset(&g, 0, sizeof(g));
	ts_alarms_eval(al, s, 100 * SEC, sink, &g);
	is_u(g.raise, 2, "rate limit: 2 of 5 sent at once (burst 2)");
	ts_alarms_eval(al, s, 102 * SEC, sink, &g);
	ok(g.summary == 1 && g.summary_count == 3,
	    "...the 3 held back are summarised when tokens return");
	ts_snapshot_free(s);
	ts_alarms_free(al);

	c = conf();
	c.max_alarms = 10;
	c.endpoint.hold = 0;
	c.storm = 1000;
	al = ts_alarms_new(&c);
	s = snap(50, 80, 5000);
	memset(&g, 0, sizeof(g));
	ts_alarms_eval(al, s, 0, sink, &g);
	is_u(ts_alarms_active(al), 10, "the alarm table is bounded");
	s->hc_ok = 1;
	s->hc.present[TS_HC_ATTEMPT_FAILS] = 1;
	s->hc_rate[TS_HR_ATTEMPT_FAILS][0] = 5000;
	c.host.raise = 1000;
	c.host.hold = 0;
	ts_alarms_reconf(al, &c);
	ts_alarms_eval(al, s, SEC, sink, &g);
	ok(g.last_kind == TS_AL_HOST, "...but keeps room for the host alarm");
	ts_snapshot_free(s);
	ts_alarms_free(al);
}

static void
drops_and_coverage(void)
{
	struct ts_alarm_conf c = conf();
	struct ts_alarms *al;
	struct got g;
	struct ts_snapshot *s = snap(0, 0, 0);

	c.drops = 1;
	c.host.hold = 5 * SEC;
	c.coverage_min = 800;
	c.coverage_sample = 10;
	al = ts_alarms_new(&c);
	memset(&g, 0, sizeof(g));
	s->kernel_drops = 0;
	ts_alarms_eval(al, s, 0, sink, &g);
	s->kernel_drops = 17;
	ts_alarms_eval(al, s, SEC, sink, &g);
	ok(g.raise == 1 && g.last_kind == TS_AL_DROPS, "kernel drops rising: raised");
	ts_alarms_eval(al, s, 3 * SEC, sink, &g);
	is_u(g.clear, 0, "...not cleared while recent");
	ts_alarms_eval(al, s, 7 * SEC, sink, &g);
	ok(g.clear == 1 && g.last_kind == TS_AL_DROPS, "...cleared after a quiet hold-down");
	s->cov_fails_kernel = 100;
	s->cov_fails_seen = 50;
	ts_alarms_eval(al, s, 8 * SEC, sink, &g);
	ok(g.raise == 2 && g.last_kind == TS_AL_COVERAGE, "coverage 500 per mille < 800: raised");
	s->cov_fails_seen = 95;
	ts_alarms_eval(al, s, 9 * SEC, sink, &g);
	ok(g.clear == 2 && g.last_kind == TS_AL_COVERAGE, "coverage back: cleared");
	ts_snapshot_free(s);
	ts_alarms_free(al);
}

/* A listening address:port of two namespaces: each its own alarm. */
static void
listeners(void)
{
	struct ts_alarm_conf c = conf();
	struct ts_alarms *al;
	struct got g;
	struct ts_snapshot *s = snap(0, 0, 0);
	const struct ts_alarm *list[4];

	c.listener.raise = 1000;
	c.listener.clear = 200;
	c.listener.hold = 5 * SEC;
	al = ts_alarms_new(&c);
	s->lgrp = calloc(2, sizeof(*s->lgrp));
	s->nlgrp = 2;
	for (int i = 0; i < 2; i++) {
		struct ts_snap_lgrp *l = &s->lgrp[i];

		l->netns = 4026532100u + (uint32_t)i;
		l->key.family = TS_AF_INET;
		l->key.addr[0] = 127;
		l->key.addr[3] = 1;
		l->key.port = 8080;
		l->backlog = 1;
		l->queue = 2;
		l->drops = 144;
		l->rate[0] = i == 0 ? 4800 : 500;
		snprintf(l->name, sizeof(l->name), "ns%d 127.0.0.1:8080", i);
		snprintf(l->owner, sizeof(l->owner), "pid 42 lsnhold");
	}
	memset(&g, 0, sizeof(g));
	ts_alarms_eval(al, s, 0, sink, &g);
	ts_alarms_eval(al, s, 4 * SEC, sink, &g);
	is_u(g.raise, 0, "a listener dropping: held down");
	ts_alarms_eval(al, s, 5 * SEC, sink, &g);
	ok(g.raise == 1 && g.last_kind == TS_AL_LISTENER && g.last_rate == 4800 &&
	    g.last_threshold == 1000 && g.last_port == 8080,
	    "...high after its hold: its rate, threshold and port");
	ok(ts_alarms_list(al, list, 4) == 1 && list[0]->netns == 4026532100u &&
	    list[0]->backlog == 1 && list[0]->queue == 2 && list[0]->value == 144 &&
	    strcmp(list[0]->owner, "pid 42 lsnhold") == 0 &&
	    strcmp(list[0]->name, "ns0 127.0.0.1:8080") == 0,
	    "the alarm names its namespace, owner, backlog, queue and drops");
	s->lgrp[1].rate[0] = 5000;	/* the same address in another namespace */
	ts_alarms_eval(al, s, 6 * SEC, sink, &g);
	ts_alarms_eval(al, s, 11 * SEC, sink, &g);
	is_u(ts_alarms_active(al), 2, "the same address:port in another "
	    "namespace is an alarm of its own");
	s->lgrp[0].rate[0] = 300;
	ts_alarms_eval(al, s, 12 * SEC, sink, &g);
	is_u(g.clear, 0, "hysteresis: 0.3/s does not clear (clear below 0.2/s)");
	s->lgrp[0].rate[0] = 100;
	ts_alarms_eval(al, s, 13 * SEC, sink, &g);
	ok(g.clear == 1 && g.last_kind == TS_AL_LISTENER, "below 0.2/s: normal");
	s->nlgrp = 1;			/* the second one's listener closed */
	ts_alarms_eval(al, s, 14 * SEC, sink, &g);
	ok(g.clear == 2 && g.last_rate == 0, "a listener that went away clears");
	ts_snapshot_free(s);
	ts_alarms_free(al);
}

int
main(void)
{
	hold_and_hysteresis();
	ports_and_host();
	storm_and_limit();
	drops_and_coverage();
	listeners();
	return tap_done();
}
