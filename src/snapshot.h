/*
 * snapshot.h - what the collector publishes for readers in other threads
 * (the SNMP agent): a consistent, self-contained copy of the endpoint
 * table, the per-port roll-up, the host counters and the capture status,
 * with rates already computed.  Readers never touch the live tables.
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
#include "rate.h"

/* Host counters with 1/5/15-minute rates. */
#define TS_HOST_RATED(X)						\
	X(ATTEMPT_FAILS) X(ESTAB_RESETS) X(OUT_RSTS) X(LISTEN_DROPS)	\
	X(LISTEN_OVERFLOWS)
#define X(id) TS_HR_##id,
enum ts_hr { TS_HOST_RATED(X) TS_HR__COUNT };
#undef X

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
};

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
};

void	ts_snapshot_free(struct ts_snapshot *);
int	ts_hr_counter(enum ts_hr);	/* the enum ts_hc it rates */

#endif
