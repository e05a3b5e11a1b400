/*
 * lsnreport.h - the namespace and listener tables for people (text that
 * fits 80 columns) and programs (JSON; fields in doc/listeners.md).
 */
#ifndef TS_LSNREPORT_H
#define TS_LSNREPORT_H

#include <stdio.h>

#include "lsnpoll.h"

/* Served namespaces (not gone) with their listeners, as of now. */
void	ts_lsnreport_text(FILE *, const struct ts_lsnpoll *, ts_ns now);
/* One JSON object (compact: on one line); -1 if it could not be made. */
int	ts_lsnreport_json(FILE *, const struct ts_lsnpoll *, ts_ns now,
	    int compact);

#endif
