/*
 * htab.c - intrusive chained hash table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "htab.h"

int
ts_htab_init(struct ts_htab *h, uint32_t nmin, ptrdiff_t keyoff, size_t keylen)
{
	uint32_t nb = 16;

	while (nb < nmin && nb < (1u << 30))
		nb <<= 1;
	memset(h, 0, sizeof(*h));
	if ((h->b = calloc(nb, sizeof(*h->b))) == NULL)
		return -1;
	h->mask = nb - 1;
	h->keyoff = keyoff;
	h->keylen = keylen;
	ts_sipkey_random(&h->sk);
	return 0;
}

void
ts_htab_fini(struct ts_htab *h)
{
	free(h->b);
	h->b = NULL;
}

static const void *
key_of(const struct ts_htab *h, const struct ts_hlink *l)
{
	return (const char *)l + h->keyoff;
}

static struct ts_hlink **
bucket(const struct ts_htab *h, const void *key)
{
	return &h->b[ts_siphash(&h->sk, key, h->keylen) & h->mask];
}

struct ts_hlink *
ts_htab_find(const struct ts_htab *h, const void *key)
{
	struct ts_hlink *l;

	for (l = *bucket(h, key); l != NULL; l = l->next)
		if (memcmp(key_of(h, l), key, h->keylen) == 0)
			return l;
	return NULL;
}

void
ts_htab_add(struct ts_htab *h, struct ts_hlink *l)
{
	struct ts_hlink **b = bucket(h, key_of(h, l));

	l->next = *b;
	*b = l;
}

void
ts_htab_del(struct ts_htab *h, struct ts_hlink *l)
{
	struct ts_hlink **pp;

	for (pp = bucket(h, key_of(h, l)); *pp != NULL; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			l->next = NULL;
			return;
		}
}
