/*
 * htab.h - an intrusive chained hash table with a keyed hash (keyhash.h,
 * a random key per table).  Entries embed a struct ts_hlink and hold a
 * fixed-size key at a fixed offset from it; the table never allocates
 * after ts_htab_init().
 */
#ifndef TS_HTAB_H
#define TS_HTAB_H

#include <stddef.h>
#include <stdint.h>

#include "keyhash.h"
#include "siphash.h"	/* for the users that hash other things too */

struct ts_hlink {
	struct ts_hlink	*next;
	uint32_t	 hash;		/* of the key, set by ts_htab_add() */
};

struct ts_htab {
	struct ts_hlink	**b;
	uint32_t	  mask;
	ptrdiff_t	  keyoff;	/* key address minus link address */
	size_t		  keylen;	/* at most TS_KEYHASH_MAX */
	struct ts_hkey	  hk;
};

/* Buckets: the next power of two >= nmin; -1 if keylen is too long. */
int		 ts_htab_init(struct ts_htab *, uint32_t nmin, ptrdiff_t keyoff,
		    size_t keylen);
void		 ts_htab_fini(struct ts_htab *);
struct ts_hlink	*ts_htab_find(const struct ts_htab *, const void *key);
void		 ts_htab_add(struct ts_htab *, struct ts_hlink *);
void		 ts_htab_del(struct ts_htab *, struct ts_hlink *);

/* keyoff for a struct type with a key member and a link member. */
#define TS_HTAB_KEYOFF(type, key, link)					\
	((ptrdiff_t)offsetof(type, key) - (ptrdiff_t)offsetof(type, link))
#define TS_CONTAINER_OF(ptr, type, member)				\
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif
