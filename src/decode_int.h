/*
 * decode_int.h - the layer decoders' shared interface (not installed):
 * each layer calls the one below it (link -> IP -> TCP) and
 * decode_result.c's endings, never one above.
 */
#ifndef TS_DECODE_INT_H
#define TS_DECODE_INT_H

#include "decode.h"
#include "extract.h"

#define ETHERTYPE_IP		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100

/* Result of a layer: OK, or SKIP/MALFORMED with the reason stored. */
struct ts_dec {
	struct ts_pkt		*pkt;
	struct ts_decode_stats	*st;
	enum ts_dec_result	 res;
	int			 reason;
};

/* How a layer ends when the frame is not for us (decode_result.c). */
enum ts_dec_result ts_dec_skip(struct ts_dec *, enum ts_skip);
enum ts_dec_result ts_dec_bad(struct ts_dec *, enum ts_malformed);
/* The cursor is short (extract.h): snapped if the wire had the bytes, else bad. */
enum ts_dec_result ts_dec_short(struct ts_dec *, const struct ts_cur *,
	    enum ts_malformed);

/* The network layer (decode_ip.c), called by the link layer. */
enum ts_dec_result ts_dec_ip4(struct ts_dec *, struct ts_cur *);
enum ts_dec_result ts_dec_ip6(struct ts_dec *, struct ts_cur *);

/* The transport (decode_l4.c), called by the network layer; the cursor is
 * limited to the IP payload. */
enum ts_dec_result ts_dec_tcp(struct ts_dec *, struct ts_cur *);

/*
 * A TCP header's ports and sequence number into pkt, inside a claim of at
 * least 8 bytes: a whole header, or what an ICMP quote holds.
 */
static inline void
ts_dec_tcp_ports(struct ts_cur *c, struct ts_pkt *pkt)
{
	pkt->sport = TS_GET_BE_U16(c, 0);
	pkt->dport = TS_GET_BE_U16(c, 2);
	pkt->seq = TS_GET_BE_U32(c, 4);
}

#endif
