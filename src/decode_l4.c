/*
 * decode_l4.c - TCP, and ICMP/ICMPv6 destination unreachable messages
 * that quote a TCP segment.
 */
#include "config.h"

#include <string.h>

#include "decode_int.h"

#define ICMP_UNREACH	3
#define ICMP6_UNREACH	1

enum ts_dec_result
ts_dec_tcp(struct ts_dec *d, struct ts_cur *c)
{
	struct ts_pkt *pkt = d->pkt;
	size_t doff;

	if (!ts_cur_need(c, 20))
		return ts_dec_short(d, c, 20, TS_MAL_TCP_SHORT);
	doff = (size_t)(c->p[12] >> 4) * 4;
	/* Options may be cut by the snap length; the segment must hold them. */
	if (doff < 20 || doff > c->wire)
		return ts_dec_bad(d, TS_MAL_TCP_DOFF);
	pkt->tcpflags = c->p[13];
	if ((pkt->tcpflags & (TS_TH_SYN | TS_TH_FIN | TS_TH_RST)) == 0)
		return ts_dec_skip(d, TS_SKIP_TCP_FLAGS);
	pkt->kind = TS_PKT_TCP;
	pkt->sport = ts_be16(c->p);
	pkt->dport = ts_be16(c->p + 2);
	pkt->seq = ts_be32(c->p + 4);
	pkt->ack = ts_be32(c->p + 8);
	pkt->paylen = (uint32_t)(c->wire - doff);
	d->st->tcp++;
	return TS_DEC_OK;
}

static enum ts_dec_result
dec_icmp(struct ts_dec *d, struct ts_cur *c, uint8_t unreach,
    enum ts_dec_result (*quote)(struct ts_dec *, struct ts_cur *))
{
	struct ts_pkt *pkt = d->pkt;
	uint8_t type, code;

	if (!ts_cur_need(c, 8))
		return ts_dec_short(d, c, 8, TS_MAL_ICMP_SHORT);
	type = c->p[0];
	code = c->p[1];
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

enum ts_dec_result
ts_dec_icmp4(struct ts_dec *d, struct ts_cur *c)
{
	return dec_icmp(d, c, ICMP_UNREACH, ts_dec_quote4);
}

enum ts_dec_result
ts_dec_icmp6(struct ts_dec *d, struct ts_cur *c)
{
	return dec_icmp(d, c, ICMP6_UNREACH, ts_dec_quote6);
}
