/*
 * dedup.h - recognise one packet seen again on another interface (a bridge
 * and its port, both ends of a veth pair, bond slaves, a router's in and
 * out) within a short window, so it is counted once.  The fingerprint is
 * what survives forwarding: addresses, ports, sequence and acknowledgment
 * numbers, flags and the IPv4 id or IPv6 flow label (not TTL, checksum or
 * interface).  Retransmissions are a second or more apart and are not
 * merged.  NATed copies differ in address and are not recognised.  Which
 * frames can be copies is the capture's to say (capture.h, ts_copies).
 */
#ifndef TS_DEDUP_H
#define TS_DEDUP_H

#include <stdint.h>

#include "pkt.h"

struct ts_dedup;

/* window 0 turns deduplication off. */
struct ts_dedup	*ts_dedup_new(uint32_t slots, ts_ns window);
void		 ts_dedup_free(struct ts_dedup *);
/* 1 if pkt repeats one seen within the window, else remember it, 0. */
int		 ts_dedup_seen(struct ts_dedup *, const struct ts_pkt *);

/*
 * The same in two steps, for a batch: the packet's fingerprint (its slot
 * starts loading), then the check, in packet order.
 */
#define TS_DEDUP_FP_WORDS	9
struct ts_dedup_fp {
	ts_ns		ts;
	uint32_t	slot, len;	/* len: words */
	uint64_t	w[TS_DEDUP_FP_WORDS];
};
void		 ts_dedup_prepare(const struct ts_dedup *, const struct ts_pkt *,
		    struct ts_dedup_fp *);
int		 ts_dedup_check(struct ts_dedup *, const struct ts_dedup_fp *);

#endif
