/*
 * values.c - SNMP values from tcpsleuth's (values.h).  No state.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "values.h"

void
ts_set_counter64(netsnmp_variable_list *v, uint64_t x)
{
	struct counter64 c;

	c.high = (u_long)(x >> 32);
	c.low = (u_long)(x & 0xffffffffu);
	snmp_set_var_typed_value(v, ASN_COUNTER64, &c, sizeof(c));
}

static void
set_u32(netsnmp_variable_list *v, u_char type, uint32_t x)
{
	u_long u = x;

	snmp_set_var_typed_value(v, type, &u, sizeof(u));
}

void
ts_set_gauge(netsnmp_variable_list *v, uint32_t x)
{
	set_u32(v, ASN_GAUGE, x);
}

void
ts_set_integer(netsnmp_variable_list *v, long x)
{
	snmp_set_var_typed_value(v, ASN_INTEGER, &x, sizeof(x));
}

void
ts_set_timeticks(netsnmp_variable_list *v, uint32_t x)
{
	set_u32(v, ASN_TIMETICKS, x);
}

void
ts_set_string(netsnmp_variable_list *v, const char *s)
{
	snmp_set_var_typed_value(v, ASN_OCTET_STR, s, strlen(s));
}

void
ts_set_octets(netsnmp_variable_list *v, const void *p, size_t n)
{
	snmp_set_var_typed_value(v, ASN_OCTET_STR, p, n);
}

void
ts_set_number(netsnmp_variable_list *v, u_char type, uint64_t x)
{
	switch (type) {
	case ASN_COUNTER64:
		ts_set_counter64(v, x);
		break;
	case ASN_INTEGER:
		ts_set_integer(v, (long)x);
		break;
	default:		/* Gauge32, Unsigned32, TimeTicks, Counter32 */
		set_u32(v, type, x > UINT32_MAX ? UINT32_MAX : (uint32_t)x);
	}
}

int
ts_inet_type(const struct ts_epkey *k)
{
	if (k->family == TS_AF_INET)
		return TS_INET_IPV4;
	return k->scope != 0 ? TS_INET_IPV6Z : TS_INET_IPV6;
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

uint32_t
ts_peer_zone(const struct ts_snap_row *r)
{
	if (r->key.family != TS_AF_INET6 || r->peer[0] != 0xfe ||
	    (r->peer[1] & 0xc0) != 0x80)	/* fe80::/10 */
		return 0;
	return r->key.scope != 0 ? r->key.scope : r->ifindex;
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

uint32_t
ts_permille(uint64_t seen, uint64_t kernel)
{
	uint64_t p;

	if (kernel == 0)
		return 1000;
	p = seen * 1000 / kernel;
	return p > UINT32_MAX ? UINT32_MAX : (uint32_t)p;
}

#define CS	(TS_NS_PER_SEC / 100)	/* a centisecond */

static ts_ns ref_mono;
static uint32_t ref_up;

void
ts_uptime_ref(ts_ns mono, uint32_t up)
{
	ref_mono = mono;
	ref_up = up;
}

int
ts_uptime_check(ts_ns mono, uint32_t up)
{
	int64_t off = (int64_t)up - ((int64_t)ref_up + (mono - ref_mono) / CS);

	if (ref_mono != 0 && off >= -100 && off <= 100)
		return 0;
	ts_uptime_ref(mono, up);
	return 1;
}

uint32_t
ts_timestamp(ts_ns t)
{
	int64_t up;

	if (t == 0)
		return 0;
	up = (int64_t)ref_up + (t - ref_mono) / CS;
	return up <= 0 ? 0 : (uint32_t)up;	/* TimeTicks wrap as sysUpTime */
}

uint32_t
ts_snap_timestamp(const struct ts_snapshot *s, ts_ns t)
{
	return t == 0 ? 0 : ts_timestamp(t - s->mono_off);
}
