/*
 * engine.h - the pipeline every capture feeds, live or from a file:
 * decode -> deduplicate -> classify -> endpoint table, plus host totals.
 * Time comes in with each packet and through ts_engine_tick().
 */
#ifndef TS_ENGINE_H
#define TS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "decode.h"
#include "dedup.h"
#include "eptab.h"
#include "localaddr.h"
#include "rate.h"

/* What not to count: known scanners, health checks. */
#define TS_IGNORE_MAX	64
struct ts_ignore {
	uint16_t	ports[TS_IGNORE_MAX];	/* service ports */
	int		nports;
	struct {
		uint8_t	family;
		uint8_t	plen;			/* prefix length */
		uint8_t	addr[16];
	}		nets[TS_IGNORE_MAX];	/* either end */
	int		nnets;
};

/* Parse "10.0.0.5", "192.0.2.0/24", "2001:db8::/32"; -1 if bad. */
int	ts_ignore_add_net(struct ts_ignore *, const char *);
int	ts_ignore_match(const struct ts_ignore *, uint8_t family,
	    const uint8_t *svc, uint16_t port, const uint8_t *peer);

struct ts_engine_conf {
	struct ts_classify_conf	classify;
	struct ts_eptab_conf	eptab;
	ts_ns			dedup_window;	/* 0: off */
	struct ts_ignore	ignore;
	/* Sees every event counted (after the ignore lists); may be NULL. */
	void			(*on_event)(void *arg, const struct ts_event *,
				    const char *ifname);
	void			*event_arg;
	/* Names interface indexes (live capture); NULL: names unknown. */
	const char		*(*ifname)(void *arg, uint32_t ifindex);
	void			*ifname_arg;
};

/* Host-wide totals. */
struct ts_engine_stats {
	uint64_t	duplicates;	/* copies seen on a second interface */
	uint64_t	failures[2];	/* all failure classes, by IP version */
	uint64_t	rsts_from_host;	/* RSTs sent from this host's addresses */
	uint64_t	host_attempt_fails; /* this host's own attempts failing */
	uint64_t	ignored;	/* events matching the ignore lists */
	ts_ns		first_ts, last_ts;
};

/* A frame decoded and waiting in the batch (ts_engine_queue). */
#define TS_ENGINE_BATCH	32
struct ts_engine_qent {
	struct ts_pkt		pkt;
	struct ts_classify_prep	prep;
	struct ts_dedup_fp	fp;		/* when may_copy */
	uint8_t			res;		/* enum ts_dec_result */
	uint8_t			may_copy;	/* deduplicate it */
};

struct ts_engine {
	struct ts_engine_conf	 conf;
	struct ts_classify	*cl;
	struct ts_eptab		*ep;
	struct ts_dedup		*dd;
	struct ts_localaddr	 local;
	struct ts_decode_stats	 dec;
	struct ts_engine_stats	 st;
	struct ts_rate		 host_rate;	/* failures, all endpoints */
	struct ts_engine_qent	 q[TS_ENGINE_BATCH];
	int			 nq;
};

void	ts_engine_conf_default(struct ts_engine_conf *);
struct ts_engine *ts_engine_new(const struct ts_engine_conf *);
void	ts_engine_free(struct ts_engine *);

/*
 * One captured frame.  ifindex is the capture device's when known (0 for
 * files and for "any", whose SLL2 header says).
 */
void	ts_engine_frame(struct ts_engine *, int dlt, const uint8_t *data,
	    size_t caplen, size_t wirelen, ts_ns ts, uint32_t ifindex);
/*
 * The same in batches: the frame is decoded now (data need not outlive
 * the call) and handled, in order, when the batch is full or flushed;
 * meanwhile the batch's flows are loaded into the cache.  may_copy: the
 * frame can be a copy of one seen on another interface (deduplicate it);
 * ts_engine_frame() takes every frame as one.  Counts and tables are up to
 * date after ts_engine_flush() (ts_engine_tick() flushes first).
 */
void	ts_engine_queue(struct ts_engine *, int dlt, const uint8_t *data,
	    size_t caplen, size_t wirelen, ts_ns ts, uint32_t ifindex,
	    int may_copy);
void	ts_engine_flush(struct ts_engine *);
void	ts_engine_tick(struct ts_engine *, ts_ns now);
/* New ignore lists (a reload): counts are kept. */
void	ts_engine_set_ignore(struct ts_engine *, const struct ts_ignore *);

#endif
