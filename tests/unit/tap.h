/*
 * tap.h - a minimal Test Anything Protocol producer for the unit tests.
 * Each ok() is one test point; the automake TAP driver counts them.
 */
#ifndef TS_TAP_H
#define TS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_fail;

static inline int
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_fail++;
	return cond;
}

#define ok(cond, ...)	tap_ok(!!(cond), __VA_ARGS__)
/* Compare unsigned integers and say both values on failure. */
#define is_u(got, want, ...) do {					\
	uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);		\
	if (!tap_ok(g_ == w_, __VA_ARGS__))				\
		printf("#   got %" PRIu64 ", want %" PRIu64 "\n", g_, w_);	\
} while (0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_fail ? 1 : 0;
}

#endif
