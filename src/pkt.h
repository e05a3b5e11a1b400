/*
 * pkt.h - what the decoder makes of one captured frame.
 */
#ifndef TS_PKT_H
#define TS_PKT_H

#include <stdint.h>

/* Nanoseconds; wall-clock from packet stamps, or whatever clock feeds us. */
typedef int64_t ts_ns;
#define TS_NS_PER_SEC	1000000000LL

#define TS_AF_INET	4
#define TS_AF_INET6	6

#define TS_TH_FIN	0x01
#define TS_TH_SYN	0x02
#define TS_TH_RST	0x04
#define TS_TH_PUSH	0x08
#define TS_TH_ACK	0x10

/* Where the capture saw the frame going, from SLL/SLL2 packet types. */
enum ts_dir {
	TS_DIR_UNKNOWN = 0,
	TS_DIR_IN,		/* to this host (host, broadcast, multicast) */
	TS_DIR_OUT,		/* sent by this host */
	TS_DIR_OTHERHOST,	/* seen in passing (bridge, promiscuous) */
};

enum ts_pkt_kind {
	TS_PKT_TCP = 1,		/* a TCP segment with SYN, FIN or RST */
	TS_PKT_ICMP_UNREACH,	/* an ICMP(v6) unreachable quoting TCP */
};

/*
 * One decoded event.  For ICMP, src/dst/sport/dport/seq/tcpflags are those
 * of the quoted TCP segment (the SYN that could not be delivered) and
 * icmp_from is the address that sent the ICMP message.
 */
struct ts_pkt {
	ts_ns		ts;
	uint8_t		kind;		/* enum ts_pkt_kind */
	uint8_t		family;		/* TS_AF_INET or TS_AF_INET6 */
	uint8_t		dir;		/* enum ts_dir */
	uint8_t		tcpflags;	/* 0 if the quote was too short */
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint8_t		quote_flags_known; /* ICMP quote held the flags byte */
	uint16_t	sport, dport;
	uint32_t	seq, ack;
	uint32_t	paylen;		/* TCP payload bytes (from IP lengths) */
	uint32_t	ipid;		/* IPv4 id, IPv6 flow label: dedup key */
	uint32_t	ifindex;	/* 0 when the link layer does not say */
	uint8_t		src[16], dst[16];
	uint8_t		icmp_from[16];
};

#endif
