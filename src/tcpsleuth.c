/*
 * tcpsleuth.c - the command line tool: analyse a capture file or live
 * interfaces and print the failing-endpoint table.
 */
#include "config.h"


#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "clock.h"
#include "collector.h"
#include "engine.h"
#include "ifname.h"
#include "kevsnap.h"
#include "log.h"
#include "lsnfail.h"
#include "lsnreport.h"
#include "optparse.h"
#include "report.h"
#include "settings.h"
#include "term.h"

#define MAX_IFACES	32
#define IFCACHE		64

struct opts {
	const char		*file;
	const char		*ifaces[MAX_IFACES];
	int			 nifaces;
	int			 json;
	int			 events;
	struct ts_report_view	 view;		/* top, sort; width if set */
	int			 top_set, width_set;
	int			 quiet;
	int			 listeners;
	ts_ns			 interval, duration;
	unsigned long long	 count;
	struct ts_settings	 set;	/* engine and capture: set.c.coll */
	const char		*locals[TS_LOCALADDR_MAX];
	int			 nlocals;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The short forms of settings (tcpsleuthd's -f, -p differ). */
static const struct ts_shortopt shorts[] = {
	{ 't', "syn-timeout" }, { 'f', "filter" }, { 's', "snaplen" },
	{ 'B', "buffer" }, { 'p', "promisc" }, { 0, NULL },
};

static __attribute__((noreturn)) void
usage(int status)
{
	FILE *fp = status ? stderr : stdout;

	fprintf(fp,
"usage: tcpsleuth -r FILE [options]\n"
"       tcpsleuth -i IFACE|any [-i IFACE ...] [options]\n"
"       tcpsleuth --listeners [--json]\n"
"  -r FILE                     analyse a capture file (pcap, or pcapng of one\n"
"                              link type)\n"
"  -i IFACE                    capture live (\"any\": every interface, loopback\n"
"                              included)\n"
"  -j, --json                  JSON output (fields in doc/json.md)\n"
"  -n, --top N                 endpoints to print, 0 for all (default 20;\n"
"                              JSON: all)\n"
"      --sort KEY              order rows by count (failures), rate, last\n"
"                              (seen) or name (address); live view: keys c,\n"
"                              r, l, n (default count)\n"
"      --width N               text columns to fit, 0 for all (default: the\n"
"                              terminal's)\n"
"      --local ADDR            treat ADDR as this host's (capture files;\n"
"                              repeatable)\n"
"      --interval S            live: print every S seconds (default 2)\n"
"  -d, --duration S            live: stop after S seconds\n"
"  -c, --count N               live: stop after N frames\n"
"  -q, --quiet                 live: print only when stopping\n"
"      --listeners             print the listening sockets of every network\n"
"                              namespace this user can enter: queue, backlog,\n"
"                              drops, owner\n"
"      --events                print each failure (and unsolicited RST) as a\n"
"                              line of JSON as it is classified, instead of\n"
"                              the table\n"
"  -V, --version               print the version\n"
"Settings, as in tcpsleuthd.conf(5) (lists: values separated by commas, or\n"
"the option repeated; files: --ttl expires rows only when the table is full):\n");
	ts_settings_usage(fp, TS_CLI, shorts);
	exit(status);
}

enum {
	OPT_LOCAL = 256, OPT_INTERVAL, OPT_EVENTS, OPT_SORT, OPT_WIDTH,
	OPT_LISTENERS,
};

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option own[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "local", required_argument, NULL, OPT_LOCAL },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "events", no_argument, NULL, OPT_EVENTS },
		{ "listeners", no_argument, NULL, OPT_LISTENERS },
		{ "duration", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct option *lopts;	/* reachable when usage() exits */
	const struct ts_setting *s;
	char err[256];
	int ch, entry;

	if ((lopts = ts_settings_longopts(TS_CLI, own)) == NULL)
		fatalx("out of memory");
	memset(o, 0, sizeof(*o));
	o->view.top = TS_REPORT_TOP;
	o->interval = 2 * TS_NS_PER_SEC;
	ts_settings_init(&o->set);
	while ((ch = getopt_long(argc, argv, "r:i:jn:t:f:s:B:pd:c:qVh", lopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			o->file = optarg;
			break;
		case 'i':
			if (o->nifaces == MAX_IFACES)
				ts_bad_option("-i: at most %d interfaces", MAX_IFACES);
			o->ifaces[o->nifaces++] = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'n':
			o->view.top = (unsigned)ts_opt_num("--top", optarg, 0,
			    1u << 30);
			o->top_set = 1;
			break;
		case OPT_SORT:
			if (ts_sort_parse(optarg, &o->view.sort) == -1)
				ts_bad_option("--sort: \"%s\" is not count, rate, "
				    "last or name", optarg);
			break;
		case OPT_WIDTH:
			o->view.width = (unsigned)ts_opt_num("--width", optarg,
			    0, 100000);
			o->width_set = 1;
			break;
		case OPT_LOCAL:
			if (o->nlocals == TS_LOCALADDR_MAX)
				ts_bad_option("--local: too many addresses");
			o->locals[o->nlocals++] = optarg;
			break;
		case OPT_EVENTS:
			o->events = 1;
			break;
		case OPT_LISTENERS:
			o->listeners = 1;
			break;
		case OPT_INTERVAL:
			o->interval = ts_opt_secs("--interval", optarg, 0.05);
			break;
		case 'd':
			o->duration = ts_opt_secs("--duration", optarg, 0.001);
			break;
		case 'c':
			o->count = ts_opt_num("--count", optarg, 1, ~0ULL);
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'V':
			printf("tcpsleuth %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(0);
		default:
			if ((s = ts_settings_opt(ch, shorts)) == NULL)
				usage(2);
			if (ts_settings_arg(&o->set, s, optarg, TS_LV_ARGS, err,
			    sizeof(err)) == -1)
				ts_bad_option("--%s: %s", s->name, err);
		}
	}
	free(lopts);
	lopts = NULL;
	if (ts_settings_finish(&o->set, &s, &entry, err, sizeof(err)) == -1)
		ts_bad_option("--%s: %s", s != NULL ? s->name : "", err);
	if (optind != argc) {
		log_warnx("unexpected argument \"%s\"", argv[optind]);
		usage(2);
	}
	if (o->listeners && (o->file != NULL || o->nifaces != 0)) {
		log_warnx("--listeners takes no -r or -i");
		usage(2);
	}
	if (!o->listeners && (o->file == NULL) == (o->nifaces == 0)) {
		log_warnx("give either -r FILE or -i IFACE");
		usage(2);
	}
	if (!o->top_set && o->json)
		o->view.top = 0;	/* a program reading JSON gets every row */
	/* A file's report lists every endpoint it holds while there is room. */
	o->set.c.coll.engine.eptab.expire_when_full = o->file != NULL;
}

/*
 * Live: the listeners of this namespace, polled every second, so that a
 * failure to a local endpoint whose listener was dropping gets the reason
 * (lsnfail.h).  None when reading a file.
 */
static struct {
	struct ts_engine	*e;
	struct ts_lsnpoll	*lp;
	int			 watched;	/* the last poll worked */
	int			 events;	/* --events: print each */
} live;

static void
on_event(void *arg, const struct ts_event *ev, const char *ifname)
{
	enum ts_lsn_verdict v = TS_LSN_NONE;

	(void)arg;
	if (live.lp != NULL && live.e != NULL)
		v = ts_lsnfail_event(live.e, live.lp->lsn, live.lp->ns->self_ino,
		    ev);
	if (live.events)
		ts_report_event(stdout, ev, ifname, v == TS_LSN_OVERFLOW ?
		    "listener-overflow" : NULL);
}

/* The listener poller of this namespace alone; NULL if there is none. */
static struct ts_lsnpoll *
self_listeners(void)
{
	struct ts_lsnpoll_conf lc;

	ts_lsnpoll_conf_default(&lc);
	lc.netns.mode = TS_NS_SELF;
	return ts_lsnpoll_new(&lc);
}

/*
 * periodic: a live refresh (compact JSON; text fitted to the terminal's
 * height too, if there is one); keys: say which keys sort.  Text fits the
 * terminal's width unless --width says otherwise.  The report is made of
 * a snapshot of the engine, as tcpsleuthd's are (report.h).
 */
static int
report(const struct opts *o, const struct ts_report_view *view,
    const struct ts_engine *e, const struct ts_report_src *src,
    uint64_t kernel_drops, ts_ns now, int periodic, int keys)
{
	struct ts_report_view v = *view;
	struct ts_snapshot *s;
	unsigned cols, lines;

	if (o->events)
		return 0;
	if ((s = ts_snapshot_build(e, now, NULL)) == NULL) {
		log_warnx("out of memory for the report");
		return -1;
	}
	s->kernel_drops = kernel_drops;
	s->lsn_watched = live.watched;
	if (src->kev != NULL && kevsrc_snapshot(src->kev, s) == -1)
		log_warnx("out of memory for the callers of the report");
	if (o->json) {
		ts_report_json(stdout, s, src, now, &v, periodic);
	} else {
		ts_term_size(STDOUT_FILENO, &cols, &lines);
		if (!o->width_set)
			v.width = cols;
		v.height = periodic ? lines : 0;
		v.keys = keys;
		ts_report_text(stdout, s, src, now, &v);
	}
	ts_snapshot_free(s);
	fflush(stdout);
	return 0;
}

static int
run_file(const struct opts *o, struct ts_engine *e)
{
	struct ts_capture cap;
	struct ts_report_src src = { "file", o->file, "", 0, NULL, NULL };
	const char *base = strrchr(o->file, '/');
	int r, rep;

	if (ts_capture_open_file(&cap, o->file, &o->set.c.coll.capture) == -1) {
		log_warnx("%s", cap.err);
		return 1;
	}
	src.names = base != NULL ? base + 1 : o->file;
	src.linktype = ts_dlt_name(cap.dlt);
	while ((r = ts_capture_dispatch(&cap, e, -1)) > 0)
		;
	/* The capture ends where its last packet is: time out SYNs by then. */
	ts_engine_tick(e, e->st.last_ts);
	rep = report(o, &o->view, e, &src, 0, e->st.last_ts, 0, 0);
	if (r < 0) {
		if (strstr(cap.err, "different from the type of the first") ||
		    strstr(cap.err, "link-layer type"))
			log_warnx("%s (libpcap reads pcapng files of one link "
			    "type only: split it by interface, e.g. tshark -r "
			    "FILE -Y 'frame.interface_id == 0' -w part0.pcapng)",
			    cap.err);
		else
			log_warnx("%s", cap.err);
		ts_capture_close(&cap);
		return 1;
	}
	ts_capture_close(&cap);
	return rep == -1;
}

static int
run_live(const struct opts *o, struct ts_engine *e)
{
	struct ts_capture caps[MAX_IFACES];
	struct pollfd pfd[MAX_IFACES + 2];	/* the keyboard's, the kernel's */
	struct ts_report_src src = { "live", "", "", 1, NULL, NULL };
	struct kevsrc_conf kc = o->set.c.coll.kev;
	struct kevsrc *kev = NULL;
	struct ts_report_view view = o->view;
	char names[512] = "", types[256] = "";
	ts_ns start = ts_now_mono(), next_print, next_addrs = 0, next_lsn = 0, now;
	int n = o->nifaces, rc = 0, tty = isatty(STDOUT_FILENO), keys;
	uint64_t frames = 0, recv, drop, drops;
	struct sigaction sa;
	struct ts_steady st;	/* the engine's time: see tcpsleuthd(8) TIME */
	struct ts_capture_conf cc = o->set.c.coll.capture;

	ts_steady_init(&st, ts_now_wall(), start);
	cc.steady = &st;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/*
	 * The kernel event source, when this user may load it, following the
	 * namespace the captures are in: who calls, and why it failed.
	 */
	kc.self_only = 1;
	kc.precheck = 1;
	if ((kev = kevsrc_open(&kc, e, &st, "/proc", ts_steady_at(&st,
	    start))) == NULL)
		fatal("cannot allocate the kernel event source");
	if (kc.kev.enable == KEV_WANT_YES &&
	    kevsrc_state(kev) == KEVSRC_UNAVAILABLE) {
		log_warnx("kernel-events = yes, and no kernel event program "
		    "runs: %s", kevsrc_reason(kev));
		kevsrc_close(kev);
		return 1;
	}
	src.kev = kev;
	src.kev_row = kevsrc_row;
	for (int i = 0; i < n; i++) {
		if (ts_capture_open_live(&caps[i], o->ifaces[i], &cc) == -1) {
			log_warnx("%s", caps[i].err);
			for (int j = 0; j < i; j++)
				ts_capture_close(&caps[j]);
			kevsrc_close(kev);
			return 1;
		}
		pfd[i].fd = ts_capture_fd(&caps[i]);
		pfd[i].events = POLLIN;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s%s", i ? "," : "", o->ifaces[i]);
		snprintf(types + strlen(types), sizeof(types) - strlen(types),
		    "%s%s", i ? "," : "", ts_dlt_name(caps[i].dlt));
	}
	src.names = names;
	src.linktype = types;
	log_info("capturing on %s (%s)", names, types);
	next_print = start + o->interval;
	/* A terminal on both sides: keys sort the live view; q quits. */
	keys = tty && !o->quiet && !o->json && !o->events &&
	    ts_term_keys(STDIN_FILENO) == 0;
	pfd[n].fd = STDIN_FILENO;
	pfd[n].events = POLLIN;
	pfd[n + 1].fd = kevsrc_fd(kev);		/* -1: not polled */
	pfd[n + 1].events = POLLIN;
	while (!stop) {
		int ch;

		if (ts_now_mono() >= next_addrs) {
			ts_localaddr_load(&e->local);
			ts_ifname_flush();
			next_addrs = ts_now_mono() + 10 * TS_NS_PER_SEC;
		}
		if (live.lp != NULL && ts_now_mono() >= next_lsn) {
			live.watched = ts_lsnpoll_run(live.lp, ts_steady_at(&st,
			    ts_now_mono())) == 0;
			next_lsn = ts_now_mono() + TS_NS_PER_SEC;
		}
		/* The keyboard's slot, when not in use, polls nothing. */
		pfd[n].fd = keys ? STDIN_FILENO : -1;
		if (poll(pfd, (nfds_t)n + 2, 50) == -1 && errno != EINTR) {
			log_warn("poll");
			rc = 1;
			break;
		}
		if (pfd[n + 1].revents & POLLIN)
			(void)kevsrc_consume(kev);
		for (int i = 0; i < n; i++) {
			int r = ts_capture_dispatch(&caps[i], e, -1);

			if (r < 0) {
				log_warnx("%s", caps[i].err);
				stop = 1;
				rc = 1;
			}
			frames += (uint64_t)(r > 0 ? r : 0);
		}
		ts_engine_tick(e, ts_steady_at(&st, ts_now_mono()));
		while (keys && (ch = ts_term_getkey(STDIN_FILENO)) != -1) {
			if (ch == 'q')
				stop = 1;
			else if (ts_sort_key(ch, &view.sort) == 0)
				next_print = ts_now_mono();	/* redraw */
		}
		if (o->count != 0 && frames >= o->count)
			break;
		if (o->duration > 0 && ts_now_mono() - start >= o->duration)
			break;
		if (!o->quiet && ts_now_mono() >= next_print) {
			next_print += o->interval;
			drops = 0;
			for (int i = 0; i < n; i++)
				if (ts_capture_stats(&caps[i], &recv, &drop) == 0)
					drops += drop;
			if (tty && !o->json)
				fputs("\033[H\033[2J", stdout);
			(void)report(o, &view, e, &src, drops, ts_steady_at(&st,
			    ts_now_mono()), 1, keys);
			if (!o->json)
				fputc('\n', stdout);
		}
	}
	drops = 0;
	for (int i = 0; i < n; i++) {
		(void)ts_capture_dispatch(&caps[i], e, -1);	/* what is left */
		if (ts_capture_stats(&caps[i], &recv, &drop) == 0)
			drops += drop;
		ts_capture_close(&caps[i]);
	}
	ts_term_restore();
	(void)kevsrc_consume(kev);	/* what is left */
	now = ts_steady_at(&st, ts_now_mono());
	ts_engine_tick(e, now);
	if (report(o, &view, e, &src, drops, now, 0, 0) == -1)
		rc = 1;
	kevsrc_close(kev);
	return rc;
}

/* --listeners: one poll of every namespace this user can enter. */
static int
run_listeners(const struct opts *o)
{
	struct ts_lsnpoll_conf lc;
	struct ts_lsnpoll *p;
	ts_ns now = ts_now_wall();
	int r;

	ts_lsnpoll_conf_default(&lc);
	if ((p = ts_lsnpoll_new(&lc)) == NULL) {
		log_warn("cannot make the listener table");
		return 1;
	}
	if ((r = ts_lsnpoll_run(p, now)) != 0) {
		log_warnx("%s", r == -2 ? "could not return to this network "
		    "namespace" : p->st.err);
		ts_lsnpoll_free(p);
		return 1;
	}
	if (o->json)
		r = ts_lsnreport_json(stdout, p, now, 0);
	else
		ts_lsnreport_text(stdout, p, now);
	ts_lsnpoll_free(p);
	return r == 0 && fflush(stdout) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct ts_engine *e;
	int rc;

	log_init("tcpsleuth", 1, 0);
	ts_opt_prog("tcpsleuth");
	parse_args(argc, argv, &o);
	if (o.listeners)
		return run_listeners(&o);
	if (o.nifaces > 0) {
		struct stat sb;

		o.set.c.coll.engine.ifname = ts_ifname;
		/* Rows are in this network namespace (the kernel's too). */
		if (stat("/proc/self/ns/net", &sb) == 0)
			o.set.c.coll.engine.eptab.netns = (uint32_t)sb.st_ino;
	}
	live.events = o.events;
	if (o.file == NULL && (live.lp = self_listeners()) == NULL)
		log_warn("cannot watch the listeners (no listener overflows)");
	o.set.c.coll.engine.on_event = on_event;
	if ((e = ts_engine_new(&o.set.c.coll.engine)) == NULL)
		fatal("cannot allocate the tables");
	live.e = e;
	for (int i = 0; i < o.nlocals; i++)
		if (ts_localaddr_add_str(&e->local, o.locals[i]) == -1)
			ts_bad_option("--local: \"%s\" is not an IPv4 or IPv6 "
			    "address", o.locals[i]);
	rc = o.file != NULL ? run_file(&o, e) : run_live(&o, e);
	ts_lsnpoll_free(live.lp);
	ts_engine_free(e);
	return rc;
}
