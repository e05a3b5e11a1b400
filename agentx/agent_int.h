/*
 * agent_int.h - shared by agent.c and tables.c, the only files that see
 * net-snmp.  net-snmp's headers come through pkg-config's flags, not
 * net-snmp-config's (which would inject -D_FORTIFY_SOURCE=2 -O2).
 */
#ifndef TS_AGENT_INT_H
#define TS_AGENT_INT_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/sysORTable.h>
#include <net-snmp/library/large_fd_set.h>

#include "alarm.h"
#include "collector.h"
#include "snapshot.h"
#include "sockdiag.h"

/*
 * Modules of libnetsnmpmibs the standalone agent uses (sysDescr,
 * sysObjectID, sysORTable, VACM, USM); Debian does not install their
 * headers.
 */
void	init_system_mib(void);
void	init_sysORTable(void);
void	init_vacm_vars(void);
void	init_usmUser(void);
void	init_snmpEngine(void);

/* The AgentX session to the master; NULL while it is away. */
extern netsnmp_session *main_session;

/* NETSNMP_DS_AGENT_ROLE values. */
#define TS_ROLE_MASTER	0
#define TS_ROLE_SUB	1

/* TCPSLEUTH-MIB: the configured arc, then our sub-identifiers. */
#define TS_OID_BASE		TCPSLEUTH_OID_C
#define TS_ARC_OBJECTS		1
#define TS_OBJ_HOST		1
#define TS_OBJ_RATES		2
#define TS_OBJ_CAPTURE		3
#define TS_OBJ_EPTABLE		4
#define TS_OBJ_PORTTABLE	5
#define TS_OBJ_OTHER		6
#define TS_OBJ_NOTIF		7
#define TS_OBJ_ALARMTABLE	8

/* The snapshot scalars answer from (the newest). */
extern struct ts_snapshot *ts_agent_snap;

int	ts_tables_register(struct ts_collector *);
void	ts_tables_free(void);
/* The alarm table follows these alarms. */
void	ts_tables_alarms(const struct ts_alarms *);
/* InetAddressType and octets of an endpoint key (16 + zone for ipv6z). */
int	ts_inet_type(const struct ts_epkey *);
size_t	ts_inet_octets(const struct ts_epkey *, uint8_t *out);
size_t	ts_date_and_time(ts_ns, uint8_t *out);

/* Helpers for values. */
void	ts_set_counter64(netsnmp_variable_list *, uint64_t);
void	ts_set_gauge(netsnmp_variable_list *, uint32_t);
void	ts_set_string(netsnmp_variable_list *, const char *);
/* sysUpTime (centiseconds) at wall-clock time t; 0 before it began. */
u_long	ts_timestamp(ts_ns t, ts_ns wall_now);

#endif
