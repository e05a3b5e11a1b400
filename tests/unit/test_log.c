/*
 * test_log.c - log.c: several threads log long lines to a pipe at once and
 * every line comes back whole, in the form "test_log: TAG: seq N ...", in
 * each thread's order; a line past LOG_LINE_MAX is cut to one line ending
 * in "..."; log_warn appends the saved errno's text; no log function
 * changes errno.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

#define NTHREADS	6
#define NLINES		1500
#define FILL		3000	/* bytes of filler: lines near PIPE_BUF */

struct capture {
	int	 fd;		/* read end */
	char	*buf;
	size_t	 len, size;
};

/* Drains the pipe while the writers write (it holds only 64 KiB). */
static void *
reader(void *arg)
{
	struct capture *cap = arg;
	ssize_t n;

	for (;;) {
		if (cap->size - cap->len < 65536) {
			cap->size = cap->size * 2 + 65536;
			if ((cap->buf = realloc(cap->buf, cap->size)) == NULL)
				abort();
		}
		n = read(cap->fd, cap->buf + cap->len, cap->size - cap->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		cap->len += (size_t)n;
	}
	return NULL;
}

static void *
writer(void *arg)
{
	int id = (int)(intptr_t)arg;
	char tag[8], fill[FILL + 1];

	snprintf(tag, sizeof(tag), "w%d", id);
	log_set_tag(tag);
	memset(fill, 'a' + id, FILL);
	fill[FILL] = '\0';
	for (int i = 0; i < NLINES; i++)
		if (i % 2)
			log_info("seq %d %s end", i, fill);
		else
			log_warnx("seq %d %s end", i, fill);
	return NULL;
}

/* Run fn with stderr on a pipe; the lines come back in cap. */
static void
with_stderr_pipe(struct capture *cap, void (*fn)(void))
{
	pthread_t rd;
	int p[2], saved;

	memset(cap, 0, sizeof(*cap));
	if (pipe(p) == -1 || (saved = dup(STDERR_FILENO)) == -1)
		abort();
	cap->fd = p[0];
	pthread_create(&rd, NULL, reader, cap);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	fn();
	dup2(saved, STDERR_FILENO);	/* the pipe's last write end closes */
	close(saved);
	pthread_join(rd, NULL);
	close(p[0]);
}

static void
many_threads(void)
{
	pthread_t t[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
}

static void
interleaving(void)
{
	struct capture cap;
	int next[NTHREADS] = { 0 }, bad = 0, lines = 0;
	char *s, *nl;

	with_stderr_pipe(&cap, many_threads);
	for (s = cap.buf; s < cap.buf + cap.len; s = nl + 1) {
		int id, seq, off = 0;
		size_t n;

		if ((nl = memchr(s, '\n', (size_t)(cap.buf + cap.len - s))) == NULL) {
			bad++;
			break;
		}
		*nl = '\0';
		lines++;
		if (sscanf(s, "test_log: w%d: seq %d %n", &id, &seq, &off) != 2 ||
		    off == 0 || id < 0 || id >= NTHREADS || seq != next[id]) {
			if (bad++ < 3)
				printf("# bad line: %.80s\n", s);
			continue;
		}
		next[id]++;
		n = strspn(s + off, (char[]){ (char)('a' + id), '\0' });
		if (n != FILL || strcmp(s + off + n, " end") != 0)
			if (bad++ < 3)
				printf("# torn line: %.80s\n", s);
	}
	is_u(lines, NTHREADS * NLINES, "%d threads x %d lines of ~%d bytes: "
	    "all read back", NTHREADS, NLINES, FILL);
	is_u(bad, 0, "every line whole, prefixed, in its thread's order");
	free(cap.buf);
}

static void
long_line(void)
{
	static char big[3 * LOG_LINE_MAX];

	memset(big, 'x', sizeof(big) - 1);
	big[LOG_LINE_MAX] = '\n';	/* an embedded newline, too */
	log_info("%s", big);
}

static void
warn_enoent(void)
{
	errno = ENOENT;
	log_warn("open %s", "/nonexistent");
	ok(errno == ENOENT, "log_warn leaves errno as it was");
	errno = EACCES;
	log_info("info");
	log_warnx("warnx");
	log_debug("debug");
	log_set_tag(NULL);
	ok(errno == EACCES, "log_info, log_warnx, log_debug, log_set_tag "
	    "leave errno as they found it");
}

static void
forms(void)
{
	struct capture cap;
	char *second;

	with_stderr_pipe(&cap, long_line);
	ok(cap.len == LOG_LINE_MAX && cap.buf[cap.len - 1] == '\n' &&
	    memchr(cap.buf, '\n', cap.len - 1) == NULL &&
	    memcmp(cap.buf + cap.len - 4, "...", 3) == 0,
	    "a long message: one line of LOG_LINE_MAX (%d) bytes ending in "
	    "\"...\" (got %zu)", LOG_LINE_MAX, cap.len);
	free(cap.buf);

	with_stderr_pipe(&cap, warn_enoent);
	second = cap.len > 0 ? memchr(cap.buf, '\n', cap.len) : NULL;
	ok(second != NULL && strncmp(cap.buf, "test_log: open /nonexistent: "
	    "No such file or directory\n", (size_t)(second - cap.buf + 1)) == 0,
	    "log_warn: process, no tag (none set), message, strerror of the saved "
	    "errno");
	free(cap.buf);
}

int
main(void)
{
	log_init("test_log", 1, 1);
	interleaving();
	forms();
	return tap_done();
}
