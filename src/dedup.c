/*
 * dedup.c - a direct-mapped cache of recent packet fingerprints.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "keyhash.h"

struct slot {
	ts_ns		ts;
	uint64_t	len;		/* words; 0: empty */
	uint64_t	fp[TS_DEDUP_FP_WORDS];
};

struct ts_dedup {
	struct slot	*s;
	uint32_t	 mask;
	ts_ns		 window;
	struct ts_hkey	 key;
};

struct ts_dedup *
ts_dedup_new(uint32_t slots, ts_ns window)
{
	struct ts_dedup *d;
	uint32_t n = 64;

	while (n < slots && n < (1u << 24))
		n <<= 1;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->s = calloc(n, sizeof(*d->s))) == NULL) {
		free(d);
		return NULL;
	}
	d->mask = n - 1;
	d->window = window;
	ts_hkey_random(&d->key);
	return d;
}

void
ts_dedup_free(struct ts_dedup *d)
{
	if (d == NULL)
		return;
	free(d->s);
	free(d);
}

/* An address's first 4 bytes (IPv4) or its two words (IPv6), at w. */
static size_t
addr_words(uint64_t *w, const uint8_t *a, int v4)
{
	uint32_t x;

	if (!v4) {
		memcpy(w, a, 16);
		return 2;
	}
	memcpy(&x, a, 4);
	w[0] = x;
	return 1;
}

/*
 * The parts of a packet that stay the same across interfaces, in words
 * built in registers: kind, family, flags and ICMP type and code; ports,
 * sequence and acknowledgment numbers and the IPv4 id or IPv6 flow label;
 * the addresses at their family's length (an IPv4 packet's fingerprint is
 * 5 words, not 9), zero-padded.  A slot keeps the whole fingerprint, so a
 * copy is recognised by comparing it, never by a hash alone.
 */
void
ts_dedup_prepare(const struct ts_dedup *d, const struct ts_pkt *p,
    struct ts_dedup_fp *f)
{
	int v4 = p->family == TS_AF_INET;
	uint64_t *w = f->w;
	size_t n;

	w[0] = p->kind | (uint64_t)p->family << 8 |
	    (uint64_t)p->tcpflags << 16 | (uint64_t)p->icmp_type << 24 |
	    (uint64_t)p->icmp_code << 32;
	w[1] = p->sport | (uint64_t)p->dport << 16 | (uint64_t)p->seq << 32;
	w[2] = p->ack | (uint64_t)p->ipid << 32;
	n = 3;
	if (v4) {
		uint32_t s, t;

		memcpy(&s, p->src, 4);
		memcpy(&t, p->dst, 4);
		w[n++] = s | (uint64_t)t << 32;
	} else {
		n += addr_words(w + n, p->src, 0);
		n += addr_words(w + n, p->dst, 0);
	}
	if (p->kind == TS_PKT_ICMP_UNREACH)
		n += addr_words(w + n, p->icmp_from, v4);
	for (size_t i = n; i < TS_DEDUP_FP_WORDS; i++)
		w[i] = 0;	/* compared whole */
	f->len = (uint32_t)n;
	f->ts = p->ts;
	if (d->window <= 0)
		return;
	f->slot = ts_keyhash_w(&d->key, w, n) & d->mask;
	__builtin_prefetch(&d->s[f->slot], 1);
}

static int
fp_eq(const uint64_t *a, const uint64_t *b)
{
	uint64_t d = 0;

	for (size_t i = 0; i < TS_DEDUP_FP_WORDS; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

int
ts_dedup_check(struct ts_dedup *d, const struct ts_dedup_fp *f)
{
	struct slot *s;
	ts_ns dt;

	if (d->window <= 0)
		return 0;
	s = &d->s[f->slot];
	dt = f->ts - s->ts;
	if (s->len == f->len && dt <= d->window && dt >= -d->window &&
	    fp_eq(s->fp, f->w))
		return 1;
	s->len = f->len;
	s->ts = f->ts;
	memcpy(s->fp, f->w, sizeof(s->fp));
	return 0;
}

int
ts_dedup_seen(struct ts_dedup *d, const struct ts_pkt *p)
{
	struct ts_dedup_fp f = { 0 };

	ts_dedup_prepare(d, p, &f);
	return ts_dedup_check(d, &f);
}
