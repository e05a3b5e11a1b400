/*
 * capproc.c - the capture process (daemon.h): it keeps the capabilities
 * of the privilege table (privs.h) that its start needs while it sets up
 * the collector (the kernel event source's programs are loaded then:
 * CAP_BPF and CAP_PERFMON are start rows), then those its running needs;
 * it runs the collector thread (captures, polls, the kernel event
 * source's ring), and in its main thread sends each new snapshot to the
 * SNMP process (one in flight: the next when the last is acknowledged, so
 * a busy SNMP process is sent the newest, never a queue), reloads the
 * configuration on SIGHUP, logs the table on SIGUSR1, tells systemd it is
 * ready (once the SNMP process says it serves) and pings its watchdog
 * while the collector publishes, and stops both on SIGTERM.  The SNMP
 * process ending is reported in one line, and ends this one (status 1,
 * unless it had been stopped); so does the capture thread ending because
 * it could not return to its own network namespace (status 1).
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "addr.h"
#include "chan.h"
#include "clock.h"
#include "collector.h"
#include "daemon.h"
#include "kevsrc.h"
#include "log.h"
#include "privs.h"
#include "snapfd.h"

#define STOP_WAIT	(5 * TS_NS_PER_SEC)	/* for the SNMP process to end */

static volatile sig_atomic_t stop, hup, usr1, chld;
static int sigpipe_fd[2] = { -1, -1 };	/* handlers -> the loop's poll */

static void
wake(void)
{
	int saved = errno;

	(void)!write(sigpipe_fd[1], "", 1);
	errno = saved;
}

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGHUP:	hup = 1; break;
	case SIGUSR1:	usr1 = 1; break;
	case SIGCHLD:	chld = 1; break;
	default:	stop = 1; break;
	}
	wake();
}

static struct ts_daemon *dm;
static struct ts_collector *coll;
static int sock;
static pid_t snmp_pid;
static int inflight;		/* a snapshot sent, not yet acknowledged */
static uint64_t sent_serial;

/*
 * SIGHUP: a bad file keeps the running configuration; counts are kept.
 * The settings a reload cannot apply (TS_RESTART) are named; the alarm
 * thresholds go to the SNMP process.
 */
static void
reload(void)
{
	struct ts_dconf nc;
	char err[512], later[512] = "";
	size_t n = 0;

	if (ts_daemon_load(&nc, 0, err, sizeof(err)) == -1) {
		log_warnx("reload failed, keeping the running configuration: %s",
		    err);
		ts_dconf_free(&nc);
		return;
	}
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		if ((s->flags & TS_DAEMON) && (s->flags & TS_RESTART) &&
		    !ts_setting_same(s, &nc.set.c, &dm->running.set.c) &&
		    n < sizeof(later))
			n += (size_t)snprintf(later + n, sizeof(later) - n,
			    "%s%s", n ? ", " : "", s->name);
	}
	if (n > 0)
		log_warnx("reload: %s: take%s effect at the next start", later,
		    strchr(later, ',') != NULL ? "" : "s");
	sd_notify(0, "RELOADING=1");
	if (ts_chan_send(sock, TS_CH_ALARMS, &nc.set.c.agent.alarm,
	    sizeof(nc.set.c.agent.alarm), -1) == -1)
		log_warn("reload: the alarm thresholds to the SNMP process");
	ts_collector_reconf(coll, &nc.set.c.coll);
	ts_dconf_free(&dm->running);
	dm->running = nc;
	log_info("reloaded %s", dm->conf_path);
	sd_notify(0, "READY=1");
}

/*
 * SIGUSR1: the table, as the collector last published it, to the log: a
 * look at the running daemon without SNMP.
 */
static void
dump_table(void)
{
	struct ts_snapshot *s = ts_collector_acquire(coll);
	char peer[TS_EPSTRLEN];

	if (s == NULL)
		return;
	log_info("table: %zu rows of %u, capture %s on %s, %llu frames, "
	    "%llu kernel drops; other: %llu failures; kernel events %s",
	    s->nrows, s->max_rows, ts_cap_state_name(s->cap_state),
	    s->cap_ifaces, (unsigned long long)s->dec.frames,
	    (unsigned long long)s->kernel_drops,
	    (unsigned long long)s->other.failures,
	    kevsrc_state_name(s->kev_state));
	log_info("namespaces: %zu rows of %u (found %u, not served %u, no room "
	    "%u); listeners: %u rows of %u, %llu without a row%s%s",
	    s->nns, s->lsnstat.ns_max, s->lsnstat.ns_found,
	    s->lsnstat.ns_unserved, s->lsnstat.ns_full, s->lsnstat.rows,
	    s->lsnstat.max_rows, (unsigned long long)s->lsnstat.rejected,
	    s->lsnstat.err[0] ? "; " : "", s->lsnstat.err);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ts_snap_row *r = &s->rows[i];
		char who[2 * TS_WHO_LINE + 64] = "";
		size_t n = 0;

		if (r->k.last_caller[0] != '\0')
			n += (size_t)snprintf(who, sizeof(who), ", last caller %s",
			    r->k.last_caller);
		if (r->k.last_listener[0] != '\0' && n < sizeof(who))
			snprintf(who + n, sizeof(who) - n, ", last listener %s%s",
			    r->k.last_listener, r->k.listener_stopped ?
			    " (stopped)" : "");

		log_info("row: %s %s failures %llu (refused %llu, unreachable "
		    "%llu, timeout %llu, handshake-reset %llu, abort %llu), "
		    "unsolicited %llu, rate %u.%03u/s, last peer %s%s",
		    r->name, ts_loc_name(r->loc),
		    (unsigned long long)r->failures,
		    (unsigned long long)r->count[TS_CL_REFUSED],
		    (unsigned long long)r->count[TS_CL_UNREACH],
		    (unsigned long long)r->count[TS_CL_TIMEOUT],
		    (unsigned long long)r->count[TS_CL_HSRESET],
		    (unsigned long long)r->count[TS_CL_ABORT],
		    (unsigned long long)r->count[TS_CL_UNSOLICITED],
		    r->rate[0] / 1000, r->rate[0] % 1000,
		    ts_peer_str(&r->key, r->peer, r->peer_port, peer,
		    sizeof(peer)), who);
	}
	ts_collector_release(coll, s);
}

/*
 * systemd's watchdog (Type=notify, WatchdogSec=): pinged at half its
 * interval, and only while the collector thread keeps publishing
 * snapshots, so a stuck capture gets the service restarted too.
 */
static uint64_t wd_usec;
static ts_ns wd_next, wd_serial_at;
static uint64_t wd_serial;

static ts_ns
watchdog(void)
{
	struct ts_snapshot *s;
	ts_ns now;

	if (wd_usec == 0)
		return 0;
	now = ts_now_mono();
	if ((s = ts_collector_acquire(coll)) != NULL) {
		if (s->serial != wd_serial) {
			wd_serial = s->serial;
			wd_serial_at = now;
		}
		ts_collector_release(coll, s);
	}
	if (now < wd_next)
		return wd_next;
	wd_next = now + (ts_ns)wd_usec * 1000 / 2;
	if (now - wd_serial_at <= (ts_ns)wd_usec * 1000)
		sd_notify(0, "WATCHDOG=1");
	else
		log_warnx("the capture thread published nothing for %llu ms: "
		    "not pinging the watchdog", (unsigned long long)
		    ((now - wd_serial_at) / 1000000));
	return wd_next;
}

/* The newest snapshot to the SNMP process, unless it has it or one is on its way. */
static void
send_snapshot(void)
{
	struct ts_snapshot *s;
	static int failed;
	uint64_t serial;
	int fd;

	if (inflight || (s = ts_collector_acquire(coll)) == NULL)
		return;
	serial = s->serial;
	if (serial == sent_serial) {
		ts_collector_release(coll, s);
		return;
	}
	fd = ts_snapfd_make(s, NULL);
	ts_collector_release(coll, s);
	if (fd == -1 || ts_chan_send(sock, TS_CH_SNAPSHOT, NULL, 0, fd) == -1) {
		if (errno != EAGAIN && !failed++)
			log_warn("a snapshot for the SNMP process");
	} else {
		inflight = 1;
		sent_serial = serial;
		failed = 0;
	}
	if (fd != -1)
		close(fd);
}

/*
 * How the SNMP process ended, in one line; this process's exit status
 * follows (0 only when it stopped because it was told to).
 */
static int
report(int st)
{
	int sig;

	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		if (!stop)
			log_warnx("the SNMP process (pid %ld) stopped: stopping",
			    (long)snmp_pid);
		return 0;
	}
	if (WIFEXITED(st)) {
		log_warnx("the SNMP process (pid %ld) exited with status %d%s",
		    (long)snmp_pid, WEXITSTATUS(st), stop ? "" : ": stopping");
		return 1;
	}
	sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	log_warnx("the SNMP process (pid %ld) was killed by signal %d (%s)%s%s",
	    (long)snmp_pid, sig, strsignal(sig), sig == SIGSYS ?
	    ", a system call outside its seccomp filter" : "",
	    stop ? "" : ": stopping");
	return 1;
}

/* Reap the SNMP process; wait up to `wait' (then kill it); -1: still there. */
static int
reap(ts_ns wait, int *status)
{
	ts_ns until = ts_now_mono() + wait;
	int st;

	for (;;) {
		pid_t r = waitpid(snmp_pid, &st, WNOHANG);

		if (r == snmp_pid) {
			*status = report(st);
			return 0;
		}
		if (r == -1 && errno != EINTR) {
			*status = 1;
			return 0;
		}
		if (ts_now_mono() >= until)
			break;
		poll(NULL, 0, 10);
	}
	if (wait == 0)
		return -1;
	log_warnx("the SNMP process (pid %ld) did not stop within %lld s: "
	    "killing it", (long)snmp_pid, (long long)(wait / TS_NS_PER_SEC));
	kill(snmp_pid, SIGKILL);
	while (waitpid(snmp_pid, &st, 0) == -1 && errno == EINTR)
		;
	*status = 1;
	return 0;
}

/* What the SNMP process sent; 1: it is gone. */
static int
from_snmp(void)
{
	struct ts_chan_msg m;
	int fd, r;

	while ((r = ts_chan_recv(sock, &m, &fd)) == 1)
		switch (m.type) {
		case TS_CH_READY:
			sd_notify(0, "READY=1\nSTATUS=serving TCPSLEUTH-MIB");
			break;
		case TS_CH_ACK:
			inflight = 0;
			break;
		default:
			log_warnx("the SNMP process sent message %u: ignored",
			    m.type);
		}
	if (r == -1 && errno == EBADMSG)
		log_warnx("a malformed message from the SNMP process: ignored");
	return r == 0 || (r == -1 && errno != EAGAIN && errno != EBADMSG);
}

/* Keep exactly caps, as the configured user; exit when that fails. */
static void
keep(uint64_t caps, long uid, long gid, const char *phase)
{
	char err[256], names[512];

	if (ts_privs_set(caps, caps, uid, gid, err, sizeof(err)) == -1)
		fatalx("the capture process %s: %s", phase, err);
	log_debug("the capture process %s: uid %u, %s", phase,
	    (unsigned)getuid(), ts_privs_names(ts_privs_effective(), names,
	    sizeof(names)));
}

int
ts_capture_main(struct ts_daemon *d, int s, pid_t child)
{
	struct ts_conf *rc = &d->running.set.c;
	struct sigaction sa;
	char names[512];
	int status = 0, reaped = 0, failed = 0;

	dm = d;
	sock = s;
	snmp_pid = child;
	if (pipe2(sigpipe_fd, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe2");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_SETMASK, &d->sigmask, NULL);
	fcntl(sock, F_SETFL, O_NONBLOCK);
	/* Not ptraced nor read through /proc by a process of the same user. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	log_info("the SNMP process is pid %ld, as %s", (long)child,
	    d->snmp_user);

	/* Its start: the collector, with what that needs. */
	keep(ts_privs_caps(TS_PROC_CAPTURE, 0, rc, d->as_root), d->cap_uid,
	    d->cap_gid, "starting");
	/*
	 * Under a systemd watchdog the collector publishes at least every
	 * quarter period, busy or idle: watchdog() pings only while it does.
	 */
	if (sd_watchdog_enabled(0, &wd_usec) <= 0)
		wd_usec = 0;
	rc->coll.heartbeat = (ts_ns)wd_usec * 1000 / 4;
	if ((coll = ts_collector_new(&rc->coll)) == NULL)
		fatal("cannot allocate the tables");
	if (rc->coll.kev.kev.enable == KEV_WANT_YES &&
	    kevsrc_state(ts_collector_kev(coll)) == KEVSRC_UNAVAILABLE)
		fatalx("kernel-events = yes, and no kernel event program runs: "
		    "%s", kevsrc_reason(ts_collector_kev(coll)));
	/*
	 * Running: what that needs (the collector thread inherits it).  The
	 * kernel event source's programs are loaded: CAP_BPF and CAP_PERFMON
	 * (start rows) go; its ring buffer and maps, held as descriptors,
	 * need none.
	 */
	keep(ts_privs_caps(TS_PROC_CAPTURE, 1, rc, d->as_root), -1, -1,
	    "running");
	log_info("capturing as uid %u with %s", (unsigned)getuid(),
	    ts_privs_names(ts_privs_effective(), names, sizeof(names)));
	if (ts_collector_start(coll) == -1)
		fatal("cannot start the capture thread");
	wd_serial_at = ts_now_mono();

	while (!stop && !reaped) {
		struct pollfd pfd[3];
		ts_ns wd_at;
		int wait = -1;

		if (hup) {
			hup = 0;
			reload();
		}
		if (usr1) {
			usr1 = 0;
			dump_table();
		}
		if (chld) {
			chld = 0;
			if (reap(0, &status) == 0) {
				reaped = 1;
				break;
			}
		}
		send_snapshot();
		/*
		 * The capture thread could not return to its own namespace
		 * (lsnpoll.h) and ended, its last snapshot just sent.
		 */
		if (ts_collector_failed(coll)) {
			log_warnx("the capture thread ended: exiting to be "
			    "started again");
			failed = 1;
			break;
		}
		if ((wd_at = watchdog()) != 0) {
			ts_ns d_ns = wd_at - ts_now_mono();

			wait = d_ns <= 0 ? 0 : (int)((d_ns + 999999) / 1000000);
		}
		pfd[0].fd = sigpipe_fd[0];
		pfd[1].fd = sock;
		pfd[2].fd = ts_collector_notify_fd(coll);
		pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
		if (poll(pfd, 3, wait) == -1 && errno != EINTR)
			log_warn("poll");
		if (pfd[0].revents & POLLIN) {
			char buf[64];

			while (read(sigpipe_fd[0], buf, sizeof(buf)) > 0)
				;
		}
		if (pfd[2].revents & POLLIN) {
			uint64_t v;

			(void)!read(pfd[2].fd, &v, sizeof(v));
		}
		/* Its end of the socket closed: it is ending. */
		if ((pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    from_snmp() && reap(2 * TS_NS_PER_SEC, &status) == 0)
			reaped = 1;
	}
	sd_notify(0, "STOPPING=1");
	if (!reaped) {
		log_info("stopping");
		ts_chan_send(sock, TS_CH_STOP, NULL, 0, -1);
		reap(STOP_WAIT, &status);
	}
	ts_collector_free(coll);
	close(sock);
	return failed ? 1 : status;
}
