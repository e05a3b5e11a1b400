/*
 * decode_link.c - link layers: Ethernet (802.1Q, QinQ), Linux cooked v1/v2,
 * BSD null/loop, raw IP.  Entry point of the decoder; hands the network
 * layer to decode_ip.c.  Reads only through extract.h's TS_GET_*.
 */
#include "config.h"

#include <string.h>

#include <pcap/dlt.h>

#include "decode_int.h"

#define MAX_VLAN_TAGS	4

/* Address family values DLT_NULL/DLT_LOOP may carry (BSDs disagree on v6). */
static int
bsd_af(uint32_t af)
{
	switch (af) {
	case 2:
		return TS_AF_INET;
	case 10: case 24: case 28: case 30:
		return TS_AF_INET6;
	default:
		return 0;
	}
}

/* The network layer by ethertype (after link headers and VLAN tags). */
static enum ts_dec_result
dec_ethertype(struct ts_dec *d, uint16_t type, struct ts_cur *c)
{
	switch (type) {
	case ETHERTYPE_IP:
		return ts_dec_ip4(d, c);
	case ETHERTYPE_IPV6:
		return ts_dec_ip6(d, c);
	default:
		return ts_dec_skip(d, TS_SKIP_NOT_IP);
	}
}

/* The network layer by the IP version nibble (raw IP links). */
static enum ts_dec_result
dec_ip_any(struct ts_dec *d, struct ts_cur *c)
{
	uint8_t vhl;

	TS_HDR(c, 1);
	vhl = TS_GET_U8(c, 0);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_LINK_SHORT);
	switch (vhl >> 4) {
	case 4:
		return ts_dec_ip4(d, c);
	case 6:
		return ts_dec_ip6(d, c);
	default:
		return ts_dec_bad(d, TS_MAL_IP_VERSION);
	}
}

/* VLAN tags (802.1Q, 802.1ad and the old 0x9100) then the network layer. */
static enum ts_dec_result
dec_vlan_then_l3(struct ts_dec *d, uint16_t type, struct ts_cur *c)
{
	int tags = 0;

	while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	    type == ETHERTYPE_QINQ_OLD) {
		if (++tags > MAX_VLAN_TAGS)
			return ts_dec_bad(d, TS_MAL_VLAN_DEPTH);
		TS_HDR(c, 4);
		type = TS_GET_BE_U16(c, 2);	/* after the TCI */
		if (ts_cur_short(c))
			return ts_dec_short(d, c, TS_MAL_VLAN_SHORT);
		ts_cur_skip(c, 4);
	}
	return dec_ethertype(d, type, c);
}

static enum ts_dec_result
dec_ether(struct ts_dec *d, struct ts_cur *c)
{
	uint16_t type;

	TS_HDR(c, 14);
	type = TS_GET_BE_U16(c, 12);	/* after the two addresses */
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_LINK_SHORT);
	ts_cur_skip(c, 14);
	if (type < 0x0600)	/* an 802.3 length: LLC/SNAP, not IP here */
		return ts_dec_skip(d, TS_SKIP_NOT_IP);
	return dec_vlan_then_l3(d, type, c);
}

static uint8_t
sll_dir(unsigned pkttype)
{
	switch (pkttype) {
	case 0: case 1: case 2:		/* host, broadcast, multicast */
		return TS_DIR_IN;
	case 3:				/* otherhost */
		return TS_DIR_OTHERHOST;
	case 4:				/* outgoing */
		return TS_DIR_OUT;
	default:
		return TS_DIR_UNKNOWN;
	}
}

static enum ts_dec_result
dec_sll(struct ts_dec *d, struct ts_cur *c)
{
	uint16_t pkttype, type;

	TS_HDR(c, 16);			/* the link-layer address is not read */
	pkttype = TS_GET_BE_U16(c, 0);
	type = TS_GET_BE_U16(c, 14);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_LINK_SHORT);
	d->pkt->dir = sll_dir(pkttype);
	ts_cur_skip(c, 16);
	return dec_vlan_then_l3(d, type, c);
}

static enum ts_dec_result
dec_sll2(struct ts_dec *d, struct ts_cur *c)
{
	uint32_t ifindex;
	uint16_t type;
	uint8_t pkttype;

	TS_HDR(c, 20);			/* the link-layer address is not read */
	type = TS_GET_BE_U16(c, 0);
	ifindex = TS_GET_BE_U32(c, 4);
	pkttype = TS_GET_U8(c, 10);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_LINK_SHORT);
	d->pkt->ifindex = ifindex;
	d->pkt->dir = sll_dir(pkttype);
	ts_cur_skip(c, 20);
	return dec_vlan_then_l3(d, type, c);
}

static enum ts_dec_result
dec_null(struct ts_dec *d, struct ts_cur *c, int network_order)
{
	uint32_t be, le;
	int af;

	TS_HDR(c, 4);
	be = TS_GET_BE_U32(c, 0);
	if (ts_cur_short(c))
		return ts_dec_short(d, c, TS_MAL_LINK_SHORT);
	le = __builtin_bswap32(be);
	/* DLT_NULL is in the capturing host's byte order: accept either. */
	af = bsd_af(be);
	if (af == 0 && !network_order)
		af = bsd_af(le);
	ts_cur_skip(c, 4);
	if (af == TS_AF_INET)
		return ts_dec_ip4(d, c);
	if (af == TS_AF_INET6)
		return ts_dec_ip6(d, c);
	return ts_dec_skip(d, TS_SKIP_NOT_IP);
}

int
ts_decode_linktype_ok(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return 1;
	default:
		return 0;
	}
}

enum ts_dec_result
ts_decode(int dlt, const uint8_t *data, size_t caplen, size_t wirelen,
    ts_ns ts, uint32_t ifindex, struct ts_pkt *pkt, struct ts_decode_stats *st)
{
	struct ts_cur c = { data, caplen, wirelen < caplen ? caplen : wirelen, 0 };
	struct ts_dec d;

	memset(pkt, 0, sizeof(*pkt));	/* an output, filled in whole */
	d.pkt = pkt;
	d.st = st;
	d.res = TS_DEC_OK;
	d.reason = 0;
	pkt->ts = ts;
	pkt->ifindex = ifindex;
	st->frames++;

	switch (dlt) {
	case DLT_EN10MB:
		return dec_ether(&d, &c);
	case DLT_LINUX_SLL:
		return dec_sll(&d, &c);
	case DLT_LINUX_SLL2:
		return dec_sll2(&d, &c);
	case DLT_NULL:
		return dec_null(&d, &c, 0);
	case DLT_LOOP:
		return dec_null(&d, &c, 1);
	case DLT_RAW:
		return dec_ip_any(&d, &c);
	case DLT_IPV4:
		if (ts_cur_has(&c, 1) && TS_GET_U8(&c, 0) >> 4 != 4)
			return ts_dec_bad(&d, TS_MAL_IP_VERSION);
		return ts_dec_ip4(&d, &c);
	case DLT_IPV6:
		if (ts_cur_has(&c, 1) && TS_GET_U8(&c, 0) >> 4 != 6)
			return ts_dec_bad(&d, TS_MAL_IP_VERSION);
		return ts_dec_ip6(&d, &c);
	default:
		return ts_dec_bad(&d, TS_MAL_LINK_TYPE);
	}
}
