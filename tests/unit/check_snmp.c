/*
 * check_snmp.c - TCPSLEUTH-MIB's handlers in-process, without root or
 * snmpd: net-snmp's agent library is initialised here, our scalar groups
 * and tables registered, a hand-built snapshot lent to them, and GET,
 * GETNEXT and GETBULK requests go through net-snmp's own dispatcher (a
 * callback-transport session to the agent's callback master session, as
 * the AgentX subagent code uses).  Checked: a walk gives every read-only
 * object of the MIB (mibdefs, generated from it) once per instance, in
 * order, of its MIB type, with the value this file expects from the
 * snapshot (an expectation written by object name, independently of the
 * agent's code); nothing not-accessible or accessible-for-notify is
 * served; GET and GETBULK agree with the walk, across table boundaries;
 * noSuchObject, noSuchInstance and endOfMibView where due; notifications
 * carry their OBJECTS.  tcpsleuthTopTable, a sparse view of two of the
 * three endpoint rows, gives only its own columns (a sparse set) and
 * rows.  The namespace and listener tables' fixture and expectations are
 * in check_lsn.c.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent_int.h"
#include "check_snmp.h"		/* the fixture's clocks */
#include "tap.h"
#include "values.h"		/* the TimeStamps' reference */

extern int callback_master_num;		/* net-snmp's, not in its headers */

static const uint8_t dt_first[11] = { 0x07, 0xea, 11, 21, 18, 43, 51, 3, '+', 0, 0 };

static const oid base[] = { TS_OID_BASE };
#define NBASE	OID_LENGTH(base)

static netsnmp_session *sess;

/* ------------------------------------------------------------ fixture */

static struct ts_snap_row rows[3];
static struct ts_snap_port ports[3];
static struct ts_snap_caller callers[3];
/* The bounded view: rows[1] first, rows[0] second; rows[2] is not in it. */
static struct ts_snap_top top[2] = { { .row = 1, .rank = 1 }, { .row = 0, .rank = 2 } };
static struct ts_snapshot snap;
static char procdir[] = "/tmp/check_snmp.XXXXXX";

static void
row(struct ts_snap_row *r, int i, uint8_t family, const char *addr,
    uint32_t scope, uint16_t port, uint32_t ifindex, const char *ifname,
    uint8_t loc, uint8_t listen)
{
	memset(r, 0, sizeof(*r));
	r->netns = i == 0 ? 4026532100u : 4026531840u;	/* first in its own */
	r->key.family = family;
	r->key.port = port;
	r->key.scope = scope;
	inet_pton(family == TS_AF_INET ? AF_INET : AF_INET6, addr, r->key.addr);
	snprintf(r->name, sizeof(r->name), "%s %s:%u", ifname, addr, port);
	for (int c = 0; c < TS_CL__COUNT; c++) {
		r->count[c] = 1000 * (uint64_t)(i + 1) + 10 * (uint64_t)c + 1;
		if (c < TS_CL__FAILURES)
			r->failures += r->count[c];
	}
	r->rst_by[TS_BY_SERVICE] = 100 * (uint64_t)i + 21;
	r->rst_by[TS_BY_CLIENT] = 100 * (uint64_t)i + 22;
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		r->rate[w] = 2000 * (uint32_t)(i + 1) + (uint32_t)w + 10;
	r->peers = 3 + (uint32_t)i;
	r->created = T_FIRST - SEC;
	r->first = T_FIRST;
	r->last = T_FIRST + 2 * SEC;
	r->ifindex = ifindex;
	snprintf(r->ifname, sizeof(r->ifname), "%s", ifname);
	r->loc = loc;
	r->listen = listen;
	r->icmp_type = (uint8_t)(3 + i);
	r->icmp_code = (uint8_t)(10 + i);
	r->peer_port = (uint16_t)(40000 + i);
	r->lsn_overflows = 50 + (uint64_t)i;
	memcpy(r->peer, r->key.addr, 16);
	r->peer[family == TS_AF_INET ? 3 : 15] ^= 0x40;
	r->key.netns = r->netns;
	/* the kernel event source's columns */
	r->k.attempts = 300 + 10 * (uint64_t)i;
	for (int e = 0; e < KEV_E__COUNT; e++)
		r->k.errs[e] = 30 + 10 * (uint64_t)i + (uint64_t)e;
	r->k.other = 7 + (uint64_t)i;
	r->k.unknown = 8 + (uint64_t)i;
	r->k.kfail = 9 + (uint64_t)i;
	r->k.since = T_FIRST - 3 * SEC;
	r->k.listener_stopped = i == 0 ? T_FIRST : 0;
	snprintf(r->k.last_caller, sizeof(r->k.last_caller),
	    "pid %d lm-collector (lm-collector.service)", 4242 + i);
	if (i == 0)
		snprintf(r->k.last_listener, sizeof(r->k.last_listener),
		    "pid 77 santaba (santaba.service)");
}

/* Caller j of row i (rows 0 and 1 have callers). */
static void
caller(struct ts_snap_caller *c, int i, uint32_t id)
{
	memset(c, 0, sizeof(*c));
	c->key = rows[i].key;
	c->id = id;
	c->netns = rows[i].netns;
	c->uid = 1000 + id;
	c->pid = 4000 + id;
	c->pid_start = T_FIRST;
	c->count = 50 + id;
	c->created = T_FIRST - 2 * SEC;
	c->last = T_FIRST + 2 * SEC;
	snprintf(c->comm, sizeof(c->comm), "comm%u", id);
	snprintf(c->cgroup, sizeof(c->cgroup), "/system.slice/c%u.service", id);
	snprintf(c->owner, sizeof(c->owner), "c%u.service", id);
	snprintf(c->line, sizeof(c->line), "pid %u comm%u (c%u.service)",
	    c->pid, id, id);
}

static void
fixture(void)
{
	FILE *f;
	char path[256];

	row(&rows[0], 0, TS_AF_INET, "127.0.0.1", 0, 7211, 1, "lo",
	    TS_LOC_LOCAL, TS_LISTEN_NO);
	row(&rows[1], 1, TS_AF_INET6, "2001:db8::1", 0, 443, 2, "eth0",
	    TS_LOC_REMOTE, TS_LISTEN_UNKNOWN);
	row(&rows[2], 2, TS_AF_INET6, "fe80::1", 3, 22, 3, "eth1",
	    TS_LOC_TRANSIT, TS_LISTEN_UNKNOWN);
	for (int i = 0; i < 3; i++) {	/* one endpoint per port */
		struct ts_snap_port *p = &ports[i];
		const struct ts_snap_row *r = &rows[2 - i];	/* 22, 443, 7211 */

		p->port = r->key.port;
		p->endpoints = 1;
		memcpy(p->count, r->count, sizeof(p->count));
		p->failures = r->failures;
		memcpy(p->rate, r->rate, sizeof(p->rate));
	}
	snap.serial = 1;
	snap.wall = T_FIRST + 9 * SEC + SEC / 2;
	snap.mono_off = T_FIRST - 1000 * SEC;
	snap.hc_discont = T_FIRST + SEC;	/* after the start */
	snap.cap_state = TS_CAP_RUNNING;
	snprintf(snap.cap_ifaces, sizeof(snap.cap_ifaces), "any");
	snap.dec.frames = 1001;
	snap.kernel_drops = 1002;
	snap.dec.malformed[0] = 1000;	/* 1003 in all */
	snap.dec.malformed[TS_MAL__COUNT - 1] = 3;
	snap.duplicates = 1004;
	snap.cov_since = T_FIRST - 2 * SEC;
	snap.cov_rsts_seen = 900;
	snap.cov_rsts_kernel = 1000;
	snap.cov_fails_seen = 450;
	snap.cov_fails_kernel = 500;
	snap.hc_ok = 1;
	for (int h = 0; h < TS_HC__COUNT; h++) {
		snap.hc.v[h] = 5000 + (uint64_t)h;
		snap.hc.present[h] = 1;
	}
	for (int r = 0; r < TS_HR__COUNT; r++)
		for (int w = 0; w < TS_RATE_WINDOWS; w++)
			snap.hc_rate[r][w] = 300 * (uint32_t)(r + 1) + (uint32_t)w;
	for (int c = 0; c < TS_CL__COUNT; c++) {
		snap.cls.failures[c][0] = 700 + (uint64_t)c;
		snap.cls.failures[c][1] = 70 + (uint64_t)c;
	}
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		snap.fail_rate[w] = 4000 + (uint32_t)w;
	snap.max_rows = 1024;
	snap.admissions = 1010;
	snap.evictions = 1011;
	snap.expiries = 1012;
	for (int c = 0; c < TS_CL__COUNT; c++) {
		snap.other.count[c] = 600 + (uint64_t)c;
		if (c < TS_CL__FAILURES)
			snap.other.failures += snap.other.count[c];
	}
	snap.other.lsn_overflows = 7;
	snap.rows = rows;
	snap.nrows = 3;
	snap.ports = ports;
	snap.nports = 3;
	/* the kernel event source: partial, connect-errors refused */
	snap.kev_state = KEVSRC_PARTIAL;
	snprintf(snap.kev_reason, sizeof(snap.kev_reason), "without "
	    "connect-errors (EPERM): 4 of 5 programs attached");
	for (int c = 0; c < KEV__COUNTERS; c++)
		snap.kev_c[c] = 900 + (uint64_t)c;
	snap.kev_bad_records = 910;
	snap.kev_failures = 911;
	snap.kev_unknown = 912;
	for (int p = 0; p < KEV__PROGS; p++) {
		struct ts_snap_kprog *k = &snap.kprog[p];

		snprintf(k->name, sizeof(k->name), "prog%d", p);
		snprintf(k->hook, sizeof(k->hook), "tp_btf/hook%d", p);
		k->state = p == KEV__PROGS - 1 ? TS_KPROG_FAILED : TS_KPROG_LOADED;
		k->err = p == KEV__PROGS - 1 ? 1 : 0;
		if (k->err)
			snprintf(k->error, sizeof(k->error), "Operation not "
			    "permitted (EPERM) at attach");
	}
	caller(&callers[0], 0, 2);	/* any order: the agent sorts */
	caller(&callers[1], 0, 1);
	caller(&callers[2], 1, 7);
	snap.callers = callers;
	snap.ncallers = 3;
	snap.top = top;
	snap.ntop = 2;
	lsn_fixture(&snap);

	/* The kernel counters: a /proc with every field, 5000 + its enum. */
	if (mkdtemp(procdir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/net", procdir);
	mkdir(path, 0755);
#define FILEOF(sec)	(strcmp(sec, "Tcp") == 0 ? "snmp" : "netstat")
	for (int pass = 0; pass < 2; pass++) {
		const char *sec = pass == 0 ? "Tcp" : "TcpExt";

		snprintf(path, sizeof(path), "%s/net/%s", procdir, FILEOF(sec));
		if ((f = fopen(path, "w")) == NULL)
			abort();
		fprintf(f, "%s:", sec);
#define X(id, s, name)	if (strcmp(s, sec) == 0) fprintf(f, " %s", name);
		TS_HOSTCTRS(X)
#undef X
		fprintf(f, "\n%s:", sec);
#define X(id, s, name)	if (strcmp(s, sec) == 0) fprintf(f, " %d", 5000 + TS_HC_##id);
		TS_HOSTCTRS(X)
#undef X
		fprintf(f, "\n");
		fclose(f);
	}
}

static struct ts_alarms *alarms;

static void
no_sink(void *arg, const struct ts_alarm_event *ev)
{
	(void)arg;
	(void)ev;
}

/* Alarms of every type, raised at once (hold-down 0). */
static void
raise_alarms(void)
{
	struct ts_alarm_conf ac;

	ts_alarm_conf_default(&ac);
	ac.endpoint.raise = 3000;	/* rows 1 and 2 are above */
	ac.endpoint.clear = 1000;
	ac.endpoint.hold = 0;
	ac.host.raise = 100;
	ac.host.clear = 50;
	ac.host.hold = 0;
	ac.drops = 1;
	ac.coverage_min = 950;		/* 450 of 500 is 900 */
	ac.listener.raise = 1000;	/* groups 0 and 1 are above */
	ac.listener.clear = 500;
	ac.listener.hold = 0;
	alarms = ts_alarms_new(&ac);
	ts_alarms_eval(alarms, &snap, MONO(snap.wall), no_sink, NULL);
	ts_tables_alarms(alarms);
}

/* ------------------------------------------------------ the requests */

struct vb {
	oid		name[MAX_OID_LEN];
	size_t		len;
	u_char		type;
	uint64_t	num;
	uint8_t		str[256];
	size_t		slen;
};

static void
vb_from(struct vb *b, const netsnmp_variable_list *v)
{
	memset(b, 0, sizeof(*b));
	b->len = v->name_length < MAX_OID_LEN ? v->name_length : MAX_OID_LEN;
	memcpy(b->name, v->name, b->len * sizeof(oid));
	b->type = v->type;
	switch (v->type) {
	case ASN_COUNTER64:
		b->num = ((uint64_t)v->val.counter64->high << 32) |
		    v->val.counter64->low;
		break;
	case ASN_INTEGER:
		b->num = (uint64_t)*v->val.integer;
		break;
	case ASN_GAUGE: case ASN_TIMETICKS: case ASN_COUNTER:
		b->num = (uint64_t)*v->val.integer;
		break;
	case ASN_OCTET_STR: case ASN_OBJECT_ID:
		b->slen = v->val_len < sizeof(b->str) ? v->val_len : sizeof(b->str);
		memcpy(b->str, v->val.string, b->slen);
		break;
	default:
		break;
	}
}

/*
 * One request through net-snmp's dispatcher: cmd with the names in
 * q[0..nq-1]; the answer's varbinds in out (at most max); how many, or
 * -1 if there was no answer or an error status.
 */
static int
request(int cmd, const struct vb *q, int nq, long maxrep, struct vb *out,
    int max)
{
	netsnmp_pdu *pdu = snmp_pdu_create(cmd), *resp = NULL;
	int n = 0;

	pdu->version = SNMP_VERSION_2c;
	pdu->flags |= UCD_MSG_FLAG_ALWAYS_IN_VIEW;
	pdu->community = (u_char *)strdup("check");
	pdu->community_len = 5;
	if (cmd == SNMP_MSG_GETBULK) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = maxrep;
	}
	for (int i = 0; i < nq; i++)
		snmp_add_null_var(pdu, q[i].name, q[i].len);
	if (snmp_synch_response(sess, pdu, &resp) != STAT_SUCCESS ||
	    resp == NULL || resp->errstat != SNMP_ERR_NOERROR) {
		if (resp != NULL)
			printf("# error status %ld at %ld\n", resp->errstat,
			    resp->errindex);
		snmp_free_pdu(resp);
		return -1;
	}
	for (netsnmp_variable_list *v = resp->variables; v != NULL && n < max;
	    v = v->next_variable)
		vb_from(&out[n++], v);
	snmp_free_pdu(resp);
	return n;
}

static struct vb
mkname(const oid *o, size_t n)
{
	struct vb b;

	memset(&b, 0, sizeof(b));
	memcpy(b.name, base, sizeof(base));
	if (n > 0)
		memcpy(b.name + NBASE, o, n * sizeof(oid));
	b.len = NBASE + n;
	return b;
}

static const char *
oidstr(const oid *o, size_t n)
{
	static char buf[4][512];
	static int k;
	size_t m = 0;

	k = (k + 1) % 4;
	buf[k][0] = '\0';
	for (size_t i = 0; i < n && m < sizeof(buf[k]); i++)
		m += (size_t)snprintf(buf[k] + m, sizeof(buf[k]) - m, ".%lu",
		    (unsigned long)o[i]);
	return buf[k];
}

static int
vb_same(const struct vb *a, const struct vb *b)
{
	return snmp_oid_compare(a->name, a->len, b->name, b->len) == 0 &&
	    a->type == b->type && a->num == b->num && a->slen == b->slen &&
	    memcmp(a->str, b->str, a->slen) == 0;
}

/* ------------------------------------------------- what is expected */

/* The MIB object a name is an instance of, and where its instance starts. */
static const struct tsm_object *
object_of(const struct vb *b, size_t *inst)
{
	if (b->len <= NBASE || memcmp(b->name, base, sizeof(base)) != 0)
		return NULL;
	for (int i = 0; i < TSM_ID__COUNT; i++) {
		const struct tsm_object *o = &tsm_objects[i];
		size_t k;

		if (b->len <= NBASE + o->oidlen)
			continue;
		for (k = 0; k < o->oidlen; k++)
			if (b->name[NBASE + k] != o->oid[k])
				break;
		if (k == o->oidlen) {
			*inst = NBASE + o->oidlen;
			return o;
		}
	}
	return NULL;
}

/* An endpoint row's index: netns, InetAddressType, InetAddress, port. */
static size_t
ep_index(const struct ts_snap_row *r, oid *o)
{
	size_t n = 0, alen = r->key.family == TS_AF_INET ? 4 : 16;

	o[n++] = r->netns;
	o[n++] = r->key.family == TS_AF_INET ? 1 : r->key.scope ? 4 : 2;
	o[n++] = alen + (r->key.scope ? 4 : 0);
	for (size_t i = 0; i < alen; i++)
		o[n++] = r->key.addr[i];
	if (r->key.scope)
		for (int s = 24; s >= 0; s -= 8)
			o[n++] = (r->key.scope >> s) & 0xff;
	o[n++] = r->key.port;
	return n;
}

static const struct ts_snap_row *
ep_row(const oid *inst, size_t n)
{
	oid o[64];

	for (int i = 0; i < 3; i++)
		if (ep_index(&rows[i], o) == n &&
		    memcmp(o, inst, n * sizeof(oid)) == 0)
			return &rows[i];
	return NULL;
}

/* A row of the bounded view: its endpoint row, and its rank in *rank. */
static const struct ts_snap_row *
top_row(const oid *inst, size_t n, uint32_t *rank)
{
	const struct ts_snap_row *r = ep_row(inst, n);

	for (size_t i = 0; r != NULL && i < snap.ntop; i++)
		if (&rows[top[i].row] == r) {
			*rank = top[i].rank;
			return r;
		}
	return NULL;
}

static const struct ts_snap_port *
port_row(const oid *inst, size_t n)
{
	for (int i = 0; i < 3; i++)
		if (n == 1 && inst[0] == ports[i].port)
			return &ports[i];
	return NULL;
}

static const struct ts_alarm *
alarm_row(const oid *inst, size_t n)
{
	const struct ts_alarm *list[8];
	uint32_t k = ts_alarms_list(alarms, list, 8);

	for (uint32_t i = 0; i < k; i++)
		if (n == 1 && inst[0] == list[i]->id)
			return list[i];
	return NULL;
}

#define NUM(x)		do { w->num = (uint64_t)(x); return 1; } while (0)
#define STR(p, n)	do { w->slen = (n); memcpy(w->str, (p), w->slen); \
			    return 1; } while (0)
#define TXT(s)		STR((s), strlen(s))

static uint8_t octets[20];

static size_t
addr_octets(const struct ts_epkey *k)
{
	size_t n = k->family == TS_AF_INET ? 4 : 16;

	memcpy(octets, k->addr, n);
	if (k->scope != 0) {
		for (int s = 0; s < 4; s++)
			octets[16 + s] = (uint8_t)(k->scope >> (24 - 8 * s));
		n = 20;
	}
	return n;
}

/* The endpoint table's columns, by name. */
static int
want_ep(enum tsm_id id, const struct ts_snap_row *r, struct vb *w)
{
	switch (id) {
	case TSM_ID_EpName: TXT(r->name);
	case TSM_ID_EpIfIndex: NUM(r->ifindex);
	case TSM_ID_EpIfName: TXT(r->ifname);
	case TSM_ID_EpLocation:
		NUM(r->loc == TS_LOC_LOCAL ? 2 : r->loc == TS_LOC_REMOTE ? 3 : 4);
	case TSM_ID_EpListener: NUM(r->listen == TS_LISTEN_NO ? 3 : 1);
	case TSM_ID_EpService:
		TXT(r->key.port == 22 ? "ssh" : r->key.port == 443 ? "https" : "");
	case TSM_ID_EpCreated: NUM(UP(MONO(r->created)));
	case TSM_ID_EpFirstSeen: STR(dt_first, 11);
	case TSM_ID_EpLastSeen: {
		uint8_t dt[11];

		memcpy(dt, dt_first, 11);
		dt[6] += 2;
		STR(dt, 11);
	}
	case TSM_ID_EpSecondsSinceLast: NUM(7);
	case TSM_ID_EpFailures: NUM(r->failures);
	case TSM_ID_EpRefused: NUM(r->count[TS_CL_REFUSED]);
	case TSM_ID_EpUnreachable: NUM(r->count[TS_CL_UNREACH]);
	case TSM_ID_EpTimedOut: NUM(r->count[TS_CL_TIMEOUT]);
	case TSM_ID_EpHandshakeResets: NUM(r->count[TS_CL_HSRESET]);
	case TSM_ID_EpAborts: NUM(r->count[TS_CL_ABORT]);
	case TSM_ID_EpUnsolicited: NUM(r->count[TS_CL_UNSOLICITED]);
	case TSM_ID_EpRstsByService: NUM(r->rst_by[TS_BY_SERVICE]);
	case TSM_ID_EpRstsByClient: NUM(r->rst_by[TS_BY_CLIENT]);
	case TSM_ID_EpRate1: NUM(r->rate[0]);
	case TSM_ID_EpRate5: NUM(r->rate[1]);
	case TSM_ID_EpRate15: NUM(r->rate[2]);
	case TSM_ID_EpLastPeerAddressType:	/* fe80::41 is ipv6z, zone 3 */
		NUM(r->key.family == TS_AF_INET ? 1 : r->key.scope ? 4 : 2);
	case TSM_ID_EpLastPeerAddress: {
		struct ts_epkey k = r->key;

		memcpy(k.addr, r->peer, 16);
		STR(octets, addr_octets(&k));
	}
	case TSM_ID_EpLastPeerPort: NUM(r->peer_port);
	case TSM_ID_EpPeers: NUM(r->peers);
	case TSM_ID_EpLastIcmpType: NUM(r->icmp_type);
	case TSM_ID_EpLastIcmpCode: NUM(r->icmp_code);
	case TSM_ID_EpLsnOverflows: NUM(r->lsn_overflows);
	case TSM_ID_EpKernelAttempts: NUM(r->k.attempts);
	case TSM_ID_EpKernelSince: NUM(UP(MONO(r->k.since)));
	case TSM_ID_EpKernelOnly: NUM(r->k.kfail);
	case TSM_ID_EpErrConnRefused: NUM(r->k.errs[KEV_E_CONNREFUSED]);
	case TSM_ID_EpErrTimedOut: NUM(r->k.errs[KEV_E_TIMEDOUT]);
	case TSM_ID_EpErrHostUnreach: NUM(r->k.errs[KEV_E_HOSTUNREACH]);
	case TSM_ID_EpErrNetUnreach: NUM(r->k.errs[KEV_E_NETUNREACH]);
	case TSM_ID_EpErrAddrNotAvail: NUM(r->k.errs[KEV_E_ADDRNOTAVAIL]);
	case TSM_ID_EpErrPerm: NUM(r->k.errs[KEV_E_PERM]);
	case TSM_ID_EpNetfilterDrops: NUM(r->k.errs[KEV_E_NETFILTER]);
	case TSM_ID_EpErrOther: NUM(r->k.errs[KEV_E_OTHER]);
	case TSM_ID_EpOtherCallers: NUM(r->k.other);
	case TSM_ID_EpUnknownCallers: NUM(r->k.unknown);
	case TSM_ID_EpLastCaller: TXT(r->k.last_caller);
	case TSM_ID_EpLastListener: TXT(r->k.last_listener);
	case TSM_ID_EpListenerStopped: {
		static const uint8_t never[8] = { 0, 0, 1, 1, 0, 0, 0, 0 };

		if (r->k.listener_stopped == 0)
			STR(never, 8);
		STR(dt_first, 11);
	}
	default: return 0;
	}
}

/* A caller's row: the endpoint's index, then the caller's. */
static const struct ts_snap_caller *
caller_row(const oid *inst, size_t n)
{
	oid o[64];

	for (int i = 0; i < 3; i++) {
		const struct ts_snap_row *r = NULL;
		size_t k;

		for (int j = 0; j < 3; j++)
			if (ts_epkey_cmp(&rows[j].key, &callers[i].key) == 0)
				r = &rows[j];
		k = ep_index(r, o);
		o[k++] = callers[i].id;
		if (k == n && memcmp(o, inst, n * sizeof(oid)) == 0)
			return &callers[i];
	}
	return NULL;
}

static int
want_caller(enum tsm_id id, const struct ts_snap_caller *c, struct vb *w)
{
	switch (id) {
	case TSM_ID_CallerNetns: NUM(c->netns);
	case TSM_ID_CallerCgroup: TXT(c->cgroup);
	case TSM_ID_CallerOwner: TXT(c->owner);
	case TSM_ID_CallerUid: NUM(c->uid);
	case TSM_ID_CallerComm: TXT(c->comm);
	case TSM_ID_CallerLastPid: NUM(c->pid);
	case TSM_ID_CallerPidStarted: STR(dt_first, 11);
	case TSM_ID_CallerAttempts: NUM(c->count);
	case TSM_ID_CallerCreated: NUM(UP(MONO(c->created)));
	case TSM_ID_CallerLastSeen: {
		uint8_t dt[11];

		memcpy(dt, dt_first, 11);
		dt[6] += 2;
		STR(dt, 11);
	}
	case TSM_ID_CallerLine: TXT(c->line);
	default: return 0;
	}
}

static int
want_kprog(enum tsm_id id, const struct ts_snap_kprog *p, struct vb *w)
{
	switch (id) {
	case TSM_ID_KprogName: TXT(p->name);
	case TSM_ID_KprogHook: TXT(p->hook);
	case TSM_ID_KprogState: NUM(p->state == TS_KPROG_LOADED ? 1 : 2);
	case TSM_ID_KprogErrno: NUM(p->err);
	case TSM_ID_KprogError: TXT(p->error);
	default: return 0;
	}
}

/* The bounded view's columns, by name: its rank, or its endpoint's. */
static int
want_top(enum tsm_id id, const struct ts_snap_row *r, uint32_t rank,
    struct vb *w)
{
	switch (id) {
	case TSM_ID_TopRank: NUM(rank);
	case TSM_ID_TopName: return want_ep(TSM_ID_EpName, r, w);
	case TSM_ID_TopLocation: return want_ep(TSM_ID_EpLocation, r, w);
	case TSM_ID_TopListener: return want_ep(TSM_ID_EpListener, r, w);
	case TSM_ID_TopLastSeen: return want_ep(TSM_ID_EpLastSeen, r, w);
	case TSM_ID_TopFailures: return want_ep(TSM_ID_EpFailures, r, w);
	case TSM_ID_TopRefused: return want_ep(TSM_ID_EpRefused, r, w);
	case TSM_ID_TopUnreachable: return want_ep(TSM_ID_EpUnreachable, r, w);
	case TSM_ID_TopTimedOut: return want_ep(TSM_ID_EpTimedOut, r, w);
	case TSM_ID_TopRate1: return want_ep(TSM_ID_EpRate1, r, w);
	case TSM_ID_TopRate5: return want_ep(TSM_ID_EpRate5, r, w);
	case TSM_ID_TopRate15: return want_ep(TSM_ID_EpRate15, r, w);
	default: return 0;
	}
}

static int
want_port(enum tsm_id id, const struct ts_snap_port *p, struct vb *w)
{
	switch (id) {
	case TSM_ID_PortEndpoints: NUM(p->endpoints);
	case TSM_ID_PortFailures: NUM(p->failures);
	case TSM_ID_PortRefused: NUM(p->count[TS_CL_REFUSED]);
	case TSM_ID_PortUnreachable: NUM(p->count[TS_CL_UNREACH]);
	case TSM_ID_PortTimedOut: NUM(p->count[TS_CL_TIMEOUT]);
	case TSM_ID_PortHandshakeResets: NUM(p->count[TS_CL_HSRESET]);
	case TSM_ID_PortAborts: NUM(p->count[TS_CL_ABORT]);
	case TSM_ID_PortUnsolicited: NUM(p->count[TS_CL_UNSOLICITED]);
	case TSM_ID_PortRate1: NUM(p->rate[0]);
	case TSM_ID_PortRate5: NUM(p->rate[1]);
	case TSM_ID_PortRate15: NUM(p->rate[2]);
	default: return 0;
	}
}

static int
want_alarm(enum tsm_id id, const struct ts_alarm *a, struct vb *w)
{
	int lsn = a->kind == TS_AL_LISTENER;
	int ep = a->kind == TS_AL_ENDPOINT || lsn;
	int rate = ep || a->kind == TS_AL_HOST;

	switch (id) {
	case TSM_ID_AlarmType:	/* endpointRate(1) ... listenerDrops(5) */
		NUM(lsn ? 5 : a->kind == TS_AL_ENDPOINT ? 1 : a->kind == TS_AL_HOST ?
		    2 : a->kind == TS_AL_DROPS ? 3 : 4);
	case TSM_ID_AlarmNetns:	/* the fixture's groups 0, 1; rows 1, 2 */
		NUM(!ep ? 0 : lsn ? 4026532100u : 4026531840u);
	case TSM_ID_AlarmAddressType: NUM(ep ? (a->key.family == TS_AF_INET ?
	    1 : a->key.scope ? 4 : 2) : 0);
	case TSM_ID_AlarmAddress: STR(octets, ep ? addr_octets(&a->key) : 0);
	case TSM_ID_AlarmPort: NUM(ep ? a->key.port : 0);
	case TSM_ID_AlarmName: TXT(a->name);
	case TSM_ID_AlarmRate: NUM(rate ? a->rate : 0);
	case TSM_ID_AlarmThreshold: NUM(rate ? a->threshold : 0);
	case TSM_ID_AlarmValue:
		NUM(rate ? a->rate : a->kind == TS_AL_DROPS ? 1002 : 900);
	case TSM_ID_AlarmLimit:
		NUM(rate ? a->threshold : a->kind == TS_AL_DROPS ? 0 : 950);
	case TSM_ID_AlarmSince: {	/* the snapshot's: 18:44:00.8 */
		static const uint8_t dt[11] = { 0x07, 0xea, 11, 21, 18, 44, 0, 8,
		    '+', 0, 0 };

		STR(dt, 11);
	}
	case TSM_ID_AlarmSinceUptime: NUM(UP(MONO(snap.wall)));
	default: return 0;
	}
}

/* The scalars, by name. */
static int
want_scalar(enum tsm_id id, struct vb *w)
{
	static const enum tsm_id host[TS_HC__COUNT] = {
		[TS_HC_ACTIVE_OPENS] = TSM_ID_HostActiveOpens,
		[TS_HC_PASSIVE_OPENS] = TSM_ID_HostPassiveOpens,
		[TS_HC_ATTEMPT_FAILS] = TSM_ID_HostAttemptFails,
		[TS_HC_ESTAB_RESETS] = TSM_ID_HostEstabResets,
		[TS_HC_IN_ERRS] = TSM_ID_HostInErrs,
		[TS_HC_OUT_RSTS] = TSM_ID_HostOutRsts,
		[TS_HC_RETRANS_SEGS] = TSM_ID_HostRetransSegs,
		[TS_HC_IN_CSUM_ERRORS] = TSM_ID_HostInCsumErrors,
		[TS_HC_LISTEN_OVERFLOWS] = TSM_ID_HostListenOverflows,
		[TS_HC_LISTEN_DROPS] = TSM_ID_HostListenDrops,
		[TS_HC_ABORT_ON_DATA] = TSM_ID_HostTcpAbortOnData,
		[TS_HC_ABORT_ON_CLOSE] = TSM_ID_HostTcpAbortOnClose,
		[TS_HC_ABORT_ON_MEMORY] = TSM_ID_HostTcpAbortOnMemory,
		[TS_HC_ABORT_ON_TIMEOUT] = TSM_ID_HostTcpAbortOnTimeout,
		[TS_HC_ABORT_ON_LINGER] = TSM_ID_HostTcpAbortOnLinger,
		[TS_HC_ABORT_FAILED] = TSM_ID_HostTcpAbortFailed,
		[TS_HC_REQQ_FULL_DROP] = TSM_ID_HostTcpReqQFullDrop,
		[TS_HC_SYNCOOKIES_SENT] = TSM_ID_HostSyncookiesSent,
		[TS_HC_SYNCOOKIES_RECV] = TSM_ID_HostSyncookiesRecv,
		[TS_HC_SYNCOOKIES_FAILED] = TSM_ID_HostSyncookiesFailed,
		[TS_HC_EMBRYONIC_RSTS] = TSM_ID_HostEmbryonicRsts,
		[TS_HC_SYN_CHALLENGE] = TSM_ID_HostTcpSynChallenge,
		[TS_HC_CHALLENGE_ACK] = TSM_ID_HostTcpChallengeAck,
		[TS_HC_BACKLOG_DROP] = TSM_ID_HostTcpBacklogDrop,
		[TS_HC_SYN_RETRANS] = TSM_ID_HostTcpSynRetrans,
	};
	static const enum tsm_id rates[TS_HR__COUNT][3] = {
		[TS_HR_ATTEMPT_FAILS] = { TSM_ID_HostAttemptFailsRate1,
		    TSM_ID_HostAttemptFailsRate5, TSM_ID_HostAttemptFailsRate15 },
		[TS_HR_ESTAB_RESETS] = { TSM_ID_HostEstabResetsRate1,
		    TSM_ID_HostEstabResetsRate5, TSM_ID_HostEstabResetsRate15 },
		[TS_HR_OUT_RSTS] = { TSM_ID_HostOutRstsRate1,
		    TSM_ID_HostOutRstsRate5, TSM_ID_HostOutRstsRate15 },
		[TS_HR_LISTEN_DROPS] = { TSM_ID_HostListenDropsRate1,
		    TSM_ID_HostListenDropsRate5, TSM_ID_HostListenDropsRate15 },
		[TS_HR_LISTEN_OVERFLOWS] = { TSM_ID_HostListenOvflRate1,
		    TSM_ID_HostListenOvflRate5, TSM_ID_HostListenOvflRate15 },
	};

	for (int h = 0; h < TS_HC__COUNT; h++)
		if (host[h] == id)
			NUM(5000 + h);
	for (int r = 0; r < TS_HR__COUNT; r++)
		for (int k = 0; k < 3; k++)
			if (rates[r][k] == id)
				NUM(snap.hc_rate[r][k]);
	switch (id) {
	case TSM_ID_HostDiscontinuity: NUM(UP(MONO(snap.hc_discont)));
	case TSM_ID_AgentDiscontinuity: NUM(UP(STARTED));
	case TSM_ID_AgentStarted: STR(dt_first, 11);
	case TSM_ID_SeenFailRate1: NUM(4000);
	case TSM_ID_SeenFailRate5: NUM(4001);
	case TSM_ID_SeenFailRate15: NUM(4002);
	case TSM_ID_CaptureState: NUM(1);
	case TSM_ID_CaptureInterfaces: TXT("any");
	case TSM_ID_CaptureError: TXT("");
	case TSM_ID_CapturePackets: NUM(1001);
	case TSM_ID_CaptureKernelDrops: NUM(1002);
	case TSM_ID_CaptureMalformed: NUM(1003);
	case TSM_ID_CaptureDuplicates: NUM(1004);
	case TSM_ID_TableRows: NUM(3);
	case TSM_ID_TableMaxRows: NUM(1024);
	case TSM_ID_TableAdmissions: NUM(1010);
	case TSM_ID_TableEvictions: NUM(1011);
	case TSM_ID_TableExpiries: NUM(1012);
	case TSM_ID_CovSince: NUM(UP(MONO(snap.cov_since)));
	case TSM_ID_CovRstsSeen: NUM(900);
	case TSM_ID_CovRstsKernel: NUM(1000);
	case TSM_ID_CovRstsPermille: NUM(900);
	case TSM_ID_CovFailsSeen: NUM(450);
	case TSM_ID_CovFailsKernel: NUM(500);
	case TSM_ID_CovFailsPermille: NUM(900);
	case TSM_ID_SeenRefused: NUM(770 + TS_CL_REFUSED * 2);
	case TSM_ID_SeenUnreachable: NUM(770 + TS_CL_UNREACH * 2);
	case TSM_ID_SeenTimedOut: NUM(770 + TS_CL_TIMEOUT * 2);
	case TSM_ID_SeenHandshakeResets: NUM(770 + TS_CL_HSRESET * 2);
	case TSM_ID_SeenAborts: NUM(770 + TS_CL_ABORT * 2);
	case TSM_ID_SeenUnsolicited: NUM(770 + TS_CL_UNSOLICITED * 2);
	case TSM_ID_OtherFailures: NUM(snap.other.failures);
	case TSM_ID_OtherRefused: NUM(600 + TS_CL_REFUSED);
	case TSM_ID_OtherUnreachable: NUM(600 + TS_CL_UNREACH);
	case TSM_ID_OtherTimedOut: NUM(600 + TS_CL_TIMEOUT);
	case TSM_ID_OtherHandshakeResets: NUM(600 + TS_CL_HSRESET);
	case TSM_ID_OtherAborts: NUM(600 + TS_CL_ABORT);
	case TSM_ID_OtherUnsolicited: NUM(600 + TS_CL_UNSOLICITED);
	case TSM_ID_OtherLsnOverflows: NUM(7);
	case TSM_ID_KernelState: NUM(2);	/* partial */
	case TSM_ID_KernelReason: TXT(snap.kev_reason);
	case TSM_ID_KernelEvents: NUM(900 + KEV_C_EVENTS);
	case TSM_ID_KernelRingFull: NUM(900 + KEV_C_RING_FULL);
	case TSM_ID_KernelSynMapFull: NUM(900 + KEV_C_SYN_FULL);
	case TSM_ID_KernelThreadMapFull: NUM(900 + KEV_C_TID_FULL);
	case TSM_ID_KernelBadRecords: NUM(910);
	case TSM_ID_KernelFailures: NUM(911);
	case TSM_ID_KernelUnknownCallers: NUM(912);
	case TSM_ID_KernelNetfilterSyns: NUM(900 + KEV_C_NF_SYN_DROPS);
	default: return 0;
	}
}

/* What b should be: 1 (value in *w), or 0 (no such instance expected). */
static int
expect(const struct vb *b, struct vb *w)
{
	size_t inst;
	const struct tsm_object *o = object_of(b, &inst);
	enum tsm_id id;
	const oid *in = b->name + inst;
	size_t nin = b->len - inst;
	const void *r;
	uint32_t rank;

	if (o == NULL)
		return 0;
	id = (enum tsm_id)(o - tsm_objects);
	memset(w, 0, sizeof(*w));
	memcpy(w->name, b->name, b->len * sizeof(oid));
	w->len = b->len;
	w->type = o->type;
	if (o->kind == TSM_SCALAR)
		return nin == 1 && in[0] == 0 ? want_scalar(id, w) : 0;
	if ((r = ep_row(in, nin)) != NULL && o->oid[1] == TSM_EpTable)
		return want_ep(id, r, w);
	if ((r = top_row(in, nin, &rank)) != NULL && o->oid[1] == TSM_TopTable)
		return want_top(id, r, rank, w);
	if ((r = port_row(in, nin)) != NULL && o->oid[1] == TSM_PortTable)
		return want_port(id, r, w);
	if ((r = alarm_row(in, nin)) != NULL && o->oid[1] == TSM_AlarmTable)
		return want_alarm(id, r, w);
	if ((r = caller_row(in, nin)) != NULL && o->oid[1] == TSM_CallerTable)
		return want_caller(id, r, w);
	if (nin == 1 && in[0] >= 1 && in[0] <= KEV__PROGS &&
	    o->oid[1] == TSM_KprogTable)
		return want_kprog(id, &snap.kprog[in[0] - 1], w);
	if (lsn_table(o)) {
		struct want lw;

		if (!lsn_want(id, in, nin, &lw))
			return 0;
		w->num = lw.num;
		w->slen = lw.slen;
		memcpy(w->str, lw.str, lw.slen);
		return 1;
	}
	return 0;
}

/* Instances the MIB and the fixture have: every one a walk must give. */
static int
instances(void)
{
	int n = 0;

	for (int i = 0; i < TSM_ID__COUNT; i++) {
		const struct tsm_object *o = &tsm_objects[i];

		if (o->access != TSM_READ_ONLY)
			continue;
		if (o->kind == TSM_SCALAR)
			n++;
		else if (o->oid[1] == TSM_EpTable)
			n += 3;
		else if (o->oid[1] == TSM_PortTable)
			n += 3;
		else if (o->oid[1] == TSM_TopTable)
			n += (int)snap.ntop;
		else if (o->oid[1] == TSM_AlarmTable)
			n += (int)ts_alarms_active(alarms);
		else if (o->oid[1] == TSM_KprogTable)
			n += KEV__PROGS;
		else if (o->oid[1] == TSM_CallerTable)
			n += 3;
		else
			n += lsn_instances(o);
	}
	return n;
}

/* ------------------------------------------------------------ tests */

#define MAXWALK	1024
static struct vb walked[MAXWALK];
static int nwalked;

static void
test_walk(void)
{
	struct vb cur = mkname(NULL, 0), got, w;
	int bad_order = 0, bad_type = 0, bad_value = 0, unexpected = 0;
	int end = 0, want = instances(), n;

	while (nwalked < MAXWALK) {
		if (request(SNMP_MSG_GETNEXT, &cur, 1, 0, &got, 1) != 1)
			break;
		if (got.type == SNMP_ENDOFMIBVIEW) {
			end = 1;
			break;
		}
		if (snmp_oid_compare(got.name, got.len, cur.name, cur.len) <= 0 &&
		    bad_order++ == 0)
			printf("# %s after %s\n", oidstr(got.name, got.len),
			    oidstr(cur.name, cur.len));
		if ((n = expect(&got, &w)) == 0) {
			if (unexpected++ < 5)
				printf("# not expected: %s\n",
				    oidstr(got.name, got.len));
		} else if (got.type != w.type) {
			if (bad_type++ < 5)
				printf("# %s: type 0x%02x, MIB says 0x%02x\n",
				    oidstr(got.name, got.len), got.type, w.type);
		} else if (!vb_same(&got, &w)) {
			if (bad_value++ < 10)
				printf("# %s: got %llu \"%.*s\" (%zu), want %llu "
				    "\"%.*s\" (%zu)\n", oidstr(got.name, got.len),
				    (unsigned long long)got.num, (int)got.slen,
				    got.str, got.slen, (unsigned long long)w.num,
				    (int)w.slen, w.str, w.slen);
		}
		walked[nwalked++] = got;
		cur = got;
	}
	if (getenv("CHECK_DEBUG") != NULL)
		for (int i = 0; i < TSM_ID__COUNT; i++) {
			int k = 0;
			size_t in;

			for (int j = 0; j < nwalked; j++)
				k += object_of(&walked[j], &in) == &tsm_objects[i];
			printf("# %s %d\n", tsm_objects[i].name, k);
		}
	ok(nwalked > 0 && end, "GETNEXT walks the module to endOfMibView (%d varbinds)",
	    nwalked);
	is_u(nwalked, want, "...every read-only object of the MIB, once per "
	    "instance (scalars, 3 endpoints, 3 ports, %u alarms, 2 rows of "
	    "the bounded view, 5 namespaces, 4 listeners, 3 groups, %d "
	    "programs, 3 callers)", ts_alarms_active(alarms), KEV__PROGS);
	is_u(bad_order, 0, "...in increasing OID order");
	is_u(unexpected, 0, "...nothing else (no not-accessible or "
	    "accessible-for-notify object, no instance the snapshot lacks)");
	is_u(bad_type, 0, "...each of its MIB type");
	is_u(bad_value, 0, "...each with the snapshot's value");
}

static void
test_get(void)
{
	int bad = 0;
	struct vb got[8];

	for (int i = 0; i < nwalked; i += 8) {
		int k = nwalked - i < 8 ? nwalked - i : 8;

		if (request(SNMP_MSG_GET, &walked[i], k, 0, got, 8) != k) {
			bad++;
			continue;
		}
		for (int j = 0; j < k; j++)
			if (!vb_same(&got[j], &walked[i + j]) && bad++ < 5)
				printf("# GET %s differs from the walk\n",
				    oidstr(walked[i + j].name, walked[i + j].len));
	}
	is_u(bad, 0, "GET of every walked instance, 8 at a time, gives what the "
	    "walk gave");
}

static void
test_bulk(void)
{
	static struct vb got[MAXWALK + 16];
	struct vb cur = mkname(NULL, 0);
	int n = 0, bad = 0, k, end = 0;

	while (n < nwalked + 1 && !end) {
		if ((k = request(SNMP_MSG_GETBULK, &cur, 1, 7, got + n,
		    MAXWALK + 16 - n)) <= 0)
			break;
		for (int j = 0; j < k; j++)
			if (got[n + j].type == SNMP_ENDOFMIBVIEW) {
				end = 1;
				k = j;
				break;
			}
		n += k;
		if (k > 0)
			cur = got[n - 1];
	}
	for (int i = 0; i < n && i < nwalked; i++)
		if (!vb_same(&got[i], &walked[i]) && bad++ < 5)
			printf("# GETBULK %d: %s, the walk: %s\n", i,
			    oidstr(got[i].name, got[i].len),
			    oidstr(walked[i].name, walked[i].len));
	ok(end && n == nwalked && bad == 0, "GETBULK (max-repetitions 7, "
	    "crossing every group and table) gives the walk (%d of %d) and ends "
	    "in endOfMibView", n, nwalked);
}

/*
 * TimeStamps are fixed when their event happens: 20 GETs of each, while
 * net-snmp's uptime moves (a subagent's is set to the master's at every
 * AgentX response), give one value each.  The reference follows the
 * master's sysUpTime only when it jumps by more than a second.
 */
static void
test_timestamps(void)
{
	static const oid hd[] = { TSM_HostDiscontinuity_OID, 0 };
	static const oid cs[] = { TSM_CovSince_OID, 0 };
	static const oid ad[] = { TSM_AgentDiscontinuity_OID, 0 };
	struct vb q[5], first[5], got[5];
	int moved = 0, nq = 0;

	q[nq++] = mkname(hd, OID_LENGTH(hd));
	q[nq++] = mkname(cs, OID_LENGTH(cs));
	q[nq++] = mkname(ad, OID_LENGTH(ad));
	for (int i = 0; i < nwalked; i++) {	/* EpCreated, AlarmSinceUptime */
		size_t inst;
		const struct tsm_object *o = object_of(&walked[i], &inst);

		if ((o == &tsm_objects[TSM_ID_EpCreated] && nq == 3) ||
		    (o == &tsm_objects[TSM_ID_AlarmSinceUptime] && nq == 4))
			q[nq++] = walked[i];
	}
	if (request(SNMP_MSG_GET, q, nq, 0, first, 5) != nq) {
		ok(0, "GET of the TimeStamps");
		return;
	}
	for (int k = 0; k < 20; k++) {
		netsnmp_set_agent_uptime((u_long)(k * 7919) % 100000);
		if (request(SNMP_MSG_GET, q, nq, 0, got, 5) != nq)
			moved++;
		for (int j = 0; j < nq; j++)
			moved += !vb_same(&got[j], &first[j]);
	}
	ok(nq == 5 && moved == 0, "20 GETs of HostDiscontinuity, CovSince, "
	    "AgentDiscontinuity, EpCreated, AlarmSinceUptime while net-snmp's "
	    "uptime moves: one value each (%d changed)", moved);
	ok(ts_uptime_check(REF_MONO + 3600 * SEC, REF_UP + 360000 + 20) == 0,
	    "the reference stays while the master's uptime agrees within 1 s");
	ok(ts_uptime_check(REF_MONO + 3600 * SEC, 500) == 1 &&
	    ts_timestamp(REF_MONO + 3601 * SEC) == 600,
	    "...and follows it when it jumps (the master restarted)");
	ts_uptime_ref(REF_MONO, REF_UP);
}

/* One GET (or GETNEXT) of o: the type of the answer. */
static u_char
answer(int cmd, const oid *o, size_t n, struct vb *got)
{
	struct vb q = mkname(o, n);

	if (request(cmd, &q, 1, 0, got, 1) != 1)
		return 0;
	return got->type;
}

static void
test_exceptions(void)
{
	static const oid host_x[] = { TSM_Host_OID, TSM_Host_MAX + 1, 0 };
	static const oid host_noinst[] = { TSM_HostActiveOpens_OID };
	static const oid host_badinst[] = { TSM_HostActiveOpens_OID, 1 };
	static const oid ep_nocol[] = { TSM_EpTable_OID, 1, TSM_EpTable_MAXCOL + 1,
	    4026532100u, 1, 4, 127, 0, 0, 1, 7211 };
	static const oid ep_norow[] = { TSM_EpTable_OID, 1, TSM_EpName,
	    4026531840u, 1, 4, 127, 0, 0, 1, 7211 };	/* another namespace */
	static const oid ep_index_col[] = { TSM_EpTable_OID, 1, TSM_EpTable_MINCOL - 1,
	    4026532100u, 1, 4, 127, 0, 0, 1, 7211 };
	static const oid top_gap[] = { TSM_TopTable_OID, 1, TSM_EpIfIndex,
	    4026532100u, 1, 4, 127, 0, 0, 1, 7211 };	/* not one of its columns */
	static const oid top_norow[] = { TSM_TopName_OID, 4026531840u, 4, 20,
	    0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 22 };
	static const oid notif_obj[] = { TSM_NotifName_OID, 0 };
	static const oid beyond[] = { 99 };
	static const oid lsn_drops[] = { TSM_HostListenDrops_OID, 0 };
	struct vb got;
	oid last[MAX_OID_LEN];
	size_t nlast;

	is_u(answer(SNMP_MSG_GET, host_x, OID_LENGTH(host_x), &got),
	    SNMP_NOSUCHOBJECT, "GET of a scalar the MIB does not have: noSuchObject");
	is_u(answer(SNMP_MSG_GET, host_noinst, OID_LENGTH(host_noinst), &got),
	    SNMP_NOSUCHINSTANCE, "GET of a scalar without .0: noSuchInstance");
	is_u(answer(SNMP_MSG_GET, host_badinst, OID_LENGTH(host_badinst), &got),
	    SNMP_NOSUCHINSTANCE, "GET of a scalar's .1: noSuchInstance");
	is_u(answer(SNMP_MSG_GET, ep_nocol, OID_LENGTH(ep_nocol), &got),
	    SNMP_NOSUCHOBJECT, "GET of a column past the last: noSuchObject");
	is_u(answer(SNMP_MSG_GET, ep_index_col, OID_LENGTH(ep_index_col), &got),
	    SNMP_NOSUCHOBJECT, "GET of an index column (not-accessible): noSuchObject");
	is_u(answer(SNMP_MSG_GET, ep_norow, OID_LENGTH(ep_norow), &got),
	    SNMP_NOSUCHINSTANCE, "GET of a row the table lacks: noSuchInstance");
	is_u(answer(SNMP_MSG_GET, top_gap, OID_LENGTH(top_gap), &got),
	    SNMP_NOSUCHOBJECT, "GET of a tcpsleuthEpTable column tcpsleuthTopTable "
	    "does not copy: noSuchObject");
	{
		size_t inst;
		oid want[TS_EP_INDEX_MAX];
		size_t nw = ep_index(&rows[1], want);

		answer(SNMP_MSG_GETNEXT, top_gap, OID_LENGTH(top_gap), &got);
		ok(object_of(&got, &inst) == &tsm_objects[TSM_ID_TopLocation] &&
		    got.len - inst == nw &&
		    memcmp(got.name + inst, want, nw * sizeof(oid)) == 0,
		    "GETNEXT from it: tcpsleuthTopLocation of the view's first row "
		    "(%s)", oidstr(got.name, got.len));
	}
	is_u(answer(SNMP_MSG_GET, top_norow, OID_LENGTH(top_norow), &got),
	    SNMP_NOSUCHINSTANCE, "GET of an endpoint row not in the bounded view: "
	    "noSuchInstance");
	is_u(answer(SNMP_MSG_GET, notif_obj, OID_LENGTH(notif_obj), &got),
	    SNMP_NOSUCHOBJECT, "GET of an accessible-for-notify object: noSuchObject");
	is_u(answer(SNMP_MSG_GETNEXT, beyond, OID_LENGTH(beyond), &got),
	    SNMP_ENDOFMIBVIEW, "GETNEXT past the module: endOfMibView");
	nlast = walked[nwalked - 1].len - NBASE;
	memcpy(last, walked[nwalked - 1].name + NBASE, nlast * sizeof(oid));
	is_u(answer(SNMP_MSG_GETNEXT, last, nlast, &got), SNMP_ENDOFMIBVIEW,
	    "GETNEXT from the last instance: endOfMibView");

	/*
	 * net-snmp's AgentX parser hands a subagent sub-identifiers of 2^31
	 * and more sign-extended (tcpsleuthEpNetns always is one): a GET of
	 * such a name still finds its row, a GETNEXT from it the next row.
	 */
	{
		static const oid name0[] = { TSM_EpRefused_OID, 4026531840u, 2, 16,
		    0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 443 };
		struct vb q = mkname(name0, OID_LENGTH(name0)), g2;

		q.name[NBASE + OID_LENGTH(((oid[]){ TSM_EpRefused_OID }))] |=
		    (oid)0xffffffff00000000ULL;
		ok(request(SNMP_MSG_GET, &q, 1, 0, &got, 1) == 1 &&
		    got.type == ASN_COUNTER64 && got.num == rows[1].count[0] &&
		    got.name[NBASE + 4] == 4026531840u, "GET with a sign-extended "
		    "netns sub-identifier (net-snmp's AgentX): the row, its name "
		    "as sent");
		ok(request(SNMP_MSG_GETNEXT, &q, 1, 0, &g2, 1) == 1 &&
		    g2.num == rows[2].count[0], "GETNEXT from it: the next row");
	}

	/* A kernel without a field: noSuchObject, and a walk steps over it. */
	{
		char path[300];
		FILE *f;

		snprintf(path, sizeof(path), "%s/net/netstat", procdir);
		f = fopen(path, "w");
		fprintf(f, "TcpExt: ListenOverflows\nTcpExt: 9\n");
		fclose(f);
		usleep(60000);		/* past the 50 ms the counters are kept */
	}
	is_u(answer(SNMP_MSG_GET, lsn_drops, OID_LENGTH(lsn_drops), &got),
	    SNMP_NOSUCHOBJECT, "a host counter this kernel lacks: noSuchObject");
	{
		static const oid before[] = { TSM_HostListenOverflows_OID, 0 };
		static const oid after[] = { TSM_HostDiscontinuity_OID, 0 };
		struct vb want = mkname(after, OID_LENGTH(after));

		/* TcpExt is all absent but ListenOverflows: next is past them */
		answer(SNMP_MSG_GETNEXT, before, OID_LENGTH(before), &got);
		ok(snmp_oid_compare(got.name, got.len, want.name, want.len) == 0,
		    "...and GETNEXT steps over the absent ones (%s)",
		    oidstr(got.name, got.len));
	}
}

/*
 * The kernel event source unavailable: its state and reason, its
 * programs' rows; no kernel column of an endpoint, no caller.
 */
/* A walk of the module: how many varbinds, of them kernel columns of an
 * endpoint and caller table instances. */
static int
walk_count(int *kcols, int *ncallers)
{
	struct vb cur = mkname(NULL, 0), got;
	int n = 0;
	size_t inst;

	*kcols = *ncallers = 0;
	while (n < MAXWALK && request(SNMP_MSG_GETNEXT, &cur, 1, 0, &got, 1) == 1 &&
	    got.type != SNMP_ENDOFMIBVIEW) {
		const struct tsm_object *o = object_of(&got, &inst);

		if (o != NULL && o->oid[1] == TSM_CallerTable)
			(*ncallers)++;
		if (o != NULL && o->oid[1] == TSM_EpTable &&
		    o->oid[o->oidlen - 1] >= TSM_EpKernelAttempts &&
		    o->oid[o->oidlen - 1] <= TSM_EpListenerStopped)
			(*kcols)++;
		cur = got;
		n++;
	}
	return n;
}

static void
test_kernel_absent(void)
{
	static const oid st[] = { TSM_KernelState_OID, 0 };
	static const oid lc[] = { TSM_EpLastCaller_OID, 4026532100u, 1, 4, 127,
	    0, 0, 1, 7211 };
	int kcols, ncallers, n0, n;
	struct vb got;

	n0 = walk_count(&kcols, &ncallers);
	snap.kev_state = KEVSRC_UNAVAILABLE;
	snap.serial++;
	n = walk_count(&kcols, &ncallers);
	ok(kcols == 0 && ncallers == 0 && n0 - n == 3 *
	    (TSM_CallerTable_MAXCOL - TSM_CallerTable_MINCOL + 1) + 3 *
	    (TSM_EpListenerStopped - TSM_EpKernelAttempts + 1),
	    "kernel events unavailable: a walk has no kernel column of an "
	    "endpoint and no caller (%d varbinds, %d while running)", n, n0);
	ok(answer(SNMP_MSG_GET, st, OID_LENGTH(st), &got) == ASN_INTEGER &&
	    got.num == 3, "...tcpsleuthKernelState says unavailable(3)");
	is_u(answer(SNMP_MSG_GET, lc, OID_LENGTH(lc), &got), SNMP_NOSUCHINSTANCE,
	    "...and GET of an endpoint's last caller: noSuchInstance");
	snap.kev_state = KEVSRC_PARTIAL;
	snap.serial++;
}

/* Every notification carries its MIB OBJECTS, of their types, in order. */
static void
test_notifications(void)
{
	const struct ts_alarm *list[8];
	uint32_t na = ts_alarms_list(alarms, list, 8);
	int bad = 0;

	for (int n = 0; n < TSM_N__COUNT; n++) {
		const struct tsm_notification *nt = &tsm_notifications[n];
		struct ts_notif nf = { .which = (enum tsm_notif_id)n, .count = 5,
		    .threshold = 7, .seq = 11, .rsts_permille = 900 };
		netsnmp_variable_list *vars, *v;
		unsigned k = 0;

		for (uint32_t i = 0; i < na; i++)	/* an alarm of its kind */
			if ((n <= TSM_N_EndpointRateNormal && list[i]->kind == TS_AL_ENDPOINT) ||
			    ((n == TSM_N_HostFailRateHigh || n == TSM_N_HostFailRateNormal) &&
			    list[i]->kind == TS_AL_HOST) ||
			    (n == TSM_N_CaptureDropsRising && list[i]->kind == TS_AL_DROPS) ||
			    (n == TSM_N_CoverageLow && list[i]->kind == TS_AL_COVERAGE) ||
			    ((n == TSM_N_ListenerDropping || n == TSM_N_ListenerNormal) &&
			    list[i]->kind == TS_AL_LISTENER))
				nf.alarm = list[i];
		snprintf(nf.caller, sizeof(nf.caller), "pid 4242 lm-collector");
		vars = ts_notif_vars(&nf);
		v = vars != NULL ? vars->next_variable : NULL;	/* snmpTrapOID.0 */
		for (; v != NULL; v = v->next_variable, k++) {
			const struct tsm_object *o = k < nt->nobjects ?
			    &tsm_objects[nt->objects[k]] : NULL;
			struct vb b;
			size_t inst;

			vb_from(&b, v);
			if (o == &tsm_objects[TSM_ID_NotifCaller] &&
			    (b.slen != 21 || memcmp(b.str, "pid 4242 lm-collector",
			    21) != 0) && bad++ < 5)
				printf("# %s: the caller is not the alarm's\n",
				    nt->name);
			if (o == NULL || object_of(&b, &inst) != o ||
			    v->type != o->type) {
				if (bad++ < 5)
					printf("# %s: varbind %u is %s\n", nt->name,
					    k, oidstr(b.name, b.len));
			}
		}
		if (k != nt->nobjects && bad++ < 5)
			printf("# %s: %u varbinds, the MIB lists %u\n", nt->name, k,
			    nt->nobjects);
		snmp_free_varbind(vars);
	}
	is_u(bad, 0, "each of the %d notifications carries its OBJECTS, in order, "
	    "of their MIB types", TSM_N__COUNT);

	/* A listener's: its tcpsleuthLsnGroup objects name its row. */
	for (uint32_t i = 0; i < na; i++) {
		struct ts_notif nf = { .which = TSM_N_ListenerDropping,
		    .alarm = list[i], .seq = 1 };
		netsnmp_variable_list *vars, *v;
		oid want[MAX_OID_LEN], idx[32];
		size_t nw = 0, ni;
		struct vb b;

		if (list[i]->kind != TS_AL_LISTENER || list[i]->key.port != 22)
			continue;
		memcpy(want, base, sizeof(base));
		nw = NBASE;
		for (unsigned k = 0; k < tsm_objects[TSM_ID_LsnGroupBacklog].oidlen; k++)
			want[nw++] = tsm_objects[TSM_ID_LsnGroupBacklog].oid[k];
		ni = lsn_group_index(1, idx);
		memcpy(want + nw, idx, ni * sizeof(oid));
		nw += ni;
		vars = ts_notif_vars(&nf);
		for (v = vars; v != NULL; v = v->next_variable)
			if (snmp_oid_compare(v->name, v->name_length, want, nw) == 0)
				break;
		if (v != NULL)
			vb_from(&b, v);
		ok(v != NULL && b.num == 256, "tcpsleuthListenerDropping's "
		    "tcpsleuthLsnGroupBacklog is the instance of the listener's row "
		    "(namespace, address, port), its value the group's backlog");
		snmp_free_varbind(vars);
	}
}

static int
quiet_log(int major, int minor, void *serverarg, void *clientarg)
{
	struct snmp_log_message *m = serverarg;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (m->priority <= LOG_ERR)
		printf("# net-snmp: %s", m->msg);
	return 0;
}

int
main(void)
{
	char cmd[300];

	fixture();
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    quiet_log, NULL);
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 0);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_agent("check_snmp");
	ok(ts_scalars_register(procdir, STARTED, T_FIRST) == 0 &&
	    ts_tables_register() == 0,
	    "our scalar groups and tables register");
	init_snmp("check_snmp");
	sess = netsnmp_callback_open(callback_master_num, NULL, NULL, NULL);
	ok(sess != NULL, "a callback-transport session to the agent");
	ts_uptime_ref(REF_MONO, REF_UP);
	if (sess == NULL)
		return tap_done();
	raise_alarms();
	ok(ts_alarms_active(alarms) == 7, "seven alarms: two endpoints (IPv6 and "
	    "IPv6 link-local), host, drops, coverage, two listeners (%u)",
	    ts_alarms_active(alarms));
	ts_scalars_snapshot(&snap);
	ts_tables_snapshot(&snap);

	test_walk();
	test_get();
	test_bulk();
	test_timestamps();
	test_exceptions();
	test_kernel_absent();
	test_notifications();

	ts_scalars_snapshot(NULL);
	ts_tables_snapshot(NULL);
	ts_tables_free();
	ts_alarms_free(alarms);
	snmp_close(sess);
	snmp_shutdown("check_snmp");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", procdir);
	(void)!system(cmd);
	return tap_done();
}
