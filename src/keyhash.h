/*
 * keyhash.h - the keyed hash of the per-packet tables: multilinear hashing
 * (Lemire and Kaser, "Strongly universal string hashing is fast", 2014)
 * with a random key drawn for each table.
 *
 * h(s) = top 32 bits of (k0 + k1 s1 + k2 s2 + ... + kn sn) mod 2^64 (then
 * mixed: ts_keyhash_fold), over
 * the input's 32-bit chunks s1..sn (the last one zero-padded).  For keys of
 * one length the family is strongly universal: any two different inputs
 * collide with probability 2^-32 over the choice of the key, whatever the
 * inputs, so traffic cannot be chosen to fill one chain (the defence
 * Crosby and Wallach proposed against algorithmic-complexity attacks) as
 * long as the key stays secret; a passive capture answers nothing, so it
 * gives no collision oracle to learn it from.  Two multiplications per 8
 * bytes: about 12 instructions for an IPv4 flow key where SipHash-1-3 took
 * about 110.
 */
#ifndef TS_KEYHASH_H
#define TS_KEYHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TS_KEYHASH_MAX	80	/* longest input, bytes */

struct ts_hkey {
	uint64_t	k[TS_KEYHASH_MAX / 4 + 1];
};

/* A random key from getrandom(2) (a fixed one if that fails). */
void	ts_hkey_random(struct ts_hkey *);

/*
 * The sum's top 32 bits, mixed by a bijection of 32-bit words (MurmurHash3's
 * finaliser): the tables take a bucket from the low bits.  A scan's keys
 * differ in a chunk or two counting up, so the sums form a lattice whose
 * bits 32-47 bunched (a chain of 16 in 65,536 buckets for some keys, where
 * random placement gives about 8).  A bijection keeps the family strongly
 * universal: the pair of outputs is as uniform as the pair of inputs.
 */
static inline uint32_t
ts_keyhash_fold(uint64_t h)
{
	uint32_t t = (uint32_t)(h >> 32);

	t ^= t >> 16;
	t *= 0x85ebca6bu;
	t ^= t >> 13;
	t *= 0xc2b2ae35u;
	return t ^ t >> 16;
}

/* len <= TS_KEYHASH_MAX. */
static inline uint32_t
ts_keyhash(const struct ts_hkey *key, const void *data, size_t len)
{
	const uint8_t *p = data;
	const uint64_t *k = key->k + 1;
	uint64_t h = key->k[0], w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8, k += 2) {
		memcpy(&w, p + i, 8);
		h += k[0] * (w & 0xffffffffu) + k[1] * (w >> 32);
	}
	if (i < len) {
		w = 0;
		memcpy(&w, p + i, len - i);
		h += k[0] * (w & 0xffffffffu) + k[1] * (w >> 32);
	}
	return ts_keyhash_fold(h);
}

/*
 * The same over n 64-bit words (ts_keyhash() of their little-endian
 * bytes), for keys built in registers: no narrow stores read back wide.
 */
static inline uint32_t
ts_keyhash_w(const struct ts_hkey *key, const uint64_t *w, size_t n)
{
	const uint64_t *k = key->k + 1;
	uint64_t h = key->k[0];

	for (size_t i = 0; i < n; i++, k += 2)
		h += k[0] * (w[i] & 0xffffffffu) + k[1] * (w[i] >> 32);
	return ts_keyhash_fold(h);
}

#endif
