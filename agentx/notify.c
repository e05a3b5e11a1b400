/*
 * notify.c - TCPSLEUTH-MIB's notifications from alarm events.  Each one
 * carries the OBJECTS its NOTIFICATION-TYPE lists, in that order and of
 * the types the MIB gives them (both from mibdefs, generated from the
 * MIB).  send_v2trap() from a subagent goes through the master, and
 * net-snmp drops it while the master is away: those are queued (a bounded
 * queue; what overflows is counted and summarised) and sent after the
 * reconnection.  A column among the OBJECTS (a listener notification's
 * tcpsleuthLsnGroup* objects) is the instance of the alarm's row: its
 * index names what the notification is about.  Runs in the SNMP thread.
 */
#include "config.h"

#include <string.h>

#include "agent_int.h"
#include "log.h"
#include "values.h"

#define NOTIF_QUEUE	64

static int standalone;
static uint32_t notif_seq;
static netsnmp_variable_list *queued[NOTIF_QUEUE];
static int nqueued;
static uint32_t notif_lost;

static const oid trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

static int
connected(void)
{
	return standalone || main_session != NULL;
}

/* A text field as octets: notif_value's 2. */
static int
octets(uint8_t *buf, size_t *len, const char *s, size_t max)
{
	*len = strnlen(s, max);
	memcpy(buf, s, *len);
	return 2;
}

/*
 * The value of one of a notification's objects: a number (returns 1, in
 * *u) or octets (returns 2, in buf), or 0 when this code has none for it
 * (a MIB change the code did not follow: the unit test catches it).
 */
static int
notif_value(const struct ts_notif *n, enum tsm_id id, uint64_t *u,
    uint8_t *buf, size_t *len)
{
	const struct ts_alarm *a = n->alarm;

	switch (id) {
	case TSM_ID_NotifSequence: *u = n->seq; return 1;
	case TSM_ID_NotifCount: *u = n->count; return 1;
	case TSM_ID_NotifThreshold:
		*u = a != NULL ? a->threshold : n->threshold;
		return 1;
	default:
		break;
	}
	if (a == NULL)
		return 0;
	switch (id) {
	case TSM_ID_NotifAddressType: *u = (uint64_t)ts_inet_type(&a->key); return 1;
	case TSM_ID_NotifAddress: *len = ts_inet_octets(&a->key, buf); return 2;
	case TSM_ID_NotifPort: *u = a->key.port; return 1;
	case TSM_ID_NotifIfIndex: *u = a->ifindex; return 1;
	case TSM_ID_NotifIfName:
		return octets(buf, len, a->ifname, sizeof(a->ifname));
	case TSM_ID_NotifName:
	case TSM_ID_LsnGroupName:
		return octets(buf, len, a->name, sizeof(a->name));
	case TSM_ID_NotifRate: *u = a->rate; return 1;
	case TSM_ID_NotifCaller:
		*len = strnlen(n->caller, sizeof(n->caller));
		memcpy(buf, n->caller, *len);
		return 2;
	case TSM_ID_CaptureKernelDrops: *u = a->value; return 1;
	case TSM_ID_CovRstsPermille: *u = n->rsts_permille; return 1;
	case TSM_ID_CovFailsPermille: *u = a->value; return 1;
	case TSM_ID_LsnGroupOwner:
		return octets(buf, len, a->owner, sizeof(a->owner));
	case TSM_ID_LsnGroupBacklog: *u = a->backlog; return 1;
	case TSM_ID_LsnGroupQueue: *u = a->queue; return 1;
	case TSM_ID_LsnGroupDrops: *u = a->value; return 1;
	default: return 0;
	}
}

/* The instance of object ob in notification n: .0 for a scalar, the
 * alarm's row for a column of tcpsleuthLsnGroupTable; 0 if none. */
static size_t
notif_instance(const struct ts_notif *n, const struct tsm_object *ob,
    oid *o)
{
	if (ob->kind == TSM_SCALAR) {
		o[0] = 0;
		return 1;
	}
	if (n->alarm != NULL && ob->oid[1] == TSM_LsnGroupTable)
		return ts_lsngroup_index(n->alarm->netns, &n->alarm->key, o);
	return 0;
}

netsnmp_variable_list *
ts_notif_vars(const struct ts_notif *n)
{
	const struct tsm_notification *nt = &tsm_notifications[n->which];
	netsnmp_variable_list *vars = NULL;
	oid o[MAX_OID_LEN] = { TS_OID_BASE, TSM_Notifications_OID };
	size_t base = OID_LENGTH(((oid[]){ TS_OID_BASE })), len;
	uint8_t buf[256];
	uint64_t u;
	size_t ninst;

	o[base + TSM_Notifications_OIDLEN] = nt->arc;
	snmp_varlist_add_variable(&vars, trap_oid, OID_LENGTH(trap_oid),
	    ASN_OBJECT_ID, o, (base + TSM_Notifications_OIDLEN + 1) * sizeof(oid));
	for (unsigned i = 0; i < nt->nobjects; i++) {
		const struct tsm_object *ob = &tsm_objects[nt->objects[i]];
		netsnmp_variable_list *v;
		int kind = notif_value(n, nt->objects[i], &u, buf, &len);

		ninst = notif_instance(n, ob, o + base + ob->oidlen);
		if (kind == 0 || ninst == 0) {
			log_warnx("%s: no value for %s", nt->name, ob->name);
			continue;
		}
		for (unsigned k = 0; k < ob->oidlen; k++)
			o[base + k] = ob->oid[k];
		v = snmp_varlist_add_variable(&vars, o, base + ob->oidlen + ninst,
		    ob->type, NULL, 0);
		if (v == NULL)
			continue;
		if (kind == 2)
			snmp_set_var_typed_value(v, ob->type, buf, len);
		else
			ts_set_number(v, ob->type, u);
	}
	return vars;
}

static void
notif_send(struct ts_notif *n)
{
	netsnmp_variable_list *vars;

	n->seq = ++notif_seq;
	vars = ts_notif_vars(n);
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

void
ts_notify_flush(void)
{
	if (!connected() || (nqueued == 0 && notif_lost == 0))
		return;
	if (notif_lost > 0) {
		struct ts_notif n = { .which = TSM_N_AlarmSummary,
		    .count = notif_lost, .seq = ++notif_seq };
		netsnmp_variable_list *vars = ts_notif_vars(&n);

		log_warnx("%u notifications did not fit the queue while the "
		    "master was away: sending a summary", notif_lost);
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

/* The last caller of the endpoint key in s, or "". */
static void
last_caller(const struct ts_snapshot *s, const struct ts_epkey *key,
    char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; s != NULL && i < s->nrows; i++)
		if (ts_epkey_cmp(&s->rows[i].key, key) == 0) {
			snprintf(buf, len, "%s", s->rows[i].k.last_caller);
			return;
		}
}

/* The alarms' sink; arg is the snapshot they were evaluated on. */
void
ts_notify_alarm(void *arg, const struct ts_alarm_event *ev)
{
	const struct ts_snapshot *s = arg;
	const struct ts_alarm *a = ev->alarm;
	struct ts_notif n = { .alarm = a };
	int high = ev->type == TS_ALEV_RAISE;

	if (ev->type == TS_ALEV_SUMMARY) {
		log_warnx("alarm summary: %u endpoints crossed at once", ev->count);
		n.which = TSM_N_AlarmSummary;
		n.count = ev->count;
		n.threshold = ev->threshold;
		notif_send(&n);
		return;
	}
	if (a->kind == TS_AL_LISTENER)
		log_info("alarm %s: listener %s (%s), backlog %u, queue %u, "
		    "drops %llu, %u.%03u/s, threshold %u.%03u/s",
		    high ? "dropping" : "normal", a->name, a->owner, a->backlog,
		    a->queue, (unsigned long long)a->value, a->rate / 1000,
		    a->rate % 1000, a->threshold / 1000, a->threshold % 1000);
	else
		log_info("alarm %s: %s, rate %u.%03u/s, threshold %u.%03u/s",
		    high ? "high" : "normal", a->name, a->rate / 1000,
		    a->rate % 1000, a->threshold / 1000, a->threshold % 1000);
	switch (a->kind) {
	case TS_AL_ENDPOINT:
		n.which = high ? TSM_N_EndpointRateHigh : TSM_N_EndpointRateNormal;
		last_caller(s, &a->key, n.caller, sizeof(n.caller));
		break;
	case TS_AL_HOST:
		n.which = high ? TSM_N_HostFailRateHigh : TSM_N_HostFailRateNormal;
		break;
	case TS_AL_LISTENER:
		n.which = high ? TSM_N_ListenerDropping : TSM_N_ListenerNormal;
		break;
	case TS_AL_DROPS:
		if (!high)
			return;
		n.which = TSM_N_CaptureDropsRising;
		break;
	case TS_AL_COVERAGE:
		if (!high)
			return;
		n.which = TSM_N_CoverageLow;
		n.rsts_permille = s != NULL ? ts_permille(s->cov_rsts_seen,
		    s->cov_rsts_kernel) : 1000;
		break;
	default:
		return;
	}
	notif_send(&n);
}

void
ts_notify_init(int is_standalone)
{
	standalone = is_standalone;
}

void
ts_notify_free(void)
{
	for (int i = 0; i < nqueued; i++)
		snmp_free_varbind(queued[i]);
	nqueued = 0;
}
