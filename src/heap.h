/*
 * heap.h - a binary min-heap of entries embedded in larger structures,
 * each knowing its own position so it can be updated or removed in
 * O(log n).  Capacity is fixed at ts_heap_init().
 */
#ifndef TS_HEAP_H
#define TS_HEAP_H

#include <stdint.h>

struct ts_heapent {
	uint64_t	key;
	uint32_t	idx;
};

struct ts_heap {
	struct ts_heapent **a;
	uint32_t	    n, cap;
};

int	ts_heap_init(struct ts_heap *, uint32_t cap);
void	ts_heap_fini(struct ts_heap *);
int	ts_heap_push(struct ts_heap *, struct ts_heapent *);
void	ts_heap_remove(struct ts_heap *, struct ts_heapent *);
/* Call after changing e->key. */
void	ts_heap_update(struct ts_heap *, struct ts_heapent *);
struct ts_heapent *ts_heap_min(const struct ts_heap *);

#endif
