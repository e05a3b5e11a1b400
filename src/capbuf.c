/*
 * capbuf.c - a capped stream into memory (see capbuf.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "capbuf.h"

static ssize_t
cb_write(void *cookie, const char *p, size_t n)
{
	struct ts_capbuf *cb = cookie;
	size_t keep = n;

	if (cb->len + keep > cb->max) {
		keep = cb->max - cb->len;
		cb->over = 1;
	}
	if (cb->len + keep + 1 > cb->size) {	/* room for the NUL too */
		size_t size = cb->size ? cb->size : 4096;
		char *nb;

		while (size < cb->len + keep + 1)
			size *= 2;
		if ((nb = realloc(cb->buf, size)) == NULL) {
			cb->nomem = 1;
			return (ssize_t)n;	/* dropped, and marked */
		}
		cb->buf = nb;
		cb->size = size;
	}
	memcpy(cb->buf + cb->len, p, keep);
	cb->len += keep;
	cb->buf[cb->len] = '\0';
	return (ssize_t)n;
}

FILE *
ts_capbuf_open(struct ts_capbuf *cb, size_t max)
{
	cookie_io_functions_t io = { .write = cb_write };

	memset(cb, 0, sizeof(*cb));
	cb->max = max;
	return fopencookie(cb, "w", io);
}

int
ts_capbuf_close(FILE *fp, struct ts_capbuf *cb)
{
	if (fclose(fp) != 0)
		cb->nomem = 1;
	if (cb->buf == NULL && !cb->nomem &&
	    (cb->buf = calloc(1, 1)) == NULL)	/* nothing written: "" */
		cb->nomem = 1;
	return cb->over || cb->nomem ? -1 : 0;
}
