/*
 * report.h - the totals and the endpoint table, for people (text) and
 * programs (JSON; field names in doc/json.md).
 */
#ifndef TS_REPORT_H
#define TS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"

struct ts_report_src {
	const char	*mode;		/* "file" or "live" */
	const char	*names;		/* file name or interface list */
	const char	*linktype;
	int		 have_drops;
	uint64_t	 kernel_drops;
	uint64_t	 pending;	/* attempts still unanswered */
};

/* top 0 prints every row. */
void	ts_report_text(FILE *, const struct ts_engine *,
	    const struct ts_report_src *, ts_ns now, unsigned top);
int	ts_report_json(FILE *, const struct ts_engine *,
	    const struct ts_report_src *, ts_ns now, unsigned top, int compact);
/* One classified event as a line of JSON (tcpsleuth --events). */
void	ts_report_event(FILE *, const struct ts_event *, const char *ifname);

#endif
