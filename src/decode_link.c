/*
 * decode_link.c - link layers: Ethernet (802.1Q, QinQ), Linux cooked v1/v2,
 * BSD null/loop, raw IP.  Entry point of the decoder.
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

enum ts_dec_result
ts_dec_skip(struct ts_dec *d, enum ts_skip why)
{
	d->st->skipped[why]++;
	d->res = TS_DEC_SKIP;
	d->reason = (int)why;
	return TS_DEC_SKIP;
}

enum ts_dec_result
ts_dec_bad(struct ts_dec *d, enum ts_malformed why)
{
	d->st->malformed[why]++;
	d->res = TS_DEC_MALFORMED;
	d->reason = (int)why;
	return TS_DEC_MALFORMED;
}

enum ts_dec_result
ts_dec_short(struct ts_dec *d, const struct ts_cur *c, size_t n,
    enum ts_malformed why)
{
	if (ts_cur_snapped(c, n))
		return ts_dec_skip(d, TS_SKIP_SNAPPED);
	return ts_dec_bad(d, why);
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
		if (!ts_cur_need(c, 4))
			return ts_dec_short(d, c, 4, TS_MAL_VLAN_SHORT);
		type = ts_be16(c->p + 2);
		ts_cur_skip(c, 4);
	}
	return ts_dec_ethertype(d, type, c);
}

static enum ts_dec_result
dec_ether(struct ts_dec *d, struct ts_cur *c)
{
	uint16_t type;

	if (!ts_cur_need(c, 14))
		return ts_dec_short(d, c, 14, TS_MAL_LINK_SHORT);
	type = ts_be16(c->p + 12);
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
	uint16_t type;

	if (!ts_cur_need(c, 16))
		return ts_dec_short(d, c, 16, TS_MAL_LINK_SHORT);
	d->pkt->dir = sll_dir(ts_be16(c->p));
	type = ts_be16(c->p + 14);
	ts_cur_skip(c, 16);
	return dec_vlan_then_l3(d, type, c);
}

static enum ts_dec_result
dec_sll2(struct ts_dec *d, struct ts_cur *c)
{
	uint16_t type;

	if (!ts_cur_need(c, 20))
		return ts_dec_short(d, c, 20, TS_MAL_LINK_SHORT);
	type = ts_be16(c->p);
	d->pkt->ifindex = ts_be32(c->p + 4);
	d->pkt->dir = sll_dir(c->p[10]);
	ts_cur_skip(c, 20);
	return dec_vlan_then_l3(d, type, c);
}

static enum ts_dec_result
dec_null(struct ts_dec *d, struct ts_cur *c, int network_order)
{
	uint32_t be, le;
	int af;

	if (!ts_cur_need(c, 4))
		return ts_dec_short(d, c, 4, TS_MAL_LINK_SHORT);
	be = ts_be32(c->p);
	le = ts_le32(c->p);
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

enum ts_dec_result
ts_dec_ethertype(struct ts_dec *d, uint16_t type, struct ts_cur *c)
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

enum ts_dec_result
ts_dec_ip_any(struct ts_dec *d, struct ts_cur *c)
{
	if (!ts_cur_need(c, 1))
		return ts_dec_short(d, c, 1, TS_MAL_LINK_SHORT);
	switch (c->p[0] >> 4) {
	case 4:
		return ts_dec_ip4(d, c);
	case 6:
		return ts_dec_ip6(d, c);
	default:
		return ts_dec_bad(d, TS_MAL_IP_VERSION);
	}
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
	struct ts_cur c = { data, caplen, wirelen < caplen ? caplen : wirelen };
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
		return ts_dec_ip_any(&d, &c);
	case DLT_IPV4:
		if (ts_cur_need(&c, 1) && c.p[0] >> 4 != 4)
			return ts_dec_bad(&d, TS_MAL_IP_VERSION);
		return ts_dec_ip4(&d, &c);
	case DLT_IPV6:
		if (ts_cur_need(&c, 1) && c.p[0] >> 4 != 6)
			return ts_dec_bad(&d, TS_MAL_IP_VERSION);
		return ts_dec_ip6(&d, &c);
	default:
		return ts_dec_bad(&d, TS_MAL_LINK_TYPE);
	}
}

#define X(id, name, desc) name,
static const char *const skip_names[] = { TS_SKIP_REASONS(X) };
static const char *const mal_names[] = { TS_MAL_REASONS(X) };
#undef X
#define X(id, name, desc) desc,
static const char *const mal_descs[] = { TS_MAL_REASONS(X) };
#undef X

const char *
ts_skip_name(enum ts_skip s)
{
	return (unsigned)s < TS_SKIP__COUNT ? skip_names[s] : "?";
}

const char *
ts_mal_name(enum ts_malformed m)
{
	return (unsigned)m < TS_MAL__COUNT ? mal_names[m] : "?";
}

const char *
ts_mal_desc(enum ts_malformed m)
{
	return (unsigned)m < TS_MAL__COUNT ? mal_descs[m] : "?";
}

uint64_t
ts_decode_malformed_total(const struct ts_decode_stats *st)
{
	uint64_t n = 0;

	for (int i = 0; i < TS_MAL__COUNT; i++)
		n += st->malformed[i];
	return n;
}
