/*
 * kevsnap.c - the kernel event source's part of a snapshot (see
 * kevsnap.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "kevfeed.h"
#include "kevsnap.h"
#include "sockdiag.h"

static void
programs(const struct kev *k, struct ts_snapshot *s)
{
	for (unsigned id = 0; id < KEV__PROGS; id++) {
		const struct kev_prog_status *p = kev_prog(k, id);
		struct ts_snap_kprog *o = &s->kprog[id];

		snprintf(o->name, sizeof(o->name), "%s", p->name);
		snprintf(o->hook, sizeof(o->hook), "%s", p->hook);
		o->state = !p->wanted ? TS_KPROG_DISABLED : p->attached ?
		    TS_KPROG_LOADED : TS_KPROG_FAILED;
		o->err = p->attached ? 0 : p->err;
		if (o->err != 0)
			snprintf(o->error, sizeof(o->error), "%s (%s) at %s",
			    strerror(o->err), strerrorname_np(o->err) ?
			    strerrorname_np(o->err) : "?",
			    p->stage != NULL ? p->stage : "load");
	}
}

/* own: the capture's namespace, whose listeners sock_diag gives. */
static void
krow(struct ts_snap_row *r, const struct kevsrc_row *kr, uint32_t own)
{
	const struct kev_epcallers *ep = kr->ep;
	const struct kev_listener *l = kr->lsn;

	if (ep != NULL) {
		r->k.attempts = ep->total;
		memcpy(r->k.errs, ep->errs, sizeof(r->k.errs));
		r->k.other = ep->other;
		r->k.unknown = ep->unknown;
		r->k.since = ep->created;
		if (ep->has_last)
			kev_who_line(&ep->last_caller.who, ep->last_caller.pid,
			    r->k.last_caller, sizeof(r->k.last_caller));
	}
	if (l != NULL && (l->who.comm[0] != '\0' || l->pid != 0)) {
		kev_who_line(&l->who, l->pid, r->k.last_listener,
		    sizeof(r->k.last_listener));
		r->k.listener_stopped = l->active == 0 ? l->stopped : 0;
	}
	/* Another namespace: listening as its listeners came and went. */
	if (l != NULL && r->netns != own && r->loc == TS_LOC_LOCAL)
		r->listen = l->active > 0 ? TS_LISTEN_YES : TS_LISTEN_NO;
}

static void
caller(struct ts_snap_caller *c, const struct ts_snap_row *r,
    const struct kev_epcallers *ep, const struct kev_callrow *cr)
{
	struct ts_cg_owner o;

	memset(c, 0, sizeof(*c));
	c->key = r->key;
	c->id = cr->id;
	c->netns = ep->netns_ino;
	c->uid = cr->who.uid;
	c->pid = cr->pid;
	c->pid_start = kevsrc_boot_to_wall(cr->pid_start);
	c->count = cr->count;
	c->created = cr->created;
	c->last = cr->last;
	memcpy(c->comm, cr->who.comm, sizeof(c->comm));
	memcpy(c->cgroup, cr->who.cgroup, sizeof(c->cgroup));
	ts_cgroup_classify(cr->who.cgroup[0] != '\0' ? cr->who.cgroup : NULL,
	    &o);
	if (o.kind != TS_CG_NONE)
		snprintf(c->owner, sizeof(c->owner), "%s", o.name);
	kev_who_line(&cr->who, cr->pid, c->line, sizeof(c->line));
}

static int
by_id(const void *a, const void *b)
{
	uint32_t x = (*(const struct kev_callrow *const *)a)->id;
	uint32_t y = (*(const struct kev_callrow *const *)b)->id;

	return x < y ? -1 : x > y;
}

int
kevsrc_snapshot(const struct kevsrc *ks, struct ts_snapshot *s)
{
	const struct kev *k = kevsrc_kev(ks);
	const struct kevsrc_stats *st = kevsrc_stats(ks);
	const struct kev_callrow *top[KEV_CALLERS_MAX];
	struct kev_counters kc;
	struct kevsrc_row kr;
	size_t n = 0, i;

	s->kev_state = kevsrc_state(ks);
	snprintf(s->kev_reason, sizeof(s->kev_reason), "%s", kevsrc_reason(ks));
	programs(k, s);
	if (kev_counters(k, &kc) == 0) {
		memcpy(s->kev_c, kc.c, sizeof(s->kev_c));
		s->kev_bad_records = kc.bad_records;
	}
	s->kev_failures = st->failures;
	s->kev_unknown = st->unknown;
	if (s->kev_state != KEVSRC_RUNNING && s->kev_state != KEVSRC_PARTIAL)
		return 0;
	for (i = 0; i < s->nrows; i++) {
		kevsrc_row(ks, &s->rows[i].key, &kr);
		krow(&s->rows[i], &kr, kevsrc_netns(ks));
		if (kr.ep != NULL)
			n += kr.ep->nrows;
	}
	if (n == 0)
		return 0;
	if ((s->callers = calloc(n, sizeof(*s->callers))) == NULL)
		return -1;
	for (i = 0; i < s->nrows && s->ncallers < n; i++) {
		size_t m;

		kevsrc_row(ks, &s->rows[i].key, &kr);
		if (kr.ep == NULL)
			continue;
		m = kev_callers_top(kr.ep, top, KEV_CALLERS_MAX);
		if (m > n - s->ncallers)
			m = n - s->ncallers;
		qsort(top, m, sizeof(top[0]), by_id);	/* the index order */
		for (size_t j = 0; j < m; j++)
			caller(&s->callers[s->ncallers++], &s->rows[i], kr.ep,
			    top[j]);
	}
	return 0;
}
