/*
 * kevcallers.c - callers per failing endpoint (see kevcallers.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kevcallers.h"

struct kev_callers {
	struct kev_callers_conf	 conf;
	struct kev_epcallers	*eps;		/* conf.max_endpoints */
	struct kev_callrow	*rows;		/* conf.total */
	/*
	 * Free elements: those released (linked through free_next, next),
	 * then those never used, from ep_fresh and row_fresh on: a table
	 * touches its pages as rows come into use, not at its start.
	 */
	struct kev_epcallers	*ep_free;
	struct kev_callrow	*row_free;
	uint32_t		 ep_fresh, row_fresh;
	struct ts_htab		 eph;
	struct ts_dlink		 ep_lru;	/* most recently failing first */
	struct ts_dlink		 row_lru;	/* most recently seen first */
	size_t			 neps;
	uint32_t		 next_id;
	struct kev_callers_stats stats;
};

#define EP_OF(l)	TS_CONTAINER_OF(l, struct kev_epcallers, lru)
#define ROW_OF(l)	TS_CONTAINER_OF(l, struct kev_callrow, lru)

void
kev_callers_conf_default(struct kev_callers_conf *c)
{
	c->per_endpoint = 8;
	c->total = 8192;
	c->max_endpoints = 4096;
}

const char *
kev_callers_conf_check(const struct kev_callers_conf *c)
{
	if (c->per_endpoint < 1 || c->per_endpoint > KEV_CALLERS_MAX)
		return "callers (per endpoint) must be from 1 to 1024";
	if (c->total < c->per_endpoint || c->total > KEV_CALLERS_TOTAL_MAX)
		return "callers-total must be from callers to 1048576";
	if (c->max_endpoints < 1 || c->max_endpoints > KEV_CALLERS_TOTAL_MAX)
		return "the endpoints followed for callers must be from 1 to "
		    "1048576";
	return NULL;
}

struct kev_callers *
kev_callers_new(const struct kev_callers_conf *conf)
{
	struct kev_callers *c;

	if (kev_callers_conf_check(conf) != NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->conf = *conf;
	/* calloc, no free list built: pages are only touched as rows come
	 * into use. */
	if ((c->eps = calloc(conf->max_endpoints, sizeof(*c->eps))) == NULL ||
	    (c->rows = calloc(conf->total, sizeof(*c->rows))) == NULL ||
	    ts_htab_init(&c->eph, conf->max_endpoints,
	    TS_HTAB_KEYOFF(struct kev_epcallers, key, hlink),
	    sizeof(struct kev_epkey)) != 0) {
		free(c->eps);
		free(c->rows);
		free(c);
		return NULL;
	}
	ts_dlist_init(&c->ep_lru);
	ts_dlist_init(&c->row_lru);
	return c;
}

void
kev_callers_free(struct kev_callers *c)
{
	if (c == NULL)
		return;
	ts_htab_fini(&c->eph);
	free(c->eps);
	free(c->rows);
	free(c);
}

static int
same_who(const struct kev_who *a, const struct kev_who *b)
{
	return a->netns == b->netns && a->uid == b->uid &&
	    strncmp(a->comm, b->comm, sizeof(a->comm)) == 0 &&
	    strncmp(a->cgroup, b->cgroup, sizeof(a->cgroup)) == 0;
}

/* Take row r out of its endpoint ep; its attempts become "other". */
static void
row_unlink(struct kev_epcallers *ep, struct kev_callrow *r)
{
	struct kev_callrow **pp = &ep->rows;

	while (*pp != NULL && *pp != r)
		pp = &(*pp)->next;
	if (*pp == r)
		*pp = r->next;
	ep->nrows--;
	ep->other += r->count;
	ts_dlist_del(&r->lru);
	r->ep = NULL;
	r->next = NULL;
}

static void
ep_drop(struct kev_callers *c, struct kev_epcallers *ep)
{
	while (ep->rows != NULL) {
		struct kev_callrow *r = ep->rows;

		row_unlink(ep, r);
		r->next = c->row_free;
		c->row_free = r;
	}
	c->stats.attempts_forgotten += ep->total;
	ts_htab_del(&c->eph, &ep->hlink);
	ts_dlist_del(&ep->lru);
	memset(ep, 0, sizeof(*ep));
	ep->free_next = c->ep_free;
	c->ep_free = ep;
	c->neps--;
}

static struct kev_epcallers *
ep_find(const struct kev_callers *c, const struct kev_epkey *k)
{
	struct kev_epkey key = *k;
	struct ts_hlink *l;

	key.pad = 0;
	key.pad2 = 0;
	l = ts_htab_find(&c->eph, &key);
	return l == NULL ? NULL : TS_CONTAINER_OF(l, struct kev_epcallers,
	    hlink);
}

static struct kev_epcallers *
ep_new(struct kev_callers *c, const struct kev_epkey *k, uint32_t ino,
    ts_ns now)
{
	struct kev_epcallers *ep;

	if (c->ep_free == NULL && c->ep_fresh < c->conf.max_endpoints)
		ep = &c->eps[c->ep_fresh++];
	else {
		if (c->ep_free == NULL) {
			struct ts_dlink *l = ts_dlist_last(&c->ep_lru);

			if (l == NULL)
				return NULL;
			ep_drop(c, EP_OF(l));
			c->stats.eps_evicted++;
		}
		ep = c->ep_free;
		c->ep_free = ep->free_next;
	}
	memset(ep, 0, sizeof(*ep));
	ep->key = *k;
	ep->key.pad = 0;
	ep->key.pad2 = 0;
	ep->netns_ino = ino;
	ep->created = now;
	ts_htab_add(&c->eph, &ep->hlink);
	c->neps++;
	return ep;
}

/* A row for a new caller of ep: the weakest of a full ep, a free one, or
 * the least recently seen anywhere (never NULL: total >= 1). */
static struct kev_callrow *
row_take(struct kev_callers *c, struct kev_epcallers *ep)
{
	struct kev_callrow *r, *min = ep->rows;
	struct ts_dlink *l;

	if (min != NULL && ep->nrows >= c->conf.per_endpoint) {
		for (r = min->next; r != NULL; r = r->next)
			if (r->count < min->count ||
			    (r->count == min->count && r->last < min->last))
				min = r;
		row_unlink(ep, min);
		c->stats.rows_evicted++;
		return min;
	}
	if ((r = c->row_free) != NULL) {
		c->row_free = r->next;
		return r;
	}
	if (c->row_fresh < c->conf.total)
		return &c->rows[c->row_fresh++];
	l = ts_dlist_last(&c->row_lru);	/* all rows in use: not empty */
	r = ROW_OF(l);
	row_unlink(r->ep, r);
	c->stats.rows_reused++;
	return r;
}

int
kev_callers_add(struct kev_callers *c, const struct kev_epkey *k,
    uint32_t ino, const struct kev_who *who, uint32_t pid, uint64_t pid_start,
    int err, unsigned reason, ts_ns now)
{
	struct kev_epcallers *ep;
	struct kev_callrow *r;

	if ((ep = ep_find(c, k)) == NULL &&
	    (ep = ep_new(c, k, ino, now)) == NULL)
		return -1;
	ep->total++;
	if (reason < KEV_R__COUNT)
		ep->reasons[reason]++;
	ep->errs[kev_errcol_of(err, (enum kev_reason)reason)]++;
	ep->last = now;
	ts_dlist_touch(&c->ep_lru, &ep->lru);
	if (who == NULL) {
		ep->unknown++;
		return 0;
	}
	ep->has_last = 1;
	ep->last_caller.who = *who;
	ep->last_caller.pid = pid;
	ep->last_caller.pid_start = pid_start;
	ep->last_caller.when = now;
	ep->last_caller.err = err;
	for (r = ep->rows; r != NULL; r = r->next)
		if (same_who(&r->who, who))
			break;
	if (r == NULL) {
		r = row_take(c, ep);
		memset(r, 0, sizeof(*r));
		r->who = *who;
		if (++c->next_id == 0)	/* after 2^32 - 1 callers */
			c->next_id = 1;
		r->id = c->next_id;
		r->created = now;
		r->ep = ep;
		r->next = ep->rows;
		ep->rows = r;
		ep->nrows++;
	}
	r->count++;
	r->pid = pid;
	r->pid_start = pid_start;
	r->last = now;
	r->last_err = err;
	r->last_reason = (uint8_t)reason;
	ts_dlist_touch(&c->row_lru, &r->lru);
	return 0;
}

const struct kev_epcallers *
kev_callers_get(const struct kev_callers *c, const struct kev_epkey *k)
{
	return ep_find(c, k);
}

const struct kev_epcallers *
kev_callers_next(const struct kev_callers *c, const struct kev_epcallers *ep)
{
	const struct ts_dlink *l = ep == NULL ? c->ep_lru.next : ep->lru.next;

	return l == &c->ep_lru ? NULL : EP_OF(l);
}

/* Whether row x goes before row y: more attempts, then more recent. */
static int
row_before(const struct kev_callrow *x, const struct kev_callrow *y)
{
	return x->count != y->count ? x->count > y->count : x->last > y->last;
}

size_t
kev_callers_top(const struct kev_epcallers *ep, const struct kev_callrow **out,
    size_t n)
{
	const struct kev_callrow *r;
	size_t k = 0, i;

	/* Insertion into out, kept sorted: rows per endpoint are few. */
	for (r = ep->rows; r != NULL; r = r->next) {
		if (k == n && (n == 0 || !row_before(r, out[n - 1])))
			continue;
		i = k < n ? k++ : n - 1;
		while (i > 0 && row_before(r, out[i - 1])) {
			out[i] = out[i - 1];
			i--;
		}
		out[i] = r;
	}
	return k;
}

void
kev_callers_forget(struct kev_callers *c, const struct kev_epkey *k)
{
	struct kev_epcallers *ep = ep_find(c, k);

	if (ep != NULL)
		ep_drop(c, ep);
}

void
kev_callers_expire(struct kev_callers *c, ts_ns before)
{
	struct ts_dlink *l;

	while ((l = ts_dlist_last(&c->ep_lru)) != NULL &&
	    EP_OF(l)->last < before) {
		ep_drop(c, EP_OF(l));
		c->stats.eps_expired++;
	}
}

size_t
kev_callers_count(const struct kev_callers *c)
{
	return c->neps;
}

const struct kev_callers_stats *
kev_callers_stats(const struct kev_callers *c)
{
	return &c->stats;
}
