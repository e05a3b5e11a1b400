/*
 * siphash.c - SipHash-2-4 and SipHash-1-3, written from the paper's
 * description.
 */
#include "config.h"

#include <sys/random.h>

#include <endian.h>
#include <string.h>

#include "siphash.h"

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

static inline uint64_t
le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));	/* one unaligned load */
	return le64toh(v);
}

/* SipHash-c-d: c compression rounds per word, d finalization rounds. */
static inline uint64_t
siphash_cd(const struct ts_sipkey *key, const void *data, size_t len,
    int c, int d)
{
	const uint8_t *p = data;
	uint64_t v0 = 0x736f6d6570736575ULL ^ key->k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ key->k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ key->k0;
	uint64_t v3 = 0x7465646279746573ULL ^ key->k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, tail = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(p + i);
		v3 ^= m;
		for (int r = 0; r < c; r++)
			SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	for (size_t j = 0; j < tail; j++)
		b |= (uint64_t)p[i + j] << (8 * j);
	v3 ^= b;
	for (int r = 0; r < c; r++)
		SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (int r = 0; r < d; r++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t
ts_siphash(const struct ts_sipkey *key, const void *data, size_t len)
{
	return siphash_cd(key, data, len, 2, 4);
}

uint64_t
ts_siphash13(const struct ts_sipkey *key, const void *data, size_t len)
{
	return siphash_cd(key, data, len, 1, 3);
}

void
ts_sipkey_random(struct ts_sipkey *key)
{
	uint8_t buf[16];

	if (getrandom(buf, sizeof(buf), GRND_NONBLOCK) != (ssize_t)sizeof(buf))
		memcpy(buf, "tcpsleuth-sipkey", sizeof(buf));
	key->k0 = le64(buf);
	key->k1 = le64(buf + 8);
}
