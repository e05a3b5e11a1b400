/*
 * log.h - OpenBSD-style logging: log_warn (with errno), log_warnx,
 * log_info, log_debug, fatal/fatalx.  Goes to stderr, or to syslog once
 * log_init() says so.  Every line names the thread that wrote it (the tag
 * it set with log_set_tag(), "main" until then), after the process name:
 * "tcpsleuthd: capture: ..." on stderr, "tcpsleuthd[PID]: capture: ..." in
 * syslog.  A line is one write(2) (or one syslog() call) of at most
 * LOG_LINE_MAX bytes, so lines from several threads never interleave; a
 * longer message is cut and ends in "...".  Every function leaves errno as
 * it found it.
 */
#ifndef TS_LOG_H
#define TS_LOG_H

#include <limits.h>
#include <stdarg.h>

/* One line, newline included: what a pipe writes in one piece. */
#define LOG_LINE_MAX	PIPE_BUF
#define LOG_TAG_MAX	16	/* a tag's characters, at most */

void	log_init(const char *progname, int to_stderr, int verbose);
/* The calling thread's tag (NULL: "main"); call it at the thread's start. */
void	log_set_tag(const char *tag);
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
