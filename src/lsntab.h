/*
 * lsntab.h - the listener table: one row per TCP listening socket of
 * every namespace polled (key: namespace inode and socket cookie), fed
 * with sock_diag samples (sockdiag.h) by whoever polls, and one summary per
 * (namespace, address, port): an SO_REUSEPORT group, or a lone listener.
 * A pure core: no I/O, times are parameters (the steady clock).
 *
 * Drops are the kernel's SK_MEMINFO_DROPS of the socket (each SYN or ACK
 * its listen queue could not take) made 64-bit: the first sample's value
 * plus every growth since, modulo 2^32 per poll.  Rates count only growth
 * seen between polls (drops older than the row have no time).  A group's
 * drops start at its first members' and grow by every member's growth, so
 * they never go back when a member closes.  Each group keeps the last
 * TS_LSN_HIST intervals between polls in which it dropped, so a failure can
 * ask whether its listener was dropping while it happened.
 *
 * The table holds at most max_rows listeners; a listener seen when it is
 * full gets no row and is counted (unlisted, rejected).  Listeners of a
 * namespace's first poll were listening before it ("learnt", created is
 * the time they were first seen: at or before); later ones started between
 * the previous poll and created.
 */
#ifndef TS_LSNTAB_H
#define TS_LSNTAB_H

#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"
#include "htab.h"
#include "pkt.h"
#include "rate.h"
#include "sockdiag.h"

/* Who holds the socket: the process that started first among those with
 * an fd to it (for a socket-activated listener that is pid 1, honestly). */
struct ts_lsn_owner {
	int32_t		pid;		/* 0: unknown */
	uint64_t	start;		/* its start time (ticks after boot) */
	uint32_t	uid;		/* UINT32_MAX: unknown */
	uint32_t	holders;	/* processes with an fd to the socket */
	char		comm[16];
	struct ts_cg_owner unit;	/* systemd unit or container */
};

enum ts_lsn_own {
	TS_OWN_PENDING,		/* not looked for yet */
	TS_OWN_FOUND,
	TS_OWN_UNKNOWN,		/* looked for, no process visible holds it */
};

struct ts_lsn_key {
	uint32_t	netns;		/* nsfs inode */
	uint32_t	pad;
	uint64_t	cookie;		/* socket cookie */
};

struct ts_lsn_group;

struct ts_lsn_row {
	struct ts_lsn_key key;
	struct ts_sd_sock s;		/* the latest sample */
	uint64_t	drops;		/* 64-bit, see above */
	uint32_t	queue_max;	/* highest accept queue sampled */
	uint32_t	full_polls;	/* polls that found queue > backlog */
	ts_ns		created;	/* first seen */
	uint8_t		learnt;		/* listening already at its namespace's
					   first poll: since at or before */
	uint8_t		owner_state;	/* enum ts_lsn_own */
	ts_ns		owner_tried;
	ts_ns		last_drop;	/* poll at which drops last grew, or 0 */
	struct ts_lsn_owner owner;
	struct ts_rate	rate;		/* drop growth */
	/* private to lsntab.c */
	struct ts_hlink	hlink;
	struct ts_lsn_group *group;
	struct ts_lsn_row *gnext;	/* next member of the group */
	struct ts_lsn_row *next, *prev;	/* every row */
	uint64_t	seen;		/* poll serial */
};

struct ts_lsn_gkey {
	uint32_t	netns;
	uint8_t		family;
	uint8_t		pad;
	uint16_t	port;
	uint8_t		addr[16];
};

#define TS_LSN_HIST	8

struct ts_lsn_span {
	ts_ns		from, to;	/* drops grew between polls from and to */
	uint64_t	drops;
};

struct ts_lsn_group {
	struct ts_lsn_gkey key;
	uint32_t	members;	/* sockets (more than 1: SO_REUSEPORT) */
	uint32_t	full;		/* members with queue > backlog now */
	uint32_t	queue, backlog;	/* sums over the members now */
	uint32_t	queue_max;	/* highest queue sum sampled */
	uint8_t		v6only;		/* every member is */
	uint64_t	drops;
	ts_ns		created, last_drop;
	struct ts_rate	rate;
	struct ts_lsn_span hist[TS_LSN_HIST];	/* newest at hist[nhist-1] */
	uint32_t	nhist;
	/* private to lsntab.c */
	struct ts_hlink	hlink;
	uint64_t	grow;		/* this poll's growth */
	struct ts_lsn_row *head;	/* members */
	struct ts_lsn_group *next, *prev;
	uint64_t	seen;
};

struct ts_lsntab_conf {
	uint32_t	max_rows;	/* "listeners": 1..1048576, 4096 */
	ts_ns		owner_retry;	/* look again for an unknown owner: 60 s */
	struct ts_rate_conf rates;
	/* Called for each row about to go (its socket closed, its namespace
	 * gone): for a history of past listeners.  May be NULL. */
	void		(*on_close)(void *arg, const struct ts_lsn_row *,
			    ts_ns now);
	void		*arg;
};

struct ts_lsntab {
	struct ts_lsntab_conf conf;
	struct ts_htab	rows_h, groups_h;
	struct ts_lsn_row *rows;	/* newest first */
	struct ts_lsn_group *groups;
	uint32_t	nrows, ngroups;
	uint64_t	serial;
	uint64_t	admitted, closed;	/* rows made and gone */
	uint64_t	rejected;	/* samples of listeners without a row */
};

/* What one namespace's update found. */
struct ts_lsn_update {
	uint32_t	listeners;	/* sockets sampled */
	uint32_t	unlisted;	/* of them without a row (table full) */
	uint32_t	opened, closed;	/* rows made, rows gone */
	uint64_t	drop_growth;	/* drops since the previous poll, rows
					   only: for the coverage figure */
};

void	ts_lsntab_conf_default(struct ts_lsntab_conf *);
struct ts_lsntab *ts_lsntab_new(const struct ts_lsntab_conf *);
void	ts_lsntab_free(struct ts_lsntab *);

/*
 * Namespace netns's listeners sampled at now.  prev is the time of its
 * previous successful poll, 0 for its first (its listeners are "learnt").
 * Rows of netns not in socks are closed.  -1 with errno only if memory ran
 * out (the rows sampled so far are kept).
 */
int	ts_lsntab_update(struct ts_lsntab *, uint32_t netns,
	    const struct ts_sd_sock *socks, size_t n, ts_ns prev, ts_ns now,
	    struct ts_lsn_update *);
/* The namespace is gone: close its rows. */
void	ts_lsntab_forget(struct ts_lsntab *, uint32_t netns, ts_ns now);

/* Rows whose owner is to be looked for now (pending, or unknown for
 * owner_retry), at most max; they are marked tried. */
size_t	ts_lsntab_owner_wanted(struct ts_lsntab *, struct ts_lsn_row **out,
	    size_t max, ts_ns now);
/* The owner found for a row, or NULL: none visible. */
void	ts_lsntab_set_owner(struct ts_lsntab *, struct ts_lsn_row *,
	    const struct ts_lsn_owner *, ts_ns now);
/* Process pid (started at start) is gone: its rows look again. */
void	ts_lsntab_owner_gone(struct ts_lsntab *, int pid, uint64_t start);

/*
 * Tie a failure to its listener: an attempt to family/addr/port in netns
 * that failed (timed out, or was reset after the handshake) between from
 * and to.  The listener is the one the kernel would pick: a group bound to
 * the address, else the wildcard one, else for IPv4 a dual-stack [::].
 * TS_LSN_OVERFLOW if its drops grew in a poll interval overlapping
 * [from, to] (the reason "listener overflow"), TS_LSN_QUIET if they did not,
 * TS_LSN_NONE if no listener is known there.  *g (if not NULL) is the group.
 */
enum ts_lsn_verdict {
	TS_LSN_NONE = -1,
	TS_LSN_QUIET = 0,
	TS_LSN_OVERFLOW = 1,
};
enum ts_lsn_verdict ts_lsntab_overflow(const struct ts_lsntab *,
	    uint32_t netns, uint8_t family, const uint8_t *addr, uint16_t port,
	    ts_ns from, ts_ns to, const struct ts_lsn_group **g);
/* The group of netns/family/addr/port (exact), or NULL. */
const struct ts_lsn_group *ts_lsntab_group(const struct ts_lsntab *,
	    uint32_t netns, uint8_t family, const uint8_t *addr,
	    uint16_t port);

/* "pid 4242 lm-collector (lm-collector.service)", "pid 1 systemd
 * (init.scope) +2", "unknown". */
const char *ts_lsn_owner_str(const struct ts_lsn_owner *, char *buf,
	    size_t len);

#endif
