/*
 * keyhash.c - keys for the multilinear table hash (keyhash.h).
 */
#include "config.h"

#include <sys/random.h>

#include "keyhash.h"

void
ts_hkey_random(struct ts_hkey *key)
{
	uint64_t x = 0x7463707365757468ULL;	/* the fallback's seed */

	if (getrandom(key->k, sizeof(key->k), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(key->k))
		return;
	/* No entropy yet (early boot): a fixed key, as SipHash's fallback. */
	for (size_t i = 0; i < sizeof(key->k) / sizeof(key->k[0]); i++) {
		uint64_t z = (x += 0x9e3779b97f4a7c15ULL);	/* splitmix64 */

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		key->k[i] = z ^ (z >> 31);
	}
}
