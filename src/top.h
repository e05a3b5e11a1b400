/*
 * top.h - the bounded view of a snapshot's endpoint rows (TCPSLEUTH-MIB's
 * tcpsleuthTopTable): the rows with the highest 1-minute failure rate, at
 * most `top` of them, so that a poller can take what matters each cycle
 * at a cost that does not grow with the table.
 *
 * The rule (doc/scaling.md, tcpsleuthd.conf(5) and the MIB say the same):
 * only rows failing now (1-minute rate above 0) are candidates.  A row
 * already in the view (an incumbent) keeps its place until another row's
 * rate exceeds its own by more than a margin, a quarter of its rate and
 * at least TS_TOP_MARGIN_MIN thousandths, so two endpoints failing at
 * about the same rate at the boundary do not swap places at every
 * snapshot.  Ties go to the incumbent, then to more failures since the
 * row's creation, then to the lower namespace, address and port: the
 * choice is a function of the rows and the previous members alone.  The
 * rank (1 = the highest rate) orders the members by rate alone, with the
 * same tie-breaks; it may change from one snapshot to the next while
 * the membership does not.
 *
 * Pure: no clock, no I/O.  The view is built once per snapshot, by the
 * thread that builds the snapshot.
 */
#ifndef TS_TOP_H
#define TS_TOP_H

#include <stddef.h>
#include <stdint.h>

#include "eptab.h"

struct ts_snapshot;

#define TS_TOP_DEFAULT		10
#define TS_TOP_MAX		1000
#define TS_TOP_MARGIN_MIN	50	/* thousandths per second: 3 a minute */

struct ts_top_conf {
	uint32_t	size;		/* rows in the view, 1..TS_TOP_MAX */
};

void	ts_top_conf_default(struct ts_top_conf *);

/* A row's identity across snapshots: its namespace and endpoint. */
struct ts_top_key {
	uint32_t	netns;
	struct ts_epkey	key;
};

/* The members of the last view built (the hysteresis' memory). */
struct ts_top {
	uint32_t		 size;
	struct ts_top_key	*members;	/* size of them, sorted by
						   ts_top_key_cmp */
	size_t			 nmembers;
};

/* No members yet; the first build allocates them. */
void	ts_top_init(struct ts_top *, const struct ts_top_conf *);
void	ts_top_free(struct ts_top *);
int	ts_top_key_cmp(const struct ts_top_key *, const struct ts_top_key *);

/*
 * s->top and s->ntop from s->rows (whose rates and namespaces are set),
 * in rank order, against t's members, which become the new view's.
 * -1 if memory runs out (s->ntop is then 0 and t is unchanged).
 */
int	ts_top_build(struct ts_top *t, struct ts_snapshot *s);

#endif
