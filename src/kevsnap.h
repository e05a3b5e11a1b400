/*
 * kevsnap.h - the kernel event source's part of a snapshot (snapshot.h):
 * its state, reason, counters and programs, each row's kernel columns and
 * the callers of every row.  Built by the capture thread after the rows
 * (sorted by key), before the times are shifted to the wall clock.
 */
#ifndef TS_KEVSNAP_H
#define TS_KEVSNAP_H

#include "kevsrc.h"
#include "snapshot.h"

/* 0, or -1 if out of memory (the callers are then left out). */
int	kevsrc_snapshot(const struct kevsrc *, struct ts_snapshot *);

#endif
