/*
 * tcpsleuthd - publish tcpsleuth's failing-endpoint table over SNMP, as a
 * net-snmp AgentX subagent or (--listen) as an agent of its own.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "collector.h"
#include "log.h"
#include "optparse.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static __attribute__((noreturn)) void
usage(int status)
{
	FILE *fp = status ? stderr : stdout;

	fprintf(fp,
"usage: tcpsleuthd [-fv] [-x SOCKET | --listen ADDR] [-i IFACE ...] [options]\n"
"  -f                  stay in the foreground, log to stderr\n"
"  -v                  more logging (twice: net-snmp debugging)\n"
"  -p FILE             pid file when in the background (default /run/tcpsleuthd.pid)\n"
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
	OPT_AL_DROPS, OPT_AL_COVERAGE, OPT_TRAPSINK, OPT_TRAPCOMM,
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

int
main(int argc, char **argv)
{
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ts_collector_conf cc;
	struct ts_agent_conf ac;
	struct ts_collector *coll;
	struct sigaction sa;
	const char *pidfile = "/run/tcpsleuthd.pid";
	int ch, foreground = 0, verbose = 0, al_clear_set = 0, hal_clear_set = 0;

	ts_opt_prog("tcpsleuthd");
	ts_collector_conf_default(&cc);
	ts_agent_conf_default(&ac);
	while ((ch = getopt_long(argc, argv, "fvp:x:i:Vh", lopts, NULL)) != -1) {
		switch (ch) {
		case 'f': foreground = 1; break;
		case 'v': verbose++; break;
		case 'p': pidfile = optarg; break;
		case 'x': ac.agentx_socket = optarg; break;
		case 'i':
			if (cc.nifaces == TS_COLLECTOR_MAX_IFACES)
				ts_bad_option("-i: at most %d interfaces",
				    TS_COLLECTOR_MAX_IFACES);
			cc.ifaces[cc.nifaces++] = optarg;
			break;
		case OPT_LISTEN: ac.listen = optarg; break;
		case OPT_COMMUNITY: ac.community = optarg; break;
		case OPT_V3USER: ac.v3_user = optarg; break;
		case OPT_V3AUTH: ac.v3_auth = optarg; break;
		case OPT_V3PRIV: ac.v3_priv = optarg; break;
		case OPT_PING:
			ac.ping_interval = (int)ts_opt_num("--ping-interval", optarg, 1,
			    3600);
			break;
		case OPT_PUBLISH:
			cc.publish_interval = ts_opt_secs("--publish-interval", optarg,
			    0.01);
			break;
		case OPT_POLL:
			cc.poll_interval = ts_opt_secs("--poll-interval", optarg, 0.01);
			break;
		case OPT_REOPEN:
			cc.reopen_interval = ts_opt_secs("--reopen-interval", optarg, 0.01);
			break;
		case OPT_WINDOWS:
			ts_opt_windows("--windows", optarg, &cc.engine.eptab.rates);
			break;
		case OPT_SYNTMO:
			cc.engine.classify.syn_timeout = ts_opt_secs("--syn-timeout",
			    optarg, 0.001);
			break;
		case OPT_ROWS:
			cc.engine.eptab.max_rows = (uint32_t)ts_opt_num("--rows", optarg,
			    1, 1u << 24);
			break;
		case OPT_TTL:
			cc.engine.eptab.ttl = ts_opt_secs("--ttl", optarg, 0.001);
			break;
		case OPT_FLOWS:
			cc.engine.classify.max_flows = (uint32_t)ts_opt_num("--flows",
			    optarg, 16, 1u << 26);
			break;
		case OPT_DEDUP:
			cc.engine.dedup_window = (ts_ns)ts_opt_num("--dedup-ms", optarg,
			    0, 60000) * 1000000LL;
			break;
		case OPT_FILTER: cc.capture.filter = optarg; break;
		case OPT_AL_RATE:
			ac.alarm.endpoint.raise = ts_opt_rate("--alarm-rate", optarg);
			break;
		case OPT_AL_CLEAR:
			ac.alarm.endpoint.clear = ts_opt_rate("--alarm-clear", optarg);
			al_clear_set = 1;
			break;
		case OPT_AL_HOLD:
			ac.alarm.endpoint.hold = ts_opt_secs("--alarm-hold", optarg, 0);
			break;
		case OPT_AL_PORT:
			alarm_port(&ac.alarm, optarg);
			break;
		case OPT_HAL_RATE:
			ac.alarm.host.raise = ts_opt_rate("--host-alarm-rate", optarg);
			break;
		case OPT_HAL_CLEAR:
			ac.alarm.host.clear = ts_opt_rate("--host-alarm-clear", optarg);
			hal_clear_set = 1;
			break;
		case OPT_HAL_HOLD:
			ac.alarm.host.hold = ts_opt_secs("--host-alarm-hold", optarg, 0);
			break;
		case OPT_AL_WINDOW:
			switch (ts_opt_num("--alarm-window", optarg, 1, 15)) {
			case 1: ac.alarm.window = 0; break;
			case 5: ac.alarm.window = 1; break;
			case 15: ac.alarm.window = 2; break;
			default: ts_bad_option("--alarm-window: 1, 5 or 15");
			}
			break;
		case OPT_AL_STORM:
			ac.alarm.storm = (uint32_t)ts_opt_num("--alarm-storm", optarg,
			    1, 1000000);
			break;
		case OPT_AL_PERSEC:
			ac.alarm.per_sec = (uint32_t)ts_opt_num("--alarm-per-sec",
			    optarg, 1, 100000);
			ac.alarm.burst = ac.alarm.per_sec * 5;
			break;
		case OPT_AL_DROPS:
			ac.alarm.drops = 1;
			break;
		case OPT_AL_COVERAGE:
			ac.alarm.coverage_min = (uint32_t)ts_opt_num(
			    "--alarm-coverage", optarg, 1, 1000);
			break;
		case OPT_TRAPSINK:
			if (ac.ntrap_sinks == 8)
				ts_bad_option("--trap-sink: at most 8");
			ac.trap_sinks[ac.ntrap_sinks++] = optarg;
			break;
		case OPT_TRAPCOMM:
			ac.trap_community = optarg;
			break;
		case OPT_PROCROOT:
			cc.procroot = ac.procroot = optarg;
			break;
		case 'V':
			printf("tcpsleuthd %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (optind != argc)
		ts_bad_option("unexpected argument \"%s\"", argv[optind]);
	/* Hysteresis: without a clear rate, clear at half the raise rate. */
	if (!al_clear_set)
		ac.alarm.endpoint.clear = ac.alarm.endpoint.raise / 2;
	if (!hal_clear_set)
		ac.alarm.host.clear = ac.alarm.host.raise / 2;
	if (ac.alarm.endpoint.clear > ac.alarm.endpoint.raise ||
	    ac.alarm.host.clear > ac.alarm.host.raise)
		ts_bad_option("the clear rate must not exceed the raise rate");
	if (ac.ntrap_sinks > 0 && ac.listen == NULL)
		ts_bad_option("--trap-sink is for --listen; a subagent's "
		    "notifications go through the master's trap2sink");
	if (ac.listen != NULL && ac.agentx_socket != NULL)
		ts_bad_option("-x and --listen exclude each other");
	if (ac.listen == NULL && (ac.community || ac.v3_user))
		ts_bad_option("--community and --v3-user need --listen");
	if (ac.v3_user != NULL && (ac.v3_auth == NULL || ac.v3_priv == NULL ||
	    strlen(ac.v3_auth) < 8 || strlen(ac.v3_priv) < 8))
		ts_bad_option("--v3-user needs --v3-auth and --v3-priv of 8 or "
		    "more characters");
	if (ac.listen != NULL && ac.community == NULL && ac.v3_user == NULL)
		ts_bad_option("--listen needs --community or --v3-user");
	ac.verbose = verbose;

	log_init("tcpsleuthd", foreground, verbose);
	if (!foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		write_pidfile(pidfile);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((coll = ts_collector_new(&cc)) == NULL)
		fatal("cannot allocate the tables");
	if (ts_collector_start(coll) == -1)
		fatal("cannot start the capture thread");
	if (ts_agent_init(&ac, coll) == -1) {
		ts_collector_free(coll);
		return 1;
	}
	ts_agent_run(&stop);
	log_info("stopping");
	ts_agent_shutdown();
	ts_collector_free(coll);
	if (!foreground)
		unlink(pidfile);
	return 0;
}
