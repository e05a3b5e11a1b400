/*
 * dedup.c - a direct-mapped cache of recent packet fingerprints.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "siphash.h"

struct slot {
	uint64_t	fp;
	ts_ns		ts;
};

struct ts_dedup {
	struct slot	*s;
	uint32_t	 mask;
	ts_ns		 window;
	struct ts_sipkey key;
};

/*
 * The parts of a packet that stay the same across interfaces: a fixed head,
 * then the addresses at their family's length (an IPv4 packet hashes 32
 * bytes, not 72).
 */
struct fphead {
	uint8_t		kind, family, tcpflags, icmp_type, icmp_code, pad[3];
	uint16_t	sport, dport;
	uint32_t	seq, ack, ipid;
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
	ts_sipkey_random(&d->key);
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
	uint8_t buf[sizeof(struct fphead) + 3 * 16];
	struct fphead f;
	size_t alen = p->family == TS_AF_INET ? 4 : 16, n;
	struct slot *s;
	uint64_t h;
	ts_ns dt;

	if (d->window <= 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.kind = p->kind;
	f.family = p->family;
	f.tcpflags = p->tcpflags;
	f.icmp_type = p->icmp_type;
	f.icmp_code = p->icmp_code;
	f.sport = p->sport;
	f.dport = p->dport;
	f.seq = p->seq;
	f.ack = p->ack;
	f.ipid = p->ipid;
	memcpy(buf, &f, sizeof(f));
	n = sizeof(f);
	memcpy(buf + n, p->src, alen);
	n += alen;
	memcpy(buf + n, p->dst, alen);
	n += alen;
	if (p->kind == TS_PKT_ICMP_UNREACH) {
		memcpy(buf + n, p->icmp_from, alen);
		n += alen;
	}
	h = ts_siphash13(&d->key, buf, n) | 1;	/* 0 marks empty */
	s = &d->s[h & d->mask];
	dt = p->ts - s->ts;
	if (s->fp == h && dt <= d->window && dt >= -d->window)
		return 1;
	s->fp = h;
	s->ts = p->ts;
	return 0;
}
