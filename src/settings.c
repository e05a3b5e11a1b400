/*
 * settings.c - the table of settings (what each is; setvalue.c parses their
 * values, setopt.c makes command lines of them).
 *
 * To add a setting, add one row to ts_settings[] below, in its group:
 *   .name     the long option, and the file's name at top level (or
 *             .section and .key for a setting inside a section);
 *   .type     one of enum ts_stype (settings.h), with .min/.max for numbers
 *             (for lists: each item; .items: how many at most), .choices
 *             for TS_T_CHOICE ("auto|yes|no": stored as the index, so keep
 *             your enum in that order), .scale if stored in other units;
 *   .def      the default as written on a command line (NULL: none);
 *   .flags    TS_CLI and/or TS_DAEMON, and TS_RESTART unless a reload
 *             (SIGHUP) applies it;
 *   AT(f)     where it lands: a field of struct ts_conf (your module's
 *             struct ..._conf inside struct ts_collector_conf or
 *             struct ts_agent_conf); ATN(f, count) for lists;
 *   .check    a function for what syntax and range cannot say (optional);
 *   .arg, .help  the value's name and one line for the usage.
 * Then write it, with its range and default, in doc/tcpsleuthd.conf.5
 * (TS_DAEMON; and its --name in tcpsleuthd(8)'s list) and doc/tcpsleuth.1
 * (TS_CLI), and let your _conf_default() agree with .def: test_settings
 * fails until both hold.  The long options, the usage, the file parser
 * (agentx/conf.c), reload and the range tests come from the row.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <net/if.h>

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "ctlproto.h"
#include "settings.h"
#include "transport.h"

static int check_filter(const char *, char *, size_t);
static int check_ifname(const char *, char *, size_t);
static int check_user(const char *, char *, size_t);
static int check_agentx(const char *, char *, size_t);
static int check_sink(const char *, char *, size_t);
static int check_phrase(const char *, char *, size_t);
static int check_path(const char *, char *, size_t);
static int check_pow2(const char *, char *, size_t);
static int check_namespaces(const char *, char *, size_t);
static int check_socket(const char *, char *, size_t);
static int check_group(const char *, char *, size_t);

#define FLD(T, f)	sizeof(((T *)0)->f)
#define NFLD(T, f)	(FLD(T, f) / FLD(T, f[0]))	/* elements */
#define AT(f)		.base = TS_AT_CONF, .off = offsetof(struct ts_conf, f), \
			.size = FLD(struct ts_conf, f)
#define ATN(f, n)	AT(f), .off2 = offsetof(struct ts_conf, n)
#define PORT0		offsetof(struct ts_alarm_conf, ports[0])
#define AT_PORT(f)	.base = TS_AT_PORT, .size = FLD(struct ts_alarm_conf, ports[0].f), \
			.off = offsetof(struct ts_alarm_conf, ports[0].f) - PORT0

#define EPT		coll.engine.eptab
#define CLS		coll.engine.classify
#define CAP		coll.capture
#define ALM		agent.alarm
#define KEV		coll.kev
#define LSN		coll.lsn
#define BIG		16777216	/* 2^24 */
#define YEAR		31536000
#define RATE_MAX	4000000

const struct ts_setting ts_settings[] = {
	/* Capture */
	{ .name = "interfaces", .type = TS_T_STRS,
	  .items = NFLD(struct ts_conf, coll.ifaces), .def = "any", .flags = TS_DAEMON,
	  ATN(coll.ifaces, coll.nifaces), .check = check_ifname, .arg = "IFACE",
	  .help = "capture IFACE, repeatable; any: every interface" },
	{ .name = "filter", .type = TS_T_STR, .flags = TS_BOTH,
	  AT(CAP.filter), .check = check_filter, .arg = "EXPR",
	  .help = "extra BPF filter, ANDed with tcpsleuth's own" },
	{ .name = "snaplen", .type = TS_T_UINT, .min = 96, .max = 262144,
	  .def = "256", .flags = TS_BOTH | TS_RESTART, AT(CAP.snaplen),
	  .arg = "BYTES", .help = "live snap length" },
	{ .name = "buffer", .type = TS_T_UINT, .min = 64, .max = 2097152,
	  .def = "8192", .flags = TS_BOTH | TS_RESTART, AT(CAP.buffer_kib),
	  .arg = "KIB", .help = "live kernel buffer" },
	{ .name = "promisc", .type = TS_T_BOOL, .def = "no",
	  .flags = TS_BOTH | TS_RESTART, AT(CAP.promisc),
	  .help = "put live interfaces in promiscuous mode" },
	/* The endpoint table */
	{ .name = "rows", .type = TS_T_UINT, .min = 1, .max = BIG, .def = "1024",
	  .flags = TS_BOTH | TS_RESTART, AT(EPT.max_rows), .arg = "N",
	  .help = "endpoint table rows" },
	{ .name = "sketch", .type = TS_T_UINT, .min = 0, .max = BIG, .def = "0",
	  .flags = TS_BOTH | TS_RESTART, AT(EPT.sketch_size), .arg = "N",
	  .help = "heavy-hitter candidates when the table is full, 0: rows" },
	{ .name = "ttl", .type = TS_T_SECS, .min = 0.001, .max = YEAR,
	  .def = "3600", .flags = TS_BOTH | TS_RESTART, AT(EPT.ttl),
	  .arg = "SECONDS", .help = "rows idle this long expire" },
	{ .name = "windows", .type = TS_T_WINDOWS, .min = 0.06, .max = 1000000,
	  .def = "60,300,900", .flags = TS_BOTH | TS_RESTART, AT(EPT.rates),
	  .arg = "A,B,C", .help = "the three rate windows, in seconds" },
	{ .name = "top", .type = TS_T_UINT, .min = 1, .max = TS_TOP_MAX,
	  .def = "10", .flags = TS_DAEMON | TS_RESTART, AT(coll.top.size),
	  .arg = "N", .help = "endpoints in the bounded view, tcpsleuthTopTable" },
	/* Connections */
	{ .name = "flows", .type = TS_T_UINT, .min = 16, .max = BIG,
	  .def = "65536", .flags = TS_BOTH | TS_RESTART, AT(CLS.max_flows),
	  .arg = "N", .help = "connections followed at once" },
	{ .name = "syn-timeout", .type = TS_T_SECS, .min = 0.001, .max = 3600,
	  .def = "30", .flags = TS_BOTH | TS_RESTART, AT(CLS.syn_timeout),
	  .arg = "SECONDS", .help = "an unanswered SYN times out after this" },
	{ .name = "flow-ttl", .type = TS_T_SECS, .min = 0.001, .max = YEAR,
	  .def = "3600", .flags = TS_BOTH | TS_RESTART, AT(CLS.flow_ttl),
	  .arg = "SECONDS", .help = "idle connection state is forgotten after this" },
	{ .name = "done-ttl", .type = TS_T_SECS, .min = 0.001, .max = 86400,
	  .def = "120", .flags = TS_BOTH | TS_RESTART, AT(CLS.done_ttl),
	  .arg = "SECONDS",
	  .help = "a classified attempt is remembered this long" },
	{ .name = "dedup-ms", .type = TS_T_UINT, .min = 0, .max = 60000,
	  .scale = 1e6, .def = "20", .flags = TS_BOTH | TS_RESTART,
	  AT(coll.engine.dedup_window), .arg = "MS",
	  .help = "a packet seen again on another interface counts once" },
	/* What not to count */
	{ .name = "ignore-ports", .type = TS_T_PORTS, .min = 0, .max = 65535,
	  .items = TS_IGNORE_MAX, .flags = TS_BOTH,
	  ATN(coll.engine.ignore.ports, coll.engine.ignore.nports),
	  .arg = "PORT", .help = "service ports whose failures are not counted" },
	{ .name = "ignore-addresses", .type = TS_T_NETS, .items = TS_IGNORE_MAX,
	  .flags = TS_BOTH, AT(coll.engine.ignore), .arg = "ADDR[/LEN]",
	  .help = "addresses or networks, either end, not counted" },
	/* The kernel event source (doc/kernel-events.md) */
	{ .name = "kernel-events", .type = TS_T_CHOICE, .choices = "auto|yes|no",
	  .def = "auto", .flags = TS_BOTH | TS_RESTART, AT(KEV.kev.enable),
	  .arg = "WHEN", .help = "load the eBPF programs: auto (if they load), "
	  "yes (or fail the start), no" },
	{ .name = "kernel-connect-errors", .type = TS_T_BOOL, .def = "no",
	  .flags = TS_BOTH | TS_RESTART, AT(KEV.kev.connect_errors),
	  .help = "follow connect() errors that change no socket (no route, "
	  "local policy): costs every syscall of the host" },
	{ .name = "kernel-ring", .type = TS_T_UINT, .min = KEV_RING_KIB_MIN,
	  .max = KEV_RING_KIB_MAX, .def = "256", .flags = TS_BOTH | TS_RESTART,
	  AT(KEV.kev.ring_kib), .check = check_pow2, .arg = "KIB",
	  .help = "the kernel events' ring buffer, a power of two" },
	{ .name = "kernel-syn-sockets", .type = TS_T_UINT,
	  .min = KEV_SYN_SOCKETS_MIN, .max = KEV_SYN_SOCKETS_MAX, .def = "16384",
	  .flags = TS_BOTH | TS_RESTART, AT(KEV.kev.syn_sockets), .arg = "N",
	  .help = "connecting sockets the kernel follows at once" },
	{ .name = "callers", .type = TS_T_UINT, .min = 1, .max = KEV_CALLERS_MAX,
	  .def = "8", .flags = TS_BOTH | TS_RESTART,
	  AT(KEV.callers.per_endpoint), .arg = "N",
	  .help = "callers kept per endpoint (the rest: other callers)" },
	{ .name = "callers-total", .type = TS_T_UINT, .min = 1,
	  .max = KEV_CALLERS_TOTAL_MAX, .def = "8192",
	  .flags = TS_BOTH | TS_RESTART, AT(KEV.callers.total), .arg = "N",
	  .help = "callers kept in all, at least callers" },
	/* tcpsleuthd's time constants */
	{ .name = "publish-interval", .type = TS_T_SECS, .min = 0.01,
	  .max = 3600, .def = "0.5", .flags = TS_DAEMON | TS_RESTART,
	  AT(coll.publish_interval), .arg = "SECONDS",
	  .help = "a new table for SNMP at most this often" },
	{ .name = "poll-interval", .type = TS_T_SECS, .min = 0.01, .max = 3600,
	  .def = "1", .flags = TS_DAEMON | TS_RESTART, AT(coll.poll_interval),
	  .arg = "SECONDS", .help = "read /proc counters and listeners this often" },
	{ .name = "reopen-interval", .type = TS_T_SECS, .min = 0.01,
	  .max = 3600, .def = "10", .flags = TS_DAEMON | TS_RESTART,
	  AT(coll.reopen_interval), .arg = "SECONDS",
	  .help = "retry a failed capture this often" },
	/* Network namespaces and listeners (doc/listeners.md) */
	{ .name = "namespaces", .type = TS_T_STR, .def = "all",
	  .flags = TS_DAEMON | TS_RESTART, AT(coll.namespaces),
	  .check = check_namespaces, .arg = "self|all|LIST",
	  .help = "network namespaces served: self, all, or names and inodes" },
	{ .name = "namespaces-max", .type = TS_T_UINT, .min = 1, .max = 4096,
	  .def = "256", .flags = TS_DAEMON | TS_RESTART,
	  AT(LSN.netns.max_rows), .arg = "N", .help = "namespace rows" },
	{ .name = "namespaces-per-poll", .type = TS_T_UINT, .min = 1,
	  .max = 4096, .def = "64", .flags = TS_DAEMON | TS_RESTART,
	  AT(LSN.netns.per_poll), .arg = "N",
	  .help = "other namespaces read per poll interval" },
	{ .name = "namespaces-ttl", .type = TS_T_SECS, .min = 0.001,
	  .max = YEAR, .def = "600", .flags = TS_DAEMON | TS_RESTART,
	  AT(LSN.netns.ttl), .arg = "SECONDS",
	  .help = "a namespace gone stays in the table this long" },
	{ .name = "listeners", .type = TS_T_UINT, .min = 1, .max = 1048576,
	  .def = "4096", .flags = TS_DAEMON | TS_RESTART,
	  AT(LSN.lsn.max_rows), .arg = "N", .help = "listening socket rows" },
	/* SNMP */
	{ .name = "agentx-socket", .type = TS_T_STR,
	  .flags = TS_DAEMON | TS_RESTART, AT(agent.agentx_socket),
	  .check = check_agentx, .arg = "SOCKET",
	  .help = "the master's AgentX socket, by default net-snmp's" },
	{ .name = "ping-interval", .type = TS_T_UINT, .min = 1, .max = 3600,
	  .def = "15", .flags = TS_DAEMON | TS_RESTART, AT(agent.ping_interval),
	  .arg = "SECONDS", .help = "AgentX ping to the master, and reconnect" },
	{ .name = "listen", .type = TS_T_STR, .flags = TS_DAEMON | TS_RESTART,
	  AT(agent.listen), .check = ts_transport_check, .arg = "ADDR",
	  .help = "be an SNMP agent of its own on ADDR" },
	{ .name = "community", .type = TS_T_STR, .flags = TS_DAEMON | TS_RESTART,
	  AT(agent.community), .arg = "NAME",
	  .help = "standalone: SNMPv2c read-only community" },
	{ .name = "v3-user", .section = "v3-user", .type = TS_T_STR,
	  .flags = TS_DAEMON | TS_RESTART, AT(agent.v3_user), .arg = "NAME",
	  .help = "standalone: SNMPv3 authPriv user, SHA and AES" },
	{ .name = "v3-auth", .section = "v3-user", .key = "auth",
	  .type = TS_T_STR, .flags = TS_DAEMON | TS_RESTART, AT(agent.v3_auth),
	  .check = check_phrase, .arg = "PASS",
	  .help = "its authentication pass phrase" },
	{ .name = "v3-priv", .section = "v3-user", .key = "priv",
	  .type = TS_T_STR, .flags = TS_DAEMON | TS_RESTART, AT(agent.v3_priv),
	  .check = check_phrase, .arg = "PASS",
	  .help = "its privacy pass phrase" },
	{ .name = "trap-sink", .type = TS_T_STRS,
	  .items = NFLD(struct ts_conf, agent.trap_sinks),
	  .flags = TS_DAEMON | TS_RESTART,
	  ATN(agent.trap_sinks, agent.ntrap_sinks),
	  .check = check_sink, .arg = "ADDR",
	  .help = "standalone: send notifications to ADDR, repeatable" },
	{ .name = "trap-community", .type = TS_T_STR,
	  .flags = TS_DAEMON | TS_RESTART, AT(agent.trap_community),
	  .arg = "NAME", .help = "their community, by default community's" },
	{ .name = "state-dir", .type = TS_T_STR, .def = "/var/lib/tcpsleuthd",
	  .flags = TS_DAEMON | TS_RESTART, AT(agent.state_dir),
	  .check = check_path, .arg = "DIR",
	  .help = "standalone: keep the engine ID and boots here" },
	/* tcpsleuthctl */
	{ .name = "control-socket", .type = TS_T_STR, .def = TS_CTL_SOCKET,
	  .flags = TS_DAEMON | TS_RESTART, AT(agent.control.path),
	  .check = check_socket, .arg = "PATH",
	  .help = "tcpsleuthctl's socket; \"\": none" },
	{ .name = "control-group", .type = TS_T_STR,
	  .flags = TS_DAEMON | TS_RESTART, AT(agent.control.group),
	  .check = check_group, .arg = "GROUP",
	  .help = "the socket's group, who may use tcpsleuthctl; by default "
	  "tcpsleuthd's" },
	/* The process */
	{ .name = "user", .type = TS_T_STR, .flags = TS_DAEMON | TS_RESTART,
	  AT(user), .check = check_user, .arg = "USER",
	  .help = "run both processes as USER (the capture keeping CAP_NET_RAW)" },
	{ .name = "pidfile", .type = TS_T_STR, .def = "/run/tcpsleuthd.pid",
	  .flags = TS_DAEMON | TS_RESTART, AT(pidfile), .check = check_path,
	  .arg = "FILE", .help = "the pid file when in the background" },
	{ .name = "procroot", .type = TS_T_STR, .def = "/proc",
	  .flags = TS_DAEMON | TS_RESTART, AT(coll.procroot),
	  .check = check_path, .arg = "DIR", .help = "where /proc is, for tests" },
	/* Alarms: a reload applies them */
	{ .name = "alarm-rate", .section = "alarm", .key = "rate",
	  .type = TS_T_RATE, .min = 0, .max = RATE_MAX, .def = "0",
	  .flags = TS_DAEMON, AT(ALM.endpoint.raise), .arg = "RATE",
	  .help = "an endpoint failing faster (per second) raises an alarm" },
	{ .name = "alarm-clear", .section = "alarm", .key = "clear",
	  .type = TS_T_RATE, .min = 0, .max = RATE_MAX, .flags = TS_DAEMON,
	  AT(ALM.endpoint.clear), .arg = "RATE",
	  .help = "... and clears below this, by default at half the rate" },
	{ .name = "alarm-hold", .section = "alarm", .key = "hold",
	  .type = TS_T_SECS, .min = 0, .max = 86400, .def = "60",
	  .flags = TS_DAEMON, AT(ALM.endpoint.hold), .arg = "SECONDS",
	  .help = "above the rate this long first" },
	{ .name = "alarm-window", .section = "alarm", .key = "minutes",
	  .type = TS_T_CHOICE, .choices = "1|5|15", .def = "1",
	  .flags = TS_DAEMON, AT(ALM.window), .arg = "MINUTES",
	  .help = "which rate the alarms watch" },
	{ .name = "alarm-storm", .section = "alarm", .key = "storm",
	  .type = TS_T_UINT, .min = 1, .max = 1000000, .def = "20",
	  .flags = TS_DAEMON, AT(ALM.storm), .arg = "N",
	  .help = "more endpoints crossing at once: one summary" },
	{ .name = "alarm-per-sec", .section = "alarm", .key = "per-sec",
	  .type = TS_T_UINT, .min = 1, .max = 100000, .def = "10",
	  .flags = TS_DAEMON, AT(ALM.per_sec), .arg = "N",
	  .help = "notifications per second at most" },
	{ .name = "alarm-drops", .section = "alarm", .key = "drops",
	  .type = TS_T_BOOL, .def = "no", .flags = TS_DAEMON, AT(ALM.drops),
	  .help = "notify when kernel drops rise" },
	{ .name = "alarm-coverage", .section = "alarm", .key = "coverage",
	  .type = TS_T_UINT, .min = 0, .max = 1000, .def = "0",
	  .flags = TS_DAEMON, AT(ALM.coverage_min), .arg = "PERMILLE",
	  .help = "notify when coverage falls below this, 0: off" },
	{ .name = "alarm-port", .section = "alarm-port", .type = TS_T_UINT,
	  .min = 0, .max = 65535, .flags = TS_DAEMON, AT_PORT(port),
	  .arg = "PORT:RATE[:CLEAR[:HOLD]]",
	  .help = "thresholds for one port, repeatable" },
	{ .name = "alarm-port-rate", .section = "alarm-port", .key = "rate",
	  .type = TS_T_RATE, .min = 0, .max = RATE_MAX, .def = "0",
	  .flags = TS_DAEMON | TS_PART, AT_PORT(t.raise), .arg = "RATE",
	  .help = "the port's raise rate" },
	{ .name = "alarm-port-clear", .section = "alarm-port", .key = "clear",
	  .type = TS_T_RATE, .min = 0, .max = RATE_MAX,
	  .flags = TS_DAEMON | TS_PART, AT_PORT(t.clear), .arg = "RATE",
	  .help = "the port's clear rate, by default half its rate" },
	{ .name = "alarm-port-hold", .section = "alarm-port", .key = "hold",
	  .type = TS_T_SECS, .min = 0, .max = 86400,
	  .flags = TS_DAEMON | TS_PART, AT_PORT(t.hold), .arg = "SECONDS",
	  .help = "the port's hold, by default the alarm's" },
	{ .name = "host-alarm-rate", .section = "host-alarm", .key = "rate",
	  .type = TS_T_RATE, .min = 0, .max = RATE_MAX, .def = "0",
	  .flags = TS_DAEMON, AT(ALM.host.raise), .arg = "RATE",
	  .help = "the host's AttemptFails rate that raises an alarm" },
	{ .name = "host-alarm-clear", .section = "host-alarm", .key = "clear",
	  .type = TS_T_RATE, .min = 0, .max = RATE_MAX, .flags = TS_DAEMON,
	  AT(ALM.host.clear), .arg = "RATE",
	  .help = "... and clears it, by default at half the rate" },
	{ .name = "host-alarm-hold", .section = "host-alarm", .key = "hold",
	  .type = TS_T_SECS, .min = 0, .max = 86400, .def = "60",
	  .flags = TS_DAEMON, AT(ALM.host.hold), .arg = "SECONDS",
	  .help = "above the rate this long first" },
	{ .name = "listener-alarm-rate", .section = "listener-alarm",
	  .key = "rate", .type = TS_T_RATE, .min = 0, .max = RATE_MAX,
	  .def = "0", .flags = TS_DAEMON, AT(ALM.listener.raise), .arg = "RATE",
	  .help = "a listener dropping faster (per second) raises an alarm" },
	{ .name = "listener-alarm-clear", .section = "listener-alarm",
	  .key = "clear", .type = TS_T_RATE, .min = 0, .max = RATE_MAX,
	  .flags = TS_DAEMON, AT(ALM.listener.clear), .arg = "RATE",
	  .help = "... and clears below this, by default at half the rate" },
	{ .name = "listener-alarm-hold", .section = "listener-alarm",
	  .key = "hold", .type = TS_T_SECS, .min = 0, .max = 86400, .def = "60",
	  .flags = TS_DAEMON, AT(ALM.listener.hold), .arg = "SECONDS",
	  .help = "above the rate this long first" },
};
const size_t ts_nsettings = sizeof(ts_settings) / sizeof(ts_settings[0]);

const struct ts_section ts_sections[] = {
	{ "alarm", 0 },
	{ "alarm-port", TS_SEC_TITLE | TS_SEC_MULTI },
	{ "host-alarm", 0 },
	{ "listener-alarm", 0 },
	{ "v3-user", TS_SEC_TITLE },
};
const size_t ts_nsections = sizeof(ts_sections) / sizeof(ts_sections[0]);

_Static_assert(sizeof(ts_settings) / sizeof(ts_settings[0]) <= TS_SETTINGS_MAX,
    "raise TS_SETTINGS_MAX");

/* ------------------------------------------------------------ checks */

static int
check_filter(const char *v, char *err, size_t errlen)
{
	/* Only what compiles for no link type at all: settings.c cannot know
	 * the interfaces; tcpsleuthd checks each of them before it starts. */
	static const int dlts[] = { DLT_LINUX_SLL2, DLT_EN10MB, DLT_RAW };

	for (size_t i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++)
		if (ts_capture_check_filter(v, dlts[i], err, errlen) == 0)
			return 0;
	return -1;
}

/* Lists of text take one value at a time: no commas. */
static int
check_ifname(const char *v, char *err, size_t errlen)
{
	if (strchr(v, ',') != NULL) {
		snprintf(err, errlen, "\"%s\": one interface at a time", v);
		return -1;
	}
	if (strlen(v) >= IF_NAMESIZE || strpbrk(v, "/ \t\n:") != NULL) {
		snprintf(err, errlen, "\"%s\" is not an interface name", v);
		return -1;
	}
	return 0;
}

static int
check_sink(const char *v, char *err, size_t errlen)
{
	if (strchr(v, ',') != NULL) {
		snprintf(err, errlen, "\"%s\": one address at a time", v);
		return -1;
	}
	return ts_transport_check(v, err, errlen);
}

static int
check_user(const char *v, char *err, size_t errlen)
{
	if (getpwnam(v) == NULL) {
		snprintf(err, errlen, "\"%s\": no such user", v);
		return -1;
	}
	return 0;
}

static int
check_agentx(const char *v, char *err, size_t errlen)
{
	return ts_agentx_check(v, err, errlen);
}

static int
check_phrase(const char *v, char *err, size_t errlen)
{
	if (strlen(v) < 8) {
		snprintf(err, errlen, "a pass phrase of 8 or more characters");
		return -1;
	}
	return 0;
}

static int
check_path(const char *v, char *err, size_t errlen)
{
	if (v[0] != '/') {
		snprintf(err, errlen, "\"%s\" is not an absolute path", v);
		return -1;
	}
	return 0;
}

/* kernel-ring: the ring buffer's size is a power of two. */
static int
check_pow2(const char *v, char *err, size_t errlen)
{
	unsigned long n = strtoul(v, NULL, 10);

	if (n == 0 || (n & (n - 1)) != 0) {
		snprintf(err, errlen, "%s is not a power of two", v);
		return -1;
	}
	return 0;
}

static int
check_namespaces(const char *v, char *err, size_t errlen)
{
	static const char pre[] = "namespaces: ";	/* the setting's name */
	struct ts_netns_conf nc;
	char why[256];

	ts_netns_conf_default(&nc);
	if (ts_netns_conf_parse(&nc, v, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "%s", strncmp(why, pre, sizeof(pre) - 1) == 0 ?
	    why + sizeof(pre) - 1 : why);
	return -1;
}

/* A Unix socket's path: absolute, and short enough for sun_path. */
static int
check_socket(const char *v, char *err, size_t errlen)
{
	size_t max = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;

	if (check_path(v, err, errlen) == -1)
		return -1;
	if (strlen(v) > max) {
		snprintf(err, errlen, "a socket path of %zu bytes at most", max);
		return -1;
	}
	return 0;
}

static int
check_group(const char *v, char *err, size_t errlen)
{
	if (getgrnam(v) == NULL) {
		snprintf(err, errlen, "\"%s\": no such group", v);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ the table */

const struct ts_setting *
ts_setting_find(const char *name)
{
	for (size_t i = 0; i < ts_nsettings; i++)
		if (strcmp(ts_settings[i].name, name) == 0)
			return &ts_settings[i];
	return NULL;
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

const struct ts_setting *
ts_setting_in(const char *section, const char *key)
{
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		if (!same_str(s->section, section))
			continue;
		if (section == NULL ? strcmp(s->name, key) == 0 :
		    same_str(s->key, key))
			return s;
	}
	return NULL;
}

const struct ts_section *
ts_section_find(const char *name)
{
	for (size_t i = 0; i < ts_nsections; i++)
		if (strcmp(ts_sections[i].name, name) == 0)
			return &ts_sections[i];
	return NULL;
}

size_t
ts_setting_index(const struct ts_setting *s)
{
	return (size_t)(s - ts_settings);
}

int
ts_setting_is_list(const struct ts_setting *s)
{
	return s->type == TS_T_STRS || s->type == TS_T_PORTS ||
	    s->type == TS_T_NETS || s->type == TS_T_WINDOWS;
}

/* The rows of a multi section after its title, in table order. */
size_t
ts_setting_parts(const char *section, const struct ts_setting **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ts_nsettings && n < max; i++)
		if (ts_settings[i].key != NULL &&
		    same_str(ts_settings[i].section, section))
			out[n++] = &ts_settings[i];
	return n;
}


static void
fmt_num(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%.15g", v);
}

void
ts_setting_range(const struct ts_setting *s, char *buf, size_t len)
{
	char a[32], b[32];

	fmt_num(a, sizeof(a), s->min);
	fmt_num(b, sizeof(b), s->max);
	switch (s->type) {
	case TS_T_UINT:
	case TS_T_SECS:
	case TS_T_RATE:
	case TS_T_WINDOWS:
		snprintf(buf, len, "%s to %s", a, b);
		break;
	case TS_T_PORTS:
		snprintf(buf, len, "%s to %s, at most %u", a, b, s->items);
		break;
	case TS_T_STRS:
	case TS_T_NETS:
		snprintf(buf, len, "at most %u", s->items);
		break;
	case TS_T_BOOL:
		snprintf(buf, len, "yes or no");
		break;
	case TS_T_CHOICE: {
		const char *c = s->choices, *bar;
		size_t n = 0;

		buf[0] = '\0';
		while ((bar = strchr(c, '|')) != NULL) {
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
			    "%s%.*s", n ? ", " : "", (int)(bar - c), c);
			c = bar + 1;
		}
		snprintf(buf + n, n < len ? len - n : 0, " or %s", c);
		break;
	}
	default:
		buf[0] = '\0';
	}
}
