/*
 * flowtab.c - the classifier's connection state: a chained hash over
 * arrays indexed by flow number, an LRU list and the two queues.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "flowtab.h"
#include "keyhash.h"

#define NIL	UINT32_MAX

/*
 * A flow's links: its place in its hash chain (next is the free list's
 * when it is free), and in the doubly linked LRU list and queue.
 */
struct node {
	uint32_t	next;
	uint32_t	hash;
	uint32_t	lru_prev, lru_next;
	uint32_t	q_prev, q_next;
};

/* A chain's first flow and its hash: a lookup reads no node to find it. */
struct bucket {
	uint32_t	first;
	uint32_t	hash;
};

struct ts_flowtab {
	struct ts_flow	*flows;		/* max entries */
	struct node	*ln;		/* max + the 3 lists' heads */
	struct bucket	*b;
	uint32_t	 mask;
	uint32_t	 max, count;
	uint32_t	 used;		/* flows ever handed out: [0, used) */
	uint32_t	 free;		/* freed flows, through he[].next */
	uint32_t	 lru;		/* the LRU list's head: next is oldest */
	uint32_t	 qhead[TS_Q__COUNT];
	uint32_t	 qlen[TS_Q__COUNT];
	uint32_t	 gen;		/* changes when a list's head may have */
	struct ts_hkey	 hk;
};

size_t
ts_flowtab_bytes_per_flow(void)
{
	/* Buckets: one per flow (the next power of two, at most twice). */
	return sizeof(struct ts_flow) + sizeof(struct node) +
	    sizeof(struct bucket);
}

/*
 * An IPv4 key's addresses fill 4 of their 16 bytes: hash the 16 bytes
 * that can differ (family, ports, both addresses), not all 40.
 */
_Static_assert(offsetof(struct ts_flowkey, addr) == 8,
    "the hash takes the first 8 bytes as family, padding and ports");

uint32_t
ts_flowtab_hash(const struct ts_flowtab *ft, const struct ts_flowkey *k)
{
	uint64_t w[5];
	uint32_t a0, a1;

	/* Read as make_key() wrote it, so stores forward to these loads. */
	memcpy(w, k, 8);
	if (k->family != TS_AF_INET) {
		memcpy(w + 1, k->addr[0], 16);
		memcpy(w + 3, k->addr[1], 16);
		return ts_keyhash_w(&ft->hk, w, 5);
	}
	memcpy(&a0, k->addr[0], 4);
	memcpy(&a1, k->addr[1], 4);
	w[1] = a0 | (uint64_t)a1 << 32;
	return ts_keyhash_w(&ft->hk, w, 2);
}
_Static_assert(sizeof(struct ts_flowkey) == 40, "a key is 5 words");

struct ts_flowtab *
ts_flowtab_new(uint32_t max_flows)
{
	struct ts_flowtab *ft;
	uint32_t nb = 16;

	if (max_flows == 0)
		max_flows = 1;
	if (max_flows > NIL - TS_Q__COUNT - 1)
		return NULL;
	while (nb < max_flows && nb < (1u << 30))
		nb <<= 1;
	if ((ft = calloc(1, sizeof(*ft))) == NULL)
		return NULL;
	/* calloc: pages no flow has used yet cost no memory. */
	ft->flows = calloc(max_flows, sizeof(*ft->flows));
	ft->ln = calloc((size_t)max_flows + TS_Q__COUNT, sizeof(*ft->ln));
	ft->b = malloc(nb * sizeof(*ft->b));
	if (ft->flows == NULL || ft->ln == NULL || ft->b == NULL) {
		ts_flowtab_free(ft);
		return NULL;
	}
	memset(ft->b, 0xff, nb * sizeof(*ft->b));	/* NIL */
	ft->mask = nb - 1;
	ft->max = max_flows;
	ft->free = NIL;
	/* The heads: flow numbers max (LRU), max + q (queue q). */
	ft->lru = max_flows;
	ft->ln[ft->lru].lru_prev = ft->ln[ft->lru].lru_next = ft->lru;
	for (int q = 1; q < TS_Q__COUNT; q++) {
		ft->qhead[q] = max_flows + (uint32_t)q;
		ft->ln[ft->qhead[q]].q_prev = ft->ln[ft->qhead[q]].q_next =
		    ft->qhead[q];
	}
	ts_hkey_random(&ft->hk);
	return ft;
}

void
ts_flowtab_free(struct ts_flowtab *ft)
{
	if (ft == NULL)
		return;
	free(ft->flows);
	free(ft->ln);
	free(ft->b);
	free(ft);
}

static uint32_t
idx_of(const struct ts_flowtab *ft, const struct ts_flow *f)
{
	return (uint32_t)(f - ft->flows);
}

static int
key_eq(const struct ts_flowkey *a, const struct ts_flowkey *b)
{
	uint64_t x[5], y[5];

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) |
	    (x[3] ^ y[3]) | (x[4] ^ y[4])) == 0;
}

struct ts_flow *
ts_flowtab_find_h(struct ts_flowtab *ft, const struct ts_flowkey *k,
    uint32_t hash)
{
	const struct bucket *b = &ft->b[hash & ft->mask];
	uint32_t i = b->first;

	if (i == NIL)
		return NULL;
	if (b->hash == hash && key_eq(&ft->flows[i].key, k))
		return &ft->flows[i];
	for (i = ft->ln[i].next; i != NIL; i = ft->ln[i].next)
		if (ft->ln[i].hash == hash && key_eq(&ft->flows[i].key, k))
			return &ft->flows[i];
	return NULL;
}

struct ts_flow *
ts_flowtab_find(struct ts_flowtab *ft, const struct ts_flowkey *k)
{
	return ts_flowtab_find_h(ft, k, ts_flowtab_hash(ft, k));
}

void
ts_flowtab_prefetch(const struct ts_flowtab *ft, uint32_t hash)
{
	__builtin_prefetch(&ft->b[hash & ft->mask]);
}

static void
prefetch_flow(const struct ts_flowtab *ft, uint32_t i)
{
	const char *p = (const char *)&ft->flows[i];

	__builtin_prefetch(p, 1);
	__builtin_prefetch(p + sizeof(struct ts_flow) - 1, 1);
	__builtin_prefetch(&ft->ln[i], 1);
}

void
ts_flowtab_prefetch_flow(const struct ts_flowtab *ft, uint32_t hash)
{
	const struct bucket *b = &ft->b[hash & ft->mask];

	if (b->first == NIL)
		return;
	if (b->hash == hash)
		prefetch_flow(ft, b->first);
	else	/* further down the chain, if anywhere: its start */
		__builtin_prefetch(&ft->ln[b->first]);
}

void
ts_flowtab_prefetch_links(const struct ts_flowtab *ft, uint32_t hash)
{
	const struct bucket *b = &ft->b[hash & ft->mask];
	const struct node *n;

	if (b->first == NIL || b->hash != hash)
		return;
	n = &ft->ln[b->first];
	__builtin_prefetch(&ft->ln[n->lru_prev], 1);
	__builtin_prefetch(&ft->ln[n->lru_next], 1);
	__builtin_prefetch(&ft->ln[n->q_prev], 1);
	__builtin_prefetch(&ft->ln[n->q_next], 1);
}

static void lru_unlink(struct ts_flowtab *, uint32_t);
static void lru_append(struct ts_flowtab *, uint32_t);

/*
 * Flow i is about to change place or what its deadline is read from: if
 * it heads the LRU list or a queue, the lists' heads may change.
 */
static void
head_check(struct ts_flowtab *ft, uint32_t i)
{
	if (ft->ln[ft->lru].lru_next == i ||
	    ft->ln[ft->qhead[TS_Q_PENDING]].q_next == i ||
	    ft->ln[ft->qhead[TS_Q_DONE]].q_next == i)
		ft->gen++;
}

uint32_t
ts_flowtab_gen(const struct ts_flowtab *ft)
{
	return ft->gen;
}

struct ts_flow *
ts_flowtab_insert_h(struct ts_flowtab *ft, const struct ts_flowkey *k,
    uint32_t hash)
{
	struct ts_flow *f;
	struct bucket *b;
	uint32_t i;

	if ((i = ft->free) != NIL)
		ft->free = ft->ln[i].next;
	else if (ft->used < ft->max)
		i = ft->used++;
	else
		return NULL;
	f = &ft->flows[i];
	memset(f, 0, sizeof(*f));
	f->key = *k;
	b = &ft->b[hash & ft->mask];
	ft->ln[i].hash = hash;
	ft->ln[i].next = b->first;
	b->first = i;
	b->hash = hash;
	if (ft->count == 0)
		ft->gen++;	/* the first: heads the LRU list */
	lru_append(ft, i);	/* at the young end */
	ft->count++;
	return f;
}

struct ts_flow *
ts_flowtab_insert(struct ts_flowtab *ft, const struct ts_flowkey *k)
{
	return ts_flowtab_insert_h(ft, k, ts_flowtab_hash(ft, k));
}

void
ts_flowtab_remove(struct ts_flowtab *ft, struct ts_flow *f)
{
	uint32_t i = idx_of(ft, f), next = ft->ln[i].next, j;
	struct bucket *b = &ft->b[ft->ln[i].hash & ft->mask];

	head_check(ft, i);
	ts_flowtab_dequeue(ft, f);
	if (b->first == i) {
		b->first = next;
		if (next != NIL)
			b->hash = ft->ln[next].hash;
	} else {
		for (j = b->first; ft->ln[j].next != i; j = ft->ln[j].next)
			;
		ft->ln[j].next = next;
	}
	lru_unlink(ft, i);
	ft->ln[i].next = ft->free;
	ft->free = i;
	ft->count--;
}

static void
lru_unlink(struct ts_flowtab *ft, uint32_t i)
{
	struct node *l = &ft->ln[i];

	ft->ln[l->lru_prev].lru_next = l->lru_next;
	ft->ln[l->lru_next].lru_prev = l->lru_prev;
}

static void
lru_append(struct ts_flowtab *ft, uint32_t i)
{
	struct node *h = &ft->ln[ft->lru];

	ft->ln[i].lru_prev = h->lru_prev;
	ft->ln[i].lru_next = ft->lru;
	ft->ln[h->lru_prev].lru_next = i;
	h->lru_prev = i;
}

void
ts_flowtab_touch(struct ts_flowtab *ft, struct ts_flow *f, ts_ns now)
{
	uint32_t i = idx_of(ft, f);

	if (ft->ln[ft->lru].lru_next == i)
		ft->gen++;
	f->last = now;
	if (ft->ln[ft->lru].lru_prev == i)	/* already the youngest */
		return;
	lru_unlink(ft, i);
	lru_append(ft, i);
}

struct ts_flow *
ts_flowtab_oldest(struct ts_flowtab *ft)
{
	uint32_t i = ft->ln[ft->lru].lru_next;

	return i == ft->lru ? NULL : &ft->flows[i];
}

int
ts_flowtab_full(const struct ts_flowtab *ft)
{
	return ft->count == ft->max;
}

uint32_t
ts_flowtab_count(const struct ts_flowtab *ft)
{
	return ft->count;
}

struct ts_flow *
ts_flowtab_victim(struct ts_flowtab *ft)
{
	struct ts_flow *f = ts_flowtab_queue_first(ft, TS_Q_DONE);

	return f != NULL ? f : ts_flowtab_oldest(ft);
}

/* A flow about to be evicted: itself, and the bucket it leaves. */
static void
prefetch_victim(const struct ts_flowtab *ft, uint32_t i)
{
	prefetch_flow(ft, i);
	__builtin_prefetch(&ft->b[ft->ln[i].hash & ft->mask], 1);
}

void
ts_flowtab_prefetch_victims(const struct ts_flowtab *ft, int n)
{
	uint32_t h = ft->qhead[TS_Q_DONE], i = ft->ln[h].q_next;

	/* The walk loads their links, which the evictions read next. */
	for (; n > 0 && i != h; n--, i = ft->ln[i].q_next)
		prefetch_victim(ft, i);
	for (i = ft->ln[ft->lru].lru_next; n > 0 && i != ft->lru; n--,
	    i = ft->ln[i].lru_next)
		prefetch_victim(ft, i);
}

void
ts_flowtab_enqueue(struct ts_flowtab *ft, struct ts_flow *f,
    enum ts_flow_queue q, ts_ns since)
{
	uint32_t i = idx_of(ft, f), s = ft->qhead[q];

	ts_flowtab_dequeue(ft, f);
	if (ft->qlen[q] == 0 || ft->ln[ft->lru].lru_next == i)
		ft->gen++;	/* heads queue q, or the LRU list's head moves */
	f->queue = (uint8_t)q;
	f->since = since;
	ft->ln[i].q_prev = ft->ln[s].q_prev;
	ft->ln[i].q_next = s;
	ft->ln[ft->ln[s].q_prev].q_next = i;
	ft->ln[s].q_prev = i;
	ft->qlen[q]++;
}

void
ts_flowtab_dequeue(struct ts_flowtab *ft, struct ts_flow *f)
{
	struct node *l;

	if (f->queue == TS_Q_NONE)
		return;
	head_check(ft, idx_of(ft, f));
	l = &ft->ln[idx_of(ft, f)];
	ft->qlen[f->queue]--;
	f->queue = TS_Q_NONE;
	ft->ln[l->q_prev].q_next = l->q_next;
	ft->ln[l->q_next].q_prev = l->q_prev;
}

struct ts_flow *
ts_flowtab_queue_first(struct ts_flowtab *ft, enum ts_flow_queue q)
{
	uint32_t i = ft->ln[ft->qhead[q]].q_next;

	return i == ft->qhead[q] ? NULL : &ft->flows[i];
}

uint32_t
ts_flowtab_queue_len(const struct ts_flowtab *ft, enum ts_flow_queue q)
{
	return ft->qlen[q];
}
