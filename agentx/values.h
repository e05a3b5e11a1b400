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
#include "snapshot.h"

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
/*
 * The zone of a row's last peer: a link-local caller is on the row's
 * link (the row's own zone, else its interface); 0 for any other.
 */
uint32_t ts_peer_zone(const struct ts_snap_row *);
/* DateAndTime, UTC: 11 octets (8 for "never": t <= 0). */
size_t	ts_date_and_time(ts_ns, uint8_t *out);
/* seen per thousand kernel, 1000 when kernel is 0. */
uint32_t ts_permille(uint64_t seen, uint64_t kernel);

/*
 * TimeStamps: sysUpTime when something happened, from the monotonic time
 * it happened at, against one reference (sysUpTime up read at monotonic
 * time mono), so a TimeStamp is the same on every poll.  (net-snmp's own
 * uptime is set to the master's at every AgentX response: it moves by
 * centiseconds.)  ts_uptime_check() takes (mono, up) as the reference when
 * it is more than a second off (the master restarted) and returns 1.
 */
void	ts_uptime_ref(ts_ns mono, uint32_t up);
int	ts_uptime_check(ts_ns mono, uint32_t up);
/* sysUpTime at monotonic time t; 0 for 0 (never) or before sysUpTime's 0. */
uint32_t ts_timestamp(ts_ns t);
/* The same for a time of snapshot s (published wall clock; 0: never). */
uint32_t ts_snap_timestamp(const struct ts_snapshot *s, ts_ns t);

#endif
