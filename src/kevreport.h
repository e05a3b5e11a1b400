/*
 * kevreport.h - the kernel event source in the reports (report.c): its
 * state in a line and in JSON, and for a row its callers, the errnos the
 * kernel gave its attempts and its last listener, as text cells and as
 * JSON (fields in doc/json.md).  Everything comes from the snapshot's part
 * (kevsnap.h: tcpsleuthd's, or the one tcpsleuth builds from its own
 * source); a row's JSON, from the live source when there is one (its
 * reasons, and who called and listened in full).  A report without a
 * kernel view (a capture file) says so.
 */
#ifndef TS_KEVREPORT_H
#define TS_KEVREPORT_H

#include <stddef.h>

#include <jansson.h>

#include "eptab.h"
#include "kevsrc.h"
#include "snapshot.h"

/* Why a report has no kernel view (a capture file). */
#define KEVREPORT_FILE	"a capture file has no kernel view (callers and " \
	"the kernel's errnos come from a live capture)"

/*
 * Where a report takes the kernel's view from: the snapshot (its kev_state
 * 0: none), and tcpsleuth's own source, live, with its row lookup
 * (kevsrc_row: a pointer, so that a report of a snapshot alone, as
 * tcpsleuthctl's, links no kernel event source); ks NULL: none.
 */
struct kevreport {
	const struct ts_snapshot *s;
	const struct kevsrc	*ks;
	void			(*row)(const struct kevsrc *,
				    const struct ts_epkey *, struct kevsrc_row *);
};

/* Whether the source runs (its rows have kernel columns). */
int	 kevreport_running(const struct kevreport *);
/* "running: 4 of 4 programs attached ...; failures 12, unknown callers 0,
 * losses 0"; none: "none: " KEVREPORT_FILE. */
const char *kevreport_line(const struct kevreport *, char *buf, size_t len);
json_t	*kevreport_json(const struct kevreport *);

/* A row's text cells: its last caller, its errnos, its last listener
 * ("-" when none); now: the report's time. */
enum kevreport_cell { KEVR_CALLER, KEVR_ERRNO, KEVR_LISTENER };
const char *kevreport_cell(const struct kevreport *, const struct ts_snap_row *,
	    enum kevreport_cell, ts_ns now, char *buf, size_t len);
/*
 * A row's "kernel" object, or NULL when the source does not run.  Without
 * the live source it has no "reasons", and its last caller and last
 * listener give their "line" alone.
 */
json_t	*kevreport_row_json(const struct kevreport *,
	    const struct ts_snap_row *);

#endif
