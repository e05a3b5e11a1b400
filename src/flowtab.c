/*
 * flowtab.c - the classifier's connection state: a chained hash over a
 * preallocated array, an LRU list and a pending-SYN list.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "flowtab.h"

struct ts_flowtab {
	struct ts_flow	 *flows;	/* max entries */
	struct ts_htab	  h;
	struct ts_flow	 *free;		/* through free_next */
	uint32_t	  max, count;
	uint32_t	  qlen[TS_Q__COUNT];
	struct ts_flow	  lru;		/* sentinel: next is oldest */
	struct ts_flow	  q[TS_Q__COUNT];	/* sentinels: next is oldest */
};

/*
 * An IPv4 key's addresses fill 4 of their 16 bytes: hash the 16 bytes
 * that can differ (family, ports, both addresses), not all 40.
 */
_Static_assert(offsetof(struct ts_flowkey, addr) == 8,
    "flowkey_hash() takes the first 8 bytes as family, padding and ports");

static uint64_t
flowkey_hash(const struct ts_sipkey *sk, const void *key, size_t len)
{
	const struct ts_flowkey *k = key;
	uint8_t b[16];

	if (k->family != TS_AF_INET)
		return ts_siphash13(sk, key, len);
	memcpy(b, k, 8);
	memcpy(b + 8, k->addr[0], 4);
	memcpy(b + 12, k->addr[1], 4);
	return ts_siphash13(sk, b, sizeof(b));
}

struct ts_flowtab *
ts_flowtab_new(uint32_t max_flows)
{
	struct ts_flowtab *ft;

	if (max_flows == 0)
		max_flows = 1;
	if ((ft = calloc(1, sizeof(*ft))) == NULL)
		return NULL;
	ft->flows = calloc(max_flows, sizeof(*ft->flows));
	if (ft->flows == NULL || ts_htab_init(&ft->h, max_flows,
	    TS_HTAB_KEYOFF(struct ts_flow, key, hlink),
	    sizeof(struct ts_flowkey)) == -1) {
		ts_flowtab_free(ft);
		return NULL;
	}
	ts_htab_set_hash(&ft->h, flowkey_hash);
	ft->max = max_flows;
	for (uint32_t i = 0; i < max_flows; i++) {
		ft->flows[i].free_next = ft->free;
		ft->free = &ft->flows[i];
	}
	ft->lru.lru_next = ft->lru.lru_prev = &ft->lru;
	for (int i = 0; i < TS_Q__COUNT; i++)
		ft->q[i].q_next = ft->q[i].q_prev = &ft->q[i];
	return ft;
}

void
ts_flowtab_free(struct ts_flowtab *ft)
{
	if (ft == NULL)
		return;
	ts_htab_fini(&ft->h);
	free(ft->flows);
	free(ft);
}

struct ts_flow *
ts_flowtab_find(struct ts_flowtab *ft, const struct ts_flowkey *k)
{
	struct ts_hlink *l = ts_htab_find(&ft->h, k);

	return l == NULL ? NULL : TS_CONTAINER_OF(l, struct ts_flow, hlink);
}

struct ts_flow *
ts_flowtab_insert(struct ts_flowtab *ft, const struct ts_flowkey *k)
{
	struct ts_flow *f;

	if ((f = ft->free) == NULL)
		return NULL;
	ft->free = f->free_next;
	memset(f, 0, sizeof(*f));
	f->key = *k;
	ts_htab_add(&ft->h, &f->hlink);
	/* Link at the young end of the LRU list. */
	f->lru_prev = ft->lru.lru_prev;
	f->lru_next = &ft->lru;
	ft->lru.lru_prev->lru_next = f;
	ft->lru.lru_prev = f;
	ft->count++;
	return f;
}

void
ts_flowtab_remove(struct ts_flowtab *ft, struct ts_flow *f)
{
	ts_flowtab_dequeue(ft, f);
	ts_htab_del(&ft->h, &f->hlink);
	f->lru_prev->lru_next = f->lru_next;
	f->lru_next->lru_prev = f->lru_prev;
	f->free_next = ft->free;
	ft->free = f;
	ft->count--;
}

void
ts_flowtab_touch(struct ts_flowtab *ft, struct ts_flow *f, ts_ns now)
{
	f->last = now;
	f->lru_prev->lru_next = f->lru_next;
	f->lru_next->lru_prev = f->lru_prev;
	f->lru_prev = ft->lru.lru_prev;
	f->lru_next = &ft->lru;
	ft->lru.lru_prev->lru_next = f;
	ft->lru.lru_prev = f;
}

struct ts_flow *
ts_flowtab_oldest(struct ts_flowtab *ft)
{
	return ft->lru.lru_next == &ft->lru ? NULL : ft->lru.lru_next;
}

int
ts_flowtab_full(const struct ts_flowtab *ft)
{
	return ft->free == NULL;
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

void
ts_flowtab_enqueue(struct ts_flowtab *ft, struct ts_flow *f,
    enum ts_flow_queue q, ts_ns since)
{
	struct ts_flow *s = &ft->q[q];

	ts_flowtab_dequeue(ft, f);
	f->queue = (uint8_t)q;
	f->since = since;
	f->q_prev = s->q_prev;
	f->q_next = s;
	s->q_prev->q_next = f;
	s->q_prev = f;
	ft->qlen[q]++;
}

void
ts_flowtab_dequeue(struct ts_flowtab *ft, struct ts_flow *f)
{
	if (f->queue == TS_Q_NONE)
		return;
	ft->qlen[f->queue]--;
	f->queue = TS_Q_NONE;
	f->q_prev->q_next = f->q_next;
	f->q_next->q_prev = f->q_prev;
	f->q_prev = f->q_next = NULL;
}

struct ts_flow *
ts_flowtab_queue_first(struct ts_flowtab *ft, enum ts_flow_queue q)
{
	return ft->q[q].q_next == &ft->q[q] ? NULL : ft->q[q].q_next;
}

uint32_t
ts_flowtab_queue_len(const struct ts_flowtab *ft, enum ts_flow_queue q)
{
	return ft->qlen[q];
}
