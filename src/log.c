/*
 * log.c - logging to stderr or syslog, one write per line.
 *
 * A line is built whole in a buffer on the caller's stack: the process
 * name (stderr only: syslog puts "NAME[PID]: " first itself), the calling
 * thread's tag (none until log_set_tag()), the message and, for log_warn and fatal, ": " and the text
 * of the errno saved on entry.  It leaves in one write(2) to stderr or one
 * syslog() call; a pipe keeps a write of up to PIPE_BUF bytes whole, so
 * lines from several threads do not interleave.  A newline inside a
 * message becomes a space, so a line is always one line.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "tcpsleuth";
static int log_stderr = 1;
static int log_verbose;
static _Thread_local char log_tag[LOG_TAG_MAX + 1];

/* A line being built: text in buf[0, len), room kept for the newline. */
struct line {
	char	buf[LOG_LINE_MAX];
	size_t	len;
	int	cut;		/* the text did not fit */
};

static void
line_vadd(struct line *l, const char *fmt, va_list ap)
{
	size_t room = sizeof(l->buf) - l->len;	/* with the NUL */
	int n;

	if (l->cut)
		return;
	n = vsnprintf(l->buf + l->len, room, fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= room) {
		l->len = sizeof(l->buf) - 1;	/* the NUL's place: the newline's */
		l->cut = 1;
	} else
		l->len += (size_t)n;
}

static void __attribute__((format(printf, 2, 3)))
line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line_vadd(l, fmt, ap);
	va_end(ap);
}

/* Write all of buf: one write(2) unless the kernel takes only part. */
static void
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* One line at priority pri; err >= 0 appends ": " and its text. */
static void
emit(int pri, int err, const char *fmt, va_list ap)
{
	struct line l;
	size_t body;
	char ebuf[128];

	l.len = 0;
	l.cut = 0;
	if (log_stderr)
		line_add(&l, "%s: ", log_prog);
	body = l.len;
	if (log_tag[0] != '\0')
		line_add(&l, "%s: ", log_tag);
	line_vadd(&l, fmt, ap);
	if (err >= 0)
		line_add(&l, ": %s", strerror_r(err, ebuf, sizeof(ebuf)));
	for (size_t i = body; i < l.len; i++)
		if (l.buf[i] == '\n' || l.buf[i] == '\r')
			l.buf[i] = ' ';
	if (l.cut)
		memcpy(l.buf + l.len - 3, "...", 3);
	if (log_stderr) {
		l.buf[l.len++] = '\n';
		write_all(STDERR_FILENO, l.buf, l.len);
	} else {
		l.buf[l.len] = '\0';
		syslog(pri, "%s", l.buf + body);
	}
}

void
log_init(const char *progname, int to_stderr, int verbose)
{
	int saved = errno;

	log_prog = progname;
	log_stderr = to_stderr;
	log_verbose = verbose;
	if (!to_stderr)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	errno = saved;
}

void
log_set_tag(const char *tag)
{
	int saved = errno;

	snprintf(log_tag, sizeof(log_tag), "%s", tag != NULL ? tag : "");
	errno = saved;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	int saved = errno;

	emit(pri, -1, fmt, ap);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_WARNING, -1, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_info(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_INFO, -1, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_debug(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (log_verbose) {
		va_start(ap, fmt);
		emit(LOG_DEBUG, -1, fmt, ap);
		va_end(ap);
	}
	errno = saved;
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_CRIT, -1, fmt, ap);
	va_end(ap);
	exit(1);
}
