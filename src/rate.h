/*
 * rate.h - event rates over three sliding windows (1, 5 and 15 minutes by
 * default) made of fixed buckets.
 *
 * Each window has TS_RATE_BUCKETS buckets of window/TS_RATE_BUCKETS
 * (1 s, 5 s and 15 s by default).  The rate is the exact number of events in
 * the last TS_RATE_BUCKETS whole buckets, i.e. in the window that ends at the
 * most recent bucket boundary, divided by the window's length; so a rate
 * lags by at most one bucket (1 s for the 1-minute rate) and an event counts
 * fully until it leaves the window, then not at all.  This is not the
 * kernel's exponentially decaying load average.  Before a whole window has
 * been observed (the start given to ts_rate_init(): when capture began),
 * the span is the time observed up to that boundary (at least one bucket),
 * so a rate reads right from the first seconds rather than ramping up.
 */
#ifndef TS_RATE_H
#define TS_RATE_H

#include <stdint.h>

#include "pkt.h"

#define TS_RATE_WINDOWS	3
#define TS_RATE_BUCKETS	60
#define TS_RATE_SLOTS	(TS_RATE_BUCKETS + 1)	/* and the one filling */

struct ts_rate_conf {
	ts_ns		window[TS_RATE_WINDOWS];
};

struct ts_rate {
	ts_ns		start;
	int64_t		epoch[TS_RATE_WINDOWS];	/* bucket number of the newest */
	uint32_t	b[TS_RATE_WINDOWS][TS_RATE_SLOTS];
};

void		ts_rate_conf_default(struct ts_rate_conf *);
/* Windows must be positive multiples of TS_RATE_BUCKETS ns; 0 if so. */
int		ts_rate_conf_check(const struct ts_rate_conf *);
void		ts_rate_init(struct ts_rate *, ts_ns now);
void		ts_rate_add(struct ts_rate *, const struct ts_rate_conf *,
		    ts_ns t, uint32_t n);
/* Events in window w as of now. */
uint64_t	ts_rate_count(const struct ts_rate *, const struct ts_rate_conf *,
		    int w, ts_ns now);
/* Milli-events per second in window w as of now. */
uint64_t	ts_rate_milli(const struct ts_rate *, const struct ts_rate_conf *,
		    int w, ts_ns now);

#endif
