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

/*
 * The steady clock: the monotonic clock, offset to read as the wall clock
 * did when it started.  Rates, timeouts, hold-downs and ages run on it, so
 * a wall-clock step (NTP, date -s) neither empties nor floods a rate window
 * nor expires every pending SYN.  Packet stamps (the kernel's, wall clock)
 * are mapped onto it; times shown to people go back to the wall clock when
 * a snapshot is published.
 */
struct ts_steady {
	ts_ns	off;		/* steady = monotonic + off */
};

/* A stamp further than this from the moment it is read is not trusted. */
#define TS_STEADY_TOL	(2 * TS_NS_PER_SEC)

static inline void
ts_steady_init(struct ts_steady *s, ts_ns wall, ts_ns mono)
{
	s->off = wall - mono;
}

static inline ts_ns
ts_steady_at(const struct ts_steady *s, ts_ns mono)
{
	return mono + s->off;
}

/*
 * The steady time of a packet stamped pkt (wall clock) and read when the
 * wall clock said wall and the monotonic one mono: as old as its stamp
 * says, unless the stamp is in the future or older than TS_STEADY_TOL (the
 * wall clock stepped between stamp and read): then the time it is read.
 */
static inline ts_ns
ts_steady_stamp(const struct ts_steady *s, ts_ns pkt, ts_ns wall, ts_ns mono)
{
	ts_ns now = ts_steady_at(s, mono), age = wall - pkt;

	return age < 0 || age > TS_STEADY_TOL ? now : now - age;
}

#endif
