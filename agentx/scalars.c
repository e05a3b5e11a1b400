/*
 * scalars.c - TCPSLEUTH-MIB's scalar groups: the host counters (read from
 * /proc when asked, at most every 50 ms), their rates, the capture and
 * the table's status, what the table could not keep, tcpsleuthd's own
 * start, and the kernel event source's state (its values: kevtables.c).  Everything but the host counters is answered from the snapshot
 * the agent lends; TimeStamps from the times it carries (values.h).
 */
#include "config.h"

#include "agent_int.h"
#include "clock.h"
#include "values.h"

static const struct ts_snapshot *snap;
static const char *procroot = "/proc";
static ts_ns started_mono, started_wall;	/* when tcpsleuthd started */

/* A poller gets what /proc says now, not what it said at the last poll. */
#define HOSTCTR_FRESH_NS	(50 * 1000000LL)
static struct ts_hostctr hc_now;
static int hc_now_ok;
static ts_ns hc_now_at;

static const struct ts_hostctr *
host_counters(void)
{
	ts_ns now = ts_now_mono();
	char err[256];

	if (hc_now_at == 0 || now - hc_now_at > HOSTCTR_FRESH_NS) {
		hc_now_ok = ts_hostctr_read(&hc_now, procroot, err,
		    sizeof(err)) == 0;
		hc_now_at = now;
	}
	return hc_now_ok ? &hc_now : NULL;
}

/* TCPSLEUTH-MIB's tcpsleuthCaptureState from enum ts_cap_state. */
static long
cap_state_mib(int s)
{
	switch (s) {
	case TS_CAP_RUNNING:		return TSM_CaptureState_running;
	case TS_CAP_PERM_DENIED:	return TSM_CaptureState_permissionDenied;
	case TS_CAP_NO_DEVICE:		return TSM_CaptureState_noSuchDevice;
	case TS_CAP_IFACE_DOWN:		return TSM_CaptureState_interfaceDown;
	case TS_CAP_BAD_FILTER:		return TSM_CaptureState_badFilter;
	case TS_CAP_CLOSED:		return TSM_CaptureState_closed;
	default:			return TSM_CaptureState_error;
	}
}

static uint64_t
both(const uint64_t v[2])
{
	return v[0] + v[1];
}

/* The host counters' scalars, by enum ts_hc. */
static const unsigned host_arcs[TS_HC__COUNT] = {
	[TS_HC_ACTIVE_OPENS] = TSM_HostActiveOpens,
	[TS_HC_PASSIVE_OPENS] = TSM_HostPassiveOpens,
	[TS_HC_ATTEMPT_FAILS] = TSM_HostAttemptFails,
	[TS_HC_ESTAB_RESETS] = TSM_HostEstabResets,
	[TS_HC_IN_ERRS] = TSM_HostInErrs,
	[TS_HC_OUT_RSTS] = TSM_HostOutRsts,
	[TS_HC_RETRANS_SEGS] = TSM_HostRetransSegs,
	[TS_HC_IN_CSUM_ERRORS] = TSM_HostInCsumErrors,
	[TS_HC_LISTEN_OVERFLOWS] = TSM_HostListenOverflows,
	[TS_HC_LISTEN_DROPS] = TSM_HostListenDrops,
	[TS_HC_ABORT_ON_DATA] = TSM_HostTcpAbortOnData,
	[TS_HC_ABORT_ON_CLOSE] = TSM_HostTcpAbortOnClose,
	[TS_HC_ABORT_ON_MEMORY] = TSM_HostTcpAbortOnMemory,
	[TS_HC_ABORT_ON_TIMEOUT] = TSM_HostTcpAbortOnTimeout,
	[TS_HC_ABORT_ON_LINGER] = TSM_HostTcpAbortOnLinger,
	[TS_HC_ABORT_FAILED] = TSM_HostTcpAbortFailed,
	[TS_HC_REQQ_FULL_DROP] = TSM_HostTcpReqQFullDrop,
	[TS_HC_SYNCOOKIES_SENT] = TSM_HostSyncookiesSent,
	[TS_HC_SYNCOOKIES_RECV] = TSM_HostSyncookiesRecv,
	[TS_HC_SYNCOOKIES_FAILED] = TSM_HostSyncookiesFailed,
	[TS_HC_EMBRYONIC_RSTS] = TSM_HostEmbryonicRsts,
	[TS_HC_SYN_CHALLENGE] = TSM_HostTcpSynChallenge,
	[TS_HC_CHALLENGE_ACK] = TSM_HostTcpChallengeAck,
	[TS_HC_BACKLOG_DROP] = TSM_HostTcpBacklogDrop,
	[TS_HC_SYN_RETRANS] = TSM_HostTcpSynRetrans,
};

/* The rates' scalars, by enum ts_hr and window. */
static const unsigned hr_arcs[TS_HR__COUNT][TS_RATE_WINDOWS] = {
	[TS_HR_ATTEMPT_FAILS] = TS_RATE_ARCS(HostAttemptFailsRate),
	[TS_HR_ESTAB_RESETS] = TS_RATE_ARCS(HostEstabResetsRate),
	[TS_HR_OUT_RSTS] = TS_RATE_ARCS(HostOutRstsRate),
	[TS_HR_LISTEN_DROPS] = TS_RATE_ARCS(HostListenDropsRate),
	[TS_HR_LISTEN_OVERFLOWS] = TS_RATE_ARCS(HostListenOvflRate),
};
static const unsigned seen_rate_arcs[] = TS_RATE_ARCS(SeenFailRate);
static const unsigned seen_arcs[] = TS_CLASS_ARCS(Seen);
static const unsigned other_arcs[] = TS_CLASS_ARCS(Other);

static int
host_value(const struct ts_snapshot *s, oid sub, netsnmp_variable_list *v)
{
	const struct ts_hostctr *hc;
	int h;

	if (sub == TSM_HostDiscontinuity) {	/* the later of the two */
		uint32_t start = ts_timestamp(started_mono);
		uint32_t back = ts_snap_timestamp(s, s->hc_discont);

		ts_set_timeticks(v, back > start ? back : start);
		return 1;
	}
	if ((h = ts_arc_find(host_arcs, TS_HC__COUNT, sub)) < 0 ||
	    (hc = host_counters()) == NULL || !hc->present[h])
		return 0;
	ts_set_counter64(v, hc->v[h]);
	return 1;
}

static int
rates_value(const struct ts_snapshot *s, oid sub, netsnmp_variable_list *v)
{
	int w;

	for (int r = 0; r < TS_HR__COUNT; r++)
		if ((w = ts_arc_find(hr_arcs[r], TS_RATE_WINDOWS, sub)) >= 0) {
			if (!s->hc_ok || !s->hc.present[ts_hr_counter(r)])
				return 0;
			ts_set_gauge(v, s->hc_rate[r][w]);
			return 1;
		}
	if ((w = ts_arc_find(seen_rate_arcs, TS_RATE_WINDOWS, sub)) < 0)
		return 0;
	ts_set_gauge(v, s->fail_rate[w]);
	return 1;
}

static int
capture_value(const struct ts_snapshot *s, oid sub, netsnmp_variable_list *v)
{
	long l;
	int c;

	switch (sub) {
	case TSM_CaptureState:
		l = cap_state_mib(s->cap_state);
		snmp_set_var_typed_value(v, ASN_INTEGER, &l, sizeof(l));
		return 1;
	case TSM_CaptureInterfaces: ts_set_string(v, s->cap_ifaces); return 1;
	case TSM_CaptureError: ts_set_string(v, s->cap_error); return 1;
	case TSM_CapturePackets: ts_set_counter64(v, s->dec.frames); return 1;
	case TSM_CaptureKernelDrops: ts_set_counter64(v, s->kernel_drops); return 1;
	case TSM_CaptureMalformed:
		ts_set_counter64(v, ts_decode_malformed_total(&s->dec));
		return 1;
	case TSM_CaptureDuplicates: ts_set_counter64(v, s->duplicates); return 1;
	case TSM_TableRows: ts_set_gauge(v, (uint32_t)s->nrows); return 1;
	case TSM_TableMaxRows: ts_set_gauge(v, s->max_rows); return 1;
	case TSM_TableAdmissions: ts_set_counter64(v, s->admissions); return 1;
	case TSM_TableEvictions: ts_set_counter64(v, s->evictions); return 1;
	case TSM_TableExpiries: ts_set_counter64(v, s->expiries); return 1;
	case TSM_CovSince:
		ts_set_timeticks(v, ts_snap_timestamp(s, s->cov_since));
		return 1;
	case TSM_CovRstsSeen: ts_set_counter64(v, s->cov_rsts_seen); return 1;
	case TSM_CovRstsKernel: ts_set_counter64(v, s->cov_rsts_kernel); return 1;
	case TSM_CovRstsPermille:
		ts_set_gauge(v, ts_permille(s->cov_rsts_seen, s->cov_rsts_kernel));
		return 1;
	case TSM_CovFailsSeen: ts_set_counter64(v, s->cov_fails_seen); return 1;
	case TSM_CovFailsKernel: ts_set_counter64(v, s->cov_fails_kernel); return 1;
	case TSM_CovFailsPermille:
		ts_set_gauge(v, ts_permille(s->cov_fails_seen, s->cov_fails_kernel));
		return 1;
	default:
		if ((c = ts_arc_find(seen_arcs, TS_CL__COUNT, sub)) < 0)
			return 0;
		ts_set_counter64(v, both(s->cls.failures[c]));
		return 1;
	}
}

static int
other_value(const struct ts_snapshot *s, oid sub, netsnmp_variable_list *v)
{
	int c;

	if (sub == TSM_OtherFailures) {
		ts_set_counter64(v, s->other.failures);
		return 1;
	}
	if (sub == TSM_OtherLsnOverflows) {
		ts_set_counter64(v, s->other.lsn_overflows);
		return 1;
	}
	if ((c = ts_arc_find(other_arcs, TS_CL__COUNT, sub)) < 0)
		return 0;
	ts_set_counter64(v, s->other.count[c]);
	return 1;
}

static int
agent_value(oid sub, netsnmp_variable_list *v)
{
	uint8_t dt[11];

	switch (sub) {
	case TSM_AgentDiscontinuity:
		ts_set_timeticks(v, ts_timestamp(started_mono));
		return 1;
	case TSM_AgentStarted:
		ts_set_octets(v, dt, ts_date_and_time(started_wall, dt));
		return 1;
	default:
		return 0;
	}
}

/* One scalar of a group; 0 if it has no value (noSuchObject). */
static int
scalar_value(int group, oid sub, netsnmp_variable_list *v)
{
	const struct ts_snapshot *s = snap;

	if (s == NULL)
		return 0;
	switch (group) {
	case TSM_Host:		return host_value(s, sub, v);
	case TSM_Rates:		return rates_value(s, sub, v);
	case TSM_Capture:	return capture_value(s, sub, v);
	case TSM_Other:		return other_value(s, sub, v);
	case TSM_Agent:		return agent_value(sub, v);
	case TSM_Kernel:	return ts_kev_scalar(s, sub, v);
	default:		return 0;
	}
}

static int
scalar_handler(netsnmp_mib_handler *handler,
    netsnmp_handler_registration *reg, netsnmp_agent_request_info *reqinfo,
    netsnmp_request_info *requests)
{
	int group = (int)(intptr_t)reg->my_reg_void;

	(void)handler;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;	/* read-only: net-snmp says so */
	for (netsnmp_request_info *r = requests; r != NULL; r = r->next) {
		netsnmp_variable_list *v = r->requestvb;
		oid sub = v->name_length >= 2 ? v->name[v->name_length - 2] : 0;

		if (r->processed)
			continue;
		if (!scalar_value(group, sub, v))
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
	}
	return SNMP_ERR_NOERROR;
}

/* A scalar group: oid (its last arc names it), first and last scalar. */
static int
register_group(const char *name, const oid *o, size_t n, oid first, oid last)
{
	netsnmp_handler_registration *reg;

	reg = netsnmp_create_handler_registration(name, scalar_handler, o, n,
	    HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -1;
	reg->my_reg_void = (void *)(intptr_t)o[n - 1];
	return netsnmp_register_scalar_group(reg, first, last) ==
	    MIB_REGISTERED_OK ? 0 : -1;
}

static const oid oid_Host[] = { TS_OID_BASE, TSM_Host_OID };
static const oid oid_Rates[] = { TS_OID_BASE, TSM_Rates_OID };
static const oid oid_Capture[] = { TS_OID_BASE, TSM_Capture_OID };
static const oid oid_Other[] = { TS_OID_BASE, TSM_Other_OID };
static const oid oid_Agent[] = { TS_OID_BASE, TSM_Agent_OID };
static const oid oid_Kernel[] = { TS_OID_BASE, TSM_Kernel_OID };

void
ts_scalars_snapshot(const struct ts_snapshot *s)
{
	snap = s;
}

int
ts_scalars_register(const char *proc, ts_ns mono, ts_ns wall)
{
#define GROUP(g)	register_group("tcpsleuth" #g, oid_##g,		\
	    OID_LENGTH(oid_##g), TSM_##g##_MIN, TSM_##g##_MAX)

	if (proc != NULL)
		procroot = proc;
	started_mono = mono;
	started_wall = wall;
	return GROUP(Host) == -1 || GROUP(Rates) == -1 || GROUP(Capture) == -1 ||
	    GROUP(Other) == -1 || GROUP(Agent) == -1 || GROUP(Kernel) == -1 ?
	    -1 : 0;
#undef GROUP
}
