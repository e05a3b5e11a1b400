/*
 * tcpsleuthd - publish tcpsleuth's failing-endpoint table over SNMP, as a
 * net-snmp AgentX subagent or (--listen) as an agent of its own.  main()
 * reads the configuration, checks what a start needs, makes tcpsleuthctl's
 * control socket, and splits into the capture process and the SNMP
 * process (daemon.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "kevload.h"
#include "conf.h"
#include "control.h"
#include "daemon.h"
#include "log.h"
#include "optparse.h"
#include "settings.h"

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
preflight(const struct ts_conf *c, int start, char *err, size_t len)
{
	const char *f = c->coll.capture.filter;
	char why[256];

	/* A reload loads no program (kernel-events takes a restart), and
	 * the capabilities it took are gone by then. */
	if (start && c->coll.kev.kev.enable == KEV_WANT_YES &&
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

int
ts_daemon_load(struct ts_dconf *dc, int start, char *err, size_t len)
{
	if (load(dc, err, len) == -1)
		return -1;
	return preflight(&dc->set.c, start, err, len);
}

/*
 * Who each process runs as: the configured user; else, started as root,
 * the capture stays root (with its capabilities only) and the SNMP process
 * becomes TS_SNMP_FALLBACK_USER; started as another user, both stay.
 */
static void
users(struct ts_daemon *d, const char *user)
{
	struct passwd *pw;

	d->as_root = geteuid() == 0;
	d->cap_uid = d->cap_gid = d->snmp_uid = d->snmp_gid = -1;
	if (user == NULL || *user == '\0')
		user = d->as_root ? TS_SNMP_FALLBACK_USER : NULL;
	else if ((pw = getpwnam(user)) == NULL)
		fatalx("user \"%s\": no such user", user);
	else {
		d->cap_uid = (long)pw->pw_uid;
		d->cap_gid = (long)pw->pw_gid;
	}
	if (user == NULL) {
		snprintf(d->snmp_user, sizeof(d->snmp_user), "uid %ld",
		    (long)geteuid());
		return;
	}
	if ((pw = getpwnam(user)) == NULL)
		fatalx("no user \"%s\" for the SNMP process: set user", user);
	d->snmp_uid = (long)pw->pw_uid;
	d->snmp_gid = (long)pw->pw_gid;
	snprintf(d->snmp_user, sizeof(d->snmp_user), "%s", user);
}

int
main(int argc, char **argv)
{
	static struct ts_daemon d;
	struct ts_conf *rc = &d.running.set.c;
	sigset_t all;
	char err[512];
	int sv[2], rc2;
	pid_t pid;

	ts_opt_prog("tcpsleuthd");
	parse_args(argc, argv);
	if (ts_daemon_load(&d.running, 1, err, sizeof(err)) == -1) {
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
	d.foreground = args.foreground;
	d.conf_path = args.conf != NULL ? args.conf : TS_CONF_DEFAULT;
	log_init("tcpsleuthd", args.foreground, args.verbose);
	log_set_tag("main");
	users(&d, rc->user);
	if (!args.foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		write_pidfile(rc->pidfile);
	}
	/*
	 * tcpsleuthctl's socket, made now, with the privileges of the start
	 * (its directory, its group): the SNMP process serves it, from the
	 * descriptor it inherits, confined; the capture process removes the
	 * file at the end.
	 */
	if (ts_control_open(&rc->agent.control, &d.ctl, err,
	    sizeof(err)) == -1)
		fatalx("control-socket: %s", err);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair");
	/* Each process sets its own handlers before it takes a signal. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &d.sigmask);
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		close(sv[0]);
		/*
		 * Nothing runs after it is done: no atexit handler in the
		 * confined process (LeakSanitizer's, in a sanitizer build,
		 * needs ptrace and /proc, which it does not have).
		 */
		_exit(ts_snmp_main(&d, sv[1]));
	}
	close(sv[1]);
	ts_control_release(&d.ctl);	/* the SNMP process's alone */
	rc2 = ts_capture_main(&d, sv[0], pid);
	ts_control_close(&d.ctl);	/* the file, if it is still ours */
	if (!args.foreground)
		unlink(rc->pidfile);
	ts_dconf_free(&d.running);
	return rc2;
}
