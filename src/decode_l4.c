/*
 * decode_l4.c - the transport layer: TCP segments with SYN, FIN or RST.
 * (ICMP, a part of IP, is in decode_ip.c.)  Reads only through extract.h's
 * TS_GET_*.
 */
#include "config.h"

#include "decode_int.h"

enum ts_dec_result
ts_dec_tcp(struct ts_dec *d, struct ts_cur *c)
{
	struct ts_pkt *pkt = d->pkt;
	size_t doff;
	uint8_t offx, flags;

	TS_HDR(c, 20);		/* window, checksum, urgent pointer: not read */
	offx = TS_GET_U8(c, 12);
	flags = TS_GET_U8(c, 13);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_TCP_SHORT);
	doff = (size_t)(offx >> 4) * 4;
	/* Options may be cut by the snap length; the segment must hold them. */
	if (doff < 20 || doff > c->wire)
		return ts_dec_bad(d, TS_MAL_TCP_DOFF);
	pkt->tcpflags = flags;
	if ((flags & (TS_TH_SYN | TS_TH_FIN | TS_TH_RST)) == 0)
		return ts_dec_skip(d, TS_SKIP_TCP_FLAGS);
	/* Most segments stop above: the rest of the header only for these. */
	ts_dec_tcp_ports(c, pkt);
	pkt->ack = TS_GET_BE_U32(c, 8);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_TCP_SHORT);
	pkt->kind = TS_PKT_TCP;
	pkt->paylen = (uint32_t)(c->wire - doff);
	d->st->tcp++;
	return TS_DEC_OK;
}
