/*
 * kevtables.c - the kernel event source in TCPSLEUTH-MIB: tcpsleuthKernel's
 * scalars (for scalars.c), the endpoint table's kernel columns (for
 * tables.c), tcpsleuthKprogTable and tcpsleuthCallerTable, all answered
 * from the snapshot the agent lends (tables.c passes it on).  The tables
 * are sorted containers, rebuilt when a request comes and the snapshot
 * changed, as tables.c's are.  While the source does not run (state
 * unavailable or disabled) the kernel columns and the caller table are
 * absent; the state, its reason and the programs say why.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "agent_int.h"
#include "log.h"
#include "values.h"

struct kprog_row {
	netsnmp_index		 idx;		/* first: the container's key */
	oid			 o[1];
	const struct ts_snap_kprog *p;
};

struct caller_row {
	netsnmp_index		 idx;
	oid			 o[TS_EP_INDEX_MAX + 1];
	const struct ts_snap_caller *c;
};

static const struct ts_snapshot *snap;	/* lent */
static const struct ts_snapshot *built;	/* the containers hold its rows */
static uint64_t built_serial;
static netsnmp_container *kprog_c, *caller_c;
static struct kprog_row kprog_rows[KEV__PROGS];
static struct caller_row *caller_rows;

/* The errno columns of an endpoint, by enum kev_errcol. */
static const unsigned err_arcs[KEV_E__COUNT] = {
	[KEV_E_CONNREFUSED] = TSM_EpErrConnRefused,
	[KEV_E_TIMEDOUT] = TSM_EpErrTimedOut,
	[KEV_E_HOSTUNREACH] = TSM_EpErrHostUnreach,
	[KEV_E_NETUNREACH] = TSM_EpErrNetUnreach,
	[KEV_E_ADDRNOTAVAIL] = TSM_EpErrAddrNotAvail,
	[KEV_E_PERM] = TSM_EpErrPerm,
	[KEV_E_NETFILTER] = TSM_EpNetfilterDrops,
	[KEV_E_OTHER] = TSM_EpErrOther,
};
_Static_assert(KEV_E__COUNT == 8,
    "a new errno column needs its column in TCPSLEUTH-MIB and err_arcs");

int
ts_kev_running(const struct ts_snapshot *s)
{
	return s != NULL && (s->kev_state == KEVSRC_RUNNING ||
	    s->kev_state == KEVSRC_PARTIAL);
}

static long
state_mib(int st)
{
	switch (st) {
	case KEVSRC_RUNNING:	return TSM_KernelState_running;
	case KEVSRC_PARTIAL:	return TSM_KernelState_partial;
	case KEVSRC_DISABLED:	return TSM_KernelState_disabled;
	default:		return TSM_KernelState_unavailable;
	}
}

int
ts_kev_scalar(const struct ts_snapshot *s, oid sub, netsnmp_variable_list *v)
{
	switch (sub) {
	case TSM_KernelState: ts_set_integer(v, state_mib(s->kev_state)); return 1;
	case TSM_KernelReason: ts_set_string(v, s->kev_reason); return 1;
	case TSM_KernelEvents:
		ts_set_counter64(v, s->kev_c[KEV_C_EVENTS]);
		return 1;
	case TSM_KernelRingFull:
		ts_set_counter64(v, s->kev_c[KEV_C_RING_FULL]);
		return 1;
	case TSM_KernelSynMapFull:
		ts_set_counter64(v, s->kev_c[KEV_C_SYN_FULL]);
		return 1;
	case TSM_KernelThreadMapFull:
		ts_set_counter64(v, s->kev_c[KEV_C_TID_FULL]);
		return 1;
	case TSM_KernelBadRecords: ts_set_counter64(v, s->kev_bad_records); return 1;
	case TSM_KernelFailures: ts_set_counter64(v, s->kev_failures); return 1;
	case TSM_KernelUnknownCallers: ts_set_counter64(v, s->kev_unknown); return 1;
	case TSM_KernelNetfilterSyns:
		ts_set_counter64(v, s->kev_c[KEV_C_NF_SYN_DROPS]);
		return 1;
	default:
		return 0;
	}
}

int
ts_kev_ep_column(const struct ts_snapshot *s, const struct ts_snap_row *r,
    oid col, netsnmp_variable_list *v)
{
	const struct ts_snap_krow *k = &r->k;
	uint8_t dt[11];
	int i;

	if (!ts_kev_running(s))
		return 0;
	switch (col) {
	case TSM_EpKernelAttempts: ts_set_counter64(v, k->attempts); return 1;
	case TSM_EpKernelSince:
		ts_set_timeticks(v, ts_snap_timestamp(s, k->since));
		return 1;
	case TSM_EpKernelOnly: ts_set_counter64(v, k->kfail); return 1;
	case TSM_EpOtherCallers: ts_set_counter64(v, k->other); return 1;
	case TSM_EpUnknownCallers: ts_set_counter64(v, k->unknown); return 1;
	case TSM_EpLastCaller: ts_set_string(v, k->last_caller); return 1;
	case TSM_EpLastListener: ts_set_string(v, k->last_listener); return 1;
	case TSM_EpListenerStopped:
		ts_set_octets(v, dt, ts_date_and_time(k->listener_stopped, dt));
		return 1;
	}
	if ((i = ts_arc_find(err_arcs, KEV_E__COUNT, col)) < 0)
		return 0;
	ts_set_counter64(v, k->errs[i]);
	return 1;
}

static int
kprog_column(const struct ts_snap_kprog *p, oid col, netsnmp_variable_list *v)
{
	switch (col) {
	case TSM_KprogName: ts_set_string(v, p->name); return 1;
	case TSM_KprogHook: ts_set_string(v, p->hook); return 1;
	case TSM_KprogState:
		ts_set_integer(v, p->state == TS_KPROG_LOADED ?
		    TSM_KprogState_loaded : p->state == TS_KPROG_DISABLED ?
		    TSM_KprogState_disabled : TSM_KprogState_failed);
		return 1;
	case TSM_KprogErrno: ts_set_gauge(v, (uint32_t)p->err); return 1;
	case TSM_KprogError: ts_set_string(v, p->error); return 1;
	default: return 0;
	}
}

static int
caller_column(const struct ts_snap_caller *c, oid col,
    netsnmp_variable_list *v)
{
	uint8_t dt[11];

	switch (col) {
	case TSM_CallerNetns: ts_set_gauge(v, c->netns); return 1;
	case TSM_CallerCgroup: ts_set_string(v, c->cgroup); return 1;
	case TSM_CallerOwner: ts_set_string(v, c->owner); return 1;
	case TSM_CallerUid: ts_set_gauge(v, c->uid); return 1;
	case TSM_CallerComm: ts_set_string(v, c->comm); return 1;
	case TSM_CallerLastPid: ts_set_gauge(v, c->pid); return 1;
	case TSM_CallerPidStarted:
		ts_set_octets(v, dt, ts_date_and_time(c->pid_start, dt));
		return 1;
	case TSM_CallerAttempts: ts_set_counter64(v, c->count); return 1;
	case TSM_CallerCreated:
		ts_set_timeticks(v, ts_snap_timestamp(snap, c->created));
		return 1;
	case TSM_CallerLastSeen:
		ts_set_octets(v, dt, ts_date_and_time(c->last, dt));
		return 1;
	case TSM_CallerLine: ts_set_string(v, c->line); return 1;
	default: return 0;
	}
}

static int
kprog_value(const void *row, oid col, netsnmp_variable_list *v)
{
	return kprog_column(((const struct kprog_row *)row)->p, col, v);
}

static int
caller_value(const void *row, oid col, netsnmp_variable_list *v)
{
	return caller_column(((const struct caller_row *)row)->c, col, v);
}

/* By index; each row's own o[] (qsort moves rows: idx.oids is set after). */
static int
caller_cmp(const void *a, const void *b)
{
	const struct caller_row *x = a, *y = b;

	return snmp_oid_compare(x->o, x->idx.len, y->o, y->idx.len);
}

void
ts_kevtables_snapshot(const struct ts_snapshot *s)
{
	snap = s;
}

void
ts_kevtables_rebuild(void)
{
	const struct ts_snapshot *s = snap;
	size_t n;

	if (s == built && (s == NULL || s->serial == built_serial))
		return;
	built = NULL;
	CONTAINER_CLEAR(kprog_c, NULL, NULL);
	CONTAINER_CLEAR(caller_c, NULL, NULL);
	free(caller_rows);
	caller_rows = NULL;
	if (s == NULL || s->kev_state == 0)
		return;
	for (unsigned i = 0; i < KEV__PROGS; i++) {	/* in index order */
		kprog_rows[i].p = &s->kprog[i];
		kprog_rows[i].o[0] = i + 1;
		kprog_rows[i].idx.oids = kprog_rows[i].o;
		kprog_rows[i].idx.len = 1;
		CONTAINER_INSERT(kprog_c, &kprog_rows[i]);
	}
	n = ts_kev_running(s) ? s->ncallers : 0;
	if ((caller_rows = calloc(n ? n : 1, sizeof(*caller_rows))) == NULL) {
		log_warnx("cannot allocate the caller table");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct caller_row *c = &caller_rows[i];
		size_t k = ts_ep_index(&s->callers[i].key,
		    s->callers[i].key.netns, c->o);

		c->o[k++] = s->callers[i].id;
		c->c = &s->callers[i];
		c->idx.len = k;
	}
	qsort(caller_rows, n, sizeof(*caller_rows), caller_cmp);
	for (size_t i = 0; i < n; i++) {
		caller_rows[i].idx.oids = caller_rows[i].o;	/* moved by qsort */
		CONTAINER_INSERT(caller_c, &caller_rows[i]);
	}
	built = s;
	built_serial = s->serial;
}

int
ts_kevtables_register(void)
{
	static const struct ts_table_ops kprog = { kprog_value,
	    ts_kevtables_rebuild }, callers = { caller_value,
	    ts_kevtables_rebuild };

	kprog_c = ts_table_register(TSM_T_KprogTable, &kprog);
	caller_c = ts_table_register(TSM_T_CallerTable, &callers);
	return kprog_c != NULL && caller_c != NULL ? 0 : -1;
}

void
ts_kevtables_free(void)
{
	free(caller_rows);
	caller_rows = NULL;
	snap = NULL;
	built = NULL;
}
