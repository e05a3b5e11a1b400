/*
 * kevlisten.h - the missing listener: who listened on each address:port
 * of each network namespace, and when it stopped.  A pure core fed with
 * the kernel event source's listen/unlisten records and with the
 * listeners found at start (kevlearn.h), and the time.
 *
 * One entry per (namespace, address, port): the process that last began
 * listening there, how many sockets listen now (SO_REUSEPORT, or a
 * listener seen twice), when the last one stopped.  Lookups of a refused
 * address fall back to the wildcard address (0.0.0.0, or [::] when it was
 * not IPV6_V6ONLY).  At most max entries: when full, the one that stopped
 * longest ago goes, else the least recently started (both counted).
 * Allocates only in kev_listen_new().
 */
#ifndef TS_KEVLISTEN_H
#define TS_KEVLISTEN_H

#include <stddef.h>
#include <stdint.h>

#include "dlist.h"
#include "htab.h"
#include "kevkey.h"
#include "pkt.h"

#define KEV_LISTEN_COOKIES	4

struct kev_listener {
	struct kev_epkey key;		/* the address may be a wildcard */
	uint32_t	 netns_ino;
	uint32_t	 active;	/* sockets listening now */
	uint8_t		 v6only;
	uint8_t		 learnt;	/* found at start: began before it */
	struct kev_who	 who;		/* the last to begin listening */
	uint32_t	 pid;
	uint64_t	 pid_start;	/* ns after boot; 0 unknown */
	ts_ns		 started;	/* 0: before the source started */
	ts_ns		 stopped;	/* the last stop; 0 while listening */
	/* private: the socket cookies of the last sockets to start, so one
	 * both learnt and seen starting counts once */
	uint64_t	 cookies[KEV_LISTEN_COOKIES];
	struct ts_hlink	 hlink;
	struct ts_dlink	 lru;		/* in the active or the stopped list */
	struct kev_listener *free_next;
};

struct kev_listen_stats {
	uint64_t	evicted_stopped;	/* to make room */
	uint64_t	evicted_active;
	uint64_t	stops_unknown;	/* a stop for a listener never seen */
	uint64_t	starts_again;	/* a socket already counted (learnt
					   and seen starting) */
};

struct kev_listen;

struct kev_listen *kev_listen_new(uint32_t max);
void		 kev_listen_free(struct kev_listen *);

/* The socket whose cookie is cookie began listening on key (at when;
 * learnt: found at start, when it began is unknown) by the process
 * who/pid.  The same socket again (learnt and seen starting) counts once. */
void		 kev_listen_start(struct kev_listen *, const struct kev_epkey *,
		    uint32_t ino, int v6only, const struct kev_who *,
		    uint32_t pid, uint64_t pid_start, uint64_t cookie, ts_ns when,
		    int learnt);
/* The socket whose cookie is cookie stopped listening on key. */
void		 kev_listen_stop(struct kev_listen *, const struct kev_epkey *,
		    uint32_t ino, uint64_t cookie, ts_ns when);

/* Who listened (or listens) on the address:port ep was refused at; NULL
 * if no one is known. */
const struct kev_listener *kev_listen_last(const struct kev_listen *,
		    const struct kev_epkey *ep);
/* Every entry, listening ones first: NULL starts, NULL ends. */
const struct kev_listener *kev_listen_next(const struct kev_listen *,
		    const struct kev_listener *);
size_t		 kev_listen_count(const struct kev_listen *);
const struct kev_listen_stats *kev_listen_stats(const struct kev_listen *);

#endif
