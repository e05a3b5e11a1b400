/*
 * kevsrc.h - the kernel event source beside a capture engine, as
 * tcpsleuthd's capture thread and tcpsleuth -i run it: loads the programs
 * (kevload.h) and learns the listeners of this namespace while privileged,
 * then hands each record to the cores (kevfeed.h: callers, listener
 * history) and, for a failed attempt no capture here can have seen (it put
 * no packet on any device, or it was in another network namespace), to the
 * engine's endpoint table as a kernel-only failure of its row
 * (ts_eptab_kfail).  So an attempt both sources saw is one failure, the
 * capture's, on one row, and the kernel adds who and why to it.
 *
 * Answers, for an endpoint row (its key, netns included): the kernel's
 * counts by errno, its callers and its last caller, the listener that
 * listened there last.  Times are the engine's (steady) clock.
 * Single-threaded: the thread that polls kevsrc_fd() is the only user.
 */
#ifndef TS_KEVSRC_H
#define TS_KEVSRC_H

#include <stdint.h>

#include "clock.h"
#include "engine.h"
#include "kevcallers.h"
#include "kevlisten.h"
#include "kevload.h"

struct kevsrc_conf {
	struct kev_conf		kev;	/* kernel-events, kernel-connect-errors,
					   kernel-ring, kernel-syn-sockets */
	struct kev_callers_conf	callers;	/* callers, callers-total */
	uint32_t		listeners;	/* listener history entries */
	int			self_only;	/* follow this process's
						   namespace only (tcpsleuth) */
	int			precheck;	/* auto, without the privilege:
						   unavailable without trying
						   (no line per program) */
};

void	kevsrc_conf_default(struct kevsrc_conf *);
/* NULL when valid, else what is wrong (one line). */
const char *kevsrc_conf_check(const struct kevsrc_conf *);

/* What TCPSLEUTH-MIB's tcpsleuthKernelState says. */
enum kevsrc_state {
	KEVSRC_RUNNING = 1,	/* every program wanted runs */
	KEVSRC_PARTIAL,		/* running without some */
	KEVSRC_UNAVAILABLE,	/* pcap only: they could not load */
	KEVSRC_DISABLED,	/* kernel-events = no */
};
/* Its name (a header's: a report of a snapshot links no source). */
static inline const char *
kevsrc_state_name(enum kevsrc_state s)
{
	switch (s) {
	case KEVSRC_RUNNING:	return "running";
	case KEVSRC_PARTIAL:	return "partial";
	case KEVSRC_DISABLED:	return "disabled";
	default:		return "unavailable";
	}
}

struct kevsrc_stats {
	uint64_t	failures;	/* failed attempts counted */
	uint64_t	kernel_only;	/* of them, on a row as kfail */
	uint64_t	unknown;	/* of them, caller unknown */
	uint64_t	cov_fails;	/* kernel-only ones of this namespace
					   in TcpAttemptFails (coverage) */
	uint64_t	ignored;	/* matching the ignore lists */
};

struct kevsrc;

/*
 * Load (kernel-events = no: nothing), learn this namespace's listeners at
 * now, and count into e, whose eptab conf.netns is this namespace's inode.
 * Never NULL unless out of memory; logs what does not run.
 */
struct kevsrc *kevsrc_open(const struct kevsrc_conf *, struct ts_engine *e,
	    const struct ts_steady *clock, const char *procroot, ts_ns now);
void	kevsrc_close(struct kevsrc *);

enum kevsrc_state kevsrc_state(const struct kevsrc *);
/* One line: why it is in its state (kev_reason(), or the precheck's). */
const char *kevsrc_reason(const struct kevsrc *);
const struct kev *kevsrc_kev(const struct kevsrc *);
/* The capture's namespace (its inode): the engine's rows' own. */
uint32_t kevsrc_netns(const struct kevsrc *);
const struct kevsrc_stats *kevsrc_stats(const struct kevsrc *);

/*
 * With kev.netns_filter set at open: follow (on 1) or stop following the
 * network namespace whose inode is ino, in the kernel (the programs drop
 * the rest first thing).  0, or -1 with errno.  tcpsleuth follows its own;
 * tcpsleuthd the namespaces its setting chooses.
 */
int	kevsrc_follow(struct kevsrc *, uint32_t ino, int on);

/* The fd to poll (-1: none); on POLLIN, consume: records handled, or -1. */
int	kevsrc_fd(const struct kevsrc *);
int	kevsrc_consume(struct kevsrc *);
/*
 * After a consume at now that handled n records: how long to leave the
 * ring alone (not poll kevsrc_fd) before consuming again, 0 for not at
 * all.  The kernel wakes the reader for the first record after it caught
 * up: read at once, a storm's records came two or three a wake-up (14,000
 * wake-ups a second, most of tcpsleuthd's CPU).  Left alone, they come in
 * batches: for KEVSRC_HOLDOFF at most, and for less when the rate since
 * the last consume would fill an eighth of the ring sooner.
 */
#define KEVSRC_HOLDOFF	(TS_NS_PER_SEC / 100)	/* 10 ms */
ts_ns	kevsrc_holdoff(struct kevsrc *, int n, ts_ns now);
/* The same, n records having come in dt, for a ring of ring_kib. */
ts_ns	kevsrc_holdoff_for(uint32_t ring_kib, int n, ts_ns dt);
/* Forget endpoints with no failure since before (the table's TTL). */
void	kevsrc_expire(struct kevsrc *, ts_ns before);

/* The kernel's view of an endpoint row; either may be NULL. */
struct kevsrc_row {
	const struct kev_epcallers *ep;		/* its failures and callers */
	const struct kev_listener *lsn;		/* who listened there last */
};
void	kevsrc_row(const struct kevsrc *, const struct ts_epkey *,
	    struct kevsrc_row *);

/* A caller's wall-clock start from the kernel's ns after boot; 0: unknown. */
ts_ns	kevsrc_boot_to_wall(uint64_t boot_ns);

#endif
