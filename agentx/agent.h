/*
 * agent.h - tcpsleuthd's SNMP side.  Everything net-snmp lives behind this
 * interface, in agent.c, scalars.c, tables.c, notify.c and values.c; one
 * thread (the caller's) makes every net-snmp call and reads the
 * collector's snapshots.
 */
#ifndef TS_AGENT_H
#define TS_AGENT_H

#include <signal.h>

#include "alarm.h"
#include "collector.h"
#include "control.h"

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
/* Set up net-snmp and register the MIB; -1 (logged) on failure. */
int	ts_agent_init(const struct ts_agent_conf *, struct ts_collector *);
/*
 * Serve until *stop is set; call reload() when *hup is set (and clear it),
 * and tick() every turn of the loop; tick() returns when (monotonic clock)
 * it next needs a turn, 0 for never.  wakefd is the read end of a pipe the
 * signal handlers write to, so that a signal always ends the wait.
 */
void	ts_agent_run(volatile sig_atomic_t *stop, volatile sig_atomic_t *hup,
	    void (*reload)(void), ts_ns (*tick)(void), int wakefd);
/*
 * Serve tcpsleuthctl's clients (control.h) in ts_agent_run()'s loop, from
 * the snapshot and the alarms SNMP answers from; NULL: none.
 */
void	ts_agent_control(struct ts_control *);
/* New alarm thresholds (a reload); alarms in progress are kept. */
void	ts_agent_reconf(const struct ts_alarm_conf *);
void	ts_agent_shutdown(void);

#endif
