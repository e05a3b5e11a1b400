/*
 * decode_int.h - the layer decoders' shared interface (not installed).
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

enum ts_dec_result ts_dec_skip(struct ts_dec *, enum ts_skip);
enum ts_dec_result ts_dec_bad(struct ts_dec *, enum ts_malformed);
/* A header of n bytes is missing: snapped if the wire had it, else bad. */
enum ts_dec_result ts_dec_short(struct ts_dec *, const struct ts_cur *,
	    size_t n, enum ts_malformed);

/* Network layer by ethertype (after link headers and VLAN tags). */
enum ts_dec_result ts_dec_ethertype(struct ts_dec *, uint16_t, struct ts_cur *);
/* Network layer by the IP version nibble (raw IP links). */
enum ts_dec_result ts_dec_ip_any(struct ts_dec *, struct ts_cur *);
enum ts_dec_result ts_dec_ip4(struct ts_dec *, struct ts_cur *);
enum ts_dec_result ts_dec_ip6(struct ts_dec *, struct ts_cur *);

/* Transport: TCP and ICMP/ICMPv6.  The cursor is limited to the IP payload. */
enum ts_dec_result ts_dec_tcp(struct ts_dec *, struct ts_cur *);
enum ts_dec_result ts_dec_icmp4(struct ts_dec *, struct ts_cur *);
enum ts_dec_result ts_dec_icmp6(struct ts_dec *, struct ts_cur *);

/*
 * A packet quoted inside ICMP: its IP header and the first bytes of TCP.
 * Fills pkt->src/dst/sport/dport/seq/tcpflags.  RFC 792 only promises 8
 * bytes of the transport header, which hold the ports and sequence number.
 */
enum ts_dec_result ts_dec_quote4(struct ts_dec *, struct ts_cur *);
enum ts_dec_result ts_dec_quote6(struct ts_dec *, struct ts_cur *);

/*
 * Walk an IPv6 extension header chain starting with next header nh.
 * On return *nh is the upper-layer protocol, the cursor is on it and
 * *fragoff is nonzero for a non-first fragment.  A truncated or endless
 * chain is counted as malformed under reason bad (IP6_EXT, or ICMP_QUOTE
 * inside an ICMPv6 quote).
 */
enum ts_dec_result ts_dec_ip6_chain(struct ts_dec *, struct ts_cur *,
	    uint8_t *nh, int *fragoff, enum ts_malformed bad);

#endif
