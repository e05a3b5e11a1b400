/*
 * optparse.h - strict parsing of the values of tcpsleuth's own options
 * (--top, --duration...: the settings' are in settings.c), and the usage
 * errors of both programs.  Each returns 0, or -1 with a message in err.
 */
#ifndef TS_OPTPARSE_H
#define TS_OPTPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"
#include "rate.h"

/* Decimal seconds ("0.5"), at least min: stored in nanoseconds. */
int	ts_parse_secs(const char *s, double min, ts_ns *out, char *err,
	    size_t errlen);
int	ts_parse_num(const char *s, unsigned long long min,
	    unsigned long long max, unsigned long long *out, char *err,
	    size_t errlen);

/*
 * For command lines: the same, but a bad value is a usage error, said as
 * "PROG: OPTION: why" on stderr with exit status 2.
 */
void	ts_opt_prog(const char *prog);
__attribute__((noreturn, format(printf, 1, 2)))
void	ts_bad_option(const char *fmt, ...);
ts_ns	ts_opt_secs(const char *opt, const char *s, double min);
unsigned long long ts_opt_num(const char *opt, const char *s,
	    unsigned long long min, unsigned long long max);
/*
 * Three windows in seconds, "60,300,900", as the windows setting takes
 * them (in setopt.c, with the settings: this file needs none of them).
 */
void	ts_opt_windows(const char *opt, const char *s, struct ts_rate_conf *);

#endif
