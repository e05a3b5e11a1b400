/*
 * agent.c - net-snmp set-up, the scalar groups of TCPSLEUTH-MIB, and the
 * loop that owns every net-snmp call: its descriptors come from
 * snmp_select_info2() each turn, then snmp_read2(), snmp_timeout() and
 * run_alarms() (AgentX pings and reconnects are alarms).  The capture
 * runs in the collector's thread; this one only reads its snapshots.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "agent_int.h"
#include "clock.h"
#include "log.h"
#include "values.h"

/* net-snmp reads <name>.conf: not tcpsleuthd.conf, the product's own. */
#define NETSNMP_APP	"tcpsleuthd-netsnmp"

struct ts_snapshot *ts_agent_snap;
static struct ts_collector *coll;
static int standalone;
static const char *procroot = "/proc";

/*
 * The kernel counters are read when asked (at most every 50 ms), so a
 * poller gets what /proc says now, not what it said at the last poll.
 */
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

/* net-snmp's log messages, into ours. */
static int
log_cb(int major, int minor, void *serverarg, void *clientarg)
{
	struct snmp_log_message *m = serverarg;
	char buf[1024];
	size_t n;

	(void)major;
	(void)minor;
	(void)clientarg;
	snprintf(buf, sizeof(buf), "net-snmp: %s", m->msg ? m->msg : "");
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (m->priority <= LOG_WARNING)
		log_warnx("%s", buf);
	else if (m->priority <= LOG_INFO)
		log_info("%s", buf);
	else
		log_debug("%s", buf);
	return SNMP_ERR_NOERROR;
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
	[TS_HR_LISTEN_OVERFLOWS] = TS_RATE_ARCS(HostListenOverflowsRate),
};
static const unsigned seen_rate_arcs[] = TS_RATE_ARCS(SeenFailRate);
static const unsigned seen_arcs[] = TS_CLASS_ARCS(Seen);
static const unsigned other_arcs[] = TS_CLASS_ARCS(Other);

static int
host_value(const struct ts_snapshot *s, oid sub, netsnmp_variable_list *v)
{
	const struct ts_hostctr *hc;
	int h;

	if (sub == TSM_HostDiscontinuity) {
		u_long t = ts_timestamp(s->hc_discont, s->wall);

		snmp_set_var_typed_value(v, ASN_TIMETICKS, &t, sizeof(t));
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
	case TSM_CapturePackets: ts_set_counter64(v, s->frames); return 1;
	case TSM_CaptureKernelDrops: ts_set_counter64(v, s->kernel_drops); return 1;
	case TSM_CaptureMalformed: ts_set_counter64(v, s->malformed); return 1;
	case TSM_CaptureDuplicates: ts_set_counter64(v, s->duplicates); return 1;
	case TSM_TableRows: ts_set_gauge(v, (uint32_t)s->nrows); return 1;
	case TSM_TableMaxRows: ts_set_gauge(v, s->max_rows); return 1;
	case TSM_TableAdmissions: ts_set_counter64(v, s->admissions); return 1;
	case TSM_TableEvictions: ts_set_counter64(v, s->evictions); return 1;
	case TSM_TableExpiries: ts_set_counter64(v, s->expiries); return 1;
	case TSM_CovSince: {
		u_long t = ts_timestamp(s->cov_since, s->wall);

		snmp_set_var_typed_value(v, ASN_TIMETICKS, &t, sizeof(t));
		return 1;
	}
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
		ts_set_counter64(v, both(s->classes[c]));
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
	if ((c = ts_arc_find(other_arcs, TS_CL__COUNT, sub)) < 0)
		return 0;
	ts_set_counter64(v, s->other.count[c]);
	return 1;
}

/* One scalar of a group; 0 if it has no value (noSuchObject). */
static int
scalar_value(int group, oid sub, netsnmp_variable_list *v)
{
	const struct ts_snapshot *s = ts_agent_snap;

	switch (group) {
	case TSM_Host:		return host_value(s, sub, v);
	case TSM_Rates:		return rates_value(s, sub, v);
	case TSM_Capture:	return capture_value(s, sub, v);
	case TSM_Other:		return other_value(s, sub, v);
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

static struct ts_alarms *alarms;

/* Take the collector's newest snapshot; evaluate the alarms on it. */
static void
refresh(void)
{
	struct ts_snapshot *s = ts_collector_acquire(coll);

	if (ts_agent_snap != NULL && s != NULL &&
	    s->serial == ts_agent_snap->serial) {
		ts_collector_release(coll, s);
		return;
	}
	if (s == NULL)
		return;
	ts_collector_release(coll, ts_agent_snap);
	ts_agent_snap = s;
	if (alarms != NULL) {
		ts_alarms_eval(alarms, s, ts_now_mono(), ts_notify_alarm, s);
		ts_tables_alarms(alarms);
	}
}

void
ts_agent_conf_default(struct ts_agent_conf *ac)
{
	memset(ac, 0, sizeof(*ac));
	ac->ping_interval = 15;
	ac->agentx_timeout = 1;
	ts_alarm_conf_default(&ac->alarm);
}

static void
remember(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	netsnmp_config_remember(line);
}

/* TCPSLEUTH-MIB's tcpsleuthd, the standalone agent's sysObjectID. */
static const char *
product_oid(void)
{
	static const oid o[] = { TS_OID_BASE, TSM_tcpsleuthd_OID };
	static char buf[256];
	size_t n = 0;

	for (size_t i = 0; i < OID_LENGTH(o) && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ".%lu",
		    (unsigned long)o[i]);
	return buf;
}

int
ts_agent_init(const struct ts_agent_conf *ac, struct ts_collector *c)
{
	static oid mib_oid[] = { TS_OID_BASE };

	coll = c;
	standalone = ac->listen != NULL;
	ts_notify_init(standalone);
	/*
	 * A snapshot before any handler is registered: registering with the
	 * master waits for its answers, and net-snmp serves requests that
	 * arrive meanwhile (the collector published one at its start).
	 */
	if ((ts_agent_snap = ts_collector_acquire(coll)) == NULL) {
		log_warnx("no snapshot from the capture thread");
		return -1;
	}
	if ((alarms = ts_alarms_new(&ac->alarm)) == NULL) {
		log_warnx("cannot allocate the alarms");
		return -1;
	}
	if (ac->procroot != NULL)
		procroot = ac->procroot;

	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    log_cb, NULL);
	if (ac->verbose > 1)
		snmp_set_do_debugging(1);
	setenv("MIBS", "", 1);		/* no MIB files: numeric OIDs only */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	if (standalone) {
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_ROLE, TS_ROLE_MASTER);
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_MASTER, 0);
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_PORTS, ac->listen);
		/* Not a log line per request. */
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_DONT_LOG_TCPWRAPPERS_CONNECTS, 1);
	} else {
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_ROLE, TS_ROLE_SUB);
		if (ac->agentx_socket != NULL)
			netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
			    NETSNMP_DS_AGENT_X_SOCKET, ac->agentx_socket);
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_TIMEOUT, ac->agentx_timeout * 1000000);
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_RETRIES, 0);
	}
	if (init_agent(NETSNMP_APP) != 0) {
		log_warnx("net-snmp: init_agent failed");
		return -1;
	}
	/* After init_agent, which sets the defaults; before init_snmp,
	 * which connects to the master and arms the ping alarm. */
	if (!standalone)
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, ac->ping_interval);
	if (standalone) {
		remember("sysdescr tcpsleuthd %s: failing TCP connections",
		    PACKAGE_VERSION);
		remember("sysobjectid %s", product_oid());
		if (ac->community != NULL)
			remember("rocommunity %s", ac->community);
		if (ac->v3_user != NULL) {
			remember("createUser %s SHA %s AES %s", ac->v3_user,
			    ac->v3_auth, ac->v3_priv);
			remember("rouser %s authpriv", ac->v3_user);
		}
		for (int i = 0; i < ac->ntrap_sinks; i++)
			remember("trap2sink %s %s", ac->trap_sinks[i],
			    ac->trap_community != NULL ? ac->trap_community :
			    ac->community != NULL ? ac->community : "public");
		init_system_mib();
		init_sysORTable();
		init_vacm_vars();
		init_usmUser();
		init_snmpEngine();
	}
#define GROUP(g)	register_group("tcpsleuth" #g, oid_##g,		\
	    OID_LENGTH(oid_##g), TSM_##g##_MIN, TSM_##g##_MAX)
	if (GROUP(Host) == -1 || GROUP(Rates) == -1 || GROUP(Capture) == -1 ||
	    GROUP(Other) == -1 ||
	    ts_tables_register(c) == -1) {
		log_warnx("cannot register TCPSLEUTH-MIB");
		return -1;
	}
	REGISTER_SYSOR_ENTRY(mib_oid, "TCPSLEUTH-MIB: failing TCP connections "
	    "and the resets behind them");
	init_snmp(NETSNMP_APP);
	if (standalone && init_master_agent() != 0) {
		log_warnx("cannot listen on %s", ac->listen);
		return -1;
	}
	refresh();
	log_info("serving TCPSLEUTH-MIB (%s) %s %s", TCPSLEUTH_OID_STR,
	    standalone ? "on" : "as an AgentX subagent of",
	    standalone ? ac->listen : ac->agentx_socket ? ac->agentx_socket :
	    "the default master socket");
	return 0;
}

void
ts_agent_reconf(const struct ts_alarm_conf *ac)
{
	if (alarms != NULL)
		ts_alarms_reconf(alarms, ac);
}

/* Shorten *tv (or set it, when !*have) to at most d nanoseconds. */
static void
earliest(struct timeval *tv, int *have, ts_ns d)
{
	if (d < 0)
		d = 0;
	if (!*have || (ts_ns)tv->tv_sec * TS_NS_PER_SEC +
	    (ts_ns)tv->tv_usec * 1000 > d) {
		tv->tv_sec = (time_t)(d / TS_NS_PER_SEC);
		tv->tv_usec = (suseconds_t)((d % TS_NS_PER_SEC + 999) / 1000);
		*have = 1;
	}
}

static void
fd_add(netsnmp_large_fd_set *fds, int *nfds, int fd)
{
	if (fd < 0)
		return;
	NETSNMP_LARGE_FD_SET(fd, fds);
	if (fd >= *nfds)
		*nfds = fd + 1;
}

static void
fd_drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

void
ts_agent_run(volatile sig_atomic_t *stop, volatile sig_atomic_t *hup,
    void (*reload)(void), ts_ns (*tick)(void), int wakefd)
{
	int pubfd = ts_collector_notify_fd(coll);

	while (!*stop) {
		netsnmp_large_fd_set fds;
		struct timeval tv = { 0, 0 };
		int nfds = 0, block = 1, have, n;	/* 1: no timeout yet */
		ts_ns tick_at;

		if (*hup) {
			*hup = 0;
			reload();
		}
		tick_at = tick();
		netsnmp_large_fd_set_init(&fds, FD_SETSIZE);
		/*
		 * Sleep until a request, a new snapshot, a signal (wakefd: the
		 * handlers write to it), net-snmp's next timeout or alarm (the
		 * AgentX ping: select_info2 counts alarms, since they are not
		 * SIGALRM), or tick()'s next wish (the watchdog): nothing wakes
		 * an idle agent that was not configured to.
		 */
		snmp_select_info2(&nfds, &fds, &tv, &block);
		fd_add(&fds, &nfds, pubfd);
		fd_add(&fds, &nfds, wakefd);
		have = !block;
		if (tick_at != 0)
			earliest(&tv, &have, tick_at - ts_now_mono());
		n = netsnmp_large_fd_set_select(nfds, &fds, NULL, NULL,
		    have ? &tv : NULL);
		if (n > 0) {
			if (NETSNMP_LARGE_FD_ISSET(pubfd, &fds))
				fd_drain(pubfd);
			if (wakefd >= 0 && NETSNMP_LARGE_FD_ISSET(wakefd, &fds))
				fd_drain(wakefd);
			snmp_read2(&fds);
		} else if (n == -1 && errno != EINTR)
			log_warn("select");
		snmp_timeout();
		netsnmp_large_fd_set_cleanup(&fds);
		run_alarms();
		netsnmp_check_outstanding_agent_requests();
		ts_notify_flush();
		refresh();
	}
}

void
ts_agent_shutdown(void)
{
	snmp_shutdown(NETSNMP_APP);
	ts_tables_free();
	ts_collector_release(coll, ts_agent_snap);
	ts_agent_snap = NULL;
	ts_notify_free();
	ts_alarms_free(alarms);
	alarms = NULL;
}
