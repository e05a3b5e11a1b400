/*
 * heap.c - indexed binary min-heap.
 */
#include "config.h"

#include <stdlib.h>

#include "heap.h"

int
ts_heap_init(struct ts_heap *h, uint32_t cap)
{
	h->n = 0;
	h->cap = cap;
	h->a = calloc(cap ? cap : 1, sizeof(*h->a));
	return h->a == NULL ? -1 : 0;
}

void
ts_heap_fini(struct ts_heap *h)
{
	free(h->a);
	h->a = NULL;
	h->n = h->cap = 0;
}

static void
place(struct ts_heap *h, uint32_t i, struct ts_heapent *e)
{
	h->a[i] = e;
	e->idx = i;
}

static void
sift_up(struct ts_heap *h, uint32_t i)
{
	struct ts_heapent *e = h->a[i];

	while (i > 0 && h->a[(i - 1) / 2]->key > e->key) {
		place(h, i, h->a[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	place(h, i, e);
}

static void
sift_down(struct ts_heap *h, uint32_t i)
{
	struct ts_heapent *e = h->a[i];
	uint32_t c;

	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && h->a[c + 1]->key < h->a[c]->key)
			c++;
		if (h->a[c]->key >= e->key)
			break;
		place(h, i, h->a[c]);
		i = c;
	}
	place(h, i, e);
}

int
ts_heap_push(struct ts_heap *h, struct ts_heapent *e)
{
	if (h->n == h->cap)
		return -1;
	place(h, h->n++, e);
	sift_up(h, e->idx);
	return 0;
}

void
ts_heap_remove(struct ts_heap *h, struct ts_heapent *e)
{
	uint32_t i = e->idx;

	if (i >= h->n || h->a[i] != e)
		return;
	if (--h->n == i)
		return;
	place(h, i, h->a[h->n]);
	ts_heap_update(h, h->a[i]);
}

void
ts_heap_update(struct ts_heap *h, struct ts_heapent *e)
{
	sift_up(h, e->idx);
	sift_down(h, e->idx);
}

struct ts_heapent *
ts_heap_min(const struct ts_heap *h)
{
	return h->n ? h->a[0] : NULL;
}
