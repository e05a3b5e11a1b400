/*
 * lsntables.c - tcpsleuthNsTable, tcpsleuthLsnTable and
 * tcpsleuthLsnGroupTable, from the snapshot's namespace, listener and
 * group arrays (lsnsnap.h), through the containers tables.c registers
 * (ts_table_register): rebuilt when a request arrives and the snapshot
 * changed.  Times are TimeStamps against the agent's one reference
 * (values.h), DateAndTime for when a socket started listening.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_int.h"
#include "log.h"
#include "values.h"

#define LSN_INDEX_MAX	(1 + 1 + 1 + 20 + 1 + 1)  /* netns type len addr port inode */

struct ns_row {
	netsnmp_index		 idx;		/* first: the container's key */
	oid			 o[1];
	const struct ts_snap_ns	*n;
};

struct lsn_row {
	netsnmp_index		 idx;
	oid			 o[LSN_INDEX_MAX];
	const struct ts_snap_lsn *l;
};

struct lgrp_row {
	netsnmp_index		 idx;
	oid			 o[LSN_INDEX_MAX - 1];
	const struct ts_snap_lgrp *g;
};

static const struct ts_snapshot *snap;	/* lent by the agent */
static const struct ts_snapshot *built;
static uint64_t built_serial;
static netsnmp_container *ns_c, *lsn_c, *lgrp_c;
static struct ns_row *ns_rows;
static struct lsn_row *lsn_rows;
static struct lgrp_row *lgrp_rows;

void
ts_lsntables_snapshot(const struct ts_snapshot *s)
{
	snap = s;
}

/* netns, InetAddressType, InetAddress (length, octets), port: how many. */
static size_t
place_index(oid *o, uint32_t netns, const struct ts_epkey *k)
{
	uint8_t a[20];
	size_t n = ts_inet_octets(k, a), m = 0;

	o[m++] = netns;
	o[m++] = (oid)ts_inet_type(k);
	o[m++] = n;
	for (size_t i = 0; i < n; i++)
		o[m++] = a[i];
	o[m++] = k->port;
	return m;
}

static int
index_cmp(const void *a, const void *b)
{
	const netsnmp_index *x = a, *y = b;

	return snmp_oid_compare(x->oids, x->len, y->oids, y->len);
}

/* Each row's index array follows its header (see the assertion below). */
static void
point(char *rows, size_t n, size_t sz)
{
	for (size_t i = 0; i < n; i++) {
		netsnmp_index *x = (netsnmp_index *)(void *)(rows + i * sz);

		x->oids = (oid *)(void *)((char *)x + offsetof(struct lsn_row, o));
	}
}

/* Sort n rows of size sz by their index and insert them (in order). */
static void
fill(netsnmp_container *c, void *rows, size_t n, size_t sz)
{
	point(rows, n, sz);
	qsort(rows, n, sz, index_cmp);
	point(rows, n, sz);		/* moved by qsort */
	for (size_t i = 0; i < n; i++)
		CONTAINER_INSERT(c, (char *)rows + i * sz);
}

_Static_assert(offsetof(struct ns_row, o) == offsetof(struct lsn_row, o) &&
    offsetof(struct lgrp_row, o) == offsetof(struct lsn_row, o),
    "fill() finds every row's index array at the same place");

static void
rebuild(void)
{
	static const struct ts_snapshot none;
	const struct ts_snapshot *s = snap != NULL ? snap : &none;

	if (s == built && s->serial == built_serial)
		return;
	built = NULL;
	CONTAINER_CLEAR(ns_c, NULL, NULL);
	CONTAINER_CLEAR(lsn_c, NULL, NULL);
	CONTAINER_CLEAR(lgrp_c, NULL, NULL);
	free(ns_rows);
	free(lsn_rows);
	free(lgrp_rows);
	ns_rows = calloc(s->nns + 1, sizeof(*ns_rows));
	lsn_rows = calloc(s->nlsn + 1, sizeof(*lsn_rows));
	lgrp_rows = calloc(s->nlgrp + 1, sizeof(*lgrp_rows));
	if (ns_rows == NULL || lsn_rows == NULL || lgrp_rows == NULL) {
		log_warnx("cannot allocate the namespace and listener tables");
		return;
	}
	for (size_t i = 0; i < s->nns; i++) {
		ns_rows[i].n = &s->ns[i];
		ns_rows[i].o[0] = s->ns[i].ino;
		ns_rows[i].idx.len = 1;
	}
	for (size_t i = 0; i < s->nlsn; i++) {
		struct lsn_row *r = &lsn_rows[i];

		r->l = &s->lsn[i];
		r->idx.len = place_index(r->o, r->l->netns, &r->l->key);
		r->o[r->idx.len++] = r->l->inode;
	}
	for (size_t i = 0; i < s->nlgrp; i++) {
		struct lgrp_row *r = &lgrp_rows[i];

		r->g = &s->lgrp[i];
		r->idx.len = place_index(r->o, r->g->netns, &r->g->key);
	}
	fill(ns_c, ns_rows, s->nns, sizeof(*ns_rows));
	fill(lsn_c, lsn_rows, s->nlsn, sizeof(*lsn_rows));
	fill(lgrp_c, lgrp_rows, s->nlgrp, sizeof(*lgrp_rows));
	built = s;
	built_serial = s->serial;
}

/* The three rate columns of a counter: arcs[w] is its window w. */
static int
rate_cell(const unsigned *arcs, const uint32_t *rate, oid col,
    netsnmp_variable_list *v)
{
	int w = ts_arc_find(arcs, TS_RATE_WINDOWS, col);

	if (w < 0)
		return 0;
	ts_set_gauge(v, rate[w]);
	return 1;
}

static void
set_stamp(netsnmp_variable_list *v, ts_ns t)
{
	ts_set_timeticks(v, ts_snap_timestamp(snap, t));
}

static void
set_truth(netsnmp_variable_list *v, int yes)
{
	ts_set_integer(v, yes ? 1 : 2);		/* TruthValue */
}

/* ------------------------------------------------------- namespaces */

static long
ns_kind(const struct ts_snap_ns *n)
{
	if (n->self)
		return TSM_NsKind_self;
	switch (n->namesrc) {
	case TS_NSN_NETNS:	return TSM_NsKind_netns;
	case TS_NSN_HOST:	return TSM_NsKind_host;
	case TS_NSN_PROCESS:	return TSM_NsKind_process;
	case TS_NSN_UNIT:
		return n->unitkind == TS_CG_SERVICE ||
		    n->unitkind == TS_CG_SCOPE ? TSM_NsKind_unit :
		    TSM_NsKind_container;
	default:		return TSM_NsKind_unnamed;
	}
}

static long
ns_state(uint8_t st)
{
	switch (st) {
	case TS_NSS_OK:		return TSM_NsState_present;
	case TS_NSS_GONE:	return TSM_NsState_gone;
	case TS_NSS_NOACCESS:	return TSM_NsState_noaccess;
	case TS_NSS_ERROR:	return TSM_NsState_error;
	default:		return TSM_NsState_new;
	}
}

/* The counter columns and their rates, by enum ts_nsc. */
static const unsigned ns_ctr_arcs[TS_NSC__COUNT] = {
	[TS_NSC_ATTEMPT_FAILS] = TSM_NsAttemptFails,
	[TS_NSC_ESTAB_RESETS] = TSM_NsEstabResets,
	[TS_NSC_OUT_RSTS] = TSM_NsOutRsts,
	[TS_NSC_LISTEN_OVERFLOWS] = TSM_NsListenOverflows,
	[TS_NSC_LISTEN_DROPS] = TSM_NsListenDrops,
};
static const unsigned ns_rate_arcs[TS_NSC__COUNT][TS_RATE_WINDOWS] = {
	[TS_NSC_ATTEMPT_FAILS] = TS_RATE_ARCS(NsAttemptFailsRate),
	[TS_NSC_ESTAB_RESETS] = TS_RATE_ARCS(NsEstabResetsRate),
	[TS_NSC_OUT_RSTS] = TS_RATE_ARCS(NsOutRstsRate),
	[TS_NSC_LISTEN_OVERFLOWS] = TS_RATE_ARCS(NsListenOvflRate),
	[TS_NSC_LISTEN_DROPS] = TS_RATE_ARCS(NsListenDropsRate),
};

static int
ns_column(const void *row, oid col, netsnmp_variable_list *v)
{
	const struct ts_snap_ns *n = ((const struct ns_row *)row)->n;
	char cookie[24] = "";
	int c;

	switch (col) {
	case TSM_NsCookie:
		if (n->cookie != 0)
			snprintf(cookie, sizeof(cookie), "%" PRIu64, n->cookie);
		ts_set_string(v, cookie);
		return 1;
	case TSM_NsName: ts_set_string(v, n->name); return 1;
	case TSM_NsKind: ts_set_integer(v, ns_kind(n)); return 1;
	case TSM_NsState: ts_set_integer(v, ns_state(n->state)); return 1;
	case TSM_NsCreated: set_stamp(v, n->created); return 1;
	case TSM_NsGoneTime: set_stamp(v, n->gone_since); return 1;
	case TSM_NsDiscontinuity: set_stamp(v, n->discont); return 1;
	case TSM_NsListeners: ts_set_gauge(v, n->listeners); return 1;
	case TSM_NsUnlisted: ts_set_gauge(v, n->unlisted); return 1;
	case TSM_NsCovLsnDrops: ts_set_counter64(v, n->cov_lsn_drops); return 1;
	case TSM_NsCovListenDrops:
		ts_set_counter64(v, n->cov_listen_drops);
		return 1;
	case TSM_NsCovPermille:
		ts_set_gauge(v, ts_permille(n->cov_lsn_drops,
		    n->cov_listen_drops));
		return 1;
	case TSM_NsPid: ts_set_gauge(v, n->pid > 0 ? (uint32_t)n->pid : 0); return 1;
	case TSM_NsLastRead: set_stamp(v, n->last_read); return 1;
	case TSM_NsError: ts_set_string(v, n->err); return 1;
	}
	if ((c = ts_arc_find(ns_ctr_arcs, TS_NSC__COUNT, col)) >= 0) {
		ts_set_counter64(v, n->v[c]);
		return 1;
	}
	for (c = 0; c < TS_NSC__COUNT; c++)
		if (rate_cell(ns_rate_arcs[c], n->rate[c], col, v))
			return 1;
	return 0;
}

/* -------------------------------------------------------- listeners */

static const unsigned lsn_rate_arcs[] = TS_RATE_ARCS(LsnDropRate);
static const unsigned lgrp_rate_arcs[] = TS_RATE_ARCS(LsnGroupDropRate);

static int
lsn_column(const void *row, oid col, netsnmp_variable_list *v)
{
	const struct ts_snap_lsn *l = ((const struct lsn_row *)row)->l;
	uint8_t dt[11];

	switch (col) {
	case TSM_LsnName: ts_set_string(v, l->name); return 1;
	case TSM_LsnOwnerPid: ts_set_gauge(v, l->pid > 0 ? (uint32_t)l->pid : 0); return 1;
	case TSM_LsnOwnerComm: ts_set_string(v, l->comm); return 1;
	case TSM_LsnOwnerUnit: ts_set_string(v, l->unit); return 1;
	case TSM_LsnOwner: ts_set_string(v, l->owner); return 1;
	case TSM_LsnHolders: ts_set_gauge(v, l->holders); return 1;
	case TSM_LsnUid: ts_set_gauge(v, l->uid); return 1;
	case TSM_LsnQueue: ts_set_gauge(v, l->queue); return 1;
	case TSM_LsnBacklog: ts_set_gauge(v, l->backlog); return 1;
	case TSM_LsnQueueMax: ts_set_gauge(v, l->queue_max); return 1;
	case TSM_LsnFullPolls: ts_set_counter64(v, l->full_polls); return 1;
	case TSM_LsnDrops: ts_set_counter64(v, l->drops); return 1;
	case TSM_LsnSince:
		ts_set_octets(v, dt, ts_date_and_time(l->created, dt));
		return 1;
	case TSM_LsnCreated: set_stamp(v, l->created); return 1;
	case TSM_LsnLearnt: set_truth(v, l->learnt); return 1;
	case TSM_LsnGroupSize: ts_set_gauge(v, l->group_size); return 1;
	case TSM_LsnLastDrop: set_stamp(v, l->last_drop); return 1;
	case TSM_LsnIfIndex: ts_set_integer(v, (long)l->ifindex); return 1;
	case TSM_LsnV6Only: set_truth(v, l->v6only); return 1;
	}
	return rate_cell(lsn_rate_arcs, l->rate, col, v);
}

static int
lgrp_column(const void *row, oid col, netsnmp_variable_list *v)
{
	const struct ts_snap_lgrp *g = ((const struct lgrp_row *)row)->g;

	switch (col) {
	case TSM_LsnGroupName: ts_set_string(v, g->name); return 1;
	case TSM_LsnGroupMembers: ts_set_gauge(v, g->members); return 1;
	case TSM_LsnGroupFull: ts_set_gauge(v, g->full); return 1;
	case TSM_LsnGroupQueue: ts_set_gauge(v, g->queue); return 1;
	case TSM_LsnGroupBacklog: ts_set_gauge(v, g->backlog); return 1;
	case TSM_LsnGroupQueueMax: ts_set_gauge(v, g->queue_max); return 1;
	case TSM_LsnGroupDrops: ts_set_counter64(v, g->drops); return 1;
	case TSM_LsnGroupCreated: set_stamp(v, g->created); return 1;
	case TSM_LsnGroupLastDrop: set_stamp(v, g->last_drop); return 1;
	case TSM_LsnGroupOwner: ts_set_string(v, g->owner); return 1;
	}
	return rate_cell(lgrp_rate_arcs, g->rate, col, v);
}

/* The index of a listener group's row (notifications name it by it). */
size_t
ts_lsngroup_index(uint32_t netns, const struct ts_epkey *k, oid *o)
{
	return place_index(o, netns, k);
}

int
ts_lsntables_register(void)
{
	static const struct ts_table_ops ns = { ns_column, rebuild };
	static const struct ts_table_ops lsn = { lsn_column, rebuild };
	static const struct ts_table_ops lgrp = { lgrp_column, rebuild };

	ns_c = ts_table_register(TSM_T_NsTable, &ns);
	lsn_c = ts_table_register(TSM_T_LsnTable, &lsn);
	lgrp_c = ts_table_register(TSM_T_LsnGroupTable, &lgrp);
	return ns_c != NULL && lsn_c != NULL && lgrp_c != NULL ? 0 : -1;
}

void
ts_lsntables_free(void)
{
	free(ns_rows);
	free(lsn_rows);
	free(lgrp_rows);
	ns_rows = NULL;
	lsn_rows = NULL;
	lgrp_rows = NULL;
	snap = NULL;
	built = NULL;
}
