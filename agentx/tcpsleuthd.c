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
#include "collector.h"
#include "clock.h"
#include "conf.h"
#include "addr.h"
#include "log.h"
#include "optparse.h"

static volatile sig_atomic_t stop;
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

static __attribute__((noreturn)) void
usage(int status)
{
	FILE *fp = status ? stderr : stdout;

	fprintf(fp,
"usage: tcpsleuthd [-fnv] [-c FILE] [-x SOCKET | --listen ADDR] [-i IFACE ...] [options]\n"
"  -c FILE             configuration file (default " TS_CONF_DEFAULT ")\n"
"  -n                  check the configuration and exit\n"
"  -f                  stay in the foreground, log to stderr\n"
"  -v                  more logging (twice: net-snmp debugging)\n"
"  -p FILE             pid file when in the background (default /run/tcpsleuthd.pid)\n"
"  -u USER             run as USER, keeping CAP_NET_RAW only\n"
"  -x SOCKET           the master's AgentX socket (default: net-snmp's)\n"
"  --listen ADDR       be an SNMP agent of its own on ADDR (udp:127.0.0.1:1161)\n"
"  --community NAME    standalone: SNMPv2c read-only community\n"
"  --v3-user NAME --v3-auth PASS --v3-priv PASS\n"
"                      standalone: SNMPv3 authPriv user (SHA, AES)\n"
"  -i IFACE            capture IFACE (repeatable; default any: every interface)\n"
"  --ping-interval S   AgentX ping to the master, and reconnect (default 15)\n"
"  --publish-interval S  new table for SNMP every S seconds (default 0.5)\n"
"  --poll-interval S   read /proc counters and listeners every S (default 1)\n"
"  --reopen-interval S retry failed captures every S (default 10)\n"
"  --windows A,B,C     rate windows in seconds (default 60,300,900)\n"
"  --syn-timeout S     unanswered SYN times out (default 30)\n"
"  --rows N            endpoint table rows (default 1024)\n"
"  --ttl S             idle rows expire (default 3600)\n"
"  --flows N           connections followed at once (default 65536)\n"
"  --dedup-ms MS       same packet on two interfaces counts once (default 20)\n"
"  --filter EXPR       extra BPF filter\n"
"  --alarm-rate R      endpoint failure rate (per second) that raises an alarm\n"
"  --alarm-clear R     ... and that clears it (default: half the raise rate)\n"
"  --alarm-hold S      above the raise rate this long first (default 60)\n"
"  --alarm-port P:R[:C[:H]]  thresholds for one port (repeatable)\n"
"  --host-alarm-rate R, --host-alarm-clear R, --host-alarm-hold S\n"
"                      the same for the host's AttemptFails rate\n"
"  --alarm-window 1|5|15  which rate alarms watch (default 1 minute)\n"
"  --alarm-storm N     more endpoints crossing at once: one summary (default 20)\n"
"  --alarm-per-sec N   notifications per second at most (default 10)\n"
"  --alarm-drops       notify when kernel drops rise\n"
"  --alarm-coverage PM notify when coverage falls below PM per mille\n"
"  --trap-sink ADDR    standalone: send notifications to ADDR (repeatable)\n"
"  --trap-community C  ... with this community (default: --community)\n"
"  --state-dir DIR     standalone: keep the engine ID and boots here\n"
"                      (default /var/lib/tcpsleuthd)\n"
"  --procroot DIR      where /proc is (tests)\n"
"  -V                  print the version\n");
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

enum {
	OPT_LISTEN = 256, OPT_COMMUNITY, OPT_V3USER, OPT_V3AUTH, OPT_V3PRIV,
	OPT_PING, OPT_PUBLISH, OPT_POLL, OPT_REOPEN, OPT_WINDOWS, OPT_SYNTMO,
	OPT_ROWS, OPT_TTL, OPT_FLOWS, OPT_DEDUP, OPT_FILTER, OPT_PROCROOT,
	OPT_AL_RATE, OPT_AL_CLEAR, OPT_AL_HOLD, OPT_AL_PORT, OPT_HAL_RATE,
	OPT_HAL_CLEAR, OPT_HAL_HOLD, OPT_AL_WINDOW, OPT_AL_STORM, OPT_AL_PERSEC,
	OPT_AL_DROPS, OPT_AL_COVERAGE, OPT_TRAPSINK, OPT_TRAPCOMM, OPT_STATEDIR,
};

/* --alarm-port PORT:RATE[:CLEAR[:HOLD]] */
static void
alarm_port(struct ts_alarm_conf *ac, const char *arg)
{
	char buf[128], *f[4] = { NULL }, *save = NULL, *t;
	int n = 0;
	struct ts_threshold *th;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (t = strtok_r(buf, ":", &save); t != NULL && n < 4;
	    t = strtok_r(NULL, ":", &save))
		f[n++] = t;
	if (n < 2 || t != NULL)
		ts_bad_option("--alarm-port: give PORT:RATE[:CLEAR[:HOLD]]");
	if (ac->nports == TS_ALARM_MAX_PORTS)
		ts_bad_option("--alarm-port: at most %d ports", TS_ALARM_MAX_PORTS);
	ac->ports[ac->nports].port = (uint16_t)ts_opt_num("--alarm-port", f[0],
	    0, 65535);
	th = &ac->ports[ac->nports].t;
	th->raise = ts_opt_rate("--alarm-port", f[1]);
	th->clear = n > 2 ? ts_opt_rate("--alarm-port", f[2]) : th->raise / 2;
	th->hold = n > 3 ? ts_opt_secs("--alarm-port", f[3], 0) : ac->endpoint.hold;
	if (th->clear > th->raise)
		ts_bad_option("--alarm-port: the clear rate must not exceed the "
		    "raise rate");
	ac->nports++;
}

struct flags {
	int		 foreground, verbose, check, ifaces_set;
	int		 al_clear_set, hal_clear_set;
	const char	*conf;
};

static const struct option lopts[] = {
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "community", required_argument, NULL, OPT_COMMUNITY },
		{ "v3-user", required_argument, NULL, OPT_V3USER },
		{ "v3-auth", required_argument, NULL, OPT_V3AUTH },
		{ "v3-priv", required_argument, NULL, OPT_V3PRIV },
		{ "ping-interval", required_argument, NULL, OPT_PING },
		{ "publish-interval", required_argument, NULL, OPT_PUBLISH },
		{ "poll-interval", required_argument, NULL, OPT_POLL },
		{ "reopen-interval", required_argument, NULL, OPT_REOPEN },
		{ "windows", required_argument, NULL, OPT_WINDOWS },
		{ "syn-timeout", required_argument, NULL, OPT_SYNTMO },
		{ "rows", required_argument, NULL, OPT_ROWS },
		{ "ttl", required_argument, NULL, OPT_TTL },
		{ "flows", required_argument, NULL, OPT_FLOWS },
		{ "dedup-ms", required_argument, NULL, OPT_DEDUP },
		{ "filter", required_argument, NULL, OPT_FILTER },
		{ "procroot", required_argument, NULL, OPT_PROCROOT },
		{ "user", required_argument, NULL, 'u' },
		{ "alarm-rate", required_argument, NULL, OPT_AL_RATE },
		{ "alarm-clear", required_argument, NULL, OPT_AL_CLEAR },
		{ "alarm-hold", required_argument, NULL, OPT_AL_HOLD },
		{ "alarm-port", required_argument, NULL, OPT_AL_PORT },
		{ "host-alarm-rate", required_argument, NULL, OPT_HAL_RATE },
		{ "host-alarm-clear", required_argument, NULL, OPT_HAL_CLEAR },
		{ "host-alarm-hold", required_argument, NULL, OPT_HAL_HOLD },
		{ "alarm-window", required_argument, NULL, OPT_AL_WINDOW },
		{ "alarm-storm", required_argument, NULL, OPT_AL_STORM },
		{ "alarm-per-sec", required_argument, NULL, OPT_AL_PERSEC },
		{ "alarm-drops", no_argument, NULL, OPT_AL_DROPS },
		{ "alarm-coverage", required_argument, NULL, OPT_AL_COVERAGE },
		{ "trap-sink", required_argument, NULL, OPT_TRAPSINK },
		{ "trap-community", required_argument, NULL, OPT_TRAPCOMM },
		{ "state-dir", required_argument, NULL, OPT_STATEDIR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

/*
 * The command line over the configuration file (again at each reload, so
 * the command line keeps precedence).
 */
static void
apply_args(int argc, char **argv, struct ts_dconf *dc, struct flags *fl)
{
	uint32_t al_raise = dc->agent.alarm.endpoint.raise;
	uint32_t hal_raise = dc->agent.alarm.host.raise;
	int ch;

	optind = 0;	/* glibc: rescan from the start */
	fl->ifaces_set = fl->al_clear_set = fl->hal_clear_set = 0;
	while ((ch = getopt_long(argc, argv, "fvnc:p:u:x:i:Vh", lopts, NULL)) != -1) {
		switch (ch) {
		case 'f': fl->foreground = 1; break;
		case 'v': fl->verbose++; break;
		case 'n': fl->check = 1; break;
		case 'c': fl->conf = optarg; break;
		case 'u': dc->user = optarg; break;
		case 'p': dc->pidfile = optarg; break;
		case 'x': dc->agent.agentx_socket = optarg; break;
		case 'i':
			if (!fl->ifaces_set) {	/* -i replaces the file's list */
				dc->coll.nifaces = 0;
				fl->ifaces_set = 1;
			}
			if (dc->coll.nifaces == TS_COLLECTOR_MAX_IFACES)
				ts_bad_option("-i: at most %d interfaces",
				    TS_COLLECTOR_MAX_IFACES);
			dc->coll.ifaces[dc->coll.nifaces++] = optarg;
			break;
		case OPT_LISTEN: dc->agent.listen = optarg; break;
		case OPT_COMMUNITY: dc->agent.community = optarg; break;
		case OPT_V3USER: dc->agent.v3_user = optarg; break;
		case OPT_V3AUTH: dc->agent.v3_auth = optarg; break;
		case OPT_V3PRIV: dc->agent.v3_priv = optarg; break;
		case OPT_PING:
			dc->agent.ping_interval = (int)ts_opt_num("--ping-interval", optarg, 1,
			    3600);
			break;
		case OPT_PUBLISH:
			dc->coll.publish_interval = ts_opt_secs("--publish-interval", optarg,
			    0.01);
			break;
		case OPT_POLL:
			dc->coll.poll_interval = ts_opt_secs("--poll-interval", optarg, 0.01);
			break;
		case OPT_REOPEN:
			dc->coll.reopen_interval = ts_opt_secs("--reopen-interval", optarg, 0.01);
			break;
		case OPT_WINDOWS:
			ts_opt_windows("--windows", optarg, &dc->coll.engine.eptab.rates);
			break;
		case OPT_SYNTMO:
			dc->coll.engine.classify.syn_timeout = ts_opt_secs("--syn-timeout",
			    optarg, 0.001);
			break;
		case OPT_ROWS:
			dc->coll.engine.eptab.max_rows = (uint32_t)ts_opt_num("--rows", optarg,
			    1, 1u << 24);
			break;
		case OPT_TTL:
			dc->coll.engine.eptab.ttl = ts_opt_secs("--ttl", optarg, 0.001);
			break;
		case OPT_FLOWS:
			dc->coll.engine.classify.max_flows = (uint32_t)ts_opt_num("--flows",
			    optarg, 16, 1u << 26);
			break;
		case OPT_DEDUP:
			dc->coll.engine.dedup_window = (ts_ns)ts_opt_num("--dedup-ms", optarg,
			    0, 60000) * 1000000LL;
			break;
		case OPT_FILTER: dc->coll.capture.filter = optarg; break;
		case OPT_AL_RATE:
			dc->agent.alarm.endpoint.raise = ts_opt_rate("--alarm-rate", optarg);
			break;
		case OPT_AL_CLEAR:
			dc->agent.alarm.endpoint.clear = ts_opt_rate("--alarm-clear", optarg);
			fl->al_clear_set = 1;
			break;
		case OPT_AL_HOLD:
			dc->agent.alarm.endpoint.hold = ts_opt_secs("--alarm-hold", optarg, 0);
			break;
		case OPT_AL_PORT:
			alarm_port(&dc->agent.alarm, optarg);
			break;
		case OPT_HAL_RATE:
			dc->agent.alarm.host.raise = ts_opt_rate("--host-alarm-rate", optarg);
			break;
		case OPT_HAL_CLEAR:
			dc->agent.alarm.host.clear = ts_opt_rate("--host-alarm-clear", optarg);
			fl->hal_clear_set = 1;
			break;
		case OPT_HAL_HOLD:
			dc->agent.alarm.host.hold = ts_opt_secs("--host-alarm-hold", optarg, 0);
			break;
		case OPT_AL_WINDOW:
			switch (ts_opt_num("--alarm-window", optarg, 1, 15)) {
			case 1: dc->agent.alarm.window = 0; break;
			case 5: dc->agent.alarm.window = 1; break;
			case 15: dc->agent.alarm.window = 2; break;
			default: ts_bad_option("--alarm-window: 1, 5 or 15");
			}
			break;
		case OPT_AL_STORM:
			dc->agent.alarm.storm = (uint32_t)ts_opt_num("--alarm-storm", optarg,
			    1, 1000000);
			break;
		case OPT_AL_PERSEC:
			dc->agent.alarm.per_sec = (uint32_t)ts_opt_num("--alarm-per-sec",
			    optarg, 1, 100000);
			dc->agent.alarm.burst = dc->agent.alarm.per_sec * 5;
			break;
		case OPT_AL_DROPS:
			dc->agent.alarm.drops = 1;
			break;
		case OPT_AL_COVERAGE:
			dc->agent.alarm.coverage_min = (uint32_t)ts_opt_num(
			    "--alarm-coverage", optarg, 1, 1000);
			break;
		case OPT_TRAPSINK:
			if (dc->agent.ntrap_sinks == 8)
				ts_bad_option("--trap-sink: at most 8");
			dc->agent.trap_sinks[dc->agent.ntrap_sinks++] = optarg;
			break;
		case OPT_TRAPCOMM:
			dc->agent.trap_community = optarg;
			break;
		case OPT_STATEDIR:
			dc->agent.state_dir = optarg;
			break;
		case OPT_PROCROOT:
			dc->coll.procroot = dc->agent.procroot = optarg;
			break;
		case 'V':
			printf("tcpsleuthd %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (optind != argc)
		ts_bad_option("unexpected argument \"%s\"", argv[optind]);
	/* A raise rate given without a clear rate clears at half of it. */
	if (!fl->al_clear_set && dc->agent.alarm.endpoint.raise != al_raise)
		dc->agent.alarm.endpoint.clear = dc->agent.alarm.endpoint.raise / 2;
	if (!fl->hal_clear_set && dc->agent.alarm.host.raise != hal_raise)
		dc->agent.alarm.host.clear = dc->agent.alarm.host.raise / 2;
}

/* Settings that only make sense together; -1 with why. */
static int
validate(const struct ts_dconf *dc, char *err, size_t len)
{
	const struct ts_agent_conf *ac = &dc->agent;

	if (ac->alarm.endpoint.clear > ac->alarm.endpoint.raise ||
	    ac->alarm.host.clear > ac->alarm.host.raise)
		snprintf(err, len, "the clear rate must not exceed the raise rate");
	else if (ac->ntrap_sinks > 0 && ac->listen == NULL)
		snprintf(err, len, "trap-sink is for the standalone agent "
		    "(listen); a subagent's notifications go through the "
		    "master's trap2sink");
	else if (ac->listen != NULL && ac->agentx_socket != NULL)
		snprintf(err, len, "agentx-socket and listen exclude each other");
	else if (ac->listen == NULL && (ac->community || ac->v3_user))
		snprintf(err, len, "community and v3-user need listen");
	else if (ac->v3_user != NULL && (ac->v3_auth == NULL ||
	    ac->v3_priv == NULL || strlen(ac->v3_auth) < 8 ||
	    strlen(ac->v3_priv) < 8))
		snprintf(err, len, "the v3 user needs auth and priv pass phrases "
		    "of 8 or more characters");
	else if (ac->listen != NULL && ac->community == NULL &&
	    ac->v3_user == NULL)
		snprintf(err, len, "listen needs a community or a v3 user");
	else
		return 0;
	return -1;
}

/* -c and -n, before anything else is read. */
static void
pre_scan(int argc, char **argv, struct flags *fl)
{
	int ch;

	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "fvnc:p:u:x:i:Vh", lopts, NULL)) != -1)
		if (ch == 'c')
			fl->conf = optarg;
		else if (ch == 'n')
			fl->check = 1;
	opterr = 1;
}

/* Defaults, then the file (if any), then the command line. */
static int
load(int argc, char **argv, struct ts_dconf *dc, struct flags *fl, char *err,
    size_t len)
{
	const char *path;

	pre_scan(argc, argv, fl);
	path = fl->conf != NULL ? fl->conf : TS_CONF_DEFAULT;

	ts_dconf_default(dc);
	if ((fl->conf != NULL || access(path, F_OK) == 0) &&
	    ts_dconf_load(dc, path, NULL, err, len) == -1)
		return -1;
	apply_args(argc, argv, dc, fl);
	return validate(dc, err, len);
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

static int g_argc;
static char **g_argv;
static struct flags g_fl;
static struct ts_dconf running;
static struct ts_collector *coll;
static volatile sig_atomic_t hup;

static void
on_hup(int sig)
{
	(void)sig;
	hup = 1;
	wake();
}

static int
differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0);
}

/* SIGHUP: a bad file keeps the running configuration; counts are kept. */
static void
reload(void)
{
	struct ts_dconf nc;
	char err[512];
	const struct ts_collector_conf *o = &running.coll, *n = &nc.coll;

	memset(&nc, 0, sizeof(nc));
	if (load(g_argc, g_argv, &nc, &g_fl, err, sizeof(err)) == -1) {
		log_warnx("reload failed, keeping the running configuration: %s",
		    err);
		ts_dconf_free(&nc);
		return;
	}
	if (n->engine.eptab.max_rows != o->engine.eptab.max_rows ||
	    n->engine.classify.max_flows != o->engine.classify.max_flows ||
	    memcmp(&n->engine.eptab.rates, &o->engine.eptab.rates,
	    sizeof(n->engine.eptab.rates)) != 0 ||
	    n->engine.classify.syn_timeout != o->engine.classify.syn_timeout ||
	    n->engine.eptab.ttl != o->engine.eptab.ttl ||
	    n->publish_interval != o->publish_interval ||
	    n->poll_interval != o->poll_interval)
		log_warnx("reload: table sizes, rate windows, timeouts and "
		    "intervals take effect at the next start");
	if (differs(nc.agent.listen, running.agent.listen) ||
	    differs(nc.agent.agentx_socket, running.agent.agentx_socket) ||
	    differs(nc.agent.community, running.agent.community) ||
	    differs(nc.agent.v3_user, running.agent.v3_user) ||
	    nc.agent.ping_interval != running.agent.ping_interval)
		log_warnx("reload: SNMP settings take effect at the next start");
	sd_notify(0, "RELOADING=1");
	ts_agent_reconf(&nc.agent.alarm);
	ts_collector_reconf(coll, &nc.coll);
	ts_dconf_free(&running);
	running = nc;
	log_info("reloaded %s", g_fl.conf != NULL ? g_fl.conf :
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
	    "%llu kernel drops; other: %llu failures", s->nrows, s->max_rows,
	    ts_cap_state_name(s->cap_state), s->cap_ifaces,
	    (unsigned long long)s->frames, (unsigned long long)s->kernel_drops,
	    (unsigned long long)s->other.failures);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ts_snap_row *r = &s->rows[i];

		log_info("row: %s %s failures %llu (refused %llu, unreachable "
		    "%llu, timeout %llu, handshake-reset %llu, abort %llu), "
		    "unsolicited %llu, rate %u.%03u/s, last peer %s",
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
		    sizeof(peer)));
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
	struct sigaction sa;
	char err[512];

	ts_opt_prog("tcpsleuthd");
	g_argc = argc;
	g_argv = argv;
	if (load(argc, argv, &running, &g_fl, err, sizeof(err)) == -1) {
		fprintf(stderr, "tcpsleuthd: %s\n", err);
		return 1;
	}
	if (g_fl.check) {
		printf("tcpsleuthd: configuration OK\n");
		return 0;
	}
	running.agent.verbose = g_fl.verbose;
	log_init("tcpsleuthd", g_fl.foreground, g_fl.verbose);
	log_set_tag("main");
	if (!g_fl.foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		write_pidfile(running.pidfile);
	}
	drop_privileges(running.user);
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

	/*
	 * Under a systemd watchdog the capture thread publishes at least every
	 * quarter period, busy or idle: tick() pings only while it does.
	 */
	if (sd_watchdog_enabled(0, &wd_usec) <= 0)
		wd_usec = 0;
	running.coll.heartbeat = (ts_ns)wd_usec * 1000 / 4;
	if ((coll = ts_collector_new(&running.coll)) == NULL)
		fatal("cannot allocate the tables");
	if (ts_collector_start(coll) == -1)
		fatal("cannot start the capture thread");
	if (ts_agent_init(&running.agent, coll) == -1) {
		ts_collector_free(coll);
		return 1;
	}
	wd_serial_at = ts_now_mono();
	sd_notify(0, "READY=1\nSTATUS=serving TCPSLEUTH-MIB");
	ts_agent_run(&stop, &hup, reload, tick, sigpipe_fd[0]);
	sd_notify(0, "STOPPING=1");
	log_info("stopping");
	ts_agent_shutdown();
	ts_collector_free(coll);
	if (!g_fl.foreground)
		unlink(running.pidfile);
	ts_dconf_free(&running);
	return 0;
}
