/*
 * toptable.c - tcpsleuthTopTable: the snapshot's bounded view (src/top.c
 * chose it and its ranks) as a sparse view of tcpsleuthEpTable: the same
 * index, and the same column numbers for the columns it copies, so every
 * column but tcpsleuthTopRank is answered by tcpsleuthEpTable's code.
 * Rebuilt with the other tables when the lent snapshot changes: at most
 * `top` rows, sorted by index.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "agent_int.h"
#include "log.h"
#include "values.h"

/* The columns it shares with tcpsleuthEpTable, under the same numbers. */
_Static_assert(TSM_TopName == TSM_EpName && TSM_TopLocation == TSM_EpLocation &&
    TSM_TopListener == TSM_EpListener && TSM_TopLastSeen == TSM_EpLastSeen &&
    TSM_TopFailures == TSM_EpFailures && TSM_TopRefused == TSM_EpRefused &&
    TSM_TopUnreachable == TSM_EpUnreachable &&
    TSM_TopTimedOut == TSM_EpTimedOut && TSM_TopRate1 == TSM_EpRate1 &&
    TSM_TopRate5 == TSM_EpRate5 && TSM_TopRate15 == TSM_EpRate15,
    "tcpsleuthTopTable's columns carry tcpsleuthEpTable's numbers");
_Static_assert(TSM_TopRank < TSM_EpTable_MINCOL,
    "tcpsleuthTopRank takes a number no tcpsleuthEpTable column has");
_Static_assert(TS_TOP_MAX <= 1000, "tcpsleuthTopRank is 1..1000 in the MIB");

struct top_row {
	struct ts_ep_key	 k;		/* first: the container's key */
	const struct ts_snap_row *r;
	uint32_t		 rank;
};

static netsnmp_container *top_c;
static struct top_row *top_rows;

void
ts_toptable_rebuild(const struct ts_snapshot *s)
{
	if (top_c == NULL)
		return;
	CONTAINER_CLEAR(top_c, NULL, NULL);
	free(top_rows);
	if ((top_rows = calloc(s->ntop ? s->ntop : 1, sizeof(*top_rows))) == NULL) {
		log_warnx("cannot allocate tcpsleuthTopTable");
		return;
	}
	for (size_t i = 0; i < s->ntop; i++) {
		struct top_row *t = &top_rows[i];

		if (s->top[i].row >= s->nrows)	/* never: the snapshot's own */
			return;
		t->r = &s->rows[s->top[i].row];
		t->rank = s->top[i].rank;
		ts_ep_key_set(&t->k, t->r);
	}
	qsort(top_rows, s->ntop, sizeof(*top_rows), ts_ep_key_cmp);
	for (size_t i = 0; i < s->ntop; i++) {
		top_rows[i].k.idx.oids = top_rows[i].k.o;	/* moved by qsort */
		CONTAINER_INSERT(top_c, &top_rows[i]);
	}
}

static int
top_value(const void *row, oid col, netsnmp_variable_list *v)
{
	const struct top_row *t = row;

	if (col == TSM_TopRank) {
		ts_set_gauge(v, t->rank);
		return 1;
	}
	return ts_ep_column(t->r, col, v);
}

int
ts_toptable_register(void)
{
	static const struct ts_table_ops ops = { top_value, ts_tables_refresh };

	top_c = ts_table_register(TSM_T_TopTable, &ops);
	return top_c != NULL ? 0 : -1;
}

void
ts_toptable_free(void)
{
	free(top_rows);
	top_rows = NULL;
}
