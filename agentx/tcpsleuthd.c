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
};

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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ts_collector_conf cc;
	struct ts_agent_conf ac;
	struct ts_collector *coll;
	struct sigaction sa;
	const char *pidfile = "/run/tcpsleuthd.pid";
	int ch, foreground = 0, verbose = 0;

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
