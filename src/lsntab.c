/*
 * lsntab.c - the listener table (see lsntab.h).  Rows and groups are
 * allocated when a listener is first seen and freed when it closes; the
 * table never holds more than max_rows of either.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsntab.h"

void
ts_lsntab_conf_default(struct ts_lsntab_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->max_rows = 4096;
	c->owner_retry = 60 * TS_NS_PER_SEC;
	ts_rate_conf_default(&c->rates);
}

struct ts_lsntab *
ts_lsntab_new(const struct ts_lsntab_conf *c)
{
	struct ts_lsntab *t;

	if (c->max_rows == 0 || ts_rate_conf_check(&c->rates) == -1) {
		errno = EINVAL;
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->conf = *c;
	if (ts_htab_init(&t->rows_h, c->max_rows,
	    TS_HTAB_KEYOFF(struct ts_lsn_row, key, hlink),
	    sizeof(struct ts_lsn_key)) == -1 ||
	    ts_htab_init(&t->groups_h, c->max_rows,
	    TS_HTAB_KEYOFF(struct ts_lsn_group, key, hlink),
	    sizeof(struct ts_lsn_gkey)) == -1) {
		ts_htab_fini(&t->rows_h);
		free(t);
		return NULL;
	}
	return t;
}

static void
group_key(struct ts_lsn_gkey *k, uint32_t netns, uint8_t family,
    const uint8_t *addr, uint16_t port)
{
	memset(k, 0, sizeof(*k));
	k->netns = netns;
	k->family = family;
	k->port = port;
	memcpy(k->addr, addr, family == TS_AF_INET ? 4 : 16);
}

static struct ts_lsn_group *
group_find(const struct ts_lsntab *t, const struct ts_lsn_gkey *k)
{
	struct ts_hlink *l = ts_htab_find(&t->groups_h, k);

	return l != NULL ? TS_CONTAINER_OF(l, struct ts_lsn_group, hlink) :
	    NULL;
}

static struct ts_lsn_group *
group_get(struct ts_lsntab *t, const struct ts_lsn_row *r, ts_ns now)
{
	struct ts_lsn_gkey k;
	struct ts_lsn_group *g;

	group_key(&k, r->key.netns, r->s.l.family, r->s.l.addr, r->s.l.port);
	if ((g = group_find(t, &k)) != NULL)
		return g;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->key = k;
	g->created = now;
	ts_rate_init(&g->rate);
	ts_htab_add(&t->groups_h, &g->hlink);
	g->next = t->groups;
	if (t->groups != NULL)
		t->groups->prev = g;
	t->groups = g;
	t->ngroups++;
	return g;
}

static void
group_free(struct ts_lsntab *t, struct ts_lsn_group *g)
{
	ts_htab_del(&t->groups_h, &g->hlink);
	if (g->prev != NULL)
		g->prev->next = g->next;
	else
		t->groups = g->next;
	if (g->next != NULL)
		g->next->prev = g->prev;
	t->ngroups--;
	free(g);
}

static void
row_close(struct ts_lsntab *t, struct ts_lsn_row *r, ts_ns now)
{
	struct ts_lsn_group *g = r->group;

	if (t->conf.on_close != NULL)
		t->conf.on_close(t->conf.arg, r, now);
	for (struct ts_lsn_row **pp = &g->head; *pp != NULL;
	    pp = &(*pp)->gnext)
		if (*pp == r) {
			*pp = r->gnext;
			break;
		}
	if (g->head == NULL)
		group_free(t, g);
	ts_htab_del(&t->rows_h, &r->hlink);
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		t->rows = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	t->nrows--;
	t->closed++;
	free(r);
}

void
ts_lsntab_free(struct ts_lsntab *t)
{
	if (t == NULL)
		return;
	while (t->rows != NULL) {
		struct ts_lsn_row *r = t->rows;

		t->rows = r->next;
		free(r);
	}
	while (t->groups != NULL) {
		struct ts_lsn_group *g = t->groups;

		t->groups = g->next;
		free(g);
	}
	ts_htab_fini(&t->rows_h);
	ts_htab_fini(&t->groups_h);
	free(t);
}

static struct ts_lsn_row *
row_new(struct ts_lsntab *t, uint32_t netns, const struct ts_sd_sock *s,
    int first, ts_ns now)
{
	struct ts_lsn_row *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->key.netns = netns;
	r->key.cookie = s->cookie;
	r->s = *s;
	r->drops = s->has_drops ? s->drops : 0;
	r->created = now;
	r->learnt = (uint8_t)first;
	r->owner_state = TS_OWN_PENDING;
	r->owner.uid = UINT32_MAX;
	ts_rate_init(&r->rate);
	if ((r->group = group_get(t, r, now)) == NULL) {
		free(r);
		return NULL;
	}
	r->gnext = r->group->head;
	r->group->head = r;
	ts_htab_add(&t->rows_h, &r->hlink);
	r->next = t->rows;
	if (t->rows != NULL)
		t->rows->prev = r;
	t->rows = r;
	t->nrows++;
	t->admitted++;
	return r;
}

/* Start a group's per-poll sums, once per poll. */
static void
group_touch(struct ts_lsn_group *g, uint64_t serial)
{
	if (g->seen == serial)
		return;
	g->seen = serial;
	g->members = g->full = g->queue = g->backlog = 0;
	g->v6only = 1;
	g->grow = 0;
}

static void
group_span(struct ts_lsn_group *g, ts_ns from, ts_ns to, uint64_t n)
{
	struct ts_lsn_span *last = g->nhist ? &g->hist[g->nhist - 1] : NULL;

	if (last != NULL && last->to == from) {	/* the poll before too */
		last->to = to;
		last->drops += n;
		return;
	}
	if (g->nhist == TS_LSN_HIST) {
		memmove(&g->hist[0], &g->hist[1],
		    (TS_LSN_HIST - 1) * sizeof(g->hist[0]));
		g->nhist--;
	}
	g->hist[g->nhist].from = from;
	g->hist[g->nhist].to = to;
	g->hist[g->nhist].drops = n;
	g->nhist++;
}

int
ts_lsntab_update(struct ts_lsntab *t, uint32_t netns,
    const struct ts_sd_sock *socks, size_t n, ts_ns prev, ts_ns now,
    struct ts_lsn_update *u)
{
	uint64_t serial = ++t->serial;
	int first = prev == 0, rc = 0;
	struct ts_lsn_row *r, *rn;
	struct ts_lsn_group *g;

	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < n; i++) {
		const struct ts_sd_sock *s = &socks[i];
		struct ts_lsn_key k = { netns, 0, s->cookie };
		struct ts_hlink *l = ts_htab_find(&t->rows_h, &k);
		uint64_t growth, gadd;

		u->listeners++;
		if (l != NULL) {
			r = TS_CONTAINER_OF(l, struct ts_lsn_row, hlink);
			if (r->seen == serial)
				continue;	/* a duplicate in the dump */
			growth = s->has_drops && r->s.has_drops ?
			    (uint32_t)(s->drops - r->s.drops) : 0;
			if (s->has_drops && !r->s.has_drops)
				r->drops = s->drops;
			gadd = growth;
			r->s = *s;
			r->drops += growth;
		} else if (t->nrows >= t->conf.max_rows) {
			u->unlisted++;
			t->rejected++;
			continue;
		} else if ((r = row_new(t, netns, s, first, now)) == NULL) {
			rc = -1;
			u->unlisted++;
			continue;
		} else {
			/* Born since the previous poll: all its drops too. */
			growth = first ? 0 : r->drops;
			gadd = r->drops;
			u->opened++;
		}
		r->seen = serial;
		if (s->queue > r->queue_max)
			r->queue_max = s->queue;
		if (s->queue > s->backlog)
			r->full_polls++;
		if (growth > 0) {
			ts_rate_add64(&r->rate, &t->conf.rates, now, growth);
			r->last_drop = now;
		}
		u->drop_growth += growth;
		g = r->group;
		group_touch(g, serial);
		g->members++;
		g->full += s->queue > s->backlog;
		g->queue += s->queue;
		g->backlog += s->backlog;
		if (!(s->l.family == TS_AF_INET6 && s->l.v6only))
			g->v6only = 0;
		g->drops += gadd;
		g->grow += growth;
	}
	/* Rows of this namespace not in the dump have closed. */
	for (r = t->rows; r != NULL; r = rn) {
		rn = r->next;
		if (r->key.netns == netns && r->seen != serial) {
			row_close(t, r, now);
			u->closed++;
		}
	}
	for (g = t->groups; g != NULL; g = g->next) {
		if (g->seen != serial)
			continue;
		if (g->queue > g->queue_max)
			g->queue_max = g->queue;
		if (g->grow > 0) {
			ts_rate_add64(&g->rate, &t->conf.rates, now, g->grow);
			g->last_drop = now;
			group_span(g, first ? now : prev, now, g->grow);
		}
	}
	if (rc == -1)
		errno = ENOMEM;
	return rc;
}

void
ts_lsntab_forget(struct ts_lsntab *t, uint32_t netns, ts_ns now)
{
	struct ts_lsn_row *r, *rn;

	for (r = t->rows; r != NULL; r = rn) {
		rn = r->next;
		if (r->key.netns == netns)
			row_close(t, r, now);
	}
}

size_t
ts_lsntab_owner_wanted(struct ts_lsntab *t, struct ts_lsn_row **out,
    size_t max, ts_ns now)
{
	size_t n = 0;

	for (struct ts_lsn_row *r = t->rows; r != NULL && n < max; r = r->next)
		if (r->owner_state == TS_OWN_PENDING ||
		    (r->owner_state == TS_OWN_UNKNOWN &&
		    now - r->owner_tried >= t->conf.owner_retry))
			out[n++] = r;
	return n;
}

void
ts_lsntab_set_owner(struct ts_lsntab *t, struct ts_lsn_row *r,
    const struct ts_lsn_owner *o, ts_ns now)
{
	(void)t;
	r->owner_tried = now;
	if (o == NULL) {
		r->owner_state = TS_OWN_UNKNOWN;
		if (r->owner.pid == 0)
			r->owner.uid = UINT32_MAX;
		return;
	}
	r->owner = *o;
	r->owner_state = TS_OWN_FOUND;
}

void
ts_lsntab_owner_gone(struct ts_lsntab *t, int pid, uint64_t start)
{
	for (struct ts_lsn_row *r = t->rows; r != NULL; r = r->next)
		if (r->owner_state == TS_OWN_FOUND && r->owner.pid == pid &&
		    r->owner.start == start)
			r->owner_state = TS_OWN_PENDING;
}

const struct ts_lsn_group *
ts_lsntab_group(const struct ts_lsntab *t, uint32_t netns, uint8_t family,
    const uint8_t *addr, uint16_t port)
{
	struct ts_lsn_gkey k;

	if (family != TS_AF_INET && family != TS_AF_INET6)
		return NULL;
	group_key(&k, netns, family, addr, port);
	return group_find(t, &k);
}

enum ts_lsn_verdict
ts_lsntab_overflow(const struct ts_lsntab *t, uint32_t netns,
    uint8_t family, const uint8_t *addr, uint16_t port, ts_ns from, ts_ns to,
    const struct ts_lsn_group **gp)
{
	static const uint8_t any[16];
	const struct ts_lsn_group *g;

	if ((g = ts_lsntab_group(t, netns, family, addr, port)) == NULL)
		g = ts_lsntab_group(t, netns, family, any, port);
	if (g == NULL && family == TS_AF_INET &&
	    (g = ts_lsntab_group(t, netns, TS_AF_INET6, any, port)) != NULL &&
	    g->v6only)
		g = NULL;
	if (gp != NULL)
		*gp = g;
	if (g == NULL)
		return TS_LSN_NONE;
	for (uint32_t i = 0; i < g->nhist; i++)
		if (g->hist[i].from < to && g->hist[i].to >= from)
			return TS_LSN_OVERFLOW;
	return TS_LSN_QUIET;
}

const char *
ts_lsn_owner_str(const struct ts_lsn_owner *o, char *buf, size_t len)
{
	char unit[sizeof(o->unit.name) + 4] = "", more[24] = "";

	if (o->pid <= 0) {
		snprintf(buf, len, "unknown");
		return buf;
	}
	if (o->unit.kind != TS_CG_NONE && o->unit.name[0] != '\0')
		snprintf(unit, sizeof(unit), " (%s)", o->unit.name);
	if (o->holders > 1)
		snprintf(more, sizeof(more), " +%u", o->holders - 1);
	snprintf(buf, len, "pid %d %s%s%s", (int)o->pid, o->comm, unit, more);
	return buf;
}
