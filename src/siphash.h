/*
 * siphash.h - SipHash-2-4 (Aumasson and Bernstein), a keyed hash, so that
 * packets from the network cannot be chosen to collide in our tables.
 */
#ifndef TS_SIPHASH_H
#define TS_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct ts_sipkey {
	uint64_t	k0, k1;
};

uint64_t	ts_siphash(const struct ts_sipkey *, const void *, size_t);
/* A random key from getrandom(2); a fixed one if that fails. */
void		ts_sipkey_random(struct ts_sipkey *);

#endif
