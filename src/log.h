/*
 * log.h - OpenBSD-style logging: log_warn (with errno), log_warnx,
 * log_info, log_debug, fatal/fatalx.  Goes to stderr, or to syslog once
 * log_init() says so.
 */
#ifndef TS_LOG_H
#define TS_LOG_H

#include <stdarg.h>

void	log_init(const char *progname, int to_stderr, int verbose);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	vlog(int pri, const char *, va_list) __attribute__((format(printf, 2, 0)));
__attribute__((noreturn)) void fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

#endif
