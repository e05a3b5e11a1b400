/*
 * subagent.c - the AgentX session to the master, kept here rather than by
 * net-snmp's own alarms: a missing master is retried after 1, 2, 4 ...
 * seconds up to the ping interval (net-snmp waits a whole ping interval),
 * "waiting for the master" is said until it answers and "serving" only
 * once it has; a connected master is pinged every ping interval; and at
 * stop the session is closed before snmp_shutdown(), outside net-snmp's
 * callbacks, without waiting for the master's answer (net-snmp closes it
 * from its shutdown callback and waits there, and a master that drops the
 * connection meanwhile makes it unregister a callback of the list it is
 * walking: "lock in _callback_lock", "netsnmp_assert").
 * net-snmp's ping interval is set to 0, so it keeps no alarm of its own.
 */
#include "config.h"

#include <string.h>

#include "agent_int.h"
#include "clock.h"
#include "log.h"

/* net-snmp's AgentX client (agentx/client.h, not installed by Debian). */
int	agentx_add_agentcaps(netsnmp_session *, const oid *, size_t,
	    const char *);
int	agentx_send_ping(netsnmp_session *);
void	agentx_unregister_callbacks(netsnmp_session *);
int	subagent_open_master_session(void);
#define AGENTX_MSG_CLOSE	2	/* RFC 2741 */
#define AGENTX_CLOSE_TIMEOUT	4
#define AGENTX_CLOSE_SHUTDOWN	5

static const char *where;		/* the master's socket, for the log */
static int ping_secs;
static netsnmp_session *up;		/* the session set up (registered) */
static ts_ns next_try, backoff;
static int waiting;			/* "waiting for the master" said */

static void
readd_sysor(const struct sysORTable *e, void *arg)
{
	agentx_add_agentcaps(arg, e->OR_oid, e->OR_oidlen, e->OR_descr);
}

static void drop(int reason);

/* Every ping interval: a master that does not answer is dropped. */
static void
ping(unsigned int reg, void *arg)
{
	if (arg != main_session || main_session == NULL) {
		snmp_alarm_unregister(reg);
		return;
	}
	if (agentx_send_ping(main_session))
		return;
	log_warnx("the master at %s did not answer a ping: reconnecting", where);
	drop(AGENTX_CLOSE_TIMEOUT);
}

/* A new session: our registrations and sysORTable entries, a ping. */
static void
set_up(void)
{
	register_mib_reattach();
	netsnmp_sysORTable_foreach(readd_sysor, main_session);
	/* net-snmp keeps its ping alarm there (and resets it per request). */
	main_session->securityModel = (int)snmp_alarm_register(
	    (unsigned)ping_secs, SA_REPEAT, ping, main_session);
	up = main_session;
	backoff = TS_NS_PER_SEC;
	waiting = 0;
	log_info("serving TCPSLEUTH-MIB (%s) as an AgentX subagent of %s",
	    TCPSLEUTH_OID_STR, where);
}

/*
 * Close the session: what net-snmp's ping failure and shutdown callback
 * do, from our loop.  The Close-PDU is sent, not waited for: a master that
 * did not answer a ping will not answer it either, and one that drops the
 * connection instead makes net-snmp read the end of the stream (where it
 * leaks what it read it into) inside the wait.
 */
static void
drop(int reason)
{
	netsnmp_session *s = main_session;
	netsnmp_pdu *pdu;

	if (s == NULL)
		return;
	if (s->securityModel != SNMP_DEFAULT_SECMODEL)
		snmp_alarm_unregister((unsigned)s->securityModel);
	s->securityModel = SNMP_DEFAULT_SECMODEL;
	agentx_unregister_callbacks(s);
	if ((pdu = snmp_pdu_create(AGENTX_MSG_CLOSE)) != NULL) {
		pdu->time = 0;
		pdu->errstat = reason;
		pdu->sessid = s->sessid;
		if (snmp_send(s, pdu) == 0)
			snmp_free_pdu(pdu);
	}
	snmp_call_callbacks(SNMP_CALLBACK_APPLICATION,
	    SNMPD_CALLBACK_INDEX_STOP, s);
	register_mib_detach();
	remove_trap_session(s);
	snmp_close(s);
	main_session = NULL;
	up = NULL;
}

void
ts_subagent_init(const struct ts_agent_conf *ac)
{
	where = ac->agentx_socket != NULL ? ac->agentx_socket :
	    "the default master socket";
	ping_secs = ac->ping_interval > 0 ? ac->ping_interval : 15;
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, 0);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, 1);
	backoff = TS_NS_PER_SEC;
	next_try = 0;
}

ts_ns
ts_subagent_tick(ts_ns now)
{
	ts_ns cap = (ts_ns)ping_secs * TS_NS_PER_SEC;

	if (main_session != NULL && main_session != up)
		set_up();	/* connected by net-snmp (at init_snmp) or us */
	if (main_session != NULL)
		return 0;
	if (up != NULL) {	/* net-snmp saw the master go */
		log_warnx("the master at %s went away: reconnecting", where);
		up = NULL;
		backoff = TS_NS_PER_SEC;
		next_try = now;
	}
	if (now < next_try)
		return next_try;
	if (subagent_open_master_session() == 0) {
		set_up();
		return 0;
	}
	if (!waiting)
		log_info("waiting for the master at %s (trying again after 1, "
		    "2, 4 ... %d s)", where, ping_secs);
	waiting = 1;
	next_try = now + backoff;
	backoff = backoff * 2 < cap ? backoff * 2 : cap;
	return next_try;
}

void
ts_subagent_close(void)
{
	drop(AGENTX_CLOSE_SHUTDOWN);
}
