/*
 * optparse.c - option values.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optparse.h"

int
ts_parse_secs(const char *s, double min, ts_ns *out, char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < min ||
	    v > 1e9) {
		snprintf(err, errlen, "invalid time \"%s\" (seconds, at least %g)",
		    s, min);
		return -1;
	}
	*out = (ts_ns)llround(v * (double)TS_NS_PER_SEC);
	return 0;
}

int
ts_parse_num(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out, char *err, size_t errlen)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '-' || errno != 0 || end == s || *end != '\0' || v < min ||
	    v > max) {
		snprintf(err, errlen, "invalid number \"%s\" (%llu to %llu)", s,
		    min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static const char *opt_prog = "tcpsleuth";

void
ts_opt_prog(const char *prog)
{
	opt_prog = prog;
}

void
ts_bad_option(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", opt_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

ts_ns
ts_opt_secs(const char *opt, const char *s, double min)
{
	char err[160];
	ts_ns v;

	if (ts_parse_secs(s, min, &v, err, sizeof(err)) == -1)
		ts_bad_option("%s: %s", opt, err);
	return v;
}

unsigned long long
ts_opt_num(const char *opt, const char *s, unsigned long long min,
    unsigned long long max)
{
	char err[160];
	unsigned long long v;

	if (ts_parse_num(s, min, max, &v, err, sizeof(err)) == -1)
		ts_bad_option("%s: %s", opt, err);
	return v;
}
