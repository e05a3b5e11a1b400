/*
 * classify.h - from SYN, SYN-ACK, FIN, RST and ICMP unreachables to
 * classified connection failures.  The rules are written down in
 * doc/classification.md; each class maps to a Zeek conn_state there.
 *
 * The classifier is pure: it takes decoded packets and a time, and calls
 * a sink for each event.  It allocates only in ts_classify_new().
 */
#ifndef TS_CLASSIFY_H
#define TS_CLASSIFY_H

#include <stdint.h>

#include "flowtab.h"
#include "pkt.h"

enum ts_class {
	TS_CL_REFUSED = 0,	/* RST answering the SYN           (REJ)   */
	TS_CL_UNREACH,		/* ICMP unreachable quoting the SYN (REJ*) */
	TS_CL_TIMEOUT,		/* SYN never answered               (S0)    */
	TS_CL_HSRESET,		/* RST during the handshake   (RSTOS0, RSTO/RSTR) */
	TS_CL_ABORT,		/* RST in an established flow  (RSTO/RSTR) */
	TS_CL_UNSOLICITED,	/* RST with no context         (RSTRH/OTH) */
	TS_CL__COUNT
};
#define TS_CL__FAILURES	TS_CL_UNSOLICITED	/* classes below are failures */

enum ts_rst_by {
	TS_BY_NONE = 0,		/* no RST: ICMP or timeout */
	TS_BY_SERVICE,		/* the listening side (or one spoofing it) */
	TS_BY_CLIENT,		/* the side that sent the SYN */
};

/* Where the service endpoint is, as far as one packet's direction tells. */
enum ts_loc {
	TS_LOC_UNKNOWN = 0,
	TS_LOC_LOCAL,		/* a service of this host */
	TS_LOC_REMOTE,		/* a service this host called */
	TS_LOC_TRANSIT,		/* neither end is this host */
};

/* A classified event about one service endpoint. */
struct ts_event {
	ts_ns		ts;
	ts_ns		start;		/* the attempt's first SYN; 0: none seen */
	uint8_t		cls;		/* enum ts_class */
	uint8_t		family;
	uint8_t		rst_by;		/* enum ts_rst_by */
	uint8_t		loc;		/* enum ts_loc, from capture direction */
	uint8_t		icmp_type, icmp_code;
	uint8_t		guessed;	/* service side guessed from ports */
	uint16_t	svc_port, peer_port;
	uint32_t	ifindex;
	uint32_t	syn_retx;	/* SYN retransmissions of the attempt */
	uint8_t		svc[16], peer[16];
	uint8_t		icmp_from[16];
};

typedef void	(*ts_event_sink)(void *arg, const struct ts_event *);

struct ts_classify_conf {
	uint32_t	max_flows;	/* connection state entries */
	ts_ns		syn_timeout;	/* unanswered SYN -> timed out */
	ts_ns		flow_ttl;	/* idle flow state is forgotten */
	ts_ns		done_ttl;	/* classified attempts remembered */
};

struct ts_classify_stats {
	uint64_t	attempts[2];	/* new SYNs, [0] IPv4 [1] IPv6 */
	uint64_t	syn_retx;
	uint64_t	synacks;
	uint64_t	synack_nostate;	/* SYN-ACK for a SYN we did not see */
	uint64_t	rsts[2];	/* RST segments, by IP version */
	uint64_t	fins;
	uint64_t	icmp_unmatched;	/* unreachables matching no attempt */
	uint64_t	late_answers;	/* RST/ICMP for an attempt already classified */
	uint64_t	late_synacks;	/* SYN-ACK after the attempt was classified */
	uint64_t	failures[TS_CL__COUNT][2];
	uint64_t	flows_evicted;	/* state dropped because the table was full */
	uint64_t	attempts_lost;	/* pending attempts among those */
	uint64_t	flows_expired;
};

struct ts_classify;

void	ts_classify_conf_default(struct ts_classify_conf *);
struct ts_classify *ts_classify_new(const struct ts_classify_conf *,
	    ts_event_sink, void *arg);
void	ts_classify_free(struct ts_classify *);

/* Feed one decoded packet; pkt->ts is the time. */
void	ts_classify_packet(struct ts_classify *, const struct ts_pkt *);
/*
 * The same in steps, for a batch: prepare each packet (its flow key and
 * hash; starts loading its bucket), prefetch stage 1 (its flow), stage 2
 * (its list neighbours), then classify each in order with what was
 * prepared.  Hints only: the results are those of ts_classify_packet().
 */
struct ts_classify_prep {
	struct ts_flowkey	key;
	uint32_t		hash;
	int			end;	/* which end of key sent the packet */
};
void	ts_classify_prepare(struct ts_classify *, const struct ts_pkt *,
	    struct ts_classify_prep *);
void	ts_classify_prefetch(struct ts_classify *, const struct ts_classify_prep *,
	    int stage);
/* Start loading the flows the next n new attempts would evict. */
void	ts_classify_prefetch_victims(struct ts_classify *, int n);
void	ts_classify_packet_prep(struct ts_classify *, const struct ts_pkt *,
	    const struct ts_classify_prep *);
/* Let time pass: time out SYNs and forget idle flows up to now. */
void	ts_classify_tick(struct ts_classify *, ts_ns now);
/* Attempts still waiting for an answer (at the end of a capture, say). */
uint32_t ts_classify_pending(struct ts_classify *);
uint32_t ts_classify_flows(struct ts_classify *);
const struct ts_classify_stats *ts_classify_stats(const struct ts_classify *);

const char *ts_class_name(enum ts_class);	/* "refused", ... */
const char *ts_class_zeek(enum ts_class, enum ts_rst_by);
const char *ts_rst_by_name(enum ts_rst_by);
const char *ts_loc_name(enum ts_loc);

#endif
