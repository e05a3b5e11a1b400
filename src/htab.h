/*
 * htab.h - an intrusive chained hash table with a keyed hash.  Entries
 * embed a struct ts_hlink and hold a fixed-size key at a fixed offset
 * from it; the table never allocates after ts_htab_init().
 */
#ifndef TS_HTAB_H
#define TS_HTAB_H

#include <stddef.h>
#include <stdint.h>

#include "siphash.h"

struct ts_hlink {
	struct ts_hlink	*next;
	uint64_t	 hash;		/* of the key, set by ts_htab_add() */
};

/* Hashes keylen bytes of key (or the part of them that can differ). */
typedef uint64_t (*ts_htab_hashfn)(const struct ts_sipkey *, const void *key,
    size_t keylen);

struct ts_htab {
	struct ts_hlink	**b;
	uint32_t	  mask;
	ptrdiff_t	  keyoff;	/* key address minus link address */
	size_t		  keylen;
	ts_htab_hashfn	  hash;
	struct ts_sipkey  sk;
};

/* Buckets: the next power of two >= nmin. */
int		 ts_htab_init(struct ts_htab *, uint32_t nmin, ptrdiff_t keyoff,
		    size_t keylen);
void		 ts_htab_fini(struct ts_htab *);
/* Replace the default hash, SipHash-1-3 over all keylen bytes. */
void		 ts_htab_set_hash(struct ts_htab *, ts_htab_hashfn);
struct ts_hlink	*ts_htab_find(const struct ts_htab *, const void *key);
void		 ts_htab_add(struct ts_htab *, struct ts_hlink *);
void		 ts_htab_del(struct ts_htab *, struct ts_hlink *);

/* keyoff for a struct type with a key member and a link member. */
#define TS_HTAB_KEYOFF(type, key, link)					\
	((ptrdiff_t)offsetof(type, key) - (ptrdiff_t)offsetof(type, link))
#define TS_CONTAINER_OF(ptr, type, member)				\
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif
