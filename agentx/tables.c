/*
 * tables.c - tcpsleuthEpTable, tcpsleuthPortTable and tcpsleuthAlarmTable,
 * and the registration every table of TCPSLEUTH-MIB shares
 * (ts_table_register), answered from
 * sorted net-snmp containers (table_container: GETNEXT is a binary
 * search, not a walk of an iterator).  The containers are rebuilt from
 * the snapshot the agent lends (ts_tables_snapshot) when a request
 * arrives and the snapshot changed, rows inserted in index order so each
 * insert is an append.  The registration of a table (ts_table_register),
 * an endpoint row's index key and columns (ts_ep_key_set, ts_ep_column) serve
 * the tables of other files too (toptable.c).
 */
#include "config.h"

#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent_int.h"
#include "log.h"
#include "values.h"

struct ep_row {
	struct ts_ep_key	 k;		/* first: the container's key */
	const struct ts_snap_row *r;
};

struct port_row {
	netsnmp_index		  idx;
	oid			  o[1];
	const struct ts_snap_port *p;
};

struct alarm_row {
	netsnmp_index		 idx;
	oid			 o[1];
	struct ts_alarm		 a;		/* a copy */
};

static netsnmp_container *alarm_c;
static struct alarm_row *alarm_rows;
static const struct ts_snapshot *tab_snap;	/* lent by the agent */
static const struct ts_snapshot *built;	/* the containers hold its rows */
static uint64_t built_serial;
static netsnmp_container *ep_c, *port_c;
static struct ep_row *ep_rows;
static struct port_row *port_rows;
static char *service_names[65536];	/* TCP's in /etc/services */

size_t
ts_ep_index(const struct ts_epkey *key, uint32_t netns, oid *o)
{
	uint8_t a[20];
	size_t n = ts_inet_octets(key, a), k = 0;

	o[k++] = netns;
	o[k++] = (oid)ts_inet_type(key);
	o[k++] = n;
	for (size_t i = 0; i < n; i++)
		o[k++] = a[i];
	o[k++] = key->port;
	return k;
}

void
ts_ep_key_set(struct ts_ep_key *k, const struct ts_snap_row *r)
{
	k->idx.len = ts_ep_index(&r->key, r->netns, k->o);
	k->idx.oids = k->o;
}

int
ts_ep_key_cmp(const void *a, const void *b)
{
	const struct ts_ep_key *x = a, *y = b;

	return snmp_oid_compare(x->o, x->idx.len, y->o, y->idx.len);
}

/*
 * The columns each table answers (its read-only ones, from mibdefs), for
 * net-snmp's table helper, which then steps over the rest; the endpoint
 * table's kernel columns only while the kernel event source runs.
 */
struct columns {
	netsnmp_column_info	ci;		/* served now */
	netsnmp_column_info	all;		/* the MIB's, served or not */
	unsigned		col[TSM_COLS_MAX];	/* every one, in order */
	unsigned		pcap[TSM_COLS_MAX];	/* without the kernel's */
	unsigned		n, npcap;
};
static struct columns columns[TSM_T__COUNT];

static int
cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

static int
is_kernel_column(enum tsm_table_id t, unsigned col)
{
	return t == TSM_T_EpTable && col >= TSM_EpKernelAttempts &&
	    col <= TSM_EpListenerStopped;
}

static netsnmp_column_info *
columns_of(enum tsm_table_id t)
{
	const struct tsm_table *tab = &tsm_tables[t];
	struct columns *c = &columns[t];

	for (int i = 0; i < TSM_ID__COUNT && c->n < TSM_COLS_MAX; i++) {
		const struct tsm_object *o = &tsm_objects[i];

		if (o->kind != TSM_COLUMN || o->access != TSM_READ_ONLY ||
		    o->oidlen != tab->oidlen + 2 ||
		    memcmp(o->oid, tab->oid, tab->oidlen * sizeof(unsigned)) != 0)
			continue;
		c->col[c->n++] = o->oid[o->oidlen - 1];
	}
	qsort(c->col, c->n, sizeof(c->col[0]), cmp_unsigned);
	for (unsigned i = 0; i < c->n; i++)
		if (!is_kernel_column(t, c->col[i]))
			c->pcap[c->npcap++] = c->col[i];
	c->ci.isRange = 0;
	c->ci.list_count = (char)c->n;
	c->ci.details.list = c->col;
	c->all = c->ci;
	return &c->ci;
}

/* The endpoint table's kernel columns are served only while it runs. */
static void
ep_kernel_columns(int on)
{
	struct columns *c = &columns[TSM_T_EpTable];

	c->ci.details.list = on ? c->col : c->pcap;
	c->ci.list_count = (char)(on ? c->n : c->npcap);
}

static const char *
service_name(uint16_t port)
{
	return service_names[port] != NULL ? service_names[port] : "";
}

/*
 * The services database, read whole at registration: the SNMP process
 * answers from a root where /etc/services is not.  A port's first TCP
 * name wins, as getservbyport() answers.
 */
static void
load_services(void)
{
	struct servent *se;

	setservent(0);
	while ((se = getservent()) != NULL) {
		uint16_t port = ntohs((uint16_t)se->s_port);

		if (service_names[port] == NULL && se->s_proto != NULL &&
		    strcmp(se->s_proto, "tcp") == 0)
			service_names[port] = strdup(se->s_name);
	}
	endservent();
}

void
ts_tables_snapshot(const struct ts_snapshot *s)
{
	tab_snap = s;
	ts_kevtables_snapshot(s);
	ts_lsntables_snapshot(s);
}

static void
rebuild(void)
{
	const struct ts_snapshot *s = tab_snap;
	static const struct ts_snapshot none;

	if (s == NULL)
		s = &none;
	if (s == built && s->serial == built_serial)
		return;
	built = NULL;
	CONTAINER_CLEAR(ep_c, NULL, NULL);
	CONTAINER_CLEAR(port_c, NULL, NULL);
	free(ep_rows);
	free(port_rows);
	ep_rows = calloc(s->nrows ? s->nrows : 1, sizeof(*ep_rows));
	port_rows = calloc(s->nports ? s->nports : 1, sizeof(*port_rows));
	if (ep_rows == NULL || port_rows == NULL) {
		log_warnx("cannot allocate the SNMP tables");
		return;
	}
	for (size_t i = 0; i < s->nrows; i++) {
		ep_rows[i].r = &s->rows[i];
		ts_ep_key_set(&ep_rows[i].k, ep_rows[i].r);
	}
	qsort(ep_rows, s->nrows, sizeof(*ep_rows), ts_ep_key_cmp);
	for (size_t i = 0; i < s->nrows; i++) {
		ep_rows[i].k.idx.oids = ep_rows[i].k.o;	/* moved by qsort */
		CONTAINER_INSERT(ep_c, &ep_rows[i]);
	}
	for (size_t i = 0; i < s->nports; i++) {	/* sorted by port */
		port_rows[i].p = &s->ports[i];
		port_rows[i].o[0] = s->ports[i].port;
		port_rows[i].idx.oids = port_rows[i].o;
		port_rows[i].idx.len = 1;
		CONTAINER_INSERT(port_c, &port_rows[i]);
	}
	ep_kernel_columns(ts_kev_running(s));
	ts_toptable_rebuild(s);
	built = s;
	built_serial = s->serial;
}

void
ts_tables_refresh(void)
{
	rebuild();
}

/*
 * Above the table helpers: the requests' names as the manager sent them,
 * then the containers up to date.  net-snmp's AgentX parser (5.9) reads a
 * sub-identifier into an int and widens it: one of 2^31 or more (every
 * tcpsleuthEpNetns, an nsfs inode, is) reaches a subagent sign-extended
 * to 64 bits, and would match no row.  Sub-identifiers are 32 bits.
 * A GET of a column the MIB does not give a sparse table is noSuchObject
 * here (one it gives but does not serve now, noSuchInstance; net-snmp's
 * table helper would cut the name short and say noSuchInstance).
 */
static int
refresh_handler(netsnmp_mib_handler *handler,
    netsnmp_handler_registration *reg, netsnmp_agent_request_info *reqinfo,
    netsnmp_request_info *requests)
{
	netsnmp_column_info *cols = handler->myvoid;	/* the MIB's columns */
	const struct ts_table_ops *ops = reg->my_reg_void;
	size_t at = reg->rootoid_len + 1;		/* table.1.COLUMN */

	for (netsnmp_request_info *r = requests; r != NULL; r = r->next) {
		netsnmp_variable_list *v = r->requestvb;

		for (size_t i = 0; i < v->name_length; i++)
			v->name[i] &= (oid)0xffffffffu;
		if (reqinfo->mode == MODE_GET && cols != NULL && !r->processed &&
		    v->name_length > at && v->name[at - 1] == 1 &&
		    netsnmp_closest_column((unsigned)v->name[at], cols) != v->name[at])
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
	}
	if (ops->refresh != NULL)
		ops->refresh();
	return netsnmp_call_next_handler(handler, reg, reqinfo, requests);
}

static const unsigned ep_class_arcs[] = TS_CLASS_ARCS(Ep);
static const unsigned ep_rate_arcs[] = TS_RATE_ARCS(EpRate);
static const unsigned port_class_arcs[] = TS_CLASS_ARCS(Port);
static const unsigned port_rate_arcs[] = TS_RATE_ARCS(PortRate);

static long
location_mib(uint8_t loc)
{
	switch (loc) {
	case TS_LOC_LOCAL:	return TSM_EpLocation_local;
	case TS_LOC_REMOTE:	return TSM_EpLocation_remote;
	case TS_LOC_TRANSIT:	return TSM_EpLocation_transit;
	default:		return TSM_EpLocation_unknown;
	}
}

static long
listener_mib(uint8_t l)
{
	switch (l) {
	case TS_LISTEN_YES:	return TSM_EpListener_listening;
	case TS_LISTEN_NO:	return TSM_EpListener_notListening;
	default:		return TSM_EpListener_unknown;
	}
}

int
ts_ep_column(const struct ts_snap_row *r, oid col, netsnmp_variable_list *v)
{
	uint8_t dt[11];
	int i;

	switch (col) {
	case TSM_EpName: ts_set_string(v, r->name); return 1;
	case TSM_EpIfIndex: ts_set_integer(v, (long)r->ifindex); return 1;
	case TSM_EpIfName: ts_set_string(v, r->ifname); return 1;
	case TSM_EpLocation: ts_set_integer(v, location_mib(r->loc)); return 1;
	case TSM_EpListener: ts_set_integer(v, listener_mib(r->listen)); return 1;
	case TSM_EpService: ts_set_string(v, service_name(r->key.port)); return 1;
	case TSM_EpCreated:
		ts_set_timeticks(v, ts_snap_timestamp(tab_snap, r->created));
		return 1;
	case TSM_EpFirstSeen:
		ts_set_octets(v, dt, ts_date_and_time(r->first, dt));
		return 1;
	case TSM_EpLastSeen:
		ts_set_octets(v, dt, ts_date_and_time(r->last, dt));
		return 1;
	case TSM_EpSecondsSinceLast:
		ts_set_gauge(v, r->last > 0 && tab_snap->wall > r->last ?
		    (uint32_t)((tab_snap->wall - r->last) / TS_NS_PER_SEC) : 0);
		return 1;
	case TSM_EpFailures: ts_set_counter64(v, r->failures); return 1;
	case TSM_EpRstsByService: ts_set_counter64(v, r->rst_by[TS_BY_SERVICE]); return 1;
	case TSM_EpRstsByClient: ts_set_counter64(v, r->rst_by[TS_BY_CLIENT]); return 1;
	case TSM_EpLastPeerAddressType:
	case TSM_EpLastPeerAddress: {
		struct ts_epkey peer = { .family = r->key.family };
		uint8_t a[20];

		memcpy(peer.addr, r->peer, 16);
		peer.scope = ts_peer_zone(r);
		if (col == TSM_EpLastPeerAddressType)
			ts_set_integer(v, ts_inet_type(&peer));
		else
			ts_set_octets(v, a, ts_inet_octets(&peer, a));
		return 1;
	}
	case TSM_EpLastPeerPort: ts_set_gauge(v, r->peer_port); return 1;
	case TSM_EpPeers: ts_set_gauge(v, r->peers); return 1;
	case TSM_EpLastIcmpType: ts_set_gauge(v, r->icmp_type); return 1;
	case TSM_EpLastIcmpCode: ts_set_gauge(v, r->icmp_code); return 1;
	case TSM_EpLsnOverflows: ts_set_counter64(v, r->lsn_overflows); return 1;
	}
	if (is_kernel_column(TSM_T_EpTable, (unsigned)col))
		return ts_kev_ep_column(tab_snap, r, col, v);
	if ((i = ts_arc_find(ep_class_arcs, TS_CL__COUNT, col)) >= 0) {
		ts_set_counter64(v, r->count[i]);
		return 1;
	}
	if ((i = ts_arc_find(ep_rate_arcs, TS_RATE_WINDOWS, col)) >= 0) {
		ts_set_gauge(v, r->rate[i]);
		return 1;
	}
	return 0;
}

/* CounterBasedGauge64 is a Counter64 on the wire. */
static int
port_column(const void *row, oid col, netsnmp_variable_list *v)
{
	const struct ts_snap_port *p = ((const struct port_row *)row)->p;
	int i;

	switch (col) {
	case TSM_PortEndpoints: ts_set_gauge(v, p->endpoints); return 1;
	case TSM_PortFailures: ts_set_counter64(v, p->failures); return 1;
	}
	if ((i = ts_arc_find(port_class_arcs, TS_CL__COUNT, col)) >= 0) {
		ts_set_counter64(v, p->count[i]);
		return 1;
	}
	if ((i = ts_arc_find(port_rate_arcs, TS_RATE_WINDOWS, col)) >= 0) {
		ts_set_gauge(v, p->rate[i]);
		return 1;
	}
	return 0;
}

static long
alarm_type_mib(uint8_t kind)
{
	switch (kind) {
	case TS_AL_ENDPOINT:	return TSM_AlarmType_endpointRate;
	case TS_AL_HOST:	return TSM_AlarmType_hostFailRate;
	case TS_AL_DROPS:	return TSM_AlarmType_captureDrops;
	case TS_AL_LISTENER:	return TSM_AlarmType_listenerDrops;
	default:		return TSM_AlarmType_coverageLow;
	}
}

static int
alarm_column(const void *row, oid col, netsnmp_variable_list *v)
{
	const struct ts_alarm *a = &((const struct alarm_row *)row)->a;
	uint8_t buf[20];
	int ep = a->kind == TS_AL_ENDPOINT || a->kind == TS_AL_LISTENER;
	int rate = ep || a->kind == TS_AL_HOST;

	switch (col) {
	case TSM_AlarmType: ts_set_integer(v, alarm_type_mib(a->kind)); return 1;
	case TSM_AlarmAddressType:
		ts_set_integer(v, ep ? ts_inet_type(&a->key) : TS_INET_UNKNOWN);
		return 1;
	case TSM_AlarmAddress:
		ts_set_octets(v, buf, ep ? ts_inet_octets(&a->key, buf) : 0);
		return 1;
	case TSM_AlarmPort: ts_set_gauge(v, ep ? a->key.port : 0); return 1;
	case TSM_AlarmName: ts_set_string(v, a->name); return 1;
	case TSM_AlarmRate: ts_set_gauge(v, rate ? a->rate : 0); return 1;
	case TSM_AlarmThreshold: ts_set_gauge(v, rate ? a->threshold : 0); return 1;
	case TSM_AlarmValue:
		ts_set_gauge(v, rate ? a->rate : a->value > UINT32_MAX ?
		    UINT32_MAX : (uint32_t)a->value);
		return 1;
	case TSM_AlarmLimit:
		ts_set_gauge(v, a->kind == TS_AL_DROPS ? 0 : a->threshold);
		return 1;
	case TSM_AlarmSince:
		ts_set_octets(v, buf, ts_date_and_time(a->since_wall, buf));
		return 1;
	case TSM_AlarmSinceUptime:
		ts_set_timeticks(v, ts_timestamp(a->since_mono));
		return 1;
	case TSM_AlarmNetns: ts_set_gauge(v, ep ? a->netns : 0); return 1;
	default:
		return 0;
	}
}

void
ts_tables_alarms(const struct ts_alarms *al)
{
	const struct ts_alarm **list;
	uint32_t n = ts_alarms_active(al);

	CONTAINER_CLEAR(alarm_c, NULL, NULL);
	free(alarm_rows);
	alarm_rows = calloc(n ? n : 1, sizeof(*alarm_rows));
	list = calloc(n ? n : 1, sizeof(*list));
	if (alarm_rows == NULL || list == NULL) {
		free(list);
		log_warnx("cannot allocate the alarm table");
		return;
	}
	n = ts_alarms_list(al, list, n);	/* sorted by id */
	for (uint32_t i = 0; i < n; i++) {
		alarm_rows[i].a = *list[i];
		alarm_rows[i].o[0] = list[i]->id;
		alarm_rows[i].idx.oids = alarm_rows[i].o;
		alarm_rows[i].idx.len = 1;
		CONTAINER_INSERT(alarm_c, &alarm_rows[i]);
	}
	free(list);
}

/* An endpoint container row to its values (the top view's too: toptable.c). */
static int
ep_column(const void *row, oid col, netsnmp_variable_list *v)
{
	return ts_ep_column(((const struct ep_row *)row)->r, col, v);
}

/* A GET of rows the container helper found: each column's value. */
static int
table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct ts_table_ops *ops = reg->my_reg_void;

	(void)handler;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *r = requests; r != NULL; r = r->next) {
		netsnmp_table_request_info *ti;
		void *row;

		if (r->processed)
			continue;
		row = netsnmp_container_table_row_extract(r);
		ti = netsnmp_extract_table_info(r);
		if (row == NULL || ti == NULL) {
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		if (!ops->column(row, ti->colnum, r->requestvb))
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
	}
	return SNMP_ERR_NOERROR;
}

netsnmp_container *
ts_table_register(enum tsm_table_id t, const struct ts_table_ops *ops)
{
	static const oid base[] = { TS_OID_BASE };
	const struct tsm_table *tab = &tsm_tables[t];
	const char *name = tab->name;
	oid o[MAX_OID_LEN];
	size_t n = OID_LENGTH(base);
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	netsnmp_mib_handler *h;
	netsnmp_container *c;
	char cname[64];

	memcpy(o, base, sizeof(base));
	for (unsigned k = 0; k < tab->oidlen; k++)
		o[n++] = tab->oid[k];
	snprintf(cname, sizeof(cname), "%s:table_container", name);
	if ((c = netsnmp_container_find(cname)) == NULL)
		return NULL;
	c->container_name = strdup(name);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	reg = netsnmp_create_handler_registration(name, table_handler, o, n,
	    HANDLER_CAN_RONLY);
	if (ti == NULL || reg == NULL) {
		free(ti);
		if (reg != NULL)
			netsnmp_handler_registration_free(reg);
		CONTAINER_FREE(c);
		return NULL;
	}
	reg->my_reg_void = (void *)(uintptr_t)ops;	/* const: read only */
	for (unsigned k = 0; k < tab->nindex; k++)
		snmp_varlist_add_variable(&ti->indexes, NULL, 0,
		    tsm_objects[tab->index[k]].type, NULL, 0);
	ti->min_column = tab->mincol;
	ti->max_column = tab->maxcol;
	ti->valid_columns = columns_of(t);
	if (netsnmp_container_table_register(reg, ti, c,
	    TABLE_CONTAINER_KEY_NETSNMP_INDEX) != MIB_REGISTERED_OK)
		return NULL;
	if ((h = netsnmp_create_handler("tcpsleuth_refresh", refresh_handler)) == NULL)
		return NULL;
	h->myvoid = &columns[t].all;		/* static: not freed */
	netsnmp_inject_handler(reg, h);
	return c;
}

int
ts_tables_register(void)
{
	static const struct ts_table_ops ep = { ep_column, rebuild };
	static const struct ts_table_ops port = { port_column, rebuild };
	static const struct ts_table_ops alarm = { alarm_column, NULL };

	load_services();
	ep_c = ts_table_register(TSM_T_EpTable, &ep);
	port_c = ts_table_register(TSM_T_PortTable, &port);
	alarm_c = ts_table_register(TSM_T_AlarmTable, &alarm);
	return ep_c != NULL && port_c != NULL && alarm_c != NULL &&
	    ts_toptable_register() == 0 && ts_lsntables_register() == 0 &&
	    ts_kevtables_register() == 0 ? 0 : -1;
}

void
ts_tables_free(void)
{
	free(ep_rows);
	free(port_rows);
	free(alarm_rows);
	ep_rows = NULL;
	port_rows = NULL;
	alarm_rows = NULL;
	ts_toptable_free();
	tab_snap = NULL;
	built = NULL;
	ts_kevtables_free();
	ts_lsntables_free();
	for (size_t i = 0; i < 65536; i++) {
		free(service_names[i]);
		service_names[i] = NULL;
	}
}
