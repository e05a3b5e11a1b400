/*
 * agent.c - net-snmp set-up, and the loop that owns every net-snmp call:
 * its descriptors come from snmp_select_info2() each turn, then
 * snmp_read2(), snmp_timeout() and run_alarms() (AgentX pings and
 * reconnects are alarms).  The capture runs in the collector's thread;
 * this one holds one of its snapshots at a time, taken between requests
 * and lent to the scalars and the tables alike, so a request is answered
 * from one snapshot.  tcpsleuthctl's clients (control.c) are served in the
 * same loop, from the same snapshot, without blocking it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "agent_int.h"
#include "clock.h"
#include "control.h"
#include "log.h"
#include "values.h"


static struct ts_snapshot *snap;	/* the one every request is answered from */
static struct ts_collector *coll;
static int standalone;
static struct ts_control *ctl;		/* tcpsleuthctl's clients, or NULL */

/* net-snmp's log messages, into ours. */
static int
log_cb(int major, int minor, void *serverarg, void *clientarg)
{
	struct snmp_log_message *m = serverarg;
	char buf[1024];
	size_t n;

	(void)major;
	(void)minor;
	(void)clientarg;
	snprintf(buf, sizeof(buf), "net-snmp: %s", m->msg ? m->msg : "");
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (m->priority <= LOG_WARNING)
		log_warnx("%s", buf);
	else if (m->priority <= LOG_INFO)
		log_info("%s", buf);
	else
		log_debug("%s", buf);
	return SNMP_ERR_NOERROR;
}

static struct ts_alarms *alarms;

/* Lend s to the scalars and the tables (NULL: take it back). */
static void
lend(const struct ts_snapshot *s)
{
	ts_scalars_snapshot(s);
	ts_tables_snapshot(s);
}

/*
 * Take the collector's newest snapshot, if it is new, between requests;
 * evaluate the alarms on it.
 */
static void
refresh(void)
{
	struct ts_snapshot *s = ts_collector_acquire(coll);

	if (s == NULL)
		return;
	if (snap != NULL && s->serial == snap->serial) {
		ts_collector_release(coll, s);
		return;
	}
	lend(s);
	ts_collector_release(coll, snap);
	snap = s;
	if (alarms != NULL) {
		ts_alarms_eval(alarms, s, ts_now_mono(), ts_notify_alarm, s);
		ts_tables_alarms(alarms);
	}
}

/*
 * A subagent's sysUpTime is the master's (net-snmp takes it from every
 * AgentX response): TimeStamps follow it when it first comes and when it
 * jumps (the master restarted), and stay fixed otherwise (values.h).
 */
static void
uptime_check(void)
{
	static int synced;
	ts_ns now = ts_now_mono();
	uint32_t up = (uint32_t)netsnmp_get_agent_uptime();

	if (standalone || main_session == NULL)
		return;
	if (!synced)		/* the master's, the first time it is known */
		ts_uptime_ref(now, up);
	if (!synced++ || ts_uptime_check(now, up))
		log_info("TimeStamps on the master's sysUpTime (%lu.%02lu s)",
		    netsnmp_get_agent_uptime() / 100,
		    netsnmp_get_agent_uptime() % 100);
}

void
ts_agent_conf_default(struct ts_agent_conf *ac)
{
	memset(ac, 0, sizeof(*ac));
	ac->ping_interval = 15;
	ac->agentx_timeout = 1;
	ac->state_dir = "/var/lib/tcpsleuthd";
	ts_control_conf_default(&ac->control);
	ts_alarm_conf_default(&ac->alarm);
}

int
ts_agent_init(const struct ts_agent_conf *ac, struct ts_collector *c)
{
	static oid mib_oid[] = { TS_OID_BASE };
	ts_ns started_mono = ts_now_mono(), started_wall = ts_now_wall();

	coll = c;
	standalone = ac->listen != NULL;
	ts_notify_init(standalone);
	/*
	 * A snapshot before any handler is registered: registering with the
	 * master waits for its answers, and net-snmp serves requests that
	 * arrive meanwhile (the collector published one at its start).
	 */
	if ((snap = ts_collector_acquire(coll)) == NULL) {
		log_warnx("no snapshot from the capture thread");
		return -1;
	}
	lend(snap);
	if ((alarms = ts_alarms_new(&ac->alarm)) == NULL) {
		log_warnx("cannot allocate the alarms");
		return -1;
	}

	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    log_cb, NULL);
	if (ac->verbose > 1)
		snmp_set_do_debugging(1);
	setenv("MIBS", "", 1);		/* no MIB files: numeric OIDs only */
	/* The standalone agent's engine state only (a subagent has none). */
	ts_standalone_persist(standalone ? ac->state_dir : NULL);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	if (standalone) {
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_ROLE, TS_ROLE_MASTER);
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_MASTER, 0);
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_PORTS, ac->listen);
		/* Not a log line per request. */
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_DONT_LOG_TCPWRAPPERS_CONNECTS, 1);
	} else {
		netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_ROLE, TS_ROLE_SUB);
		if (ac->agentx_socket != NULL)
			netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
			    NETSNMP_DS_AGENT_X_SOCKET, ac->agentx_socket);
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_TIMEOUT, ac->agentx_timeout * 1000000);
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
		    NETSNMP_DS_AGENT_AGENTX_RETRIES, 0);
	}
	if (init_agent(TS_NETSNMP_APP) != 0) {
		log_warnx("net-snmp: init_agent failed");
		return -1;
	}
	/* After init_agent, which sets the defaults; before init_snmp. */
	if (!standalone)
		ts_subagent_init(ac);
	else
		ts_standalone_setup(ac);
	/* TimeStamps on our own uptime until the master's is known. */
	ts_uptime_ref(ts_now_mono(), (uint32_t)netsnmp_get_agent_uptime());
	if (ts_scalars_register(ac->procroot, started_mono, started_wall) == -1 ||
	    ts_tables_register() == -1) {
		log_warnx("cannot register TCPSLEUTH-MIB");
		return -1;
	}
	REGISTER_SYSOR_ENTRY(mib_oid, "TCPSLEUTH-MIB: failing TCP connections "
	    "and the resets behind them");
	init_snmp(TS_NETSNMP_APP);
	if (standalone) {
		if (ts_standalone_listen(ac) == -1)
			return -1;
		log_info("serving TCPSLEUTH-MIB (%s) on %s", TCPSLEUTH_OID_STR,
		    ac->listen);
	} else {
		ts_subagent_tick(ts_now_mono());	/* "serving" once connected */
	}
	uptime_check();
	refresh();
	return 0;
}

void
ts_agent_reconf(const struct ts_alarm_conf *ac)
{
	if (alarms != NULL)
		ts_alarms_reconf(alarms, ac);
}

/* Shorten *tv (or set it, when !*have) to at most d nanoseconds. */
static void
earliest(struct timeval *tv, int *have, ts_ns d)
{
	if (d < 0)
		d = 0;
	if (!*have || (ts_ns)tv->tv_sec * TS_NS_PER_SEC +
	    (ts_ns)tv->tv_usec * 1000 > d) {
		tv->tv_sec = (time_t)(d / TS_NS_PER_SEC);
		tv->tv_usec = (suseconds_t)((d % TS_NS_PER_SEC + 999) / 1000);
		*have = 1;
	}
}

static void
fd_add(netsnmp_large_fd_set *fds, int *nfds, int fd)
{
	if (fd < 0)
		return;
	NETSNMP_LARGE_FD_SET(fd, fds);
	if (fd >= *nfds)
		*nfds = fd + 1;
}

static void
fd_drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

void
ts_agent_control(struct ts_control *c)
{
	ctl = c;
}

/* The control socket's descriptors into the sets, its deadline into tv. */
static int
control_wait(struct pollfd *cfd, netsnmp_large_fd_set *rfds,
    netsnmp_large_fd_set *wfds, int *nfds, struct timeval *tv, int *have)
{
	ts_ns at;
	int n;

	if (ctl == NULL)
		return 0;
	n = ts_control_fds(ctl, cfd, TS_CTL_MAXFDS, &at);
	for (int i = 0; i < n; i++)
		fd_add(cfd[i].events & POLLIN ? rfds : wfds, nfds, cfd[i].fd);
	if (at != 0)
		earliest(tv, have, at - ts_now_mono());
	return n;
}

/* Serve what select() found ready (ready 0: nothing; deadlines still). */
static void
control_serve(struct pollfd *cfd, int n, netsnmp_large_fd_set *rfds,
    netsnmp_large_fd_set *wfds, int ready)
{
	struct ts_view_data d = { snap, alarms };

	if (ctl == NULL)
		return;
	for (int i = 0; i < n; i++)
		cfd[i].revents = !ready ? 0 :
		    (cfd[i].events & POLLIN) &&
		    NETSNMP_LARGE_FD_ISSET(cfd[i].fd, rfds) ? POLLIN :
		    (cfd[i].events & POLLOUT) &&
		    NETSNMP_LARGE_FD_ISSET(cfd[i].fd, wfds) ? POLLOUT : 0;
	ts_control_io(ctl, cfd, n, ts_now_mono(), &d);
}

void
ts_agent_run(volatile sig_atomic_t *stop, volatile sig_atomic_t *hup,
    void (*reload)(void), ts_ns (*tick)(void), int wakefd)
{
	int pubfd = ts_collector_notify_fd(coll);

	while (!*stop) {
		netsnmp_large_fd_set fds, wfds;
		struct timeval tv = { 0, 0 };
		struct pollfd cfd[TS_CTL_MAXFDS];
		int nfds = 0, block = 1, have, n, ncfd;	/* 1: no timeout yet */
		ts_ns tick_at, sub_at;

		if (*hup) {
			*hup = 0;
			reload();
		}
		tick_at = tick();
		sub_at = standalone ? 0 : ts_subagent_tick(ts_now_mono());
		netsnmp_large_fd_set_init(&fds, FD_SETSIZE);
		netsnmp_large_fd_set_init(&wfds, FD_SETSIZE);
		/*
		 * Sleep until a request, a new snapshot, a signal (wakefd: the
		 * handlers write to it), net-snmp's next timeout or alarm (the
		 * AgentX ping: select_info2 counts alarms, since they are not
		 * SIGALRM), tick()'s next wish (the watchdog) or the next try
		 * to reach the master: nothing wakes an idle agent that was not
		 * configured to.
		 */
		snmp_select_info2(&nfds, &fds, &tv, &block);
		fd_add(&fds, &nfds, pubfd);
		fd_add(&fds, &nfds, wakefd);
		have = !block;
		if (tick_at != 0)
			earliest(&tv, &have, tick_at - ts_now_mono());
		if (sub_at != 0)
			earliest(&tv, &have, sub_at - ts_now_mono());
		ncfd = control_wait(cfd, &fds, &wfds, &nfds, &tv, &have);
		n = netsnmp_large_fd_set_select(nfds, &fds, &wfds, NULL,
		    have ? &tv : NULL);
		if (n > 0) {
			if (NETSNMP_LARGE_FD_ISSET(pubfd, &fds)) {
				fd_drain(pubfd);
				refresh();	/* before the requests */
			}
			if (wakefd >= 0 && NETSNMP_LARGE_FD_ISSET(wakefd, &fds))
				fd_drain(wakefd);
			snmp_read2(&fds);
		} else if (n == -1 && errno != EINTR)
			log_warn("select");
		control_serve(cfd, ncfd, &fds, &wfds, n > 0);
		snmp_timeout();
		netsnmp_large_fd_set_cleanup(&fds);
		netsnmp_large_fd_set_cleanup(&wfds);
		run_alarms();
		uptime_check();
		netsnmp_check_outstanding_agent_requests();
		refresh();
		ts_notify_flush();
	}
}

void
ts_agent_shutdown(void)
{
	if (!standalone)
		ts_subagent_close();	/* outside net-snmp's callbacks */
	snmp_shutdown(TS_NETSNMP_APP);
	lend(NULL);
	ts_tables_free();
	ts_collector_release(coll, snap);
	snap = NULL;
	ts_notify_free();
	ts_alarms_free(alarms);
	alarms = NULL;
}
