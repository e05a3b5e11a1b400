/*
 * capbuf.h - a stdio stream into memory that holds at most a given number
 * of bytes: what is written past it is dropped and marked, so a renderer
 * can write as it likes and its caller can tell that the text did not fit
 * (tcpsleuthd's control replies).
 */
#ifndef TS_CAPBUF_H
#define TS_CAPBUF_H

#include <stddef.h>
#include <stdio.h>

struct ts_capbuf {
	char	*buf;		/* NUL-terminated once closed; free() it */
	size_t	 len, size;
	size_t	 max;		/* bytes kept at most */
	int	 over;		/* something was dropped */
	int	 nomem;		/* ... for want of memory */
};

/* A stream writing into cb (zeroed here); NULL if none can be made. */
FILE	*ts_capbuf_open(struct ts_capbuf *cb, size_t max);
/* Close it: 0, or -1 if the text is not whole (over, nomem). */
int	 ts_capbuf_close(FILE *, struct ts_capbuf *cb);

#endif
