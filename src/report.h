/*
 * report.h - the totals and the endpoint table of a snapshot, for people
 * (text) and programs (JSON; field names in doc/json.md): tcpsleuth's
 * reports and live view, and tcpsleuthctl's "show endpoints".
 */
#ifndef TS_REPORT_H
#define TS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "kevsrc.h"
#include "snapshot.h"

/* Where the snapshot's packets came from. */
struct ts_report_src {
	const char	*mode;		/* "file" or "live" */
	const char	*names;		/* file name or interface list */
	const char	*linktype;
	int		 have_drops;	/* the snapshot's kernel_drops count */
	/*
	 * The kernel's view is the snapshot's part (kevsnap.h); tcpsleuth's
	 * own source, live, gives the rows' JSON in full through kev_row
	 * (kevsrc_row).  NULL: the snapshot's alone.
	 */
	const struct kevsrc *kev;
	void		(*kev_row)(const struct kevsrc *,
			    const struct ts_epkey *, struct kevsrc_row *);
};

/* Row orders: most failures, highest first-window rate, latest, by address. */
enum ts_sort {
	TS_SORT_COUNT, TS_SORT_RATE, TS_SORT_LAST, TS_SORT_NAME, TS_SORT__COUNT
};

/* Rows a text report shows unless told (JSON: all). */
#define TS_REPORT_TOP	20

/* Which rows, in what order, in how much room. */
struct ts_report_view {
	unsigned	 top;		/* rows at most; 0: every row */
	enum ts_sort	 sort;
	unsigned	 width;		/* text: columns to fit; 0: no limit */
	unsigned	 height;	/* text: lines to fit; 0: no limit */
	int		 keys;		/* text: say which keys sort */
};

/* "count", "rate", "last", "name". */
const char *ts_sort_name(enum ts_sort);
int	ts_sort_parse(const char *, enum ts_sort *);	/* -1: unknown */
/* The live view's keys: a name's first letter; -1: not a sort key. */
int	ts_sort_key(int ch, enum ts_sort *);

/* now: when the report is made (rows' idle times; JSON "now"). */
void	ts_report_text(FILE *, const struct ts_snapshot *,
	    const struct ts_report_src *, ts_ns now,
	    const struct ts_report_view *);
/* -1 if it could not be written; compact: on one line. */
int	ts_report_json(FILE *, const struct ts_snapshot *,
	    const struct ts_report_src *, ts_ns now,
	    const struct ts_report_view *, int compact);
/* One classified event as a line of JSON (tcpsleuth --events); reason,
 * if not NULL: "listener-overflow". */
void	ts_report_event(FILE *, const struct ts_event *, const char *ifname,
	    const char *reason);

#endif
