/*
 * agent_int.h - shared by agent.c, scalars.c, tables.c, toptable.c,
 * lsntables.c, kevtables.c and notify.c, which with values.c are the only
 * files that see net-snmp.  net-snmp's headers come through pkg-config's flags, not
 * net-snmp-config's (which would inject -D_FORTIFY_SOURCE=2 -O2).
 */
#ifndef TS_AGENT_INT_H
#define TS_AGENT_INT_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/sysORTable.h>
#include <net-snmp/agent/agent_sysORTable.h>
#include <net-snmp/library/large_fd_set.h>

#include "agent.h"
#include "alarm.h"
#include "collector.h"
#include "mibdefs.h"		/* generated from the MIB */
#include "snapshot.h"
#include "sockdiag.h"

/* net-snmp reads <name>.conf: not tcpsleuthd.conf, the product's own. */
#define TS_NETSNMP_APP	"tcpsleuthd-netsnmp"

/* The AgentX session to the master; NULL while it is away. */
extern netsnmp_session *main_session;

/* NETSNMP_DS_AGENT_ROLE values. */
#define TS_ROLE_MASTER	0
#define TS_ROLE_SUB	1

/*
 * TCPSLEUTH-MIB: the configured arc (configure), then the MIB's own
 * numbers (mibdefs.h, generated from mibs/TCPSLEUTH-MIB.txt.in).
 */
#define TS_OID_BASE		TCPSLEUTH_OID_C

/* The SMI types mibdefs.h names are net-snmp's. */
_Static_assert(TSM_INTEGER == ASN_INTEGER && TSM_OCTETS == ASN_OCTET_STR &&
    TSM_GAUGE == ASN_GAUGE && TSM_GAUGE == ASN_UNSIGNED &&
    TSM_TIMETICKS == ASN_TIMETICKS && TSM_COUNTER64 == ASN_COUNTER64 &&
    TSM_OBJID == ASN_OBJECT_ID && TSM_COUNTER32 == ASN_COUNTER,
    "mibdefs.h's SMI types are net-snmp's ASN_ types");

/*
 * The class columns of a group or table (tcpsleuthSeen*, tcpsleuthEp*,
 * tcpsleuthPort*, tcpsleuthOther*), indexed by enum ts_cl, so the code
 * does not depend on the classes and the columns being in the same order.
 */
#define TS_CLASS_ARCS(p) {						\
	[TS_CL_REFUSED] = TSM_##p##Refused,				\
	[TS_CL_UNREACH] = TSM_##p##Unreachable,				\
	[TS_CL_TIMEOUT] = TSM_##p##TimedOut,				\
	[TS_CL_HSRESET] = TSM_##p##HandshakeResets,			\
	[TS_CL_ABORT] = TSM_##p##Aborts,				\
	[TS_CL_UNSOLICITED] = TSM_##p##Unsolicited }
_Static_assert(TS_CL__COUNT == 6,
    "a new class needs its columns in TCPSLEUTH-MIB and TS_CLASS_ARCS");
/* The 1-, 5- and 15-minute rate columns of a group or table. */
#define TS_RATE_ARCS(p)	{ TSM_##p##1, TSM_##p##5, TSM_##p##15 }
_Static_assert(TS_RATE_WINDOWS == 3,
    "a new rate window needs its columns in TCPSLEUTH-MIB and TS_RATE_ARCS");

/* Where arc is in arcs[0..n-1], or -1. */
static inline int
ts_arc_find(const unsigned *arcs, int n, oid arc)
{
	for (int i = 0; i < n; i++)
		if (arcs[i] == arc)
			return i;
	return -1;
}

/*
 * The scalar groups (scalars.c) and the tables (tables.c) answer from the
 * snapshot the agent lends them until it lends another (NULL: none; every
 * object is then noSuchObject or empty).  procroot: where /proc is;
 * tcpsleuthd started at monotonic time mono, wall-clock time wall.
 */
int	ts_scalars_register(const char *procroot, ts_ns mono, ts_ns wall);
void	ts_scalars_snapshot(const struct ts_snapshot *);
int	ts_tables_register(void);
void	ts_tables_snapshot(const struct ts_snapshot *);
/*
 * A table of TCPSLEUTH-MIB (mibdefs: INDEX, columns), answered from a
 * sorted container of rows whose first member is their netsnmp_index:
 * before each request, its names are cut to 32-bit sub-identifiers and
 * refresh() (if any) brings the containers up to date; then column(row,
 * colnum, var) sets each cell, 0 for a column it does not serve (no such
 * object).  A sparse column set (the MIB skips numbers) is stepped over.
 */
struct ts_table_ops {
	int	(*column)(const void *row, oid col, netsnmp_variable_list *);
	void	(*refresh)(void);
};
netsnmp_container *ts_table_register(enum tsm_table_id,
	    const struct ts_table_ops *);
#define TSM_COLS_MAX	64	/* columns of a table, at most */
/* An endpoint row's index (netns, InetAddressType, InetAddress, port). */
#define TS_EP_INDEX_MAX	(1 + 1 + 1 + 20 + 1)
size_t	ts_ep_index(const struct ts_epkey *, uint32_t netns, oid *out);
/* tcpsleuthNsTable, tcpsleuthLsnTable, tcpsleuthLsnGroupTable (lsntables.c),
 * registered, lent the snapshot and freed with the others. */
int	ts_lsntables_register(void);
void	ts_lsntables_snapshot(const struct ts_snapshot *);
void	ts_lsntables_free(void);
/* The index of tcpsleuthLsnGroupTable's row for netns and k, in o (at
 * most 24 sub-identifiers): how many. */
size_t	ts_lsngroup_index(uint32_t netns, const struct ts_epkey *k, oid *o);
/*
 * The kernel event source (kevtables.c): its scalar group's values, the
 * endpoint table's kernel columns (0: no value), tcpsleuthKprogTable and
 * tcpsleuthCallerTable (registered, lent the snapshot and freed with the
 * other tables, rebuilt before each of their requests).
 */
int	ts_kev_running(const struct ts_snapshot *);
int	ts_kev_scalar(const struct ts_snapshot *, oid sub,
	    netsnmp_variable_list *);
int	ts_kev_ep_column(const struct ts_snapshot *, const struct ts_snap_row *,
	    oid col, netsnmp_variable_list *);
int	ts_kevtables_register(void);
void	ts_kevtables_snapshot(const struct ts_snapshot *);
void	ts_kevtables_rebuild(void);
void	ts_kevtables_free(void);
/* The alarm table follows these alarms. */
void	ts_tables_alarms(const struct ts_alarms *);
void	ts_tables_free(void);

/*
 * For the tables indexed like tcpsleuthEpTable (toptable.c): a container
 * row begins with a struct ts_ep_key, set from its endpoint row by
 * ts_ep_key_set() and ordered by ts_ep_key_cmp() (for qsort: it compares
 * o[], wherever the rows have moved; set idx.oids again after);
 * ts_ep_column() gives an endpoint row's tcpsleuthEpTable column col (0:
 * no such column); ts_tables_refresh() brings the endpoint containers, and
 * the top view's with them, up to the lent snapshot.
 */
struct ts_ep_key {
	netsnmp_index	idx;		/* the container's key: oids is o */
	oid		o[TS_EP_INDEX_MAX];
};
void	ts_tables_refresh(void);
void	ts_ep_key_set(struct ts_ep_key *, const struct ts_snap_row *);
int	ts_ep_key_cmp(const void *, const void *);
int	ts_ep_column(const struct ts_snap_row *, oid col, netsnmp_variable_list *);

/*
 * tcpsleuthTopTable (toptable.c): registered and freed with the tables,
 * its rows rebuilt from each new snapshot's bounded view.
 */
int	ts_toptable_register(void);
void	ts_toptable_rebuild(const struct ts_snapshot *);
void	ts_toptable_free(void);
/*
 * The AgentX session (subagent.c): set up before init_snmp(); tick() each
 * turn connects when due (1, 2, 4 ... s up to the ping interval) and
 * returns when it next wants a turn (0: connected); close() before
 * snmp_shutdown().
 */
void	ts_subagent_init(const struct ts_agent_conf *);
ts_ns	ts_subagent_tick(ts_ns now);
void	ts_subagent_close(void);

/*
 * The standalone agent (standalone.c): persist() its engine state in dir
 * (NULL: nowhere, as a subagent), before init_agent(); setup() after it,
 * before init_snmp(); listen() after init_snmp().
 */
void	ts_standalone_persist(const char *dir);
void	ts_standalone_setup(const struct ts_agent_conf *);
int	ts_standalone_listen(const struct ts_agent_conf *);

/* A notification: which, and what its objects are taken from. */
struct ts_notif {
	enum tsm_notif_id	 which;
	const struct ts_alarm	*alarm;		/* the alarm's, or NULL */
	uint32_t		 count, threshold; /* a summary's */
	uint32_t		 rsts_permille;	/* coverageLow's */
	uint32_t		 seq;
	char			 caller[TS_WHO_LINE];	/* an endpoint's last */
};

/* Its varbinds: snmpTrapOID.0, then its OBJECTS (notify.c). */
netsnmp_variable_list *ts_notif_vars(const struct ts_notif *);
void	ts_notify_init(int standalone);
/* The alarms' sink (ts_alarm_sink); arg: the snapshot evaluated. */
void	ts_notify_alarm(void *arg, const struct ts_alarm_event *);
/* Send what was queued while the master was away. */
void	ts_notify_flush(void);
void	ts_notify_free(void);

#endif
