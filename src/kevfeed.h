/*
 * kevfeed.h - from the kernel event source's records to its cores: the
 * one place that turns a record into a caller row (kevcallers.h) or a
 * listener change (kevlisten.h).  Names the caller's cgroup: its id to a
 * path under the cgroup2 mount (cached; a walk of the tree for an id not
 * seen yet), or, when the cgroup is already gone, the kernel's own name of
 * it (the path's last part, without a leading "/").
 *
 * Times are the caller's clock: the daemon passes the record's time on its
 * steady clock, ts_steady_at(&steady, e->ts_ns) (records carry
 * CLOCK_MONOTONIC).
 */
#ifndef TS_KEVFEED_H
#define TS_KEVFEED_H

#include <stddef.h>
#include <stdint.h>

#include "kevcallers.h"
#include "kevlisten.h"
#include "kevreason.h"

#define KEV_LISTENERS_DEFAULT	4096

struct kev_feed_conf {
	struct kev_callers_conf callers;
	uint32_t	listeners;	/* listener history entries */
	char		cgroup_mount[256];	/* "": no cgroup2 (names from
						   the kernel only) */
};

struct kev_feed_stats {
	uint64_t	failures;	/* failed attempts counted */
	uint64_t	by_reason[KEV_R__COUNT];
	uint64_t	not_attemptfails;	/* of them, not in TcpAttemptFails */
	uint64_t	no_caller;	/* of them, caller unknown */
	uint64_t	listens, unlistens, learnt;
	uint64_t	cgroup_walks;	/* cache misses */
	uint64_t	cgroup_gone;	/* named by the kernel's name only */
};

/* Defaults; cgroup_mount from procroot/self/mountinfo ("" if none). */
void		 kev_feed_conf_default(struct kev_feed_conf *,
		    const char *procroot);
struct kev_feed	*kev_feed_new(const struct kev_feed_conf *);
void		 kev_feed_free(struct kev_feed *);

/* Count one record (any type) that happened at when. */
void		 kev_feed_event(struct kev_feed *, const struct kev_event *,
		    ts_ns when);

/* A listener that was listening when the source started (kevlearn.h). */
struct kev_found {
	struct kev_epkey key;
	uint32_t	 netns_ino;
	int		 v6only;
	struct kev_who	 who;		/* its owner; comm "" if none found */
	uint32_t	 pid;		/* 0 if none found */
	uint64_t	 pid_start;	/* ns after boot */
	uint64_t	 cookie;	/* the socket's (sock_diag's) */
};
void		 kev_feed_learnt(struct kev_feed *, const struct kev_found *,
		    ts_ns now);

struct kev_callers *kev_feed_callers(struct kev_feed *);
struct kev_listen *kev_feed_listen(struct kev_feed *);
const struct kev_feed_stats *kev_feed_stats(const struct kev_feed *);

/* The process who of a record (netns, uid, comm, cgroup path). */
void		 kev_feed_who(struct kev_feed *, const struct kev_event *,
		    struct kev_who *);
/* The endpoint of a record: where a failed attempt went, or the address a
 * listener listens on. */
void		 kev_event_epkey(const struct kev_event *, struct kev_epkey *);
/* One line for people and NMSes: "pid 4242 lm-collector
 * (lm-collector.service)"; the number of characters (as snprintf). */
int		 kev_who_line(const struct kev_who *, uint32_t pid, char *buf,
		    size_t len);

#endif
