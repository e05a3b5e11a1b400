/*
 * dedup.c - a direct-mapped cache of recent packet fingerprints.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "keyhash.h"

/*
 * The parts of a packet that stay the same across interfaces: a fixed head,
 * then the addresses at their family's length (an IPv4 packet's
 * fingerprint is 32 bytes, not 72), zero-padded.  A slot keeps the whole
 * fingerprint, so a copy is recognised by comparing it, never by a hash
 * alone.
 */
struct fphead {
	uint8_t		kind, family, tcpflags, icmp_type, icmp_code, pad[3];
	uint16_t	sport, dport;
	uint32_t	seq, ack, ipid;
};

#define FP_MAX	(sizeof(struct fphead) + 3 * 16)

struct slot {
	ts_ns		ts;
	uint32_t	len;		/* 0: empty */
	uint8_t		fp[FP_MAX];
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

int
ts_dedup_seen(struct ts_dedup *d, const struct ts_pkt *p)
{
	union {
		struct fphead	h;
		uint8_t		b[FP_MAX];
	} f;
	size_t alen = p->family == TS_AF_INET ? 4 : 16, n;
	struct slot *s;
	ts_ns dt;

	if (d->window <= 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.h.kind = p->kind;
	f.h.family = p->family;
	f.h.tcpflags = p->tcpflags;
	f.h.icmp_type = p->icmp_type;
	f.h.icmp_code = p->icmp_code;
	f.h.sport = p->sport;
	f.h.dport = p->dport;
	f.h.seq = p->seq;
	f.h.ack = p->ack;
	f.h.ipid = p->ipid;
	n = sizeof(f.h);
	memcpy(f.b + n, p->src, alen);
	n += alen;
	memcpy(f.b + n, p->dst, alen);
	n += alen;
	if (p->kind == TS_PKT_ICMP_UNREACH) {
		memcpy(f.b + n, p->icmp_from, alen);
		n += alen;
	}
	n = (n + 7) & ~(size_t)7;	/* whole words: the padding is zero */
	s = &d->s[ts_keyhash(&d->key, f.b, n) & d->mask];
	dt = p->ts - s->ts;
	if (s->len == n && dt <= d->window && dt >= -d->window &&
	    memcmp(s->fp, f.b, n) == 0)
		return 1;
	s->len = (uint32_t)n;
	s->ts = p->ts;
	memcpy(s->fp, f.b, n);
	return 0;
}
