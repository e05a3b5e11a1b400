/*
 * bench/now.h - seconds on the monotonic clock, and keeping to a rate,
 * for the bench's tools.
 */
#ifndef BENCH_NOW_H
#define BENCH_NOW_H

#include <time.h>
#include <unistd.h>

static inline double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* After done of rate per second since start (rate 0: no limit), wait. */
static inline void
pace(double start, unsigned long long done, double rate)
{
	double ahead;

	if (rate <= 0)
		return;
	ahead = (double)done / rate - (now() - start);
	if (ahead > 0.0005)
		usleep((useconds_t)(ahead * 1e6));
}

#endif
