/*
 * texttable.h - text for people, fitted to a terminal: lines broken at
 * ", " or "; " when wider than the width, and tables whose columns are
 * taken by priority while they fit (like top), each column in a short or
 * a long form.  Every text view (tcpsleuth's report and live view,
 * tcpsleuthctl's views) prints through this.
 */
#ifndef TS_TEXTTABLE_H
#define TS_TEXTTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pkt.h"

/* Lines to fp, fitted to width (0: no limit), counted. */
struct ts_out {
	FILE		*fp;
	unsigned	 width;
	unsigned	 lines;
};

/*
 * One line; wider than the width, it is broken after a ", " or "; " and
 * continued indented by two spaces (a word longer than that is cut).
 */
void	ts_out_line(struct ts_out *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * A table's column.  With a width, columns are taken by priority (0
 * always; then 1, 2 ...) while they fit, each at its short form; then a
 * column with a long form grows to it if there is room still.  Without a
 * width every column is printed, long.
 */
struct ts_tcol {
	const char	*head;		/* NULL: cell() of row NULL gives it */
	const char	*head_short;	/* NULL: the same; else a long form */
	uint8_t		 prio;
	uint8_t		 left[2];	/* left-aligned, by form: short, long */
	uint8_t		 minw;
};

#define TS_TT_MAXCOLS	24
#define TS_TT_CELLLEN	256	/* a cell's text, at most (longer: cut) */

/*
 * The text of column c of row in form longf (row NULL: the column's head,
 * for columns whose head is NULL), in buf or a constant.
 */
typedef const char *(*ts_tcell_fn)(const void *ctx, const void *row, int c,
	    int longf, char *buf, size_t len);

struct ts_ttable {
	const struct ts_tcol	*cols;
	int			 ncols;
	ts_tcell_fn		 cell;
	const void		*ctx;
	uint32_t		 off;		/* bit c: column c never shown */
	/* ts_ttable_layout()'s */
	int			 on[TS_TT_MAXCOLS];
	int			 longf[TS_TT_MAXCOLS];
	size_t			 w[TS_TT_MAXCOLS][2];	/* by form */
};

/* Which columns, in which form, fit width with these n rows. */
void	ts_ttable_layout(struct ts_ttable *, const void *const *rows,
	    size_t n, unsigned width);
/* One line of the table: the heads (row NULL) or a row's cells. */
void	ts_ttable_line(struct ts_out *, const struct ts_ttable *,
	    const void *row);

/*
 * Milli-units as "1.500"; a rate window's length as "1m", "90s"; a time
 * since as "7s", "12m", "5h", "13d" (whole units, rounded down).
 */
const char *ts_milli_str(uint64_t milli, char *buf, size_t len);
const char *ts_window_str(ts_ns, char *buf, size_t len);
const char *ts_idle_str(ts_ns, char *buf, size_t len);

#endif
