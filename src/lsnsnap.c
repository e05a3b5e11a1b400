/*
 * lsnsnap.c - namespaces and listeners into a snapshot (see lsnsnap.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "lsnsnap.h"

static int
inet_type(const struct ts_epkey *k)
{
	return k->family == TS_AF_INET ? 1 : k->scope != 0 ? 4 : 2;
}

int
ts_inet_key_cmp(const struct ts_epkey *a, const struct ts_epkey *b)
{
	int ta = inet_type(a), tb = inet_type(b), c;

	if (ta != tb)
		return ta < tb ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, a->family == TS_AF_INET ? 4 : 16)) != 0)
		return c;
	if (a->scope != b->scope)
		return a->scope < b->scope ? -1 : 1;
	return a->port < b->port ? -1 : a->port > b->port;
}

static int
ns_cmp(const void *x, const void *y)
{
	const struct ts_snap_ns *a = x, *b = y;

	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

static int
lgrp_cmp(const void *x, const void *y)
{
	const struct ts_snap_lgrp *a = x, *b = y;

	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	return ts_inet_key_cmp(&a->key, &b->key);
}

static int
lsn_cmp(const void *x, const void *y)
{
	const struct ts_snap_lsn *a = x, *b = y;
	int c;

	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	if ((c = ts_inet_key_cmp(&a->key, &b->key)) != 0)
		return c;
	return a->inode < b->inode ? -1 : a->inode > b->inode;
}

/* A group of the table and its element in the snapshot. */
struct gref {
	const struct ts_lsn_group *g;
	size_t		 i;
};

static int
gref_cmp(const void *x, const void *y)
{
	const struct gref *a = x, *b = y;

	return a->g < b->g ? -1 : a->g > b->g;
}

static void
rates(uint32_t *out, const struct ts_rate *r, const struct ts_rate_conf *rc,
    ts_ns now)
{
	for (int w = 0; w < TS_RATE_WINDOWS; w++) {
		uint64_t m = ts_rate_milli(r, rc, w, now);

		out[w] = m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
	}
}

/* A listening endpoint as a key: a link-local one is bound to its device. */
static void
lsn_key(struct ts_epkey *k, uint8_t family, const uint8_t *addr,
    uint16_t port, uint32_t ifindex)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	k->port = port;
	memcpy(k->addr, addr, 16);
	if (family == TS_AF_INET6 && ts_v6_linklocal(addr))
		k->scope = ifindex;
}

static const char *
ns_name(const struct ts_snapshot *s, uint32_t ino)
{
	struct ts_snap_ns key = { .ino = ino }, *n;

	n = s->nns > 0 ? bsearch(&key, s->ns, s->nns, sizeof(*s->ns),
	    ns_cmp) : NULL;
	return n != NULL ? n->name : "";
}

static void
place_name(char *buf, size_t len, const char *ns, const struct ts_epkey *k)
{
	char ep[TS_EPSTRLEN];

	snprintf(buf, len, "%s%s%s", ns, ns[0] != '\0' ? " " : "",
	    ts_epkey_str(k, ep, sizeof(ep)));
}

static void
fill_ns(struct ts_snap_ns *o, const struct ts_ns_row *r,
    const struct ts_rate_conf *rc, ts_ns now)
{
	memset(o, 0, sizeof(*o));
	o->ino = r->ino;
	o->cookie = r->cookie;
	memcpy(o->name, r->name, sizeof(o->name));
	memcpy(o->ipname, r->ipname, sizeof(o->ipname));
	if (r->state == TS_NSS_NOACCESS || r->state == TS_NSS_ERROR)
		snprintf(o->err, sizeof(o->err), "%s", strerror(r->err));
	o->namesrc = r->namesrc;
	o->unitkind = r->unitkind;
	o->self = r->self;
	o->state = r->state;
	o->pid = r->pid;
	o->created = r->created;
	o->discont = r->discont;
	o->last_read = r->last_read;
	o->gone_since = r->state == TS_NSS_GONE ? r->gone_since : 0;
	for (int c = 0; c < TS_NSC__COUNT; c++) {
		o->v[c] = r->v[c];
		rates(o->rate[c], &r->rate[c], rc, now);
	}
	o->cov_lsn_drops = r->cov_lsn_drops;
	o->cov_listen_drops = r->cov_listen_drops;
	o->listeners = r->listeners;
	o->unlisted = r->unlisted;
}

static void
fill_lsn(struct ts_snap_lsn *o, const struct ts_lsn_row *r,
    const struct ts_rate_conf *rc, ts_ns now)
{
	memset(o, 0, sizeof(*o));
	o->netns = r->key.netns;
	o->inode = r->s.inode;
	lsn_key(&o->key, r->s.l.family, r->s.l.addr, r->s.l.port,
	    r->s.l.ifindex);
	o->ifindex = r->s.l.ifindex;
	o->uid = r->s.uid;
	o->v6only = r->s.l.v6only;
	o->learnt = r->learnt;
	o->has_drops = r->s.has_drops;
	o->owner_state = r->owner_state;
	o->queue = r->s.queue;
	o->backlog = r->s.backlog;
	o->queue_max = r->queue_max;
	o->full_polls = r->full_polls;
	o->drops = r->drops;
	rates(o->rate, &r->rate, rc, now);
	o->created = r->created;
	o->last_drop = r->last_drop;
	if (r->owner_state == TS_OWN_FOUND) {
		o->pid = r->owner.pid;
		o->owner_uid = r->owner.uid;
		o->holders = r->owner.holders;
		memcpy(o->comm, r->owner.comm, sizeof(o->comm));
		if (r->owner.unit.kind != TS_CG_NONE)
			snprintf(o->unit, sizeof(o->unit), "%s",
			    r->owner.unit.name);
	}
	if (r->owner_state == TS_OWN_FOUND)
		ts_lsn_owner_str(&r->owner, o->owner, sizeof(o->owner));
	else
		snprintf(o->owner, sizeof(o->owner), "unknown");
}

static void
fill_lgrp(struct ts_snap_lgrp *o, const struct ts_lsn_group *g,
    const struct ts_rate_conf *rc, ts_ns now)
{
	memset(o, 0, sizeof(*o));
	o->netns = g->key.netns;
	lsn_key(&o->key, g->key.family, g->key.addr, g->key.port, 0);
	o->members = g->members;
	o->full = g->full;
	o->queue = g->queue;
	o->backlog = g->backlog;
	o->queue_max = g->queue_max;
	o->drops = g->drops;
	rates(o->rate, &g->rate, rc, now);
	o->created = g->created;
	o->last_drop = g->last_drop;
	snprintf(o->owner, sizeof(o->owner), "unknown");
}

/*
 * Each listener's group (s->lsn and s->lgrp in the table's list order):
 * its size; each group's zone (a link-local group's members' device) and
 * owner (its oldest member's that is known).
 */
static void
join_groups(struct ts_snapshot *s, const struct ts_lsntab *lt)
{
	struct gref *refs = calloc(s->nlgrp + 1, sizeof(*refs));
	ts_ns *owner_at = calloc(s->nlgrp + 1, sizeof(*owner_at));
	const struct ts_lsn_row *r = lt->rows;
	size_t n = 0;

	if (refs == NULL || owner_at == NULL)
		goto out;
	for (const struct ts_lsn_group *g = lt->groups; g != NULL; g = g->next) {
		refs[n].g = g;
		refs[n].i = n;
		n++;
	}
	qsort(refs, n, sizeof(*refs), gref_cmp);
	for (size_t i = 0; i < s->nlsn && r != NULL; i++, r = r->next) {
		struct ts_snap_lsn *l = &s->lsn[i];
		struct gref key = { NULL, 0 }, *f;
		struct ts_snap_lgrp *g;

		key.g = ts_lsntab_group(lt, r->key.netns, r->s.l.family,
		    r->s.l.addr, r->s.l.port);
		if (key.g == NULL || (f = bsearch(&key, refs, n, sizeof(*refs),
		    gref_cmp)) == NULL)
			continue;
		g = &s->lgrp[f->i];
		l->group_size = g->members;
		g->key.scope = l->key.scope;
		if (l->owner_state == TS_OWN_FOUND && (owner_at[f->i] == 0 ||
		    l->created < owner_at[f->i])) {
			owner_at[f->i] = l->created ? l->created : 1;
			memcpy(g->owner, l->owner, sizeof(g->owner));
		}
	}
out:
	free(refs);
	free(owner_at);
}

int
ts_lsnsnap_fill(struct ts_snapshot *s, const struct ts_lsnpoll *p, ts_ns now)
{
	const struct ts_nstab *nt = p->ns;
	const struct ts_lsntab *lt = p->lsn;
	struct ts_snap_lsnstat *st = &s->lsnstat;
	size_t n = 0;

	s->ns = calloc(nt->nrows + 1, sizeof(*s->ns));
	s->lsn = calloc(lt->nrows + 1, sizeof(*s->lsn));
	s->lgrp = calloc(lt->ngroups + 1, sizeof(*s->lgrp));
	if (s->ns == NULL || s->lsn == NULL || s->lgrp == NULL) {
		free(s->ns);
		free(s->lsn);
		free(s->lgrp);
		s->ns = NULL;
		s->lsn = NULL;
		s->lgrp = NULL;
		s->nns = s->nlsn = s->nlgrp = 0;
		return -1;
	}
	for (const struct ts_ns_row *r = nt->rows; r != NULL; r = r->next)
		fill_ns(&s->ns[n++], r, &p->conf.netns.rates, now);
	s->nns = n;
	qsort(s->ns, s->nns, sizeof(*s->ns), ns_cmp);
	n = 0;
	for (const struct ts_lsn_row *r = lt->rows; r != NULL; r = r->next)
		fill_lsn(&s->lsn[n++], r, &p->conf.lsn.rates, now);
	s->nlsn = n;
	n = 0;
	for (const struct ts_lsn_group *g = lt->groups; g != NULL; g = g->next)
		fill_lgrp(&s->lgrp[n++], g, &p->conf.lsn.rates, now);
	s->nlgrp = n;
	join_groups(s, lt);
	qsort(s->lsn, s->nlsn, sizeof(*s->lsn), lsn_cmp);
	qsort(s->lgrp, s->nlgrp, sizeof(*s->lgrp), lgrp_cmp);
	for (size_t i = 0; i < s->nlsn; i++)
		place_name(s->lsn[i].name, sizeof(s->lsn[i].name),
		    ns_name(s, s->lsn[i].netns), &s->lsn[i].key);
	for (size_t i = 0; i < s->nlgrp; i++)
		place_name(s->lgrp[i].name, sizeof(s->lgrp[i].name),
		    ns_name(s, s->lgrp[i].netns), &s->lgrp[i].key);

	memset(st, 0, sizeof(*st));
	st->ok = p->st.err[0] == '\0';
	st->lost = p->lost;
	snprintf(st->err, sizeof(st->err), "%s", p->st.err);
	st->rows = lt->nrows;
	st->max_rows = lt->conf.max_rows;
	st->admitted = lt->admitted;
	st->closed = lt->closed;
	st->rejected = lt->rejected;
	st->ns_found = nt->found;
	st->ns_unserved = nt->unserved;
	st->ns_full = nt->full;
	st->ns_max = nt->conf.max_rows;
	st->polls = p->st.polls;
	st->took = p->st.took;
	return 0;
}

void
ts_lsnsnap_shift(struct ts_snapshot *s, ts_ns d)
{
#define SHIFT(t)	do { if ((t) != 0) (t) += d; } while (0)
	if (d == 0)
		return;
	for (size_t i = 0; i < s->nns; i++) {
		SHIFT(s->ns[i].created);
		SHIFT(s->ns[i].discont);
		SHIFT(s->ns[i].last_read);
		SHIFT(s->ns[i].gone_since);
	}
	for (size_t i = 0; i < s->nlsn; i++) {
		SHIFT(s->lsn[i].created);
		SHIFT(s->lsn[i].last_drop);
	}
	for (size_t i = 0; i < s->nlgrp; i++) {
		SHIFT(s->lgrp[i].created);
		SHIFT(s->lgrp[i].last_drop);
	}
#undef SHIFT
}
