/*
 * alarm.c - hold-down, hysteresis, storm summaries and rate limiting.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "htab.h"

struct akey {
	uint32_t	kind;
	uint32_t	netns;
	struct ts_epkey	key;
};

struct slot {
	struct akey	k;
	struct ts_hlink	link;
	struct ts_alarm	a;
	uint64_t	gen;		/* last evaluation that saw it */
	int		used;
};

struct pend {
	uint8_t		type;
	struct ts_alarm	a;
};

struct ts_alarms {
	struct ts_alarm_conf	 conf;
	struct slot		*slots;
	uint32_t		 nslots;
	uint32_t		*freel;		/* free slots, a stack */
	uint32_t		 nfree;
	struct ts_htab		 h;
	uint64_t		 gen;
	uint32_t		 next_id;
	struct pend		*pend;
	uint32_t		 npend, cap;
	/* token bucket */
	double			 tokens;
	ts_ns			 refilled;
	uint32_t		 held;		/* notifications held back */
	uint64_t		 last_drops;
	ts_ns			 drops_mono;
};

void
ts_alarm_conf_default(struct ts_alarm_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->endpoint.raise = 0;		/* off until configured */
	c->endpoint.clear = 0;
	c->endpoint.hold = 60 * TS_NS_PER_SEC;
	c->host = c->endpoint;
	c->listener = c->endpoint;
	c->window = 0;
	c->storm = 20;
	c->per_sec = 10;
	c->burst = 50;
	c->max_alarms = 4096;
	c->coverage_sample = 100;
}

const struct ts_threshold *
ts_alarm_threshold(const struct ts_alarm_conf *c, uint16_t port)
{
	for (int i = 0; i < c->nports; i++)
		if (c->ports[i].port == port)
			return &c->ports[i].t;
	return &c->endpoint;
}

struct ts_alarms *
ts_alarms_new(const struct ts_alarm_conf *conf)
{
	struct ts_alarms *al;

	if ((al = calloc(1, sizeof(*al))) == NULL)
		return NULL;
	al->conf = *conf;
	al->nslots = conf->max_alarms + 3;	/* and host, drops, coverage */
	al->slots = calloc(al->nslots, sizeof(*al->slots));
	al->freel = calloc(al->nslots, sizeof(*al->freel));
	if (al->slots == NULL || al->freel == NULL || ts_htab_init(&al->h, al->nslots,
	    TS_HTAB_KEYOFF(struct slot, k, link), sizeof(struct akey)) == -1) {
		ts_alarms_free(al);
		return NULL;
	}
	for (uint32_t i = al->nslots; i > 0; i--)
		al->freel[al->nfree++] = i - 1;
	al->next_id = 1;
	al->tokens = conf->burst;
	return al;
}

void
ts_alarms_free(struct ts_alarms *al)
{
	if (al == NULL)
		return;
	ts_htab_fini(&al->h);
	free(al->slots);
	free(al->freel);
	free(al->pend);
	free(al);
}

void
ts_alarms_reconf(struct ts_alarms *al, const struct ts_alarm_conf *conf)
{
	uint32_t max = al->conf.max_alarms;

	al->conf = *conf;
	al->conf.max_alarms = max;	/* the table keeps its size */
}

/* Alarms of many (endpoints, listeners), not of the host as a whole. */
static int
per_row(uint32_t kind)
{
	return kind == TS_AL_ENDPOINT || kind == TS_AL_LISTENER;
}

static struct slot *
find(struct ts_alarms *al, uint32_t kind, uint32_t netns,
    const struct ts_epkey *key)
{
	struct akey k;
	struct ts_hlink *l;

	memset(&k, 0, sizeof(k));
	k.kind = kind;
	k.netns = netns;
	if (key != NULL)
		k.key = *key;
	l = ts_htab_find(&al->h, &k);
	return l == NULL ? NULL : TS_CONTAINER_OF(l, struct slot, link);
}

/* A new slot; rows leave three for the host-wide alarms. */
static struct slot *
add(struct ts_alarms *al, uint32_t kind, uint32_t netns,
    const struct ts_epkey *key)
{
	struct slot *s;

	if (al->nfree <= (per_row(kind) ? 3u : 0u))
		return NULL;
	s = &al->slots[al->freel[--al->nfree]];
	memset(s, 0, sizeof(*s));
	s->used = 1;
	s->k.kind = kind;
	s->k.netns = netns;
	s->a.kind = (uint8_t)kind;
	s->a.netns = netns;
	if (key != NULL) {
		s->k.key = *key;
		s->a.key = *key;
	}
	ts_htab_add(&al->h, &s->link);
	return s;
}

static void
drop(struct ts_alarms *al, struct slot *s)
{
	ts_htab_del(&al->h, &s->link);
	s->used = 0;
	al->freel[al->nfree++] = (uint32_t)(s - al->slots);
}

static void
queue(struct ts_alarms *al, uint8_t type, const struct ts_alarm *a)
{
	if (al->npend == al->cap) {
		uint32_t cap = al->cap ? al->cap * 2 : 64;
		struct pend *p = realloc(al->pend, cap * sizeof(*p));

		if (p == NULL)
			return;
		al->pend = p;
		al->cap = cap;
	}
	al->pend[al->npend].type = type;
	al->pend[al->npend].a = *a;
	al->npend++;
}

/*
 * One rate against its thresholds.  Returns 1 when the slot is to be
 * removed.  A RAISE or CLEAR is queued when the state changes.
 */
static int
step(struct ts_alarms *al, struct slot *s, uint32_t rate,
    const struct ts_threshold *t, ts_ns now, ts_ns wall)
{
	s->a.rate = rate;
	s->a.threshold = t->raise;
	if (!s->a.active) {
		if (t->raise == 0 || rate <= t->raise)
			return 1;		/* back under before the hold-down */
		if (now - s->a.pending_mono < t->hold)
			return 0;
		s->a.active = 1;
		s->a.id = al->next_id++;
		s->a.since_wall = wall;
		s->a.since_mono = now;
		queue(al, TS_ALEV_RAISE, &s->a);
		return 0;
	}
	if (rate < t->clear || t->raise == 0) {
		queue(al, TS_ALEV_CLEAR, &s->a);
		return 1;
	}
	return 0;
}

/*
 * The slot of a row (endpoint or listener) at rate against t, seen in this
 * evaluation; NULL when it has none and needs none.
 */
static struct slot *
row_slot(struct ts_alarms *al, uint32_t kind, uint32_t netns,
    const struct ts_epkey *key, uint32_t rate, const struct ts_threshold *t,
    ts_ns now)
{
	struct slot *s = find(al, kind, netns, key);

	if (s == NULL) {
		if (t->raise == 0 || rate <= t->raise ||
		    (s = add(al, kind, netns, key)) == NULL)
			return NULL;
		s->a.pending_mono = now;
	}
	s->gen = al->gen;
	return s;
}

/* Rows of kind that went away (expired, evicted, closed) clear. */
static void
sweep(struct ts_alarms *al, uint32_t kind)
{
	for (uint32_t i = 0; i < al->nslots; i++) {
		struct slot *s = &al->slots[i];

		if (!s->used || s->k.kind != kind || s->gen == al->gen)
			continue;
		if (s->a.active) {
			s->a.rate = 0;
			queue(al, TS_ALEV_CLEAR, &s->a);
		}
		drop(al, s);
	}
}

static void
eval_endpoints(struct ts_alarms *al, const struct ts_snapshot *snap, ts_ns now)
{
	int w = al->conf.window;

	for (size_t i = 0; i < snap->nrows; i++) {
		const struct ts_snap_row *r = &snap->rows[i];
		const struct ts_threshold *t = ts_alarm_threshold(&al->conf,
		    r->key.port);
		struct slot *s = row_slot(al, TS_AL_ENDPOINT, r->netns, &r->key,
		    r->rate[w], t, now);

		if (s == NULL)
			continue;
		snprintf(s->a.name, sizeof(s->a.name), "%s", r->name);
		memcpy(s->a.ifname, r->ifname, sizeof(s->a.ifname));
		s->a.ifindex = r->ifindex;
		if (step(al, s, r->rate[w], t, now, snap->wall))
			drop(al, s);
	}
	sweep(al, TS_AL_ENDPOINT);
}

/* Each listening address and port of every namespace: its drops rate. */
static void
eval_listeners(struct ts_alarms *al, const struct ts_snapshot *snap,
    ts_ns now)
{
	const struct ts_threshold *t = &al->conf.listener;
	int w = al->conf.window;

	for (size_t i = 0; i < snap->nlgrp; i++) {
		const struct ts_snap_lgrp *g = &snap->lgrp[i];
		struct slot *s = row_slot(al, TS_AL_LISTENER, g->netns, &g->key,
		    g->rate[w], t, now);

		if (s == NULL)
			continue;
		snprintf(s->a.name, sizeof(s->a.name), "%s", g->name);
		snprintf(s->a.owner, sizeof(s->a.owner), "%s", g->owner);
		s->a.backlog = g->backlog;
		s->a.queue = g->queue;
		s->a.value = g->drops;
		if (step(al, s, g->rate[w], t, now, snap->wall))
			drop(al, s);
	}
	sweep(al, TS_AL_LISTENER);
}

static void
eval_scalar(struct ts_alarms *al, uint32_t kind, uint32_t rate,
    const struct ts_threshold *t, const char *name, ts_ns now, ts_ns wall)
{
	struct slot *s = find(al, kind, 0, NULL);

	if (s == NULL) {
		if (t->raise == 0 || rate <= t->raise ||
		    (s = add(al, kind, 0, NULL)) == NULL)
			return;
		s->a.pending_mono = now;
		snprintf(s->a.name, sizeof(s->a.name), "%s", name);
	}
	if (step(al, s, rate, t, now, wall))
		drop(al, s);
}

/* Kernel drops rising: raised when they grow, cleared a hold-down later. */
static void
eval_drops(struct ts_alarms *al, const struct ts_snapshot *snap, ts_ns now)
{
	struct slot *s = find(al, TS_AL_DROPS, 0, NULL);
	int rising = snap->kernel_drops > al->last_drops;

	al->last_drops = snap->kernel_drops;
	if (rising)
		al->drops_mono = now;
	if (s == NULL && rising && (s = add(al, TS_AL_DROPS, 0, NULL)) != NULL) {
		s->a.active = 1;
		s->a.id = al->next_id++;
		s->a.since_wall = snap->wall;
		s->a.since_mono = now;
		s->a.value = snap->kernel_drops;
		snprintf(s->a.name, sizeof(s->a.name), "capture drops");
		queue(al, TS_ALEV_RAISE, &s->a);
	} else if (s != NULL && !rising && now - al->drops_mono >= al->conf.host.hold) {
		queue(al, TS_ALEV_CLEAR, &s->a);
		drop(al, s);
	} else if (s != NULL) {
		s->a.value = snap->kernel_drops;
	}
}

static void
eval_coverage(struct ts_alarms *al, const struct ts_snapshot *snap, ts_ns now)
{
	struct slot *s = find(al, TS_AL_COVERAGE, 0, NULL);
	uint64_t k = snap->cov_fails_kernel, pm;

	if (al->conf.coverage_min == 0 || k < al->conf.coverage_sample)
		return;
	pm = snap->cov_fails_seen * 1000 / k;
	if (s == NULL && pm < al->conf.coverage_min &&
	    (s = add(al, TS_AL_COVERAGE, 0, NULL)) != NULL) {
		s->a.active = 1;
		s->a.id = al->next_id++;
		s->a.since_wall = snap->wall;
		s->a.since_mono = now;
		s->a.value = pm;
		s->a.threshold = al->conf.coverage_min;
		snprintf(s->a.name, sizeof(s->a.name), "coverage");
		queue(al, TS_ALEV_RAISE, &s->a);
	} else if (s != NULL && pm >= al->conf.coverage_min) {
		s->a.value = pm;
		queue(al, TS_ALEV_CLEAR, &s->a);
		drop(al, s);
	}
}

static void
refill(struct ts_alarms *al, ts_ns now)
{
	double add = (double)(now - al->refilled) / TS_NS_PER_SEC *
	    al->conf.per_sec;

	if (al->refilled == 0 || add < 0)
		add = 0;
	al->refilled = now;
	al->tokens += add;
	if (al->tokens > al->conf.burst)
		al->tokens = al->conf.burst;
}

/* Spend a token; when there is none, hold the notification back. */
static int
take_token(struct ts_alarms *al)
{
	if (al->tokens < 1) {
		al->held++;
		return 0;
	}
	al->tokens -= 1;
	return 1;
}

static void
deliver(struct ts_alarms *al, ts_ns now, ts_alarm_sink sink, void *arg)
{
	uint32_t ep_raise = 0, ep_clear = 0;
	struct ts_alarm_event ev;

	refill(al, now);
	for (uint32_t i = 0; i < al->npend; i++)
		if (al->pend[i].a.kind == TS_AL_ENDPOINT) {
			if (al->pend[i].type == TS_ALEV_RAISE)
				ep_raise++;
			else
				ep_clear++;
		}
	if (al->held > 0 && al->tokens >= 1 && take_token(al)) {
		memset(&ev, 0, sizeof(ev));
		ev.type = TS_ALEV_SUMMARY;
		ev.count = al->held;
		ev.threshold = al->conf.endpoint.raise;
		al->held = 0;
		sink(arg, &ev);
	}
	for (uint32_t i = 0; i < al->npend; i++) {
		struct pend *p = &al->pend[i];
		int storm = p->a.kind == TS_AL_ENDPOINT &&
		    (p->type == TS_ALEV_RAISE ? ep_raise : ep_clear) > al->conf.storm;

		if (storm)
			continue;
		if (!take_token(al))
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.type = p->type;
		ev.alarm = &p->a;
		sink(arg, &ev);
	}
	for (int k = 0; k < 2; k++) {
		uint32_t n = k == 0 ? ep_raise : ep_clear;

		if (n <= al->conf.storm || !take_token(al))
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.type = TS_ALEV_SUMMARY;
		ev.count = n;
		ev.threshold = al->conf.endpoint.raise;
		sink(arg, &ev);
	}
	al->npend = 0;
}

void
ts_alarms_eval(struct ts_alarms *al, const struct ts_snapshot *snap, ts_ns now,
    ts_alarm_sink sink, void *arg)
{
	int w = al->conf.window;
	uint32_t host_rate = 0;

	al->gen++;
	eval_endpoints(al, snap, now);
	if (snap->hc_ok && snap->hc.present[TS_HC_ATTEMPT_FAILS])
		host_rate = snap->hc_rate[TS_HR_ATTEMPT_FAILS][w];
	eval_scalar(al, TS_AL_HOST, host_rate, &al->conf.host,
	    "host AttemptFails", now, snap->wall);
	if (al->conf.drops)
		eval_drops(al, snap, now);
	eval_coverage(al, snap, now);
	eval_listeners(al, snap, now);
	deliver(al, now, sink, arg);
}

static int
id_cmp(const void *a, const void *b)
{
	const struct ts_alarm *x = *(const struct ts_alarm *const *)a;
	const struct ts_alarm *y = *(const struct ts_alarm *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

uint32_t
ts_alarms_list(const struct ts_alarms *al, const struct ts_alarm **out,
    uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < al->nslots && k < n; i++)
		if (al->slots[i].used && al->slots[i].a.active)
			out[k++] = &al->slots[i].a;
	qsort(out, k, sizeof(*out), id_cmp);
	return k;
}

uint32_t
ts_alarms_active(const struct ts_alarms *al)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < al->nslots; i++)
		k += al->slots[i].used && al->slots[i].a.active;
	return k;
}
