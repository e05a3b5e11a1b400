/*
 * snmpproc.c - the SNMP process (daemon.h).  It becomes its user at once,
 * keeping only what setting itself up needs (CAP_SYS_ADMIN permitted, for
 * its mount namespace; CAP_NET_BIND_SERVICE effective, for a standalone
 * agent's port), waits for the first snapshot, sets net-snmp up (the
 * configuration, the engine state, the standalone agent's sockets, the
 * services database: everything read from files), then confines itself
 * (sandbox.h), holding tcpsleuthctl's control socket (made before the
 * split: its descriptor, inherited) and a root holding only
 *   the AgentX socket's directory (read-only; net-snmp reconnects by path),
 *   the state directory (standalone: the engine ID and boots, read-write),
 *   procroot/net (read-only: the host counters are read when asked),
 *   /dev/log's directory (not in the foreground: syslog reconnects by path),
 * no capability, no_new_privs and the seccomp filter (seccomp.h).  Only
 * then is a request read (an SNMP one, or tcpsleuthctl's).  It serves
 * until told to stop (SIGTERM, or the capture process's STOP): status 0;
 * or until the capture process is gone or sends what it must not: one
 * line, status 1.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>	/* NETSNMP_AGENTX_SOCKET */

#include "agent.h"
#include "chan.h"
#include "daemon.h"
#include "log.h"
#include "privs.h"
#include "sandbox.h"
#include "snapfd.h"

static volatile sig_atomic_t stop;
static int sigpipe_fd[2] = { -1, -1 };
static int sock, status;

static void
on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	stop = 1;
	(void)!write(sigpipe_fd[1], "", 1);
	errno = saved;
}

/* One message from the capture process, and what it means here. */
static void
take(const struct ts_chan_msg *m, int fd)
{
	struct ts_snapshot *s;
	char err[256];

	switch (m->type) {
	case TS_CH_SNAPSHOT:
		s = ts_snapfd_map(fd, err, sizeof(err));
		close(fd);
		if (s == NULL) {
			log_warnx("a bad snapshot from the capture process (%s): "
			    "stopping", err);
			status = 1;
			stop = 1;
			return;
		}
		ts_agent_offer(s);
		if (ts_chan_send(sock, TS_CH_ACK, NULL, 0, -1) == -1 &&
		    errno != EPIPE)
			log_warn("acknowledging a snapshot");
		break;
	case TS_CH_ALARMS:
		if (!ts_chan_alarms_ok(&m->u.alarms)) {
			log_warnx("alarm thresholds out of range from the capture "
			    "process: kept the running ones");
			break;
		}
		ts_agent_reconf(&m->u.alarms);
		log_info("the reloaded alarm thresholds are in effect");
		break;
	case TS_CH_STOP:
		stop = 1;
		break;
	default:
		log_warnx("the capture process sent message %u: ignored",
		    m->type);
	}
}

/* The loop's feed: everything that arrived. */
static void
feed(void)
{
	struct ts_chan_msg m;
	int fd, r;

	while (!stop && (r = ts_chan_recv(sock, &m, &fd)) == 1)
		take(&m, fd);
	if (stop)
		return;
	if (r == 0 || (r == -1 && errno != EAGAIN)) {
		if (r == 0)
			log_warnx("the capture process is gone (its end of the "
			    "socket closed): stopping");
		else
			log_warn("from the capture process: stopping");
		status = 1;
		stop = 1;
	}
}

/* The first snapshot, waited for; NULL (said) when none comes. */
static struct ts_snapshot *
first_snapshot(void)
{
	struct ts_chan_msg m;
	int fd, r;

	while (!stop) {
		if ((r = ts_chan_recv(sock, &m, &fd)) == 1 &&
		    m.type == TS_CH_SNAPSHOT) {
			struct ts_snapshot *s;
			char err[256];

			s = ts_snapfd_map(fd, err, sizeof(err));
			close(fd);
			if (s == NULL)
				log_warnx("a bad snapshot from the capture "
				    "process (%s)", err);
			else
				(void)ts_chan_send(sock, TS_CH_ACK, NULL, 0, -1);
			return s;
		}
		if (r == 1)
			take(&m, fd);
		else if (r == 0) {
			log_warnx("the capture process is gone before its "
			    "first snapshot");
			return NULL;
		} else if (errno != EINTR && errno != EBADMSG) {
			log_warn("waiting for the first snapshot");
			return NULL;
		}
	}
	return NULL;
}

/* The AgentX socket's directory, when it is a path. */
static const char *
agentx_dir(const struct ts_agent_conf *ac, char *buf, size_t len)
{
	const char *p = ac->agentx_socket != NULL ? ac->agentx_socket :
	    NETSNMP_AGENTX_SOCKET;

	if (strncasecmp(p, "unix:", 5) == 0)
		p += 5;
	if (p[0] != '/')
		return NULL;	/* tcp:HOST:PORT */
	snprintf(buf, len, "%s", p);
	return dirname(buf);
}

static void
confine(const struct ts_daemon *d)
{
	const struct ts_agent_conf *ac = &d->running.set.c.agent;
	static char xdir[4096], net[4096];
	struct ts_sandbox sb;
	char why[512];
	struct stat st;
	int r;

	memset(&sb, 0, sizeof(sb));
	if (ac->listen == NULL && agentx_dir(ac, xdir, sizeof(xdir)) != NULL) {
		if (stat(xdir, &st) == -1)
			log_warnx("%s, the AgentX socket's directory, is not "
			    "there: a master that makes it later is not reached "
			    "(restart tcpsleuthd after snmpd)", xdir);
		ts_sandbox_keep(&sb, xdir, 0);
	}
	if (ac->listen != NULL && ac->state_dir != NULL &&
	    access(ac->state_dir, W_OK | X_OK) == 0)
		ts_sandbox_keep(&sb, ac->state_dir, 1);
	snprintf(net, sizeof(net), "%s/net", ac->procroot != NULL ?
	    ac->procroot : "/proc");
	ts_sandbox_keep(&sb, net, 0);
	if (!d->foreground)
		ts_sandbox_keep(&sb, "/dev/log", 0);
	/*
	 * tcpsleuthctl's control socket needs nothing here: it was made
	 * before the split, and this process holds its listening descriptor
	 * (accept4, recvfrom, sendto and getsockopt are in the filter); the
	 * capture process removes the file.
	 */
	if ((r = ts_sandbox_enter(&sb, why, sizeof(why))) == -1)
		fatalx("confining the SNMP process: %s", why);
	if (r == 1)
		log_warnx("%s", why);
	log_info("confined as uid %u: no capability, root %s, seccomp %s",
	    (unsigned)getuid(), sb.root, r == 1 && strstr(why,
	    "architecture") != NULL ? "off" : "on");
}

int
ts_snmp_main(struct ts_daemon *d, int s)
{
	struct ts_conf *rc = &d->running.set.c;
	struct ts_control *ctl = NULL;
	struct ts_agent_loop lp;
	struct ts_snapshot *first;
	struct sigaction sa;
	uint64_t caps;
	char err[256];

	sock = s;
	log_set_tag("snmp");
	if (pipe2(sigpipe_fd, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe2");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* The capture process is the service's: reload and dump are its. */
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, &d->sigmask, NULL);
	unsetenv("NOTIFY_SOCKET");	/* systemd hears the capture process */

	/* Its user now, with what setting itself up needs. */
	caps = ts_privs_caps(TS_PROC_SNMP, 0, rc, d->as_root) &
	    ~((uint64_t)1 << CAP_SETUID | (uint64_t)1 << CAP_SETGID |
	    (uint64_t)1 << CAP_SETPCAP);
	if (ts_privs_set(caps, caps & (uint64_t)1 << CAP_NET_BIND_SERVICE,
	    d->snmp_uid, d->snmp_gid, err, sizeof(err)) == -1)
		fatalx("the SNMP process: %s", err);

	if ((first = first_snapshot()) == NULL)
		return stop ? 0 : 1;
	if (ts_agent_init(&rc->agent, first) == -1)
		return 1;
	confine(d);
	/* tcpsleuthctl's clients, served in the loop from its snapshots. */
	if (d->ctl.fd != -1) {
		if ((ctl = ts_control_new(d->ctl.fd)) == NULL)
			fatal("control socket");
		ts_agent_control(ctl);
		log_info("tcpsleuthctl: %s", d->ctl.path);
	}
	lp.wakefd = sigpipe_fd[0];
	lp.feedfd = sock;
	lp.feed = feed;
	fcntl(sock, F_SETFL, O_NONBLOCK);
	if (ts_chan_send(sock, TS_CH_READY, NULL, 0, -1) == -1)
		log_warn("telling the capture process it serves");
	ts_agent_run(&stop, &lp);
	ts_agent_control(NULL);
	ts_control_free(ctl);
	ts_control_release(&d->ctl);	/* the file is the capture's */
	ts_agent_shutdown();
	return status;
}
