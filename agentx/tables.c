/*
 * tables.c - tcpsleuthEpTable and tcpsleuthPortTable, answered from
 * sorted net-snmp containers (table_container: GETNEXT is a binary
 * search, not a walk of an iterator).  The containers are rebuilt from
 * the newest snapshot when a request arrives and the snapshot changed,
 * rows inserted in index order so each insert is an append.
 */
#include "config.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent_int.h"
#include "log.h"

#define EP_INDEX_MAX	(1 + 1 + 20 + 1)	/* type, len, address, port */

struct ep_row {
	netsnmp_index		 idx;		/* first: the container's key */
	oid			 o[EP_INDEX_MAX];
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

static struct ts_collector *coll;
static netsnmp_container *alarm_c;
static struct alarm_row *alarm_rows;
static struct ts_snapshot *tab_snap;	/* what the containers point into */
static netsnmp_container *ep_c, *port_c;
static struct ep_row *ep_rows;
static struct port_row *port_rows;
static char *service_names[65536];	/* /etc/services, looked up once */

static const oid base_oid[] = { TS_OID_BASE };

enum { ADDR_IPV4 = 1, ADDR_IPV6 = 2, ADDR_IPV6Z = 4 };

int
ts_inet_type(const struct ts_epkey *k)
{
	if (k->family == TS_AF_INET)
		return ADDR_IPV4;
	return k->scope != 0 ? ADDR_IPV6Z : ADDR_IPV6;
}

/* InetAddress octets for a key: 4, 16, or 16 + a 4-byte zone. */
size_t
ts_inet_octets(const struct ts_epkey *k, uint8_t *out)
{
	if (k->family == TS_AF_INET) {
		memcpy(out, k->addr, 4);
		return 4;
	}
	memcpy(out, k->addr, 16);
	if (k->scope == 0)
		return 16;
	out[16] = (uint8_t)(k->scope >> 24);
	out[17] = (uint8_t)(k->scope >> 16);
	out[18] = (uint8_t)(k->scope >> 8);
	out[19] = (uint8_t)k->scope;
	return 20;
}

static void
ep_index(struct ep_row *e)
{
	uint8_t a[20];
	size_t n = ts_inet_octets(&e->r->key, a), k = 0;

	e->o[k++] = (oid)ts_inet_type(&e->r->key);
	e->o[k++] = n;
	for (size_t i = 0; i < n; i++)
		e->o[k++] = a[i];
	e->o[k++] = e->r->key.port;
	e->idx.oids = e->o;
	e->idx.len = k;
}

static int
ep_cmp(const void *a, const void *b)
{
	const struct ep_row *x = a, *y = b;

	return snmp_oid_compare(x->idx.oids, x->idx.len, y->idx.oids, y->idx.len);
}

static const char *
service_name(uint16_t port)
{
	if (service_names[port] == NULL) {
		struct servent *se = getservbyport(htons(port), "tcp");

		service_names[port] = strdup(se != NULL ? se->s_name : "");
	}
	return service_names[port] != NULL ? service_names[port] : "";
}

/* DateAndTime, UTC (RFC 2579): 11 octets. */
size_t
ts_date_and_time(ts_ns t, uint8_t *out)
{
	time_t s = (time_t)(t / TS_NS_PER_SEC);
	struct tm tm;

	if (t <= 0 || gmtime_r(&s, &tm) == NULL) {
		memset(out, 0, 8);
		out[2] = out[3] = 1;	/* 0000-01-01: never */
		return 8;
	}
	out[0] = (uint8_t)((tm.tm_year + 1900) >> 8);
	out[1] = (uint8_t)(tm.tm_year + 1900);
	out[2] = (uint8_t)(tm.tm_mon + 1);
	out[3] = (uint8_t)tm.tm_mday;
	out[4] = (uint8_t)tm.tm_hour;
	out[5] = (uint8_t)tm.tm_min;
	out[6] = (uint8_t)tm.tm_sec;
	out[7] = (uint8_t)(t % TS_NS_PER_SEC / 100000000);
	out[8] = '+';
	out[9] = 0;
	out[10] = 0;
	return 11;
}

static void
rebuild(void)
{
	struct ts_snapshot *s = ts_collector_acquire(coll);

	if (s == NULL)
		return;
	if (tab_snap != NULL && s->serial == tab_snap->serial) {
		ts_collector_release(coll, s);
		return;
	}
	CONTAINER_CLEAR(ep_c, NULL, NULL);
	CONTAINER_CLEAR(port_c, NULL, NULL);
	free(ep_rows);
	free(port_rows);
	ep_rows = calloc(s->nrows ? s->nrows : 1, sizeof(*ep_rows));
	port_rows = calloc(s->nports ? s->nports : 1, sizeof(*port_rows));
	if (ep_rows == NULL || port_rows == NULL) {
		log_warnx("cannot allocate the SNMP tables");
		ts_collector_release(coll, s);
		return;
	}
	for (size_t i = 0; i < s->nrows; i++) {
		ep_rows[i].r = &s->rows[i];
		ep_index(&ep_rows[i]);
	}
	qsort(ep_rows, s->nrows, sizeof(*ep_rows), ep_cmp);
	for (size_t i = 0; i < s->nrows; i++) {
		ep_rows[i].idx.oids = ep_rows[i].o;	/* moved by qsort */
		CONTAINER_INSERT(ep_c, &ep_rows[i]);
	}
	for (size_t i = 0; i < s->nports; i++) {	/* sorted by port */
		port_rows[i].p = &s->ports[i];
		port_rows[i].o[0] = s->ports[i].port;
		port_rows[i].idx.oids = port_rows[i].o;
		port_rows[i].idx.len = 1;
		CONTAINER_INSERT(port_c, &port_rows[i]);
	}
	ts_collector_release(coll, tab_snap);
	tab_snap = s;
}

/* Above the table helpers: bring the containers up to date first. */
static int
refresh_handler(netsnmp_mib_handler *handler,
    netsnmp_handler_registration *reg, netsnmp_agent_request_info *reqinfo,
    netsnmp_request_info *requests)
{
	rebuild();
	return netsnmp_call_next_handler(handler, reg, reqinfo, requests);
}

static void
set_inet(netsnmp_variable_list *v, uint8_t family, const uint8_t *addr)
{
	snmp_set_var_typed_value(v, ASN_OCTET_STR, addr,
	    family == TS_AF_INET ? 4 : 16);
}

static int
ep_column(const struct ts_snap_row *r, unsigned col, netsnmp_variable_list *v)
{
	uint8_t dt[11];
	long l;
	u_long u;

	switch (col) {
	case 4: ts_set_string(v, r->name); break;
	case 5:
		l = (long)r->ifindex;
		snmp_set_var_typed_value(v, ASN_INTEGER, &l, sizeof(l));
		break;
	case 6: ts_set_string(v, r->ifname); break;
	case 7:
		l = r->loc == TS_LOC_LOCAL ? 2 : r->loc == TS_LOC_REMOTE ? 3 :
		    r->loc == TS_LOC_TRANSIT ? 4 : 1;
		snmp_set_var_typed_value(v, ASN_INTEGER, &l, sizeof(l));
		break;
	case 8:
		l = r->listen == TS_LISTEN_YES ? 2 : r->listen == TS_LISTEN_NO ?
		    3 : 1;
		snmp_set_var_typed_value(v, ASN_INTEGER, &l, sizeof(l));
		break;
	case 9: ts_set_string(v, service_name(r->key.port)); break;
	case 10:
		u = ts_timestamp(r->created, tab_snap->wall);
		snmp_set_var_typed_value(v, ASN_TIMETICKS, &u, sizeof(u));
		break;
	case 11:
		snmp_set_var_typed_value(v, ASN_OCTET_STR, dt,
		    ts_date_and_time(r->first, dt));
		break;
	case 12:
		snmp_set_var_typed_value(v, ASN_OCTET_STR, dt,
		    ts_date_and_time(r->last, dt));
		break;
	case 13:
		u = r->last > 0 && tab_snap->wall > r->last ?
		    (u_long)((tab_snap->wall - r->last) / TS_NS_PER_SEC) : 0;
		snmp_set_var_typed_value(v, ASN_UNSIGNED, &u, sizeof(u));
		break;
	case 14: ts_set_counter64(v, r->failures); break;
	case 15: case 16: case 17: case 18: case 19: case 20:
		ts_set_counter64(v, r->count[col - 15]);
		break;
	case 21: ts_set_counter64(v, r->rst_by[TS_BY_SERVICE]); break;
	case 22: ts_set_counter64(v, r->rst_by[TS_BY_CLIENT]); break;
	case 23: case 24: case 25: ts_set_gauge(v, r->rate[col - 23]); break;
	case 26:
		l = r->key.family == TS_AF_INET ? ADDR_IPV4 : ADDR_IPV6;
		snmp_set_var_typed_value(v, ASN_INTEGER, &l, sizeof(l));
		break;
	case 27: set_inet(v, r->key.family, r->peer); break;
	case 28:
		u = r->peer_port;
		snmp_set_var_typed_value(v, ASN_UNSIGNED, &u, sizeof(u));
		break;
	case 29: ts_set_gauge(v, r->peers); break;
	case 30: case 31:
		u = col == 30 ? r->icmp_type : r->icmp_code;
		snmp_set_var_typed_value(v, ASN_UNSIGNED, &u, sizeof(u));
		break;
	default:
		return 0;
	}
	return 1;
}

static int
port_column(const struct ts_snap_port *p, unsigned col,
    netsnmp_variable_list *v)
{
	struct counter64 c;
	uint64_t x;

	switch (col) {
	case 2: ts_set_gauge(v, p->endpoints); return 1;
	case 10: case 11: case 12: ts_set_gauge(v, p->rate[col - 10]); return 1;
	case 3: x = p->failures; break;
	case 4: case 5: case 6: case 7: case 8: case 9:
		x = p->count[col - 4];
		break;
	default:
		return 0;
	}
	/* CounterBasedGauge64 is an Opaque-free 64-bit value: Counter64 type. */
	c.high = (u_long)(x >> 32);
	c.low = (u_long)(x & 0xffffffffu);
	snmp_set_var_typed_value(v, ASN_COUNTER64, &c, sizeof(c));
	return 1;
}

static int
alarm_column(const struct ts_alarm *a, unsigned col, netsnmp_variable_list *v)
{
	uint8_t buf[20];
	long l;
	u_long u;

	switch (col) {
	case 2:
		l = a->kind;
		snmp_set_var_typed_value(v, ASN_INTEGER, &l, sizeof(l));
		return 1;
	case 3:
		l = a->kind == TS_AL_ENDPOINT ? ts_inet_type(&a->key) : 0;
		snmp_set_var_typed_value(v, ASN_INTEGER, &l, sizeof(l));
		return 1;
	case 4:
		snmp_set_var_typed_value(v, ASN_OCTET_STR, buf,
		    a->kind == TS_AL_ENDPOINT ? ts_inet_octets(&a->key, buf) : 0);
		return 1;
	case 5:
		u = a->kind == TS_AL_ENDPOINT ? a->key.port : 0;
		snmp_set_var_typed_value(v, ASN_UNSIGNED, &u, sizeof(u));
		return 1;
	case 6: ts_set_string(v, a->name); return 1;
	case 7:
		ts_set_gauge(v, a->kind == TS_AL_DROPS || a->kind == TS_AL_COVERAGE ?
		    (uint32_t)a->value : a->rate);
		return 1;
	case 8: ts_set_gauge(v, a->threshold); return 1;
	case 9:
		snmp_set_var_typed_value(v, ASN_OCTET_STR, buf,
		    ts_date_and_time(a->since_wall, buf));
		return 1;
	case 10:
		u = ts_timestamp(a->since_wall, ts_agent_snap != NULL ?
		    ts_agent_snap->wall : a->since_wall);
		snmp_set_var_typed_value(v, ASN_TIMETICKS, &u, sizeof(u));
		return 1;
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

enum { TAB_EP = 1, TAB_PORT, TAB_ALARM };

static int
table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	int which = (int)(intptr_t)reg->my_reg_void;

	(void)handler;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *r = requests; r != NULL; r = r->next) {
		netsnmp_table_request_info *ti;
		void *row;
		int done;

		if (r->processed)
			continue;
		row = netsnmp_container_table_row_extract(r);
		ti = netsnmp_extract_table_info(r);
		if (row == NULL || ti == NULL) {
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		if (which == TAB_EP)
			done = ep_column(((struct ep_row *)row)->r, ti->colnum,
			    r->requestvb);
		else if (which == TAB_PORT)
			done = port_column(((struct port_row *)row)->p,
			    ti->colnum, r->requestvb);
		else
			done = alarm_column(&((struct alarm_row *)row)->a,
			    ti->colnum, r->requestvb);
		if (!done)
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
	}
	return SNMP_ERR_NOERROR;
}

static netsnmp_container *
register_table(const char *name, oid sub, unsigned mincol, unsigned maxcol,
    int which)
{
	oid o[MAX_OID_LEN];
	size_t n = OID_LENGTH(base_oid);
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;
	netsnmp_container *c;
	char cname[64];

	memcpy(o, base_oid, sizeof(base_oid));
	o[n++] = TS_ARC_OBJECTS;
	o[n++] = sub;
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
	reg->my_reg_void = (void *)(intptr_t)which;
	if (which == TAB_EP)
		netsnmp_table_helper_add_indexes(ti, ASN_INTEGER, ASN_OCTET_STR,
		    ASN_UNSIGNED, 0);
	else
		netsnmp_table_helper_add_indexes(ti, ASN_UNSIGNED, 0);
	ti->min_column = mincol;
	ti->max_column = maxcol;
	if (netsnmp_container_table_register(reg, ti, c,
	    TABLE_CONTAINER_KEY_NETSNMP_INDEX) != MIB_REGISTERED_OK)
		return NULL;
	if (which != TAB_ALARM)
		netsnmp_inject_handler(reg, netsnmp_create_handler(
		    "tcpsleuth_refresh", refresh_handler));
	return c;
}

int
ts_tables_register(struct ts_collector *c)
{
	coll = c;
	ep_c = register_table("tcpsleuthEpTable", TS_OBJ_EPTABLE, 4, 31, TAB_EP);
	port_c = register_table("tcpsleuthPortTable", TS_OBJ_PORTTABLE, 2, 12,
	    TAB_PORT);
	alarm_c = register_table("tcpsleuthAlarmTable", TS_OBJ_ALARMTABLE, 2, 10,
	    TAB_ALARM);
	return ep_c != NULL && port_c != NULL && alarm_c != NULL ? 0 : -1;
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
	ts_collector_release(coll, tab_snap);
	tab_snap = NULL;
	for (size_t i = 0; i < 65536; i++) {
		free(service_names[i]);
		service_names[i] = NULL;
	}
}
