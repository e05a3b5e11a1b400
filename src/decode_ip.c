/*
 * decode_ip.c - IPv4 (with options, fragments) and IPv6 (with the
 * extension header chain), outer headers and those quoted by ICMP.
 */
#include "config.h"

#include <string.h>

#include "decode_int.h"

#define IPPROTO_ICMP_	1
#define IPPROTO_TCP_	6
#define IPPROTO_ICMPV6_	58

#define IP6_MAX_EXT	8

enum ts_dec_result
ts_dec_ip4(struct ts_dec *d, struct ts_cur *c)
{
	struct ts_pkt *pkt = d->pkt;
	size_t ihl, totlen;

	if (!ts_cur_need(c, 20))
		return ts_dec_short(d, c, 20, TS_MAL_IP4_SHORT);
	if (c->p[0] >> 4 != 4)
		return ts_dec_bad(d, TS_MAL_IP_VERSION);
	ihl = (size_t)(c->p[0] & 0x0f) * 4;
	if (ihl < 20)
		return ts_dec_bad(d, TS_MAL_IP4_IHL);
	if (!ts_cur_need(c, ihl))
		return ts_dec_short(d, c, ihl, TS_MAL_IP4_SHORT);
	totlen = ts_be16(c->p + 2);
	if (totlen == 0)		/* segmentation offload: length unset */
		totlen = c->wire;
	if (totlen < ihl || totlen > c->wire)
		return ts_dec_bad(d, TS_MAL_IP4_LEN);
	d->st->ip4++;
	pkt->family = TS_AF_INET;
	pkt->ipid = ts_be16(c->p + 4);
	memcpy(pkt->src, c->p + 12, 4);
	memcpy(pkt->dst, c->p + 16, 4);
	if ((ts_be16(c->p + 6) & 0x1fff) != 0)
		return ts_dec_skip(d, TS_SKIP_FRAGMENT);
	ts_cur_limit(c, totlen);	/* drop link-layer padding */
	switch (c->p[9]) {
	case IPPROTO_TCP_:
		ts_cur_skip(c, ihl);
		return ts_dec_tcp(d, c);
	case IPPROTO_ICMP_:
		ts_cur_skip(c, ihl);
		return ts_dec_icmp4(d, c);
	default:
		return ts_dec_skip(d, TS_SKIP_PROTO);
	}
}

enum ts_dec_result
ts_dec_ip6_chain(struct ts_dec *d, struct ts_cur *c, uint8_t *nh,
    int *fragoff, enum ts_malformed bad)
{
	size_t len;
	int n;

	*fragoff = 0;
	for (n = 0; ; n++) {
		switch (*nh) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 51:	/* authentication header */
			if (n >= IP6_MAX_EXT)
				return ts_dec_bad(d, TS_MAL_IP6_CHAIN);
			if (!ts_cur_need(c, 2))
				return ts_dec_short(d, c, 2, bad);
			len = *nh == 51 ? ((size_t)c->p[1] + 2) * 4 :
			    ((size_t)c->p[1] + 1) * 8;
			break;
		case 44:	/* fragment */
			if (n >= IP6_MAX_EXT)
				return ts_dec_bad(d, TS_MAL_IP6_CHAIN);
			len = 8;
			if (!ts_cur_need(c, len))
				return ts_dec_short(d, c, len, bad);
			if ((ts_be16(c->p + 2) >> 3) != 0)
				*fragoff = 1;
			break;
		default:	/* an upper layer, ESP or no next header */
			return TS_DEC_OK;
		}
		if (!ts_cur_need(c, len))
			return ts_dec_short(d, c, len, bad);
		*nh = c->p[0];
		ts_cur_skip(c, len);
		if (*fragoff)
			return TS_DEC_OK;
	}
}

enum ts_dec_result
ts_dec_ip6(struct ts_dec *d, struct ts_cur *c)
{
	struct ts_pkt *pkt = d->pkt;
	size_t plen;
	uint8_t nh;
	int fragoff;

	if (!ts_cur_need(c, 40))
		return ts_dec_short(d, c, 40, TS_MAL_IP6_SHORT);
	if (c->p[0] >> 4 != 6)
		return ts_dec_bad(d, TS_MAL_IP_VERSION);
	plen = ts_be16(c->p + 4);
	if (plen == 0)			/* jumbogram or BIG TCP: use the frame */
		plen = c->wire - 40;
	if (40 + plen > c->wire)
		return ts_dec_bad(d, TS_MAL_IP6_LEN);
	d->st->ip6++;
	pkt->family = TS_AF_INET6;
	pkt->ipid = ts_be32(c->p) & 0xfffff;
	memcpy(pkt->src, c->p + 8, 16);
	memcpy(pkt->dst, c->p + 24, 16);
	nh = c->p[6];
	ts_cur_limit(c, 40 + plen);
	ts_cur_skip(c, 40);
	if (ts_dec_ip6_chain(d, c, &nh, &fragoff, TS_MAL_IP6_EXT) != TS_DEC_OK)
		return d->res;
	if (fragoff)
		return ts_dec_skip(d, TS_SKIP_FRAGMENT);
	switch (nh) {
	case IPPROTO_TCP_:
		return ts_dec_tcp(d, c);
	case IPPROTO_ICMPV6_:
		return ts_dec_icmp6(d, c);
	default:
		return ts_dec_skip(d, TS_SKIP_PROTO);
	}
}

/* The quoted TCP header: ports and sequence number, flags when present. */
static enum ts_dec_result
dec_quoted_tcp(struct ts_dec *d, struct ts_cur *c)
{
	struct ts_pkt *pkt = d->pkt;

	if (!ts_cur_need(c, 8))
		return ts_dec_short(d, c, 8, TS_MAL_ICMP_QUOTE);
	pkt->sport = ts_be16(c->p);
	pkt->dport = ts_be16(c->p + 2);
	pkt->seq = ts_be32(c->p + 4);
	if (ts_cur_need(c, 14)) {
		pkt->tcpflags = c->p[13];
		pkt->quote_flags_known = 1;
	}
	return TS_DEC_OK;
}

enum ts_dec_result
ts_dec_quote4(struct ts_dec *d, struct ts_cur *c)
{
	size_t ihl;

	if (!ts_cur_need(c, 20))
		return ts_dec_short(d, c, 20, TS_MAL_ICMP_QUOTE);
	ihl = (size_t)(c->p[0] & 0x0f) * 4;
	if (c->p[0] >> 4 != 4 || ihl < 20)
		return ts_dec_bad(d, TS_MAL_ICMP_QUOTE);
	if (!ts_cur_need(c, ihl))
		return ts_dec_short(d, c, ihl, TS_MAL_ICMP_QUOTE);
	if (c->p[9] != IPPROTO_TCP_)
		return ts_dec_skip(d, TS_SKIP_ICMP_NOT_TCP);
	if ((ts_be16(c->p + 6) & 0x1fff) != 0)
		return ts_dec_skip(d, TS_SKIP_FRAGMENT);
	memcpy(d->pkt->src, c->p + 12, 4);
	memcpy(d->pkt->dst, c->p + 16, 4);
	ts_cur_skip(c, ihl);
	return dec_quoted_tcp(d, c);
}

enum ts_dec_result
ts_dec_quote6(struct ts_dec *d, struct ts_cur *c)
{
	uint8_t nh;
	int fragoff;

	if (!ts_cur_need(c, 40))
		return ts_dec_short(d, c, 40, TS_MAL_ICMP_QUOTE);
	if (c->p[0] >> 4 != 6)
		return ts_dec_bad(d, TS_MAL_ICMP_QUOTE);
	memcpy(d->pkt->src, c->p + 8, 16);
	memcpy(d->pkt->dst, c->p + 24, 16);
	nh = c->p[6];
	ts_cur_skip(c, 40);
	if (ts_dec_ip6_chain(d, c, &nh, &fragoff, TS_MAL_ICMP_QUOTE) !=
	    TS_DEC_OK)
		return d->res;
	if (fragoff)
		return ts_dec_skip(d, TS_SKIP_FRAGMENT);
	if (nh != IPPROTO_TCP_)
		return ts_dec_skip(d, TS_SKIP_ICMP_NOT_TCP);
	return dec_quoted_tcp(d, c);
}
