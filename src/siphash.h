/*
 * siphash.h - SipHash-2-4 and -1-3 (Aumasson and Bernstein), keyed
 * hashes, so that packets from the network cannot be chosen to collide in
 * our tables.
 */
#ifndef TS_SIPHASH_H
#define TS_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct ts_sipkey {
	uint64_t	k0, k1;
};

uint64_t	ts_siphash(const struct ts_sipkey *, const void *, size_t);
/*
 * SipHash-1-3: half the rounds, for the per-packet table lookups (the
 * variant CPython and Rust use for their hash tables: resisting chosen
 * collisions needs the key kept secret, not the full PRF margin).
 */
uint64_t	ts_siphash13(const struct ts_sipkey *, const void *, size_t);
/* A random key from getrandom(2); a fixed one if that fails. */
void		ts_sipkey_random(struct ts_sipkey *);

#endif
