/*
 * agent.h - tcpsleuthd's SNMP side, the SNMP process's work.  Everything
 * net-snmp lives behind this interface, in agent.c, subagent.c,
 * standalone.c, scalars.c, tables.c, notify.c and values.c; one thread
 * makes every net-snmp call and answers from the snapshots it is handed.
 */
#ifndef TS_AGENT_H
#define TS_AGENT_H

#include <signal.h>

#include "alarm.h"
#include "control.h"
#include "snapshot.h"

struct ts_agent_conf {
	const char	*agentx_socket;	/* NULL: net-snmp's default */
	const char	*listen;	/* standalone: "udp:127.0.0.1:1161" */
	const char	*community;	/* standalone v2c read-only */
	const char	*v3_user;	/* standalone SNMPv3 authPriv user */
	const char	*v3_auth;	/* SHA pass phrase (8+ chars) */
	const char	*v3_priv;	/* AES pass phrase (8+ chars) */
	int		 ping_interval;	/* AgentX ping, seconds */
	int		 agentx_timeout; /* AgentX request timeout, seconds */
	int		 verbose;
	const char	*procroot;	/* "/proc" */
	const char	*state_dir;	/* standalone: engine ID, boots */
	struct ts_control_conf control;	/* tcpsleuthctl's socket */
	struct ts_alarm_conf alarm;	/* thresholds for notifications */
	const char	*trap_sinks[8];	/* standalone: trap2sink hosts */
	int		 ntrap_sinks;
	const char	*trap_community;
};

void	ts_agent_conf_default(struct ts_agent_conf *);
/*
 * Set up net-snmp and register the MIB, answering from first (the agent
 * owns it from now on); -1 (logged) on failure.  The standalone agent's
 * sockets are open on return; the subagent connects in ts_agent_run().
 */
int	ts_agent_init(const struct ts_agent_conf *, struct ts_snapshot *first);
/* A newer snapshot (the agent owns it), taken between requests. */
void	ts_agent_offer(struct ts_snapshot *);

/* What the loop waits on besides net-snmp. */
struct ts_agent_loop {
	int	  wakefd;	/* a pipe the signal handlers write to */
	int	  feedfd;	/* readable: call feed() */
	void	(*feed)(void);	/* takes what arrived; may set *stop */
};
/* Serve until *stop is set. */
void	ts_agent_run(volatile sig_atomic_t *stop, const struct ts_agent_loop *);
/*
 * Serve tcpsleuthctl's clients (control.h) in ts_agent_run()'s loop, from
 * the snapshot and the alarms SNMP answers from; NULL: none.
 */
void	ts_agent_control(struct ts_control *);
/* New alarm thresholds (a reload); alarms in progress are kept. */
void	ts_agent_reconf(const struct ts_alarm_conf *);
void	ts_agent_shutdown(void);

#endif
