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

static const oid base_oid[] = { TS_OID_BASE };

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

void
ts_set_counter64(netsnmp_variable_list *v, uint64_t x)
{
	struct counter64 c;

	c.high = (u_long)(x >> 32);
	c.low = (u_long)(x & 0xffffffffu);
	snmp_set_var_typed_value(v, ASN_COUNTER64, &c, sizeof(c));
}

void
ts_set_gauge(netsnmp_variable_list *v, uint32_t x)
{
	u_long g = x;

	snmp_set_var_typed_value(v, ASN_GAUGE, &g, sizeof(g));
}

void
ts_set_string(netsnmp_variable_list *v, const char *s)
{
	snmp_set_var_typed_value(v, ASN_OCTET_STR, s, strlen(s));
}

u_long
ts_timestamp(ts_ns t, ts_ns wall_now)
{
	u_long up = netsnmp_get_agent_uptime();	/* centiseconds */
	ts_ns ago = (wall_now - t) / 10000000;	/* centiseconds */

	if (t <= 0 || ago < 0)
		return t <= 0 ? 0 : up;
	return (ts_ns)up > ago ? up - (u_long)ago : 0;
}

static uint32_t
permille(uint64_t seen, uint64_t kernel)
{
	uint64_t p;

	if (kernel == 0)
		return 1000;
	p = seen * 1000 / kernel;
	return p > UINT32_MAX ? UINT32_MAX : (uint32_t)p;
}

/* TCPSLEUTH-MIB's tcpsleuthCaptureState from enum ts_cap_state. */
static long
cap_state_mib(int s)
{
	switch (s) {
	case TS_CAP_RUNNING:		return 1;
	case TS_CAP_PERM_DENIED:	return 2;
	case TS_CAP_NO_DEVICE:		return 3;
	case TS_CAP_IFACE_DOWN:		return 4;
	case TS_CAP_BAD_FILTER:		return 5;
	case TS_CAP_CLOSED:		return 7;
	default:			return 6;
	}
}

static uint64_t
both(const uint64_t v[2])
{
	return v[0] + v[1];
}

/* One scalar of a group; 0 if it has no value (noSuchObject). */
static int
scalar_value(int group, oid sub, netsnmp_variable_list *v)
{
	const struct ts_snapshot *s = ts_agent_snap;
	const struct ts_hostctr *hc;
	long l;

	switch (group) {
	case TS_OBJ_HOST:
		if (sub == TS_HC__COUNT + 1) {	/* tcpsleuthHostDiscontinuity */
			u_long t = ts_timestamp(s->hc_discont, s->wall);

			snmp_set_var_typed_value(v, ASN_TIMETICKS, &t, sizeof(t));
			return 1;
		}
		if (sub < 1 || sub > TS_HC__COUNT ||
		    (hc = host_counters()) == NULL || !hc->present[sub - 1])
			return 0;
		ts_set_counter64(v, hc->v[sub - 1]);
		return 1;
	case TS_OBJ_RATES:
		if (sub >= 1 && sub <= 3 * TS_HR__COUNT) {
			int r = (int)(sub - 1) / 3, w = (int)(sub - 1) % 3;

			if (!s->hc_ok || !s->hc.present[ts_hr_counter(r)])
				return 0;
			ts_set_gauge(v, s->hc_rate[r][w]);
			return 1;
		}
		if (sub > 3 * TS_HR__COUNT && sub <= 3 * TS_HR__COUNT + 3) {
			ts_set_gauge(v, s->fail_rate[sub - 3 * TS_HR__COUNT - 1]);
			return 1;
		}
		return 0;
	case TS_OBJ_CAPTURE:
		switch (sub) {
		case 1:
			l = cap_state_mib(s->cap_state);
			snmp_set_var_typed_value(v, ASN_INTEGER, &l, sizeof(l));
			return 1;
		case 2: ts_set_string(v, s->cap_ifaces); return 1;
		case 3: ts_set_string(v, s->cap_error); return 1;
		case 4: ts_set_counter64(v, s->frames); return 1;
		case 5: ts_set_counter64(v, s->kernel_drops); return 1;
		case 6: ts_set_counter64(v, s->malformed); return 1;
		case 7: ts_set_counter64(v, s->duplicates); return 1;
		case 8: ts_set_gauge(v, (uint32_t)s->nrows); return 1;
		case 9: ts_set_gauge(v, s->max_rows); return 1;
		case 10: ts_set_counter64(v, s->admissions); return 1;
		case 11: ts_set_counter64(v, s->evictions); return 1;
		case 12: ts_set_counter64(v, s->expiries); return 1;
		case 13: {
			u_long t = ts_timestamp(s->cov_since, s->wall);

			snmp_set_var_typed_value(v, ASN_TIMETICKS, &t, sizeof(t));
			return 1;
		}
		case 14: ts_set_counter64(v, s->cov_rsts_seen); return 1;
		case 15: ts_set_counter64(v, s->cov_rsts_kernel); return 1;
		case 16: ts_set_gauge(v, permille(s->cov_rsts_seen,
		    s->cov_rsts_kernel)); return 1;
		case 17: ts_set_counter64(v, s->cov_fails_seen); return 1;
		case 18: ts_set_counter64(v, s->cov_fails_kernel); return 1;
		case 19: ts_set_gauge(v, permille(s->cov_fails_seen,
		    s->cov_fails_kernel)); return 1;
		default:
			if (sub >= 20 && sub < 20 + TS_CL__COUNT) {
				ts_set_counter64(v, both(s->classes[sub - 20]));
				return 1;
			}
			return 0;
		}
	case TS_OBJ_OTHER:
		if (sub == 1) {
			ts_set_counter64(v, s->other.failures);
			return 1;
		}
		if (sub >= 2 && sub < 2 + TS_CL__COUNT) {
			ts_set_counter64(v, s->other.count[sub - 2]);
			return 1;
		}
		return 0;
	default:
		return 0;
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

static int
register_group(const char *name, oid group, oid last)
{
	oid o[MAX_OID_LEN];
	size_t n = OID_LENGTH(base_oid);
	netsnmp_handler_registration *reg;

	memcpy(o, base_oid, sizeof(base_oid));
	o[n++] = TS_ARC_OBJECTS;
	o[n++] = group;
	reg = netsnmp_create_handler_registration(name, scalar_handler, o, n,
	    HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -1;
	reg->my_reg_void = (void *)(intptr_t)group;
	return netsnmp_register_scalar_group(reg, 1, last) == MIB_REGISTERED_OK ?
	    0 : -1;
}

/*
 * Notifications.  send_v2trap() from a subagent goes through the master,
 * and net-snmp drops it while the master is away: those are queued (a
 * bounded queue; what overflows is counted and summarised) and sent after
 * the reconnection.
 */
#define NOTIF_QUEUE	64

static struct ts_alarms *alarms;
static uint32_t notif_seq;
static netsnmp_variable_list *queued[NOTIF_QUEUE];
static int nqueued;
static uint32_t notif_lost;

static const oid trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

enum {
	N_EP_HIGH = 1, N_EP_NORMAL, N_HOST_HIGH, N_HOST_NORMAL, N_DROPS,
	N_COVERAGE, N_SUMMARY,
};
enum {	/* tcpsleuthNotifObj */
	O_ADDRTYPE = 1, O_ADDR, O_PORT, O_IFINDEX, O_IFNAME, O_NAME, O_RATE,
	O_THRESHOLD, O_SEQ, O_COUNT,
};

static size_t
mib_oid(oid *o, oid a, oid b, oid c)
{
	size_t n = OID_LENGTH(base_oid);

	memcpy(o, base_oid, sizeof(base_oid));
	o[n++] = a;
	o[n++] = b;
	if (c != (oid)-1)
		o[n++] = c;
	return n;
}

static void
var_add(netsnmp_variable_list **vars, oid group, oid obj, u_char type,
    const void *val, size_t len)
{
	oid o[MAX_OID_LEN];
	size_t n = mib_oid(o, TS_ARC_OBJECTS, group, obj);

	o[n++] = 0;
	snmp_varlist_add_variable(vars, o, n, type, val, len);
}

static void
notif_u32(netsnmp_variable_list **vars, oid obj, u_char type, uint32_t v)
{
	u_long u = v;

	var_add(vars, TS_OBJ_NOTIF, obj, type, &u, sizeof(u));
}

static netsnmp_variable_list *
notif_start(oid which)
{
	netsnmp_variable_list *vars = NULL;
	oid o[MAX_OID_LEN];
	size_t n = mib_oid(o, 0, which, (oid)-1);

	snmp_varlist_add_variable(&vars, trap_oid, OID_LENGTH(trap_oid),
	    ASN_OBJECT_ID, o, n * sizeof(oid));
	return vars;
}

static int
connected(void)
{
	return standalone || main_session != NULL;
}

static void
notif_send(netsnmp_variable_list *vars)
{
	notif_u32(&vars, O_SEQ, ASN_UNSIGNED, ++notif_seq);
	if (connected() && nqueued == 0) {
		send_v2trap(vars);
		snmp_free_varbind(vars);
	} else if (nqueued < NOTIF_QUEUE) {
		queued[nqueued++] = vars;
	} else {
		notif_lost++;
		snmp_free_varbind(vars);
	}
}

static void
notif_flush(void)
{
	netsnmp_variable_list *vars;

	if (!connected() || (nqueued == 0 && notif_lost == 0))
		return;
	if (notif_lost > 0) {
		log_warnx("%u notifications did not fit the queue while the "
		    "master was away: sending a summary", notif_lost);
		vars = notif_start(N_SUMMARY);
		notif_u32(&vars, O_COUNT, ASN_UNSIGNED, notif_lost);
		notif_u32(&vars, O_THRESHOLD, ASN_GAUGE, 0);
		notif_u32(&vars, O_SEQ, ASN_UNSIGNED, ++notif_seq);
		send_v2trap(vars);
		snmp_free_varbind(vars);
		notif_lost = 0;
	}
	log_info("sending %d notifications queued while the master was away",
	    nqueued);
	for (int i = 0; i < nqueued; i++) {
		send_v2trap(queued[i]);
		snmp_free_varbind(queued[i]);
	}
	nqueued = 0;
}

static void
on_alarm(void *arg, const struct ts_alarm_event *ev)
{
	const struct ts_alarm *a = ev->alarm;
	netsnmp_variable_list *vars;
	uint8_t octets[20];
	long l;
	int high = ev->type == TS_ALEV_RAISE;

	(void)arg;
	if (ev->type == TS_ALEV_SUMMARY) {
		log_warnx("alarm summary: %u endpoints crossed at once", ev->count);
		vars = notif_start(N_SUMMARY);
		notif_u32(&vars, O_COUNT, ASN_UNSIGNED, ev->count);
		notif_u32(&vars, O_THRESHOLD, ASN_GAUGE, ev->threshold);
		notif_send(vars);
		return;
	}
	log_info("alarm %s: %s, rate %u.%03u/s, threshold %u.%03u/s",
	    high ? "high" : "normal", a->name, a->rate / 1000, a->rate % 1000,
	    a->threshold / 1000, a->threshold % 1000);
	switch (a->kind) {
	case TS_AL_ENDPOINT:
		vars = notif_start(high ? N_EP_HIGH : N_EP_NORMAL);
		l = ts_inet_type(&a->key);
		var_add(&vars, TS_OBJ_NOTIF, O_ADDRTYPE, ASN_INTEGER, &l, sizeof(l));
		var_add(&vars, TS_OBJ_NOTIF, O_ADDR, ASN_OCTET_STR, octets,
		    ts_inet_octets(&a->key, octets));
		notif_u32(&vars, O_PORT, ASN_UNSIGNED, a->key.port);
		l = (long)a->ifindex;
		var_add(&vars, TS_OBJ_NOTIF, O_IFINDEX, ASN_INTEGER, &l, sizeof(l));
		var_add(&vars, TS_OBJ_NOTIF, O_IFNAME, ASN_OCTET_STR, a->ifname,
		    strlen(a->ifname));
		break;
	case TS_AL_HOST:
		vars = notif_start(high ? N_HOST_HIGH : N_HOST_NORMAL);
		break;
	case TS_AL_DROPS: {
		struct counter64 c = { (u_long)(a->value >> 32),
		    (u_long)(a->value & 0xffffffffu) };

		if (!high)
			return;
		vars = notif_start(N_DROPS);
		var_add(&vars, TS_OBJ_CAPTURE, 5, ASN_COUNTER64, &c, sizeof(c));
		notif_send(vars);
		return;
	}
	case TS_AL_COVERAGE:
		if (!high)
			return;
		vars = notif_start(N_COVERAGE);
		{
			u_long r = ts_agent_snap != NULL && ts_agent_snap->cov_rsts_kernel ?
			    (u_long)(ts_agent_snap->cov_rsts_seen * 1000 /
			    ts_agent_snap->cov_rsts_kernel) : 1000;
			u_long f = (u_long)a->value;

			var_add(&vars, TS_OBJ_CAPTURE, 16, ASN_GAUGE, &r, sizeof(r));
			var_add(&vars, TS_OBJ_CAPTURE, 19, ASN_GAUGE, &f, sizeof(f));
		}
		notif_send(vars);
		return;
	default:
		return;
	}
	var_add(&vars, TS_OBJ_NOTIF, O_NAME, ASN_OCTET_STR, a->name,
	    strlen(a->name));
	notif_u32(&vars, O_RATE, ASN_GAUGE, a->rate);
	notif_u32(&vars, O_THRESHOLD, ASN_GAUGE, a->threshold);
	notif_send(vars);
}

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
		ts_alarms_eval(alarms, s, ts_now_mono(), on_alarm, NULL);
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

int
ts_agent_init(const struct ts_agent_conf *ac, struct ts_collector *c)
{
	static oid mib_oid[] = { TS_OID_BASE };

	coll = c;
	standalone = ac->listen != NULL;
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
		/* TCPSLEUTH-MIB's tcpsleuthd, under tcpsleuthProducts (3). */
		remember("sysobjectid .%s.3.1", TCPSLEUTH_OID_STR);
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
	if (register_group("tcpsleuthHost", TS_OBJ_HOST, TS_HC__COUNT + 1) == -1 ||
	    register_group("tcpsleuthRates", TS_OBJ_RATES,
	    3 * TS_HR__COUNT + 3) == -1 ||
	    register_group("tcpsleuthCapture", TS_OBJ_CAPTURE,
	    19 + TS_CL__COUNT) == -1 ||
	    register_group("tcpsleuthOther", TS_OBJ_OTHER,
	    1 + TS_CL__COUNT) == -1 ||
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
		notif_flush();
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
	for (int i = 0; i < nqueued; i++)
		snmp_free_varbind(queued[i]);
	nqueued = 0;
	ts_alarms_free(alarms);
	alarms = NULL;
}
