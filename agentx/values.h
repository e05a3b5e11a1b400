/*
 * values.h - SNMP values from tcpsleuth's: Counter64, Gauge32, strings,
 * InetAddressType and InetAddress of an endpoint, DateAndTime, and
 * TimeStamps against a fixed reference.  A leaf of the SNMP side: it
 * includes net-snmp's and the core's headers only, and is used by agent.c,
 * tables.c and notify.c alike.
 */
#ifndef TS_VALUES_H
#define TS_VALUES_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <stddef.h>
#include <stdint.h>

#include "eptab.h"
#include "pkt.h"

/* InetAddressType (RFC 4001). */
#define TS_INET_UNKNOWN	0
#define TS_INET_IPV4	1
#define TS_INET_IPV6	2
#define TS_INET_IPV6Z	4

void	ts_set_counter64(netsnmp_variable_list *, uint64_t);
void	ts_set_gauge(netsnmp_variable_list *, uint32_t);	/* and Unsigned32 */
void	ts_set_integer(netsnmp_variable_list *, long);
void	ts_set_timeticks(netsnmp_variable_list *, uint32_t);
void	ts_set_string(netsnmp_variable_list *, const char *);
void	ts_set_octets(netsnmp_variable_list *, const void *, size_t);
/* A number of SMI type (ASN_INTEGER, _GAUGE, _TIMETICKS, _COUNTER64). */
void	ts_set_number(netsnmp_variable_list *, u_char type, uint64_t);

/* InetAddressType and octets of an endpoint key (16 + zone for ipv6z). */
int	ts_inet_type(const struct ts_epkey *);
size_t	ts_inet_octets(const struct ts_epkey *, uint8_t *out);
/* DateAndTime, UTC: 11 octets (8 for "never": t <= 0). */
size_t	ts_date_and_time(ts_ns, uint8_t *out);
/* seen per thousand kernel, 1000 when kernel is 0. */
uint32_t ts_permille(uint64_t seen, uint64_t kernel);
/* sysUpTime (centiseconds) at wall-clock time t; 0 before it began. */
u_long	ts_timestamp(ts_ns t, ts_ns wall_now);

#endif
