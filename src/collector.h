/*
 * collector.h - the capture thread: owns the captures and the engine,
 * polls the kernel's counters and listeners, and publishes snapshots.
 * It never waits on its readers: publishing swaps a pointer under a mutex
 * held for a few instructions.  Failed captures (no permission, no such
 * device) are retried every reopen interval and reported in the snapshot.
 */
#ifndef TS_COLLECTOR_H
#define TS_COLLECTOR_H

#include <stdint.h>

#include "capture.h"
#include "engine.h"
#include "kevsrc.h"
#include "lsnpoll.h"
#include "snapshot.h"
#include "sockdiag.h"
#include "top.h"

#define TS_COLLECTOR_MAX_IFACES	32

struct ts_collector_conf {
	struct ts_engine_conf	engine;
	struct ts_capture_conf	capture;
	struct ts_top_conf	top;		/* the bounded view's size */
	const char		*ifaces[TS_COLLECTOR_MAX_IFACES];
	int			 nifaces;	/* 0: "any" (the default) */
	ts_ns			 publish_interval;	/* default 0.5 s */
	ts_ns			 poll_interval;		/* /proc, listeners: 5 s */
	ts_ns			 reopen_interval;	/* failed captures: 10 s */
	ts_ns			 heartbeat;	/* publish at least this often
						   (a watchdog); 0: only on news */
	const char		*procroot;		/* "/proc" */
	struct kevsrc_conf	 kev;	/* the kernel event source */
	/* Namespaces and listeners, polled every poll interval: which
	 * namespaces ("namespaces": self, all or a list, parsed into
	 * lsn.netns at start), how many rows.  Rates follow the endpoint
	 * table's windows; lsn.procroot is procroot. */
	const char		*namespaces;
	struct ts_lsnpoll_conf	 lsn;
};

struct ts_collector;

void	ts_collector_conf_default(struct ts_collector_conf *);
/*
 * Loads the kernel event source and learns this namespace's listeners:
 * call it while privileged (CAP_BPF, CAP_PERFMON; CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH for other users' sockets).
 */
struct ts_collector *ts_collector_new(const struct ts_collector_conf *);
/* The kernel event source (its state, for a start that requires it). */
const struct kevsrc *ts_collector_kev(const struct ts_collector *);
/* Start the thread; -1 with errno if it cannot be created. */
int	ts_collector_start(struct ts_collector *);
void	ts_collector_stop(struct ts_collector *);
void	ts_collector_free(struct ts_collector *);

/*
 * A reload: new ignore lists, interfaces and filter, applied by the
 * capture thread at its next turn (captures reopened if they changed).
 * Counts are kept.  Other settings need a restart.
 */
/*
 * Readable after each new snapshot (an eventfd: read it to clear), so the
 * SNMP thread can sleep until there is news instead of polling.
 */
int	ts_collector_notify_fd(const struct ts_collector *);
void	ts_collector_reconf(struct ts_collector *,
	    const struct ts_collector_conf *);

/*
 * The capture thread ended because it could not return to its own network
 * namespace after reading another (lsnpoll.h): its captures and readings
 * can no longer be trusted.  0 while it runs; the daemon should exit.
 */
int	ts_collector_failed(const struct ts_collector *);

/* The newest snapshot (never NULL after start), held until released. */
struct ts_snapshot *ts_collector_acquire(struct ts_collector *);
void	ts_collector_release(struct ts_collector *, struct ts_snapshot *);

/* Build one snapshot from an engine (the thread's job; also for tests). */
struct ts_snapshot *ts_snapshot_build(const struct ts_engine *, ts_ns now,
	    const struct ts_listeners *);

#endif
