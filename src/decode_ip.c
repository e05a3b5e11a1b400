/*
 * decode_ip.c - IPv4 (with options, fragments), IPv6 (with the extension
 * header chain), and ICMP/ICMPv6 destination unreachables with the IP
 * header and TCP ports they quote.  Hands TCP to decode_l4.c.  Reads only
 * through extract.h's TS_GET_*.
 */
#include "config.h"

#include <string.h>

#include "decode_int.h"

#define IPPROTO_ICMP_	1
#define IPPROTO_TCP_	6
#define IPPROTO_ICMPV6_	58

#define ICMP_UNREACH	3
#define ICMP6_UNREACH	1

#define IP6_MAX_EXT	8

/* An IPv4 header's fields after the first four bytes (outer or quoted). */
struct ip4_fields {
	uint16_t	ipid, frag;
	uint8_t		proto;
	uint8_t		src[4], dst[4];
};

/* Read them, inside a claim of at least 20 bytes. */
static inline __attribute__((always_inline)) void
ip4_fields(struct ts_cur *c, struct ip4_fields *f)
{
	f->ipid = TS_GET_BE_U16(c, 4);
	f->frag = TS_GET_BE_U16(c, 6);
	f->proto = TS_GET_U8(c, 9);
	TS_GET_BYTES(c, 12, f->src, 4);
	TS_GET_BYTES(c, 16, f->dst, 4);
}

/* An IPv6 header's fields (outer or quoted). */
struct ip6_fields {
	uint32_t	vfl;		/* version, traffic class, flow label */
	uint16_t	plen;
	uint8_t		nh;
	uint8_t		src[16], dst[16];
};

/* Claim the 40 bytes and read them; the caller tests ts_cur_short(). */
static inline __attribute__((always_inline)) void
ip6_fields(struct ts_cur *c, struct ip6_fields *f)
{
	TS_HDR(c, 40);
	f->vfl = TS_GET_BE_U32(c, 0);
	f->plen = TS_GET_BE_U16(c, 4);
	f->nh = TS_GET_U8(c, 6);
	TS_GET_BYTES(c, 8, f->src, 16);
	TS_GET_BYTES(c, 24, f->dst, 16);
}

/*
 * Walk an IPv6 extension header chain starting with next header nh.
 * On return *nh is the upper-layer protocol, the cursor is on it and
 * *fragoff is nonzero for a non-first fragment.  A truncated or endless
 * chain is counted as malformed under reason bad (IP6_EXT, or ICMP_QUOTE
 * inside an ICMPv6 quote).
 */
static enum ts_dec_result
ip6_chain(struct ts_dec *d, struct ts_cur *c, uint8_t *nh,
    int *fragoff, enum ts_malformed bad)
{
	size_t len;
	uint16_t frag;
	uint8_t next, hlen;
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
			TS_HDR(c, 2);
			next = TS_GET_U8(c, 0);
			hlen = TS_GET_U8(c, 1);
			if (ts_cur_short(c))
				return ts_dec_short(d, c, bad);
			len = *nh == 51 ? ((size_t)hlen + 2) * 4 :
			    ((size_t)hlen + 1) * 8;
			break;
		case 44:	/* fragment */
			if (n >= IP6_MAX_EXT)
				return ts_dec_bad(d, TS_MAL_IP6_CHAIN);
			len = 8;
			TS_HDR(c, len);	/* the identification is not read */
			next = TS_GET_U8(c, 0);
			frag = TS_GET_BE_U16(c, 2);
			if (ts_cur_short(c))
				return ts_dec_short(d, c, bad);
			if ((frag >> 3) != 0)
				*fragoff = 1;
			break;
		default:	/* an upper layer, ESP or no next header */
			return TS_DEC_OK;
		}
		TS_HDR(c, len);		/* options, addresses: not read */
		if (ts_cur_short(c))
			return ts_dec_short(d, c, bad);
		*nh = next;
		ts_cur_skip(c, len);
		if (*fragoff)
			return TS_DEC_OK;
	}
}

/* The quoted TCP header: ports and sequence number, flags when present. */
static enum ts_dec_result
quoted_tcp(struct ts_dec *d, struct ts_cur *c)
{
	struct ts_pkt *pkt = d->pkt;

	TS_HDR(c, 8);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_ICMP_QUOTE);
	ts_dec_tcp_ports(c, pkt);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_ICMP_QUOTE);
	if (ts_cur_has(c, 14)) {
		pkt->tcpflags = TS_GET_U8(c, 13);
		pkt->quote_flags_known = 1;
	}
	return TS_DEC_OK;
}

/*
 * A packet quoted inside ICMP: its IP header and the first bytes of TCP.
 * Fills pkt->src/dst/sport/dport/seq/tcpflags.  RFC 792 only promises 8
 * bytes of the transport header, which hold the ports and sequence number.
 */
static enum ts_dec_result
quote4(struct ts_dec *d, struct ts_cur *c)
{
	struct ip4_fields f;
	size_t ihl;
	uint8_t vhl;

	TS_HDR(c, 20);
	vhl = TS_GET_U8(c, 0);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_ICMP_QUOTE);
	ihl = (size_t)(vhl & 0x0f) * 4;
	if (vhl >> 4 != 4 || ihl < 20)
		return ts_dec_bad(d, TS_MAL_ICMP_QUOTE);
	TS_HDR(c, ihl);			/* the options are not read */
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_ICMP_QUOTE);
	ip4_fields(c, &f);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_ICMP_QUOTE);
	if (f.proto != IPPROTO_TCP_)
		return ts_dec_skip(d, TS_SKIP_ICMP_NOT_TCP);
	if ((f.frag & 0x1fff) != 0)
		return ts_dec_skip(d, TS_SKIP_FRAGMENT);
	memcpy(d->pkt->src, f.src, 4);
	memcpy(d->pkt->dst, f.dst, 4);
	ts_cur_skip(c, ihl);
	return quoted_tcp(d, c);
}

static enum ts_dec_result
quote6(struct ts_dec *d, struct ts_cur *c)
{
	struct ip6_fields f;
	uint8_t nh;
	int fragoff;

	ip6_fields(c, &f);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_ICMP_QUOTE);
	if (f.vfl >> 28 != 6)
		return ts_dec_bad(d, TS_MAL_ICMP_QUOTE);
	memcpy(d->pkt->src, f.src, 16);
	memcpy(d->pkt->dst, f.dst, 16);
	nh = f.nh;
	ts_cur_skip(c, 40);
	if (ip6_chain(d, c, &nh, &fragoff, TS_MAL_ICMP_QUOTE) != TS_DEC_OK)
		return d->res;
	if (fragoff)
		return ts_dec_skip(d, TS_SKIP_FRAGMENT);
	if (nh != IPPROTO_TCP_)
		return ts_dec_skip(d, TS_SKIP_ICMP_NOT_TCP);
	return quoted_tcp(d, c);
}

/*
 * ICMP or ICMPv6 (a part of IP: RFC 792): a destination unreachable
 * quoting a TCP segment, and nothing else.
 */
static enum ts_dec_result
icmp_unreach(struct ts_dec *d, struct ts_cur *c, uint8_t unreach,
    enum ts_dec_result (*quote)(struct ts_dec *, struct ts_cur *))
{
	struct ts_pkt *pkt = d->pkt;
	uint8_t type, code;

	TS_HDR(c, 8);		/* checksum, unused/MTU: not read */
	type = TS_GET_U8(c, 0);
	code = TS_GET_U8(c, 1);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_ICMP_SHORT);
	if (type != unreach)
		return ts_dec_skip(d, TS_SKIP_ICMP_TYPE);
	memcpy(pkt->icmp_from, pkt->src, sizeof(pkt->icmp_from));
	ts_cur_skip(c, 8);
	if (quote(d, c) != TS_DEC_OK)
		return d->res;
	pkt->kind = TS_PKT_ICMP_UNREACH;
	pkt->icmp_type = type;
	pkt->icmp_code = code;
	d->st->icmp_unreach++;
	return TS_DEC_OK;
}

static enum ts_dec_result
icmp4(struct ts_dec *d, struct ts_cur *c)
{
	return icmp_unreach(d, c, ICMP_UNREACH, quote4);
}

static enum ts_dec_result
icmp6(struct ts_dec *d, struct ts_cur *c)
{
	return icmp_unreach(d, c, ICMP6_UNREACH, quote6);
}

enum ts_dec_result
ts_dec_ip4(struct ts_dec *d, struct ts_cur *c)
{
	struct ts_pkt *pkt = d->pkt;
	struct ip4_fields f;
	size_t ihl, totlen;
	uint8_t vhl;

	TS_HDR(c, 20);
	vhl = TS_GET_U8(c, 0);
	totlen = TS_GET_BE_U16(c, 2);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_IP4_SHORT);
	if (vhl >> 4 != 4)
		return ts_dec_bad(d, TS_MAL_IP_VERSION);
	ihl = (size_t)(vhl & 0x0f) * 4;
	if (ihl < 20)
		return ts_dec_bad(d, TS_MAL_IP4_IHL);
	TS_HDR(c, ihl);			/* the options are not read */
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_IP4_SHORT);
	if (totlen == 0)		/* segmentation offload: length unset */
		totlen = c->wire;
	if (totlen < ihl || totlen > c->wire)
		return ts_dec_bad(d, TS_MAL_IP4_LEN);
	ip4_fields(c, &f);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_IP4_SHORT);
	d->st->ip4++;
	pkt->family = TS_AF_INET;
	pkt->ipid = f.ipid;
	memcpy(pkt->src, f.src, 4);
	memcpy(pkt->dst, f.dst, 4);
	if ((f.frag & 0x1fff) != 0)
		return ts_dec_skip(d, TS_SKIP_FRAGMENT);
	ts_cur_limit(c, totlen);	/* drop link-layer padding */
	switch (f.proto) {
	case IPPROTO_TCP_:
		ts_cur_skip(c, ihl);
		return ts_dec_tcp(d, c);
	case IPPROTO_ICMP_:
		ts_cur_skip(c, ihl);
		return icmp4(d, c);
	default:
		return ts_dec_skip(d, TS_SKIP_PROTO);
	}
}

enum ts_dec_result
ts_dec_ip6(struct ts_dec *d, struct ts_cur *c)
{
	struct ts_pkt *pkt = d->pkt;
	struct ip6_fields f;
	size_t plen;
	uint8_t nh;
	int fragoff;

	ip6_fields(c, &f);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_IP6_SHORT);
	if (f.vfl >> 28 != 6)
		return ts_dec_bad(d, TS_MAL_IP_VERSION);
	plen = f.plen;
	if (plen == 0)			/* jumbogram or BIG TCP: use the frame */
		plen = c->wire - 40;
	if (40 + plen > c->wire)
		return ts_dec_bad(d, TS_MAL_IP6_LEN);
	d->st->ip6++;
	pkt->family = TS_AF_INET6;
	pkt->ipid = f.vfl & 0xfffff;
	memcpy(pkt->src, f.src, 16);
	memcpy(pkt->dst, f.dst, 16);
	nh = f.nh;
	ts_cur_limit(c, 40 + plen);
	ts_cur_skip(c, 40);
	if (ip6_chain(d, c, &nh, &fragoff, TS_MAL_IP6_EXT) != TS_DEC_OK)
		return d->res;
	if (fragoff)
		return ts_dec_skip(d, TS_SKIP_FRAGMENT);
	switch (nh) {
	case IPPROTO_TCP_:
		return ts_dec_tcp(d, c);
	case IPPROTO_ICMPV6_:
		return icmp6(d, c);
	default:
		return ts_dec_skip(d, TS_SKIP_PROTO);
	}
}
