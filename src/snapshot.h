/*
 * snapshot.h - what the collector publishes for readers in other threads
 * (the SNMP agent): a consistent, self-contained copy of the endpoint
 * table, the per-port roll-up, the host counters, the capture status and
 * the kernel event source's, with rates already computed.  Readers never
 * touch the live tables.  Plain data: every array is a (pointer, count)
 * pair listed in TS_SNAP_ARRAYS, whose elements hold no pointers.
 */
#ifndef TS_SNAPSHOT_H
#define TS_SNAPSHOT_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "capture.h"
#include "classify.h"
#include "eptab.h"
#include "hostctr.h"
#include "kevkey.h"
#include "kevload.h"
#include "kevreason.h"
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

struct ts_snapshot {
	unsigned		refs;		/* collector.c's business */
	int			stale;
	uint64_t		serial;
	ts_ns			wall, mono;	/* when taken */
	ts_ns			mono_off;	/* a time t below: monotonic t - mono_off */
	/* capture */
	int			cap_state;	/* enum ts_cap_state, the worst */
	char			cap_ifaces[256];
	char			cap_error[512];
	uint64_t		frames, kernel_drops, malformed, duplicates;
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
	/* what the capture saw */
	uint64_t		classes[TS_CL__COUNT][2];
	uint32_t		fail_rate[TS_RATE_WINDOWS];
	/* the table */
	uint32_t		max_rows;
	uint64_t		admissions, evictions, expiries;
	struct ts_snap_row	other;
	struct ts_snap_port	*ports;		/* sorted by port */
	size_t			nports;
	struct ts_snap_row	*rows;		/* sorted by key */
	size_t			nrows;
	/* the kernel event source (kevsnap.c); state 0: not there */
	int			kev_state;	/* enum kevsrc_state */
	char			kev_reason[320];
	uint64_t		kev_c[KEV__COUNTERS];	/* enum kev_counter */
	uint64_t		kev_bad_records, kev_failures, kev_unknown;
	struct ts_snap_kprog	kprog[KEV__PROGS];
	struct ts_snap_caller	*callers;	/* by row key, then id */
	size_t			ncallers;
};

/* The snapshot's arrays: X(field, count field, element type). */
#define TS_SNAP_ARRAYS(X)						\
	X(ports, nports, struct ts_snap_port)				\
	X(rows, nrows, struct ts_snap_row)				\
	X(callers, ncallers, struct ts_snap_caller)

void	ts_snapshot_free(struct ts_snapshot *);
int	ts_hr_counter(enum ts_hr);	/* the enum ts_hc it rates */

#endif
