/*
 * flowtab.h - bounded state (at most max_flows) for the connections the
 * classifier follows, keyed by the 4-tuple.  Besides the LRU list, a flow
 * may sit on one of two queues kept in time order, so timeouts cost O(1):
 * attempts waiting for an answer to their SYN, and attempts already
 * classified (refused, unreachable, timed out) that are remembered a
 * while so retransmitted SYNs and repeated answers are not counted again.
 * When the table is full, the oldest classified attempt goes first, then
 * the least recently used flow.
 *
 * Layout, for the cache: the flows (the classifier's fields) in one
 * array; their links (hash chain, LRU list, queue) in a second, indexed
 * alike, dense enough to stay cached, so a lookup that misses, or a flow
 * leaving the middle of a list, touches no other flow.
 */
#ifndef TS_FLOWTAB_H
#define TS_FLOWTAB_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

/* Canonical key: end 0 sorts before end 1 (address, then port). */
struct ts_flowkey {
	uint8_t		family;
	uint8_t		pad[3];
	uint16_t	port[2];
	uint8_t		addr[2][16];
};

enum ts_flow_state {
	TS_FLOW_SYN_SENT = 1,	/* SYN seen, no answer yet */
	TS_FLOW_SYNACK,		/* SYN-ACK seen, handshake not known done */
	TS_FLOW_ESTABLISHED,	/* a FIN showed the connection was up */
	TS_FLOW_DONE,		/* attempt classified; remembered a while */
};

enum ts_flow_queue {
	TS_Q_NONE = 0,
	TS_Q_PENDING,		/* by first SYN time */
	TS_Q_DONE,		/* by classification time */
	TS_Q__COUNT
};

struct ts_flow {
	struct ts_flowkey key;
	uint8_t		 client;	/* which end (0/1) sent the SYN */
	uint8_t		 state;		/* enum ts_flow_state */
	uint8_t		 syn_dir;	/* enum ts_dir of the SYN */
	uint8_t		 fins;		/* bit per end that sent a FIN */
	uint8_t		 queue;		/* enum ts_flow_queue */
	uint32_t	 cisn, sisn;	/* client and server ISNs */
	uint32_t	 syn_len;	/* data carried by the SYN (TFO) */
	uint32_t	 syn_retx;
	uint32_t	 ifindex;	/* where the SYN was seen */
	ts_ns		 first_syn;	/* the attempt's first SYN (events' start) */
	ts_ns		 last;		/* last packet */
	ts_ns		 since;		/* queued at: first SYN, or classified */
};

struct ts_flowtab;

/*
 * Entries are allocated as they are first needed, up to max_flows: the
 * memory follows the connections followed at once.
 */
struct ts_flowtab *ts_flowtab_new(uint32_t max_flows);
void		 ts_flowtab_free(struct ts_flowtab *);

/* The key's hash (keyed: keyhash.h), for the calls taking one. */
uint32_t	 ts_flowtab_hash(const struct ts_flowtab *, const struct ts_flowkey *);
struct ts_flow	*ts_flowtab_find(struct ts_flowtab *, const struct ts_flowkey *);
struct ts_flow	*ts_flowtab_find_h(struct ts_flowtab *, const struct ts_flowkey *,
		    uint32_t hash);
/* Insert a zeroed flow for key; NULL when full (evict one first). */
struct ts_flow	*ts_flowtab_insert(struct ts_flowtab *, const struct ts_flowkey *);
struct ts_flow	*ts_flowtab_insert_h(struct ts_flowtab *, const struct ts_flowkey *,
		    uint32_t hash);
/*
 * Hints, no effect on results: start loading what a lookup of hash will
 * read: the bucket; once that is in, the flows of its chain with that hash
 * and their links; once those are in, the links of their list neighbours.
 * And the flows the next n evictions would take.
 */
void		 ts_flowtab_prefetch(const struct ts_flowtab *, uint32_t hash);
void		 ts_flowtab_prefetch_flow(const struct ts_flowtab *, uint32_t hash);
void		 ts_flowtab_prefetch_links(const struct ts_flowtab *, uint32_t hash);
void		 ts_flowtab_prefetch_victims(const struct ts_flowtab *, int n);
void		 ts_flowtab_remove(struct ts_flowtab *, struct ts_flow *);
/* Mark as used now (moves to the young end of the LRU list). */
void		 ts_flowtab_touch(struct ts_flowtab *, struct ts_flow *, ts_ns);
struct ts_flow	*ts_flowtab_oldest(struct ts_flowtab *);
/* The flow to give up for a new one: oldest classified, else LRU. */
struct ts_flow	*ts_flowtab_victim(struct ts_flowtab *);
int		 ts_flowtab_full(const struct ts_flowtab *);
uint32_t	 ts_flowtab_count(const struct ts_flowtab *);
/* Bytes of state per flow (entry, links, chain, bucket). */
size_t		 ts_flowtab_bytes_per_flow(void);

/* Put f at the end of queue q (leaving any other), stamped with since. */
void		 ts_flowtab_enqueue(struct ts_flowtab *, struct ts_flow *,
		    enum ts_flow_queue q, ts_ns since);
void		 ts_flowtab_dequeue(struct ts_flowtab *, struct ts_flow *);
struct ts_flow	*ts_flowtab_queue_first(struct ts_flowtab *, enum ts_flow_queue);
/*
 * Changes whenever the head of the LRU list or of a queue may have
 * changed, or what its deadline is read from (its last use, its queue and
 * since): while it stays, the earliest deadline does.
 */
uint32_t	 ts_flowtab_gen(const struct ts_flowtab *);
uint32_t	 ts_flowtab_queue_len(const struct ts_flowtab *, enum ts_flow_queue);

#endif
