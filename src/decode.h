/*
 * decode.h - turn a captured frame into a struct ts_pkt.
 *
 * One decoder per layer (decode_link.c -> decode_ip.c -> decode_l4.c,
 * each calling only the next, and decode_result.c for how a frame ends).
 * The decoder reads packet bytes only through extract.h's accessors, which
 * check that they are captured; it never validates checksums (offload
 * leaves them partial on outgoing and loopback frames) and never
 * allocates.
 */
#ifndef TS_DECODE_H
#define TS_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

enum ts_dec_result {
	TS_DEC_OK = 0,		/* *pkt holds a TCP or ICMP event */
	TS_DEC_SKIP,		/* well-formed but not for us */
	TS_DEC_MALFORMED,	/* counted under a reason */
};

/* Frames that are not for us, by reason. */
#define TS_SKIP_REASONS(X)						\
	X(NOT_IP,	"not-ip",	"not IPv4 or IPv6")			\
	X(FRAGMENT,	"fragment",	"non-first IP fragment")		\
	X(PROTO,	"other-proto",	"neither TCP nor ICMP")			\
	X(TCP_FLAGS,	"tcp-no-syn-fin-rst", "TCP without SYN, FIN or RST")	\
	X(ICMP_TYPE,	"icmp-other",	"ICMP other than unreachable")		\
	X(ICMP_NOT_TCP,	"icmp-not-tcp",	"ICMP quoting something other than TCP") \
	X(SNAPPED,	"snapped",	"headers cut by the snap length")

/* Malformed frames, by reason. */
#define TS_MAL_REASONS(X)						\
	X(LINK_SHORT,	"link-short",	"link header truncated")		\
	X(LINK_TYPE,	"link-unsupported", "unsupported link type")		\
	X(VLAN_SHORT,	"vlan-short",	"802.1Q tag truncated")			\
	X(VLAN_DEPTH,	"vlan-depth",	"more than 4 VLAN tags")		\
	X(IP_VERSION,	"ip-version",	"IP version does not match link")	\
	X(IP4_SHORT,	"ip4-short",	"IPv4 header truncated")		\
	X(IP4_IHL,	"ip4-ihl",	"IPv4 header length below 20")		\
	X(IP4_LEN,	"ip4-len",	"IPv4 total length inconsistent")	\
	X(IP6_SHORT,	"ip6-short",	"IPv6 header truncated")		\
	X(IP6_LEN,	"ip6-len",	"IPv6 payload length exceeds frame")	\
	X(IP6_EXT,	"ip6-ext",	"IPv6 extension header truncated")	\
	X(IP6_CHAIN,	"ip6-chain",	"IPv6 extension chain too long")	\
	X(TCP_SHORT,	"tcp-short",	"TCP header truncated")			\
	X(TCP_DOFF,	"tcp-doff",	"TCP data offset out of range")		\
	X(ICMP_SHORT,	"icmp-short",	"ICMP header truncated")		\
	X(ICMP_QUOTE,	"icmp-quote",	"ICMP quoted packet malformed")

#define X(id, name, desc) TS_SKIP_##id,
enum ts_skip { TS_SKIP_REASONS(X) TS_SKIP__COUNT };
#undef X
#define X(id, name, desc) TS_MAL_##id,
enum ts_malformed { TS_MAL_REASONS(X) TS_MAL__COUNT };
#undef X

struct ts_decode_stats {
	uint64_t	frames;
	uint64_t	ip4, ip6;
	uint64_t	tcp;		/* TCP segments with SYN, FIN or RST */
	uint64_t	icmp_unreach;	/* unreachables quoting TCP */
	uint64_t	skipped[TS_SKIP__COUNT];
	uint64_t	malformed[TS_MAL__COUNT];
};

/* Supported link types are DLT_* values as pcap_datalink() returns them. */
int	ts_decode_linktype_ok(int dlt);

/*
 * Decode one frame.  caplen bytes are readable at data; wirelen is the
 * length the frame had on the wire.  *pkt is filled in whole, with ts and
 * ifindex (the capture device's, 0 if unknown; SLL2 headers override it).
 */
enum ts_dec_result ts_decode(int dlt, const uint8_t *data, size_t caplen,
	    size_t wirelen, ts_ns ts, uint32_t ifindex, struct ts_pkt *pkt,
	    struct ts_decode_stats *st);

const char	*ts_skip_name(enum ts_skip);
const char	*ts_mal_name(enum ts_malformed);
const char	*ts_mal_desc(enum ts_malformed);
uint64_t	 ts_decode_malformed_total(const struct ts_decode_stats *);

#endif
