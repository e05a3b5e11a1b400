/*
 * tap.h - a minimal Test Anything Protocol producer for the unit tests.
 * Each ok() is one test point; the automake TAP driver counts them.
 */
#ifndef TS_TAP_H
#define TS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * Skip the whole test, why saying what it needs; in CI (CI=true) a skip
 * is a failure, as tests/lib.sh's skip_all.  Returns main's status.
 */
static inline int
tap_skip_all(const char *why)
{
	const char *ci = getenv("CI");

	if (ci != NULL && strcmp(ci, "true") == 0) {
		printf("1..1\nnot ok 1 - skipped in CI: %s\n", why);
		return 1;
	}
	printf("1..0 # SKIP %s\n", why);
	return 0;
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_fail ? 1 : 0;
}

/* A file of the source tree ($TOP_SRCDIR, else ..), whole; NULL if unread. */
static inline char *
tap_srcfile(const char *rel)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[1024];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", top != NULL ? top : "..", rel);
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = n >= 0 ? calloc(1, (size_t)n + 1) : NULL;
	if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

#endif
