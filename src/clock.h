/*
 * clock.h - the two clocks: wall (packet stamps are wall-clock, and so
 * are the times reported) and monotonic (for scheduling).
 */
#ifndef TS_CLOCK_H
#define TS_CLOCK_H

#include <time.h>

#include "pkt.h"

static inline ts_ns
ts_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (ts_ns)ts.tv_sec * TS_NS_PER_SEC + ts.tv_nsec;
}

static inline ts_ns ts_now_wall(void) { return ts_clock(CLOCK_REALTIME); }
static inline ts_ns ts_now_mono(void) { return ts_clock(CLOCK_MONOTONIC); }

#endif
