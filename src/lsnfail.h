/*
 * lsnfail.h - failures put down to a listener that was dropping.  Called
 * from the engine's event hook (engine.h on_event) for each event just
 * accounted: an attempt to a local endpoint that timed out, or that the
 * service reset during the handshake (a final ACK its full queue dropped,
 * doc/listeners.md), is asked of the listener table (ts_lsntab_overflow:
 * did the listener the kernel would pick drop in a poll interval
 * overlapping the attempt, first SYN to failure?) and, if so, counted on
 * its endpoint row (ts_eptab_lsn_overflow): the reason "listener
 * overflow".  Pure: no I/O; the times are the engine's and the table's,
 * one clock.
 */
#ifndef TS_LSNFAIL_H
#define TS_LSNFAIL_H

#include <stdint.h>

#include "engine.h"
#include "lsntab.h"

/* Whether ev is a failure a listener can be blamed for. */
int	ts_lsnfail_candidate(const struct ts_event *);
/*
 * ev (in namespace netns) against the listeners of t: TS_LSN_OVERFLOW
 * (counted on its row in e), TS_LSN_QUIET, or TS_LSN_NONE (not a
 * candidate, or no listener known there).
 */
enum ts_lsn_verdict ts_lsnfail_event(struct ts_engine *,
	    const struct ts_lsntab *, uint32_t netns, const struct ts_event *);

#endif
