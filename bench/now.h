/* bench/now.h - seconds on the monotonic clock, for the bench's tools. */
#ifndef BENCH_NOW_H
#define BENCH_NOW_H

#include <time.h>

static inline double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
