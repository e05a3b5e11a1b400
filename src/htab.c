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

	if (keylen > TS_KEYHASH_MAX)
		return -1;
	while (nb < nmin && nb < (1u << 30))
		nb <<= 1;
	memset(h, 0, sizeof(*h));
	if ((h->b = calloc(nb, sizeof(*h->b))) == NULL)
		return -1;
	h->mask = nb - 1;
	h->keyoff = keyoff;
	h->keylen = keylen;
	ts_hkey_random(&h->hk);
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

struct ts_hlink *
ts_htab_find(const struct ts_htab *h, const void *key)
{
	uint32_t hv = ts_keyhash(&h->hk, key, h->keylen);
	struct ts_hlink *l;

	for (l = h->b[hv & h->mask]; l != NULL; l = l->next)
		if (l->hash == hv && memcmp(key_of(h, l), key, h->keylen) == 0)
			return l;
	return NULL;
}

void
ts_htab_add(struct ts_htab *h, struct ts_hlink *l)
{
	struct ts_hlink **b;

	l->hash = ts_keyhash(&h->hk, key_of(h, l), h->keylen);
	b = &h->b[l->hash & h->mask];
	l->next = *b;
	*b = l;
}

/* l must be in the table (its stored hash finds its chain). */
void
ts_htab_del(struct ts_htab *h, struct ts_hlink *l)
{
	struct ts_hlink **pp;

	for (pp = &h->b[l->hash & h->mask]; *pp != NULL; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			l->next = NULL;
			return;
		}
}
