/*
 * tcpsleuthd - publish tcpsleuth's failing-endpoint table over SNMP, as a
 * net-snmp AgentX subagent or (--listen) as an agent of its own.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <cap-ng.h>
#include <getopt.h>
#include <pwd.h>
#include <systemd/sd-daemon.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "capture.h"
#include "collector.h"
#include "clock.h"
#include "conf.h"
#include "control.h"
#include "addr.h"
#include "log.h"
#include "optparse.h"
#include "settings.h"

static volatile sig_atomic_t stop;
static int exit_status;		/* 1: stopped on a failure */
static int sigpipe_fd[2] = { -1, -1 };	/* handlers -> the agent's wait */

static void
wake(void)
{
	int saved = errno;

	if (sigpipe_fd[1] != -1)
		(void)!write(sigpipe_fd[1], "", 1);
	errno = saved;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
	wake();
}

/* The short forms tcpsleuthd keeps of its settings. */
static const struct ts_shortopt shorts[] = {
	{ 'i', "interfaces" }, { 'p', "pidfile" }, { 'u', "user" },
	{ 'x', "agentx-socket" }, { 0, NULL },
};
#define OPTSTRING	"c:fhi:np:u:vVx:"

static __attribute__((noreturn)) void
usage(int status)
{
	FILE *fp = status ? stderr : stdout;

	fprintf(fp, "usage: tcpsleuthd [-fhnvV] [-c file] [-i interface] "
	    "[-p pidfile] [-u user]\n"
	    "                  [-x socket] [--setting value ...]\n");
	if (status) {
		fprintf(fp, "tcpsleuthd -h lists the options\n");
		exit(status);
	}
	fprintf(fp,
"  -c FILE                     configuration file\n"
"                              (default " TS_CONF_DEFAULT ")\n"
"  -n                          check the configuration and what a start needs,\n"
"                              and exit\n"
"  -f                          stay in the foreground, log to stderr\n"
"  -v                          more logging (twice: net-snmp debugging)\n"
"  -V, --version               print the version\n"
"  -h, --help                  print this\n"
"Every setting of tcpsleuthd.conf(5), over the file's (lists: repeat the\n"
"option; ports, addresses and windows may also be separated by commas):\n");
	ts_settings_usage(fp, TS_DAEMON, shorts);
	exit(status);
}

static void
write_pidfile(const char *path)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd == -1) {
		log_warn("%s", path);
		return;
	}
	snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, strlen(buf)) < 0)
		log_warn("%s", path);
	close(fd);
}

/*
 * The command line: its flags, and the settings it gives, checked at once
 * and kept to go over the file at each load (start and reload).
 */
static struct {
	int			 foreground, verbose, check;
	const char		*conf;
	const struct ts_setting	**row;
	const char		**val;
	size_t			 n;
} args;

static void
parse_args(int argc, char **argv)
{
	static const struct option own[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	/* static: reachable when usage() or a bad value exits */
	static struct ts_settings scratch;
	static struct option *lopts;
	const struct ts_setting *s;
	char err[256];
	int ch;

	lopts = ts_settings_longopts(TS_DAEMON, own);
	args.row = calloc((size_t)argc, sizeof(*args.row));
	args.val = calloc((size_t)argc, sizeof(*args.val));
	if (lopts == NULL || args.row == NULL || args.val == NULL)
		fatalx("out of memory");
	ts_settings_init(&scratch);
	while ((ch = getopt_long(argc, argv, OPTSTRING, lopts, NULL)) != -1) {
		switch (ch) {
		case 'c': args.conf = optarg; break;
		case 'f': args.foreground = 1; break;
		case 'n': args.check = 1; break;
		case 'v': args.verbose++; break;
		case 'V':
			printf("tcpsleuthd %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(0);
		default:
			if ((s = ts_settings_opt(ch, shorts)) == NULL)
				usage(2);
			if (ts_settings_arg(&scratch, s, optarg, TS_LV_ARGS, err,
			    sizeof(err)) == -1)
				ts_bad_option("--%s: %s", s->name, err);
			args.row[args.n] = s;
			args.val[args.n++] = optarg;
		}
	}
	if (optind != argc)
		ts_bad_option("unexpected argument \"%s\"", argv[optind]);
	free(lopts);
	lopts = NULL;
}

/* Settings that only make sense together; -1 with why. */
static int
validate(const struct ts_conf *c, char *err, size_t len)
{
	const struct ts_agent_conf *ac = &c->agent;

	if (ac->ntrap_sinks > 0 && ac->listen == NULL)
		snprintf(err, len, "trap-sink is for the standalone agent "
		    "(listen); a subagent's notifications go through the "
		    "master's trap2sink");
	else if (ac->listen != NULL && ac->agentx_socket != NULL)
		snprintf(err, len, "agentx-socket and listen exclude each other");
	else if (ac->listen == NULL && (ac->community || ac->v3_user))
		snprintf(err, len, "community and v3-user need listen");
	else if (ac->v3_user != NULL && (ac->v3_auth == NULL ||
	    ac->v3_priv == NULL))
		snprintf(err, len, "the v3 user needs auth and priv pass phrases "
		    "of 8 or more characters");
	else if (ac->listen != NULL && ac->community == NULL &&
	    ac->v3_user == NULL)
		snprintf(err, len, "listen needs a community or a v3 user");
	else
		return 0;
	return -1;
}

/* Defaults, then the file (if any), then the command line. */
static int
load(struct ts_dconf *dc, char *err, size_t len)
{
	const char *path = args.conf != NULL ? args.conf : TS_CONF_DEFAULT;
	const struct ts_setting *bad;
	char why[256];
	int entry;

	ts_dconf_default(dc);
	if ((args.conf != NULL || access(path, F_OK) == 0) &&
	    ts_dconf_load(dc, path, NULL, err, len) == -1)
		return -1;
	for (size_t i = 0; i < args.n; i++)
		if (ts_settings_arg(&dc->set, args.row[i], args.val[i],
		    TS_LV_ARGS, why, sizeof(why)) == -1) {
			snprintf(err, len, "--%s: %s", args.row[i]->name, why);
			return -1;
		}
	if (ts_settings_finish(&dc->set, &bad, &entry, why, sizeof(why)) == -1) {
		snprintf(err, len, "%s: %s", bad != NULL ? bad->name : "", why);
		return -1;
	}
	return validate(&dc->set.c, err, len);
}

/*
 * What a start needs beyond the values themselves, which the table's
 * checks saw (a user that exists, addresses that parse): the filter
 * compiles for the link type of each interface; with kernel-events = yes,
 * what loading the programs needs (the capabilities, the kernel's BTF),
 * checked without loading them.
 */
static int
preflight(const struct ts_conf *c, char *err, size_t len)
{
	const char *f = c->coll.capture.filter;
	char why[256];

	if (c->coll.kev.kev.enable == KEV_WANT_YES &&
	    kev_precheck(&c->coll.kev.kev, why, sizeof(why)) == -1) {
		snprintf(err, len, "kernel-events = yes: %s", why);
		return -1;
	}
	for (int i = 0; f != NULL && i < (c->coll.nifaces > 0 ?
	    c->coll.nifaces : 1); i++) {
		const char *dev = c->coll.nifaces > 0 ? c->coll.ifaces[i] : "any";
		int dlt = ts_capture_dev_dlt(dev);

		if (dlt != -1 && ts_capture_check_filter(f, dlt, why,
		    sizeof(why)) == -1) {
			snprintf(err, len, "filter \"%s\" does not compile for "
			    "%s (%s): %s", f, dev, ts_dlt_name(dlt), why);
			return -1;
		}
	}
	return 0;
}

/*
 * Become the configured user, keeping CAP_NET_RAW alone (to reopen a
 * capture on an interface that comes back) and dropping every other
 * capability, the bounding set included.
 */
static void
drop_privileges(const char *user)
{
	struct passwd *pw;

	if (user == NULL || *user == '\0')
		return;
	if ((pw = getpwnam(user)) == NULL)
		fatalx("user \"%s\": no such user", user);
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
	    CAP_NET_RAW) != 0 ||
	    capng_change_id((int)pw->pw_uid, (int)pw->pw_gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) != 0)
		fatalx("cannot become %s keeping CAP_NET_RAW (needs root or "
		    "CAP_SETUID, CAP_SETGID, CAP_SETPCAP)", user);
	log_info("running as %s with CAP_NET_RAW only", user);
}

/*
 * The capabilities that only loading the kernel event source needs
 * (CAP_BPF, CAP_PERFMON): gone once it is loaded.  Reading its ring buffer
 * and maps needs none.  (A configured user drops everything but
 * CAP_NET_RAW anyway: drop_privileges.)
 */
static void
drop_load_privileges(void)
{
	static const int load_caps[] = { CAP_BPF, CAP_PERFMON };
	int held = 0;

	if (capng_get_caps_process() != 0)
		return;
	for (size_t i = 0; i < sizeof(load_caps) / sizeof(load_caps[0]); i++) {
		if (!capng_have_capability(CAPNG_PERMITTED, (unsigned)load_caps[i]))
			continue;
		held++;
		capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
		    CAPNG_INHERITABLE, (unsigned)load_caps[i]);
	}
	if (held > 0 && capng_apply(CAPNG_SELECT_CAPS) != 0)
		log_warnx("cannot drop CAP_BPF and CAP_PERFMON after loading "
		    "the kernel event source");
}

static struct ts_dconf running;
static struct ts_collector *coll;
static struct ts_control_sock ctl_sock = { .fd = -1 };	/* tcpsleuthctl's */
static struct ts_control *ctl;
static volatile sig_atomic_t hup;

static void
on_hup(int sig)
{
	(void)sig;
	hup = 1;
	wake();
}

/*
 * SIGHUP: a bad file keeps the running configuration; counts are kept.
 * The settings a reload cannot apply (TS_RESTART) are named.
 */
static void
reload(void)
{
	struct ts_dconf nc;
	char err[512], later[512] = "";
	size_t n = 0;

	if (load(&nc, err, sizeof(err)) == -1 ||
	    preflight(&nc.set.c, err, sizeof(err)) == -1) {
		log_warnx("reload failed, keeping the running configuration: %s",
		    err);
		ts_dconf_free(&nc);
		return;
	}
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		if ((s->flags & TS_DAEMON) && (s->flags & TS_RESTART) &&
		    !ts_setting_same(s, &nc.set.c, &running.set.c) &&
		    n < sizeof(later))
			n += (size_t)snprintf(later + n, sizeof(later) - n,
			    "%s%s", n ? ", " : "", s->name);
	}
	if (n > 0)
		log_warnx("reload: %s: take%s effect at the next start", later,
		    strchr(later, ',') != NULL ? "" : "s");
	sd_notify(0, "RELOADING=1");
	ts_agent_reconf(&nc.set.c.agent.alarm);
	ts_collector_reconf(coll, &nc.set.c.coll);
	ts_dconf_free(&running);
	running = nc;
	log_info("reloaded %s", args.conf != NULL ? args.conf :
	    TS_CONF_DEFAULT);
	sd_notify(0, "READY=1");
}

/*
 * systemd's watchdog (Type=notify, WatchdogSec=): pinged at half its
 * interval, and only while the capture thread keeps publishing snapshots,
 * so a stuck capture thread gets the service restarted too.
 */
/*
 * SIGUSR1: the table, as the capture thread last published it, to the
 * log: a look at the running daemon without SNMP.
 */
static volatile sig_atomic_t usr1;

static void
on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
	wake();
}

static void
dump_table(void)
{
	struct ts_snapshot *s = ts_collector_acquire(coll);
	char peer[TS_EPSTRLEN];

	if (s == NULL)
		return;
	log_info("table: %zu rows of %u, capture %s on %s, %llu frames, "
	    "%llu kernel drops; other: %llu failures; kernel events %s", s->nrows,
	    s->max_rows, ts_cap_state_name(s->cap_state), s->cap_ifaces,
	    (unsigned long long)s->dec.frames, (unsigned long long)s->kernel_drops,
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

static uint64_t wd_usec;
static ts_ns wd_next;
static uint64_t wd_serial;
static ts_ns wd_serial_at;

static ts_ns
tick(void)
{
	struct ts_snapshot *s;
	ts_ns now;

	if (usr1) {
		usr1 = 0;
		dump_table();
	}
	if (ts_collector_failed(coll) && !stop) {
		log_warnx("the capture thread ended: exiting to be started "
		    "again");
		exit_status = 1;
		stop = 1;
	}
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

int
main(int argc, char **argv)
{
	struct ts_conf *rc = &running.set.c;
	struct sigaction sa;
	char err[512];

	ts_opt_prog("tcpsleuthd");
	parse_args(argc, argv);
	if (load(&running, err, sizeof(err)) == -1 ||
	    preflight(&running.set.c, err, sizeof(err)) == -1) {
		fprintf(stderr, "tcpsleuthd: %s\n", err);
		return 1;
	}
	if (args.check) {
		if (rc->coll.kev.kev.enable == KEV_WANT_AUTO &&
		    kev_precheck(&rc->coll.kev.kev, err, sizeof(err)) == -1)
			printf("tcpsleuthd: kernel events would not run "
			    "(pcap only): %s\n", err);
		printf("tcpsleuthd: configuration OK\n");
		return 0;
	}
	rc->agent.verbose = args.verbose;
	log_init("tcpsleuthd", args.foreground, args.verbose);
	log_set_tag("main");
	if (!args.foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		write_pidfile(rc->pidfile);
	}
	/*
	 * The kernel event source is loaded, and the listeners are learnt,
	 * while privileged: the collector is made before the privileges go.
	 * Under a systemd watchdog the capture thread publishes at least
	 * every quarter period, busy or idle: tick() pings only while it does.
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
	drop_load_privileges();
	/* Its group and mode may need what is dropped next. */
	if (ts_control_open(&rc->agent.control, &ctl_sock, err,
	    sizeof(err)) == -1)
		fatalx("control-socket: %s", err);
	drop_privileges(rc->user);
	if (pipe2(sigpipe_fd, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe2");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (ts_collector_start(coll) == -1)
		fatal("cannot start the capture thread");
	if (ts_agent_init(&rc->agent, coll) == -1) {
		ts_collector_free(coll);
		ts_control_close(&ctl_sock);
		return 1;
	}
	if (ctl_sock.fd != -1) {
		if ((ctl = ts_control_new(ctl_sock.fd)) == NULL)
			fatal("control socket");
		ts_agent_control(ctl);
		log_info("tcpsleuthctl: %s", ctl_sock.path);
	}
	wd_serial_at = ts_now_mono();
	sd_notify(0, "READY=1\nSTATUS=serving TCPSLEUTH-MIB");
	ts_agent_run(&stop, &hup, reload, tick, sigpipe_fd[0]);
	sd_notify(0, "STOPPING=1");
	log_info("stopping");
	ts_agent_shutdown();
	ts_control_free(ctl);
	ts_control_close(&ctl_sock);
	ts_collector_free(coll);
	if (!args.foreground)
		unlink(rc->pidfile);
	ts_dconf_free(&running);
	return exit_status;
}
