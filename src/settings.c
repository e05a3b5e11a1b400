/*
 * settings.c - the table of settings, and the one parser of their values.
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

#include <net/if.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "settings.h"
#include "transport.h"

static int check_filter(const char *, char *, size_t);
static int check_ifname(const char *, char *, size_t);
static int check_user(const char *, char *, size_t);
static int check_agentx(const char *, char *, size_t);
static int check_sink(const char *, char *, size_t);
static int check_phrase(const char *, char *, size_t);
static int check_path(const char *, char *, size_t);

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
	/* The process */
	{ .name = "user", .type = TS_T_STR, .flags = TS_DAEMON | TS_RESTART,
	  AT(user), .check = check_user, .arg = "USER",
	  .help = "run as USER, keeping CAP_NET_RAW only" },
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
};
const size_t ts_nsettings = sizeof(ts_settings) / sizeof(ts_settings[0]);

const struct ts_section ts_sections[] = {
	{ "alarm", 0 },
	{ "alarm-port", TS_SEC_TITLE | TS_SEC_MULTI },
	{ "host-alarm", 0 },
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
static size_t
parts_of(const char *section, const struct ts_setting **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ts_nsettings && n < max; i++)
		if (ts_settings[i].key != NULL &&
		    same_str(ts_settings[i].section, section))
			out[n++] = &ts_settings[i];
	return n;
}

static int
part_bit(const struct ts_setting *s)
{
	const struct ts_setting *p[16];
	size_t n = parts_of(s->section, p, 16);

	for (size_t i = 0; i < n; i++)
		if (p[i] == s)
			return 1 << i;
	return 0;
}

static char *
field_in(struct ts_conf *c, const struct ts_setting *s, int entry)
{
	if (s->base == TS_AT_PORT)
		return entry >= 0 && entry < TS_ALARM_MAX_PORTS ?
		    (char *)&c->agent.alarm.ports[entry] + s->off : NULL;
	return (char *)c + s->off;
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

/* ------------------------------------------------------------ values */

static int
parse_num(const struct ts_setting *s, const char *v, double *out, char *err,
    size_t errlen)
{
	static const char *what[] = {
		[TS_T_UINT] = "number", [TS_T_PORTS] = "number",
		[TS_T_SECS] = "time", [TS_T_WINDOWS] = "time",
		[TS_T_RATE] = "rate",
	};
	const char *unit = s->type == TS_T_SECS || s->type == TS_T_WINDOWS ?
	    "seconds, " : s->type == TS_T_RATE ? "events per second, " : "";
	const char *digits = s->type == TS_T_UINT || s->type == TS_T_PORTS ?
	    "0123456789" : "0123456789.eE+-";
	char *end, a[32], b[32];
	double d = NAN;

	errno = 0;
	if (*v != '\0' && strspn(v, digits) == strlen(v)) {
		d = strtod(v, &end);
		if (*end != '\0')
			d = NAN;
	}
	if (errno != 0 || !isfinite(d) || d < s->min || d > s->max) {
		fmt_num(a, sizeof(a), s->min);
		fmt_num(b, sizeof(b), s->max);
		snprintf(err, errlen, "invalid %s \"%s\" (%s%s to %s)",
		    what[s->type], v, unit, a, b);
		return -1;
	}
	*out = d;
	return 0;
}

static void
store_uint(void *f, size_t size, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1: memcpy(f, &u8, 1); break;
	case 2: memcpy(f, &u16, 2); break;
	case 4: memcpy(f, &u32, 4); break;
	default: memcpy(f, &v, 8); break;
	}
}

static ts_ns
ns(double s)
{
	return (ts_ns)llround(s * (double)TS_NS_PER_SEC);
}

static int
parse_bool(const char *v, int *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0)
			return *out = 1, 0;
		if (strcmp(v, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

static int
parse_choice(const struct ts_setting *s, const char *v, int *out)
{
	const char *c = s->choices;
	size_t n = strlen(v);

	for (int i = 0; c != NULL; i++) {
		const char *bar = strchr(c, '|');
		size_t len = bar != NULL ? (size_t)(bar - c) : strlen(c);

		if (len == n && strncmp(c, v, n) == 0)
			return *out = i, 0;
		c = bar != NULL ? bar + 1 : NULL;
	}
	return -1;
}

/* Parse and store: the value of a scalar or one item of a list. */
static int
store(struct ts_conf *c, const struct ts_setting *s, int entry,
    const char *v, unsigned idx, char *err, size_t errlen)
{
	char *f = field_in(c, s, entry), r[64];
	double d;
	int i;

	if (f == NULL) {	/* a part given without its entry */
		snprintf(err, errlen, "no %s to set it in", s->section);
		return -1;
	}
	if (ts_setting_is_list(s) && idx >= (s->type == TS_T_WINDOWS ? TS_RATE_WINDOWS :
	    s->items)) {
		if (s->type == TS_T_WINDOWS)
			snprintf(err, errlen, "give three windows, as 60,300,900");
		else
			snprintf(err, errlen, "at most %u", s->items);
		return -1;
	}
	if (s->check != NULL && *v != '\0' && s->check(v, err, errlen) == -1)
		return -1;
	switch (s->type) {
	case TS_T_BOOL:
		if (parse_bool(v, &i) == -1) {
			snprintf(err, errlen, "\"%s\": give yes or no", v);
			return -1;
		}
		memcpy(f, &i, sizeof(i));
		break;
	case TS_T_CHOICE:
		if (parse_choice(s, v, &i) == -1) {
			ts_setting_range(s, r, sizeof(r));
			snprintf(err, errlen, "\"%s\": give %s", v, r);
			return -1;
		}
		memcpy(f, &i, sizeof(i));
		break;
	case TS_T_UINT:
		if (parse_num(s, v, &d, err, errlen) == -1)
			return -1;
		store_uint(f, s->size, (uint64_t)llround(d *
		    (s->scale > 0 ? s->scale : 1)));
		break;
	case TS_T_SECS: {
		ts_ns t;

		if (parse_num(s, v, &d, err, errlen) == -1)
			return -1;
		t = ns(d);
		memcpy(f, &t, sizeof(t));
		break;
	}
	case TS_T_RATE: {
		uint32_t m;

		if (parse_num(s, v, &d, err, errlen) == -1)
			return -1;
		m = (uint32_t)llround(d * 1000);
		memcpy(f, &m, sizeof(m));
		break;
	}
	case TS_T_STR: {
		const char *p = *v != '\0' ? v : NULL;

		memcpy(f, &p, sizeof(p));
		break;
	}
	case TS_T_STRS: {
		int n = (int)idx + 1;

		if (*v == '\0') {
			snprintf(err, errlen, "an empty name");
			return -1;
		}
		memcpy(f + idx * sizeof(v), &v, sizeof(v));
		memcpy((char *)c + s->off2, &n, sizeof(n));
		break;
	}
	case TS_T_PORTS: {
		uint16_t p;
		int n = (int)idx + 1;

		if (parse_num(s, v, &d, err, errlen) == -1)
			return -1;
		p = (uint16_t)d;
		memcpy(f + idx * sizeof(p), &p, sizeof(p));
		memcpy((char *)c + s->off2, &n, sizeof(n));
		break;
	}
	case TS_T_NETS: {
		struct ts_ignore *ig = (struct ts_ignore *)(void *)f;

		if (idx == 0)
			ig->nnets = 0;
		if (ts_ignore_add_net(ig, v) == -1) {
			snprintf(err, errlen, "\"%s\" is not an address or "
			    "address/prefix", v);
			return -1;
		}
		break;
	}
	case TS_T_WINDOWS: {
		struct ts_rate_conf *rc = (struct ts_rate_conf *)(void *)f;

		if (parse_num(s, v, &d, err, errlen) == -1)
			return -1;
		rc->window[idx] = ns(d);
		rc->window[idx] -= rc->window[idx] % TS_RATE_BUCKETS;
		break;
	}
	}
	return 0;
}

int
ts_settings_set(struct ts_settings *st, const struct ts_setting *s, int entry,
    const char *v, unsigned idx, int level, char *err, size_t errlen)
{
	size_t i = ts_setting_index(s);

	if (store(&st->c, s, entry, v, idx, err, errlen) == -1)
		return -1;
	if (s->base == TS_AT_PORT) {
		if (level > TS_LV_DEFAULT && entry >= 0 &&
		    entry < TS_ALARM_MAX_PORTS)
			st->port_given[entry] |= (uint8_t)part_bit(s);
	} else {
		st->level[i] = (uint8_t)level;
		st->nitems[i] = (uint8_t)(idx + 1);
	}
	return 0;
}

int
ts_settings_entry(struct ts_settings *st, const struct ts_setting *title,
    const char *v, int level, char *err, size_t errlen)
{
	struct ts_alarm_conf *al = &st->c.agent.alarm;
	const struct ts_setting *p[16];
	size_t np = parts_of(title->section, p, 16);
	double d;
	int j;

	if (parse_num(title, v, &d, err, errlen) == -1)
		return -1;
	for (j = 0; j < al->nports; j++)
		if (al->ports[j].port == (uint16_t)d)
			break;
	if (j < al->nports && st->port_level[j] == level) {
		snprintf(err, errlen, "port %u given twice", (unsigned)d);
		return -1;
	}
	if (j == al->nports) {
		if (al->nports == TS_ALARM_MAX_PORTS) {
			snprintf(err, errlen, "at most %d ports",
			    TS_ALARM_MAX_PORTS);
			return -1;
		}
		al->nports++;
	}
	memset(&al->ports[j], 0, sizeof(al->ports[j]));
	al->ports[j].port = (uint16_t)d;
	st->port_level[j] = (uint8_t)level;
	st->port_given[j] = 0;
	for (size_t k = 0; k < np; k++)
		if (p[k]->def != NULL &&
		    ts_settings_set(st, p[k], j, p[k]->def, 0, TS_LV_DEFAULT, err,
		    errlen) == -1)
			return -1;
	return j;
}

/* TITLE:PART:PART... (empty parts keep their defaults). */
static int
compound(struct ts_settings *st, const struct ts_setting *title,
    const char *v, int level, char *err, size_t errlen)
{
	const struct ts_setting *p[16];
	size_t np = parts_of(title->section, p, 16), k;
	char buf[256], *rest = buf, *f, why[200];
	int j;

	if (strlen(v) >= sizeof(buf)) {
		snprintf(err, errlen, "give %s", title->arg);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	f = strsep(&rest, ":");
	if ((j = ts_settings_entry(st, title, f, level, err, errlen)) == -1)
		return -1;
	for (k = 0; (f = strsep(&rest, ":")) != NULL; k++) {
		if (k == np) {
			snprintf(err, errlen, "give %s", title->arg);
			return -1;
		}
		if (*f != '\0' && ts_settings_set(st, p[k], j, f, 0, level, why,
		    sizeof(why)) == -1) {
			snprintf(err, errlen, "%s: %s", p[k]->key, why);
			return -1;
		}
	}
	return 0;
}

int
ts_settings_arg(struct ts_settings *st, const struct ts_setting *s,
    const char *v, int level, char *err, size_t errlen)
{
	const struct ts_section *sec = s->section != NULL ?
	    ts_section_find(s->section) : NULL;
	size_t i = ts_setting_index(s);
	char buf[1024], *rest = buf, *tok;
	unsigned idx;

	if (v == NULL)		/* --promisc: a flag without a value */
		v = s->type == TS_T_BOOL ? "yes" : "";
	if (sec != NULL && (sec->flags & TS_SEC_MULTI) && s->key == NULL)
		return compound(st, s, v, level, err, errlen);
	if (!ts_setting_is_list(s))
		return ts_settings_set(st, s, -1, v, 0, level, err, errlen);
	/* Lists: the first value at this level starts over. */
	idx = st->level[i] == level && s->type != TS_T_WINDOWS ?
	    st->nitems[i] : 0;
	if (s->type == TS_T_STRS)	/* the value is kept: no splitting */
		return ts_settings_set(st, s, -1, v, idx, level, err, errlen);
	if (strlen(v) >= sizeof(buf)) {
		snprintf(err, errlen, "too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	while ((tok = strsep(&rest, ",")) != NULL)
		if (ts_settings_set(st, s, -1, tok, idx++, level, err,
		    errlen) == -1)
			return -1;
	return 0;
}

void
ts_settings_defaults(struct ts_settings *st)
{
	char err[256];

	memset(st->nitems, 0, sizeof(st->nitems));
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		if (s->def != NULL && s->base == TS_AT_CONF &&
		    ts_settings_arg(st, s, s->def, TS_LV_DEFAULT, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "the default of %s: %s\n", s->name, err);
			abort();	/* the table is wrong: test_settings */
		}
	}
	memset(st->level, TS_LV_DEFAULT, sizeof(st->level));
}

void
ts_settings_init(struct ts_settings *st)
{
	memset(st, 0, sizeof(*st));
	ts_collector_conf_default(&st->c.coll);
	ts_alarm_conf_default(&st->c.agent.alarm);
	ts_settings_defaults(st);
}

/* A raise rate given later than its clear rate clears at half of it. */
static int
threshold(struct ts_settings *st, const char *rate, const char *clear,
    struct ts_threshold *t, const struct ts_setting **bad, char *err,
    size_t errlen)
{
	const struct ts_setting *r = ts_setting_find(rate);
	const struct ts_setting *c = ts_setting_find(clear);

	if (st->level[ts_setting_index(c)] < st->level[ts_setting_index(r)])
		t->clear = t->raise / 2;
	if (t->clear > t->raise) {
		snprintf(err, errlen, "the clear rate (%u.%03u) must not "
		    "exceed the raise rate (%u.%03u)", t->clear / 1000,
		    t->clear % 1000, t->raise / 1000, t->raise % 1000);
		*bad = c;
		return -1;
	}
	return 0;
}

int
ts_settings_finish(struct ts_settings *st, const struct ts_setting **bad,
    int *bad_entry, char *err, size_t errlen)
{
	struct ts_alarm_conf *al = &st->c.agent.alarm;
	const struct ts_setting *w = ts_setting_find("windows");
	const struct ts_setting *pc = ts_setting_find("alarm-port-clear");
	const struct ts_setting *ph = ts_setting_find("alarm-port-hold");

	*bad = NULL;
	*bad_entry = -1;
	if (st->nitems[ts_setting_index(w)] != TS_RATE_WINDOWS) {
		snprintf(err, errlen, "give three windows, as 60,300,900");
		*bad = w;
		return -1;
	}
	if (threshold(st, "alarm-rate", "alarm-clear", &al->endpoint, bad, err,
	    errlen) == -1 || threshold(st, "host-alarm-rate", "host-alarm-clear",
	    &al->host, bad, err, errlen) == -1)
		return -1;
	for (int j = 0; j < al->nports; j++) {
		struct ts_threshold *t = &al->ports[j].t;

		if (!(st->port_given[j] & part_bit(pc)))
			t->clear = t->raise / 2;
		if (!(st->port_given[j] & part_bit(ph)))
			t->hold = al->endpoint.hold;
		if (t->clear > t->raise) {
			snprintf(err, errlen, "port %u: the clear rate must not "
			    "exceed the raise rate", al->ports[j].port);
			*bad = pc;
			*bad_entry = j;
			return -1;
		}
	}
	al->burst = al->per_sec * 5;
	st->c.agent.procroot = st->c.coll.procroot;
	return 0;
}

int
ts_setting_same(const struct ts_setting *s, const struct ts_conf *a,
    const struct ts_conf *b)
{
	const char *fa, *fb;
	int na, nb;

	if (s->base == TS_AT_PORT) {
		const struct ts_alarm_conf *x = &a->agent.alarm, *y = &b->agent.alarm;

		if (x->nports != y->nports)
			return 0;
		for (int i = 0; i < x->nports; i++)
			if (x->ports[i].port != y->ports[i].port ||
			    x->ports[i].t.raise != y->ports[i].t.raise ||
			    x->ports[i].t.clear != y->ports[i].t.clear ||
			    x->ports[i].t.hold != y->ports[i].t.hold)
				return 0;
		return 1;
	}
	fa = (const char *)a + s->off;
	fb = (const char *)b + s->off;
	switch (s->type) {
	case TS_T_STR: {
		const char *x, *y;

		memcpy(&x, fa, sizeof(x));
		memcpy(&y, fb, sizeof(y));
		return same_str(x, y);
	}
	case TS_T_STRS:
		memcpy(&na, (const char *)a + s->off2, sizeof(na));
		memcpy(&nb, (const char *)b + s->off2, sizeof(nb));
		if (na != nb)
			return 0;
		for (int i = 0; i < na; i++) {
			const char *x, *y;

			memcpy(&x, fa + (size_t)i * sizeof(x), sizeof(x));
			memcpy(&y, fb + (size_t)i * sizeof(y), sizeof(y));
			if (!same_str(x, y))
				return 0;
		}
		return 1;
	default:
		return memcmp(fa, fb, s->size) == 0 && (s->off2 == 0 ||
		    memcmp((const char *)a + s->off2, (const char *)b + s->off2,
		    sizeof(int)) == 0);
	}
}

/* ------------------------------------------------------------ command lines */

struct option *
ts_settings_longopts(unsigned prog, const struct option *own)
{
	struct option *o;
	size_t n = 0, k;

	while (own[n].name != NULL)
		n++;
	if ((o = calloc(n + ts_nsettings + 1, sizeof(*o))) == NULL)
		return NULL;
	memcpy(o, own, n * sizeof(*o));
	k = n;
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		if (!(s->flags & prog) || (s->flags & TS_PART))
			continue;
		o[k].name = s->name;
		o[k].has_arg = s->type == TS_T_BOOL ? optional_argument :
		    required_argument;
		o[k].val = TS_OPT_SETTING + (int)i;
		k++;
	}
	return o;
}

const struct ts_setting *
ts_settings_opt(int ch, const struct ts_shortopt *shorts)
{
	if (ch >= TS_OPT_SETTING && ch < TS_OPT_SETTING + (int)ts_nsettings)
		return &ts_settings[ch - TS_OPT_SETTING];
	for (; shorts != NULL && shorts->ch != 0; shorts++)
		if (shorts->ch == ch)
			return ts_setting_find(shorts->name);
	return NULL;
}

/* left, then text from column 30, folded at 79 columns. */
static void
wrap(FILE *fp, const char *left, const char *text)
{
	size_t col = strlen(left);

	fputs(left, fp);
	while (*text != '\0') {
		size_t n = strlen(text);

		if (col >= 30) {
			fputc('\n', fp);
			col = 0;
		}
		fprintf(fp, "%*s", (int)(30 - col), "");
		if (n > 49) {	/* the last space that fits */
			n = 49;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0)
				n = strcspn(text, " ");
		}
		fprintf(fp, "%.*s", (int)n, text);
		text += n;
		while (*text == ' ')
			text++;
		col = 80;
	}
	fputc('\n', fp);
}

void
ts_settings_usage(FILE *fp, unsigned prog, const struct ts_shortopt *shorts)
{
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];
		char left[64], sh[8] = "    ", r[64], extra[128] = "", text[256];
		const struct ts_shortopt *so;

		if (!(s->flags & prog) || (s->flags & TS_PART))
			continue;
		for (so = shorts; so != NULL && so->ch != 0; so++)
			if (strcmp(so->name, s->name) == 0)
				snprintf(sh, sizeof(sh), "-%c, ", so->ch);
		snprintf(left, sizeof(left), "  %s--%s%s%s", sh, s->name,
		    s->arg != NULL ? " " : "", s->arg != NULL ? s->arg : "");
		ts_setting_range(s, r, sizeof(r));
		if (s->type == TS_T_BOOL)
			r[0] = '\0';
		if (r[0] != '\0' || s->def != NULL)
			snprintf(extra, sizeof(extra), " (%s%s%s%s)", r,
			    r[0] != '\0' && s->def != NULL ? "; " : "",
			    s->def != NULL ? "default " : "",
			    s->def != NULL ? s->def : "");
		snprintf(text, sizeof(text), "%s%s", s->help, extra);
		wrap(fp, left, text);
	}
}
