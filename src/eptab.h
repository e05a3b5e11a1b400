/*
 * eptab.h - the failing-endpoint table.
 *
 * A row is a service endpoint (family, address, port; IPv6 link-local
 * addresses also by interface), never a client's ephemeral port.  Counts in
 * a row are exact from the row's creation.  The table holds at most
 * max_rows rows: while there is room every failing endpoint gets one; when
 * full, endpoints without a row are counted in a Space-Saving sketch and
 * one is admitted, evicting the weakest row, once its guaranteed count
 * (count - error) exceeds that row's score (guaranteed count at admission
 * plus failures since).  Everything without a row is accounted in the
 * "other" row, and evicted or expired rows are folded into it, so the sum
 * of all rows and "other" equals every event seen.
 *
 * Rows are per network namespace (the key's netns, an nsfs inode): the
 * capture's events are in conf.netns, the daemon's own.  A failure only
 * the kernel event source saw (an attempt that put no packet on any
 * device, or one in another namespace, which no capture here sees) is
 * counted with ts_eptab_kfail(): it goes through the same admission and
 * is a row's kfail, part of its failures and its rate.
 */
#ifndef TS_EPTAB_H
#define TS_EPTAB_H

#include <net/if.h>
#include <stdint.h>

#include "classify.h"
#include "heap.h"
#include "hll.h"
#include "htab.h"
#include "rate.h"

struct ts_epkey {
	uint8_t		family;		/* 0 for the "other" row */
	uint8_t		pad;
	uint16_t	port;
	uint32_t	scope;		/* ifindex for IPv6 link-local */
	uint8_t		addr[16];
	uint32_t	netns;		/* network namespace: nsfs inode */
};

struct ts_row {
	struct ts_epkey	 key;
	uint64_t	 count[TS_CL__COUNT];
	uint64_t	 rst_by[3];	/* by enum ts_rst_by */
	uint64_t	 syn_retx;	/* retransmitted SYNs of failed attempts */
	uint64_t	 kfail;		/* failures the kernel alone saw */
	uint64_t	 lsn_overflows;	/* failures while its listener dropped */
	uint64_t	 admit_score;	/* guaranteed failures before admission */
	ts_ns		 created;	/* counts are exact since then */
	ts_ns		 first, last;	/* first and last failure seen */
	uint32_t	 ifindex;
	char		 ifname[IF_NAMESIZE];
	uint8_t		 loc;		/* enum ts_loc */
	uint8_t		 last_cls;
	uint8_t		 icmp_type, icmp_code;	/* last unreachable */
	uint16_t	 peer_port;
	uint8_t		 peer[16];	/* last peer */
	uint8_t		 icmp_from[16];
	struct ts_rate	 rate;		/* failures (not unsolicited) */
	struct ts_hll	 peers;
	/* private to eptab.c */
	struct ts_hlink	 hlink;
	struct ts_heapent hent;		/* key: score */
	struct ts_row	*lru_prev, *lru_next;
};

struct ts_eptab_conf {
	uint32_t		max_rows;
	uint32_t		sketch_size;	/* candidates; 0: max_rows */
	ts_ns			ttl;		/* idle rows expire */
	/*
	 * 1: an idle row expires only when a new endpoint needs its room
	 * (a capture file's report lists every endpoint the file holds
	 * unless the table is full); 0: at ts_eptab_tick() (the daemon).
	 */
	int			expire_when_full;
	struct ts_rate_conf	rates;
	uint32_t		netns;	/* the capture's namespace (its inode) */
};

struct ts_eptab_stats {
	uint64_t	events;
	uint64_t	admissions;
	uint64_t	evictions;	/* rows displaced by a heavier endpoint */
	uint64_t	expiries;	/* rows idle longer than the TTL */
	uint64_t	other_events;	/* events accounted in "other" */
};

struct ts_eptab;

void	ts_eptab_conf_default(struct ts_eptab_conf *);
struct ts_eptab *ts_eptab_new(const struct ts_eptab_conf *);
void	ts_eptab_free(struct ts_eptab *);

/* Account an event; ifname may be NULL.  May admit or evict a row. */
void	ts_eptab_event(struct ts_eptab *, const struct ts_event *,
	    const char *ifname);
/*
 * A failed attempt to k (k->netns set) that only the kernel event source
 * saw, at ts, by peer:peer_port (the caller's address); loc: enum ts_loc.
 * May admit or evict a row.
 */
void	ts_eptab_kfail(struct ts_eptab *, const struct ts_epkey *k, ts_ns ts,
	    uint8_t loc, const uint8_t *peer, uint16_t peer_port);
/*
 * The network namespace whose inode is netns is gone (another took its
 * inode): its rows expire now, folded into "other".  How many.
 */
uint32_t ts_eptab_forget_netns(struct ts_eptab *, uint32_t netns);
/*
 * The event just accounted (ts_eptab_event) failed while the endpoint's
 * listener was dropping (lsntab.h): count it on its row, or in "other".
 */
void	ts_eptab_lsn_overflow(struct ts_eptab *, const struct ts_event *);
/* Expire rows idle for the TTL or longer (unless expire_when_full). */
void	ts_eptab_tick(struct ts_eptab *, ts_ns now);

uint32_t ts_eptab_rows(const struct ts_eptab *);
/* Up to n row pointers, in no order; returns how many. */
uint32_t ts_eptab_list(const struct ts_eptab *, const struct ts_row **, uint32_t n);
const struct ts_row *ts_eptab_find(const struct ts_eptab *, const struct ts_epkey *);
const struct ts_row *ts_eptab_other(const struct ts_eptab *);
const struct ts_eptab_stats *ts_eptab_stats(const struct ts_eptab *);
const struct ts_eptab_conf *ts_eptab_conf(const struct ts_eptab *);

/* Every class but unsolicited, and kfail. */
uint64_t ts_row_failures(const struct ts_row *);
uint64_t ts_row_peers(const struct ts_row *);
/* An IPv6 link-local address (fe80::/10): keyed with its interface. */
int	ts_v6_linklocal(const uint8_t *addr);
/* Keys in TCPSLEUTH-MIB's index order: netns, family, address, zone, port. */
int	ts_epkey_cmp(const struct ts_epkey *, const struct ts_epkey *);
/* The endpoint key of an event's service side (netns 0). */
void	ts_epkey_of_event(struct ts_epkey *, const struct ts_event *);

#endif
