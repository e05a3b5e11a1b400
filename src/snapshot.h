/*
 * snapshot.h - what the collector publishes for its readers (the SNMP
 * process, the SIGUSR1 dump): a consistent, self-contained copy of the
 * endpoint table, the per-port roll-up, the host counters and the capture
 * status, the namespace and listener tables and the kernel event source's,
 * with rates already computed.  Readers never touch the live tables.
 *
 * Plain data, so that it crosses a process boundary as it is (snapwire.h):
 * no pointer but the arrays below, each a (pointer, count) pair listed in
 * TS_SNAP_ARRAYS whose elements hold no pointer (strings are fixed char
 * arrays); everything else (lsnstat included) is in the struct itself.
 * Times are the published wall clock (0: never); mono_off turns one into
 * the monotonic time it happened at.
 */
#ifndef TS_SNAPSHOT_H
#define TS_SNAPSHOT_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "capture.h"
#include "classify.h"
#include "decode.h"
#include "eptab.h"
#include "hostctr.h"
#include "kevkey.h"
#include "kevload.h"
#include "kevreason.h"
#include "nstab.h"
#include "rate.h"

/* Host counters with 1/5/15-minute rates. */
#define TS_HOST_RATED(X)						\
	X(ATTEMPT_FAILS) X(ESTAB_RESETS) X(OUT_RSTS) X(LISTEN_DROPS)	\
	X(LISTEN_OVERFLOWS)
#define X(id) TS_HR_##id,
enum ts_hr { TS_HOST_RATED(X) TS_HR__COUNT };
#undef X

/* "pid 4242 lm-collector (lm-collector.service)", NUL-terminated. */
#define TS_WHO_LINE	192

/*
 * The kernel event source's columns of a row: zero when it counted
 * nothing there.  Counts are exact from since; attempts = the sum of
 * errs = the callers' counts + other + unknown.
 */
struct ts_snap_krow {
	uint64_t	attempts;	/* failed attempts the kernel counted */
	uint64_t	errs[KEV_E__COUNT];	/* by errno (kevreason.h) */
	uint64_t	other;		/* by callers without a row */
	uint64_t	unknown;	/* caller unknown */
	uint64_t	kfail;		/* of the row's failures, the kernel's
					   alone (no capture can see them) */
	ts_ns		since;		/* counting since (published) */
	ts_ns		listener_stopped;	/* published; 0: listening or
						   unknown */
	char		last_caller[TS_WHO_LINE];	/* "" none */
	char		last_listener[TS_WHO_LINE];	/* "" none known */
};

struct ts_snap_row {
	uint32_t	netns;		/* its network namespace's nsfs inode */
	struct ts_epkey	key;
	char		name[IF_NAMESIZE + TS_EPSTRLEN];	/* "lo 127.0.0.1:7211" */
	uint64_t	count[TS_CL__COUNT];
	uint64_t	rst_by[3];
	uint64_t	failures;
	uint64_t	lsn_overflows;	/* failed while its listener dropped */
	uint32_t	rate[TS_RATE_WINDOWS];	/* milli-events per second */
	uint32_t	peers;
	ts_ns		created, first, last;	/* wall clock (published) */
	uint32_t	ifindex;
	char		ifname[IF_NAMESIZE];
	uint8_t		loc;			/* enum ts_loc */
	uint8_t		listen;			/* enum ts_listen_state */
	uint8_t		last_cls;
	uint8_t		icmp_type, icmp_code;
	uint16_t	peer_port;
	uint8_t		peer[16];
	uint8_t		icmp_from[16];		/* the last unreachable's sender */
	uint64_t	syn_retx;		/* SYNs retransmitted */
	struct ts_snap_krow k;
};

/* A caller of an endpoint row (the kernel event source). */
struct ts_snap_caller {
	struct ts_epkey	key;		/* its row's */
	uint32_t	id;		/* stable while the caller lives */
	uint32_t	netns;		/* its network namespace's inode */
	uint32_t	uid;
	uint32_t	pid;		/* the last */
	ts_ns		pid_start;	/* when the last pid started (wall);
					   0 unknown */
	uint64_t	count;
	ts_ns		created, last;	/* published */
	char		comm[16];
	char		cgroup[KEV_CGROUP_LEN];
	char		owner[128];	/* unit or container; "" */
	char		line[TS_WHO_LINE];
};

/* One eBPF program of the kernel event source. */
struct ts_snap_kprog {
	char		name[24];
	char		hook[48];
	uint8_t		state;		/* enum ts_kprog_state */
	int		err;		/* errno; 0 */
	char		error[96];	/* "Invalid argument (EINVAL) at load" */
};
enum ts_kprog_state { TS_KPROG_LOADED = 1, TS_KPROG_FAILED, TS_KPROG_DISABLED };

struct ts_snap_port {
	uint16_t	port;
	uint32_t	endpoints;
	uint64_t	count[TS_CL__COUNT];
	uint64_t	failures;
	uint32_t	rate[TS_RATE_WINDOWS];
};

/* A member of the bounded view (top.h): a row of rows[] and its rank. */
struct ts_snap_top {
	uint32_t	row;		/* its index in rows[] */
	uint32_t	rank;		/* 1: the highest 1-minute rate */
};

/* A network namespace (nstab.h), as served in tcpsleuthNsTable. */
struct ts_snap_ns {
	uint32_t	ino;		/* nsfs inode: the index */
	uint64_t	cookie;		/* netns cookie, 0: unknown */
	char		name[128];
	char		ipname[TS_NETNS_NAMELEN];
	char		err[64];	/* the last failed read's, "" */
	uint8_t		namesrc;	/* enum ts_ns_namesrc */
	uint8_t		unitkind;	/* enum ts_cg_kind of a unit name */
	uint8_t		self;		/* tcpsleuthd's own */
	uint8_t		state;		/* enum ts_ns_state */
	int32_t		pid;		/* a process inside, 0: none */
	ts_ns		created, discont, last_read, gone_since;
	uint64_t	v[TS_NSC__COUNT];
	uint32_t	rate[TS_NSC__COUNT][TS_RATE_WINDOWS];
	uint64_t	cov_lsn_drops, cov_listen_drops;
	uint32_t	listeners, unlisted;
};

/* A listening socket (lsntab.h), as served in tcpsleuthLsnTable. */
struct ts_snap_lsn {
	uint32_t	netns;
	uint32_t	inode;		/* socket:[N] */
	struct ts_epkey	key;		/* scope: a link-local one's device */
	uint32_t	ifindex;	/* bound to a device, else 0 */
	uint32_t	uid;		/* the socket's */
	uint8_t		v6only, learnt, has_drops;
	uint8_t		owner_state;	/* enum ts_lsn_own */
	uint32_t	queue, backlog, queue_max, full_polls;
	uint32_t	group_size;	/* members of its address:port group */
	uint64_t	drops;
	uint32_t	rate[TS_RATE_WINDOWS];
	ts_ns		created, last_drop;
	int32_t		pid;		/* the owner, 0: unknown */
	uint32_t	owner_uid, holders;
	char		comm[16];
	char		unit[128];	/* its unit or container, "" */
	char		owner[192];	/* "pid 4242 comm (unit.service)" */
	char		name[192];	/* "NSNAME 127.0.0.1:8080" */
};

/* An address:port of a namespace: its listeners summed (an SO_REUSEPORT
 * group, or one socket), as served in tcpsleuthLsnGroupTable. */
struct ts_snap_lgrp {
	uint32_t	netns;
	struct ts_epkey	key;
	uint32_t	members, full, queue, backlog, queue_max;
	uint64_t	drops;
	uint32_t	rate[TS_RATE_WINDOWS];
	ts_ns		created, last_drop;
	char		owner[192];	/* its oldest member's owner */
	char		name[192];
};

/* The listener poll's status. */
struct ts_snap_lsnstat {
	int		ok;		/* the last poll listed the namespaces */
	int		lost;		/* the capture thread lost its namespace */
	char		err[256];
	uint32_t	rows, max_rows;	/* listener rows */
	uint64_t	admitted, closed, rejected;
	uint32_t	ns_found, ns_unserved, ns_full, ns_max;
	uint64_t	polls;
	ts_ns		took;
};

/*
 * Every array of a snapshot, X(field, count field, element type): plain
 * data, no element holds a pointer.  Freeing a snapshot and its wire
 * format (snapwire.c) go through this list, so a new array is one line
 * here.
 */
#define TS_SNAP_ARRAYS(X)						\
	X(rows, nrows, struct ts_snap_row)				\
	X(ports, nports, struct ts_snap_port)				\
	X(ns, nns, struct ts_snap_ns)					\
	X(lsn, nlsn, struct ts_snap_lsn)				\
	X(lgrp, nlgrp, struct ts_snap_lgrp)				\
	X(callers, ncallers, struct ts_snap_caller)			\
	X(top, ntop, struct ts_snap_top)

struct ts_snapshot {
	unsigned		refs;		/* collector.c's business */
	int			stale;
	void			*wire;		/* read from a mapping (snapwire.c): */
	size_t			wire_len;	/* the arrays point into it */
	uint64_t		serial;
	ts_ns			wall, mono;	/* when taken */
	ts_ns			mono_off;	/* a time t below: monotonic t - mono_off */
	/* capture */
	int			cap_state;	/* enum ts_cap_state, the worst */
	char			cap_ifaces[256];
	char			cap_linktypes[256];	/* their link types */
	char			cap_error[512];
	uint64_t		kernel_drops, duplicates;
	/* coverage, since the capture started */
	ts_ns			cov_since;
	uint64_t		cov_rsts_seen, cov_rsts_kernel;
	uint64_t		cov_fails_seen, cov_fails_kernel;
	/* kernel counters */
	int			hc_ok;
	char			hc_err[256];
	ts_ns			hc_discont;	/* counters went back (wall), or 0 */
	struct ts_hostctr	hc;
	uint32_t		hc_rate[TS_HR__COUNT][TS_RATE_WINDOWS];
	/* what the capture saw (the frames, the connections) */
	struct ts_decode_stats	dec;
	struct ts_classify_stats cls;
	uint64_t		failures[2];	/* all classes, by IP version */
	uint32_t		flows, pending;	/* followed; attempts unanswered */
	ts_ns			first_ts, last_ts;	/* first, last packet */
	ts_ns			windows[TS_RATE_WINDOWS];	/* the rates' */
	uint32_t		fail_rate[TS_RATE_WINDOWS];
	/* the table */
	uint32_t		max_rows;
	uint64_t		admissions, evictions, expiries, other_events;
	int			lsn_watched;	/* the capture's namespace's
						   listeners are watched: the
						   rows' lsn_overflows count */
	struct ts_snap_row	other;
	struct ts_snap_port	*ports;		/* sorted by port */
	size_t			nports;
	struct ts_snap_row	*rows;		/* sorted by key */
	size_t			nrows;
	struct ts_snap_top	*top;		/* the bounded view, by rank */
	size_t			ntop;
	/* namespaces and listeners (lsnsnap.c), sorted by their index */
	struct ts_snap_ns	*ns;
	size_t			nns;
	struct ts_snap_lsn	*lsn;
	size_t			nlsn;
	struct ts_snap_lgrp	*lgrp;
	size_t			nlgrp;
	struct ts_snap_lsnstat	lsnstat;
	/* the kernel event source (kevsnap.c); state 0: not there */
	int			kev_state;	/* enum kevsrc_state */
	char			kev_reason[320];
	uint64_t		kev_c[KEV__COUNTERS];	/* enum kev_counter */
	uint64_t		kev_bad_records, kev_failures, kev_unknown;
	struct ts_snap_kprog	kprog[KEV__PROGS];
	struct ts_snap_caller	*callers;	/* by row key, then id */
	size_t			ncallers;
};

/*
 * Every time a snapshot holds, for the reader's check (snapwire.c): each
 * is the published wall clock, a monotonic time or a duration, never
 * negative; mono_off (mono - wall) is checked apart.  A new time field
 * goes here too.
 */
#define TS_SNAP_ROW_TIMES(X)	X(created) X(first) X(last) X(k.since)	\
	X(k.listener_stopped)
#define TS_SNAP_TIMES(X)						\
	X(rows, TS_SNAP_ROW_TIMES)					\
	X(callers, TS_SNAP_CALLER_TIMES)				\
	X(ns, TS_SNAP_NS_TIMES)						\
	X(lsn, TS_SNAP_LSN_TIMES)					\
	X(lgrp, TS_SNAP_LSN_TIMES)
#define TS_SNAP_CALLER_TIMES(X)	X(pid_start) X(created) X(last)
#define TS_SNAP_NS_TIMES(X)	X(created) X(discont) X(last_read)	\
	X(gone_since)
#define TS_SNAP_LSN_TIMES(X)	X(created) X(last_drop)
#define TS_SNAP_FIXED_TIMES(X)	X(wall) X(mono) X(cov_since)		\
	X(hc_discont) X(first_ts) X(last_ts) X(windows[0]) X(windows[1])	\
	X(windows[2]) X(lsnstat.took) X(other.created) X(other.first)	\
	X(other.last) X(other.k.since) X(other.k.listener_stopped)

/* Free a snapshot: its arrays, or the mapping they point into. */
void	ts_snapshot_free(struct ts_snapshot *);
int	ts_hr_counter(enum ts_hr);	/* the enum ts_hc it rates */

#endif
