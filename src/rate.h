/*
 * rate.h - event rates over three sliding windows (1, 5 and 15 minutes by
 * default) made of fixed buckets; pure: time comes in as a parameter.
 *
 * Each window (length W) has TS_RATE_BUCKETS buckets of b = W/60 (1 s, 5 s
 * and 15 s by default).  At time now, with first the counter's first event
 * (its creation; counters with no event read 0):
 *
 *   S    = the start of the bucket 59 buckets before the one now is in,
 *          so now - S lies in [W - b, W)
 *   N    = the events counted in [S, now]: the 60 buckets up to now's,
 *          exactly (an event counts from when it happens until its
 *          bucket leaves, between W - b and W later; no interpolation)
 *   span = now - max(S, first), but at least TS_RATE_MIN_SPAN (or W when
 *          W is shorter)
 *   rate = N / span
 *
 * So a counter older than a window reads the events of the last W (to a
 * bucket) over that time, and a younger one reads its events over its age:
 * all three windows read the same until the counter is a minute old, a
 * steady 2/s reads 2/s within seconds (2.0 to 2.2 at 5 s, 2.0 to 2.1 at
 * 10 s: the first event counts at once), and a burst of 10 in 0.1 s reads 10/5 s = 2/s,
 * then 10/age, never 100/s.  Not an exponentially decaying load average.
 */
#ifndef TS_RATE_H
#define TS_RATE_H

#include <stdint.h>

#include "pkt.h"

#define TS_RATE_WINDOWS	3
#define TS_RATE_BUCKETS	60
#define TS_RATE_MIN_SPAN (5 * TS_NS_PER_SEC)	/* the shortest divisor */

struct ts_rate_conf {
	ts_ns		window[TS_RATE_WINDOWS];
};

struct ts_rate {
	ts_ns		first;			/* the first event */
	int64_t		epoch[TS_RATE_WINDOWS];	/* bucket number of the newest */
	uint32_t	b[TS_RATE_WINDOWS][TS_RATE_BUCKETS];
};

void		ts_rate_conf_default(struct ts_rate_conf *);
/* Windows must be positive multiples of TS_RATE_BUCKETS ns; 0 if so. */
int		ts_rate_conf_check(const struct ts_rate_conf *);
/* A counter with no event yet. */
void		ts_rate_init(struct ts_rate *);
/* n events at t; n == 0 is no event (the counter's age does not start). */
void		ts_rate_add(struct ts_rate *, const struct ts_rate_conf *,
		    ts_ns t, uint32_t n);
/* The same for a count that may not fit 32 bits (counter deltas). */
void		ts_rate_add64(struct ts_rate *, const struct ts_rate_conf *,
		    ts_ns t, uint64_t n);
/* N above: events in window w as of now. */
uint64_t	ts_rate_count(const struct ts_rate *, const struct ts_rate_conf *,
		    int w, ts_ns now);
/* The rate above in milli-events per second, rounded. */
uint64_t	ts_rate_milli(const struct ts_rate *, const struct ts_rate_conf *,
		    int w, ts_ns now);

#endif
