/*
 * kevcallers.h - who calls each failing endpoint, from the kernel event
 * source: a pure core fed with failed attempts and the time.
 *
 * An endpoint is the address and port an attempt went to, in a network
 * namespace.  A caller is (namespace, cgroup, uid, comm), showing the last
 * pid: a job that calls every minute is one caller, and so is a program
 * restarted under a new pid.  Each endpoint keeps at most per_endpoint
 * caller rows; a new caller at a full endpoint takes the place of the row
 * with the fewest attempts (the oldest of equals).  All endpoints share
 * total rows; when they are taken, the least recently seen row anywhere is
 * reused.  An evicted row's count goes to its endpoint's "other callers",
 * so for each endpoint: sum of its rows + other + unknown = total, exactly.
 * At most max_endpoints endpoints; the least recently failing one goes
 * first (counted in the stats).  Allocates only in kev_callers_new().
 */
#ifndef TS_KEVCALLERS_H
#define TS_KEVCALLERS_H

#include <stddef.h>
#include <stdint.h>

#include "dlist.h"
#include "htab.h"
#include "kevkey.h"
#include "kevreason.h"
#include "pkt.h"

/* One caller of one endpoint. */
struct kev_callrow {
	struct kev_who	 who;
	uint32_t	 id;		/* never reused while it runs: 1, 2 ... */
	uint32_t	 pid;		/* the last pid seen */
	uint64_t	 pid_start;	/* its start, ns after boot */
	uint64_t	 count;		/* attempts, exact since created */
	ts_ns		 created, last;
	int		 last_err;
	uint8_t		 last_reason;	/* enum kev_reason */
	/* private */
	struct kev_epcallers *ep;
	struct kev_callrow *next;	/* in ep->rows */
	struct ts_dlink	 lru;
};

/* The last caller of an endpoint, kept even when its row is gone. */
struct kev_lastcall {
	struct kev_who	 who;
	uint32_t	 pid;
	uint64_t	 pid_start;
	ts_ns		 when;
	int		 err;
};

struct kev_epcallers {
	struct kev_epkey key;
	uint32_t	 netns_ino;	/* shown: what /proc/PID/ns/net says */
	uint64_t	 total;		/* attempts: rows + other + unknown */
	uint64_t	 other;		/* by callers without a row */
	uint64_t	 unknown;	/* no caller known (connected before the
					   source started, or not recorded) */
	uint64_t	 reasons[KEV_R__COUNT];	/* attempts by kernel reason */
	uint64_t	 errs[KEV_E__COUNT];	/* ... by errno (kev_errcol_of) */
	uint32_t	 nrows;
	ts_ns		 created, last;
	int		 has_last;
	struct kev_lastcall last_caller;
	/* private */
	struct ts_hlink	 hlink;
	struct kev_callrow *rows;
	struct ts_dlink	 lru;
	struct kev_epcallers *free_next;
};

struct kev_callers_conf {
	uint32_t	per_endpoint;	/* setting "callers" */
	uint32_t	total;		/* setting "callers-total" */
	uint32_t	max_endpoints;
};

#define KEV_CALLERS_MAX		1024
#define KEV_CALLERS_TOTAL_MAX	1048576

struct kev_callers_stats {
	uint64_t	rows_evicted;	/* at a full endpoint (fewest attempts) */
	uint64_t	rows_reused;	/* all rows taken: least recent anywhere */
	uint64_t	eps_evicted;	/* endpoints forgotten to make room */
	uint64_t	eps_expired;
	uint64_t	attempts_forgotten;	/* totals of endpoints gone */
};

struct kev_callers;

void		 kev_callers_conf_default(struct kev_callers_conf *);
/* NULL when valid, else what is wrong (one line). */
const char	*kev_callers_conf_check(const struct kev_callers_conf *);
struct kev_callers *kev_callers_new(const struct kev_callers_conf *);
void		 kev_callers_free(struct kev_callers *);

/* Count one failed attempt at ep (ino: its namespace's inode) by who, or
 * by an unknown caller (who NULL); reason: enum kev_reason.  0, or -1 if
 * max_endpoints is 0. */
int		 kev_callers_add(struct kev_callers *, const struct kev_epkey *,
		    uint32_t ino, const struct kev_who *, uint32_t pid,
		    uint64_t pid_start, int err, unsigned reason, ts_ns now);

const struct kev_epcallers *kev_callers_get(const struct kev_callers *,
		    const struct kev_epkey *);
/* Endpoints, most recently failing first: NULL starts, NULL ends. */
const struct kev_epcallers *kev_callers_next(const struct kev_callers *,
		    const struct kev_epcallers *);
/* An endpoint's rows by count, highest first (then the most recent):
 * fills at most n, returns how many. */
size_t		 kev_callers_top(const struct kev_epcallers *,
		    const struct kev_callrow **out, size_t n);

/* Forget an endpoint (its row in the endpoint table went away). */
void		 kev_callers_forget(struct kev_callers *, const struct kev_epkey *);
/* Forget endpoints that have not failed since before. */
void		 kev_callers_expire(struct kev_callers *, ts_ns before);

size_t		 kev_callers_count(const struct kev_callers *);
const struct kev_callers_stats *kev_callers_stats(const struct kev_callers *);

#endif
