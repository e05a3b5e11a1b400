/*
 * dlist.h - an intrusive circular doubly-linked list with a sentinel head:
 * O(1) insert, remove and move to front, for least-recently-used orders.
 */
#ifndef TS_DLIST_H
#define TS_DLIST_H

#include <stddef.h>

struct ts_dlink {
	struct ts_dlink	*prev, *next;
};

static inline void
ts_dlist_init(struct ts_dlink *head)
{
	head->prev = head->next = head;
}

static inline int
ts_dlist_empty(const struct ts_dlink *head)
{
	return head->next == head;
}

static inline void
ts_dlist_del(struct ts_dlink *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	l->prev = l->next = l;
}

static inline void
ts_dlist_push_front(struct ts_dlink *head, struct ts_dlink *l)
{
	l->next = head->next;
	l->prev = head;
	head->next->prev = l;
	head->next = l;
}

/* Unlink l (if linked) and put it first: it is the most recent. */
static inline void
ts_dlist_touch(struct ts_dlink *head, struct ts_dlink *l)
{
	if (l->next != NULL)
		ts_dlist_del(l);
	ts_dlist_push_front(head, l);
}

/* The last (least recent) element, or NULL. */
static inline struct ts_dlink *
ts_dlist_last(const struct ts_dlink *head)
{
	return head->prev == head ? NULL : head->prev;
}

#endif
