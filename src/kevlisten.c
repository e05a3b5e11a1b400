/*
 * kevlisten.c - listener history (see kevlisten.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kevlisten.h"

struct kev_listen {
	struct kev_listener	*all;
	struct kev_listener	*free;	/* released; then all[fresh] on */
	uint32_t		 fresh;	/* never used from here: untouched */
	uint32_t		 max;
	size_t			 n;
	struct ts_htab		 h;
	struct ts_dlink		 active;	/* most recently started first */
	struct ts_dlink		 stopped;	/* most recently stopped first */
	struct kev_listen_stats	 stats;
};

#define L_OF(l)	TS_CONTAINER_OF(l, struct kev_listener, lru)

struct kev_listen *
kev_listen_new(uint32_t max)
{
	struct kev_listen *h;

	if (max == 0 || (h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	if ((h->all = calloc(max, sizeof(*h->all))) == NULL ||
	    ts_htab_init(&h->h, max, TS_HTAB_KEYOFF(struct kev_listener, key,
	    hlink), sizeof(struct kev_epkey)) != 0) {
		free(h->all);
		free(h);
		return NULL;
	}
	h->max = max;	/* no free list built: pages touched as used */
	ts_dlist_init(&h->active);
	ts_dlist_init(&h->stopped);
	return h;
}

void
kev_listen_free(struct kev_listen *h)
{
	if (h == NULL)
		return;
	ts_htab_fini(&h->h);
	free(h->all);
	free(h);
}

static struct kev_listener *
find(const struct kev_listen *h, const struct kev_epkey *k)
{
	struct kev_epkey key = *k;
	struct ts_hlink *l;

	key.pad = 0;
	key.pad2 = 0;
	l = ts_htab_find(&h->h, &key);
	return l == NULL ? NULL : TS_CONTAINER_OF(l, struct kev_listener, hlink);
}

static struct kev_listener *
get(struct kev_listen *h, const struct kev_epkey *k, uint32_t ino)
{
	struct kev_listener *l = find(h, k);
	struct ts_dlink *victim;

	if (l != NULL)
		return l;
	if (h->free == NULL && h->fresh < h->max)
		l = &h->all[h->fresh++];
	else if (h->free == NULL) {
		if ((victim = ts_dlist_last(&h->stopped)) != NULL)
			h->stats.evicted_stopped++;
		else {
			victim = ts_dlist_last(&h->active);
			h->stats.evicted_active++;
		}
		l = L_OF(victim);
		ts_dlist_del(&l->lru);
		ts_htab_del(&h->h, &l->hlink);
		h->n--;
	} else {
		l = h->free;
		h->free = l->free_next;
	}
	memset(l, 0, sizeof(*l));
	l->key = *k;
	l->key.pad = 0;
	l->key.pad2 = 0;
	l->netns_ino = ino;
	ts_htab_add(&h->h, &l->hlink);
	h->n++;
	return l;
}

/* The slot of cookie among l's recent sockets, or -1. */
static int
cookie_slot(const struct kev_listener *l, uint64_t cookie)
{
	int i;

	for (i = 0; cookie != 0 && i < KEV_LISTEN_COOKIES; i++)
		if (l->cookies[i] == cookie)
			return i;
	return -1;
}

void
kev_listen_start(struct kev_listen *h, const struct kev_epkey *k,
    uint32_t ino, int v6only, const struct kev_who *who, uint32_t pid,
    uint64_t pid_start, uint64_t cookie, ts_ns when, int learnt)
{
	struct kev_listener *l = get(h, k, ino);

	if (cookie_slot(l, cookie) >= 0 && l->active > 0) {
		h->stats.starts_again++;
		return;
	}
	memmove(&l->cookies[1], &l->cookies[0],
	    (KEV_LISTEN_COOKIES - 1) * sizeof(l->cookies[0]));
	l->cookies[0] = cookie;
	l->active++;
	l->v6only = v6only != 0;
	l->learnt = learnt != 0;
	l->who = *who;
	l->pid = pid;
	l->pid_start = pid_start;
	l->started = learnt ? 0 : when;
	l->stopped = 0;
	ts_dlist_touch(&h->active, &l->lru);
}

void
kev_listen_stop(struct kev_listen *h, const struct kev_epkey *k, uint32_t ino,
    uint64_t cookie, ts_ns when)
{
	struct kev_listener *l = find(h, k);
	int i;

	if (l == NULL) {
		/* Began before the source and was not learnt: only when. */
		h->stats.stops_unknown++;
		l = get(h, k, ino);
	}
	if ((i = cookie_slot(l, cookie)) >= 0)
		l->cookies[i] = 0;
	if (l->active > 0)
		l->active--;
	if (l->active == 0) {
		l->stopped = when;
		ts_dlist_touch(&h->stopped, &l->lru);
	}
}

/* The better of two candidates: listening now, else the latest stop. */
static const struct kev_listener *
better(const struct kev_listener *a, const struct kev_listener *b)
{
	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	if ((a->active > 0) != (b->active > 0))
		return a->active > 0 ? a : b;
	return b->stopped > a->stopped ? b : a;
}

const struct kev_listener *
kev_listen_last(const struct kev_listen *h, const struct kev_epkey *ep)
{
	const struct kev_listener *best, *l;
	struct kev_epkey w;

	best = find(h, ep);
	memset(&w, 0, sizeof(w));
	w.netns = ep->netns;
	w.family = ep->family;
	w.port = ep->port;
	best = better(best, find(h, &w));	/* 0.0.0.0 or [::] */
	if (ep->family == TS_AF_INET) {
		w.family = TS_AF_INET6;		/* a dual-stack [::] */
		if ((l = find(h, &w)) != NULL && !l->v6only)
			best = better(best, l);
	}
	return best;
}

const struct kev_listener *
kev_listen_next(const struct kev_listen *h, const struct kev_listener *l)
{
	const struct ts_dlink *n;

	if (l == NULL)
		n = h->active.next;
	else
		n = l->lru.next;
	if (n == &h->active)
		n = h->stopped.next;
	return n == &h->stopped ? NULL : L_OF(n);
}

size_t
kev_listen_count(const struct kev_listen *h)
{
	return h->n;
}

const struct kev_listen_stats *
kev_listen_stats(const struct kev_listen *h)
{
	return &h->stats;
}
