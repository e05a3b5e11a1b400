/*
 * views.h - what tcpsleuthctl shows: each view of ctlproto.h made from
 * the snapshot tcpsleuthd's SNMP side holds (and its alarms), as text
 * fitted to a width or as JSON, wrapped in the control protocol's reply.
 * The endpoint view is tcpsleuth's own report (report.h); the others are
 * rows of the table in views.c, printed through texttable.h.
 */
#ifndef TS_VIEWS_H
#define TS_VIEWS_H

#include <stddef.h>
#include <stdio.h>

#include "alarm.h"
#include "ctlproto.h"
#include "snapshot.h"

/* What the views are made of. */
struct ts_view_data {
	const struct ts_snapshot *snap;		/* NULL: none yet */
	const struct ts_alarms	 *alarms;	/* NULL: none */
};

/*
 * The reply to req, one JSON document (ctlproto.h), written to fp; text
 * views are made in memory first, max bytes at most.  -1 with why in err
 * if the view could not be made whole (no snapshot yet, no memory, text
 * over max): fp may then hold part of it, and the caller replies with
 * ts_view_error(err) instead.
 */
int	ts_view_reply(FILE *fp, const struct ts_ctl_req *,
	    const struct ts_view_data *, size_t max, char *err, size_t errlen);
/* An error reply: {"protocol":1,"error":msg}. */
void	ts_view_error(FILE *fp, const char *msg);

#endif
