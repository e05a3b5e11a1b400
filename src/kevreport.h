/*
 * kevreport.h - the kernel event source in tcpsleuth's reports (report.c):
 * its state in a line and in JSON, and for a row its callers, the errnos
 * the kernel gave its attempts and its last listener, as text cells and
 * as JSON (fields in doc/json.md).  A report without a kernel view (a
 * capture file) says so.
 */
#ifndef TS_KEVREPORT_H
#define TS_KEVREPORT_H

#include <stddef.h>

#include <jansson.h>

#include "eptab.h"
#include "kevsrc.h"

/* Why a report has no kernel view (a capture file). */
#define KEVREPORT_FILE	"a capture file has no kernel view (callers and " \
	"the kernel's errnos come from a live capture)"

/* Whether the source runs (its rows have kernel columns); NULL: no. */
int	 kevreport_running(const struct kevsrc *);
/* "running: 4 of 4 programs attached ...; failures 12, unknown callers 0,
 * losses 0"; none: "none: " KEVREPORT_FILE. */
const char *kevreport_line(const struct kevsrc *, char *buf, size_t len);
json_t	*kevreport_json(const struct kevsrc *);

/* A row's text cells: its last caller, its errnos, its last listener
 * ("-" when none); now: the report's time. */
enum kevreport_cell { KEVR_CALLER, KEVR_ERRNO, KEVR_LISTENER };
const char *kevreport_cell(const struct kevsrc *, const struct ts_row *,
	    enum kevreport_cell, ts_ns now, char *buf, size_t len);
/* A row's "kernel" object, or NULL when the source does not run. */
json_t	*kevreport_row_json(const struct kevsrc *, const struct ts_row *);

#endif
