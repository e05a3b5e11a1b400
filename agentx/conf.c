/*
 * conf.c - tcpsleuthd.conf.
 */
#include "config.h"

#include <confuse.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

/*
 * The first error libConfuse reports.  Sections do not carry the file and
 * line: the root being parsed does.
 */
static char *err_buf;
static size_t err_len;
static cfg_t *err_root;
static const char *err_name;

static void
conf_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[512];
	cfg_t *at = err_root != NULL ? err_root : cfg;

	if (err_buf == NULL || err_buf[0] != '\0')
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (at != NULL && at->line > 0)
		snprintf(err_buf, err_len, "%s:%d: %s", err_name, at->line, msg);
	else
		snprintf(err_buf, err_len, "%s: %s", err_name, msg);
}

/*
 * Before libConfuse sees the text: blank out comments (libConfuse 3.3
 * miscounts lines after them) and check braces (it accepts a section the
 * file never closes).  Newlines stay, so line numbers hold.
 */
static int
prepare(char *t, const char *name, char *err, size_t errlen)
{
	int line = 1, depth = 0, open_line[64] = { 0 };
	char q = 0;

	for (char *p = t; *p != '\0'; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		if (q) {
			if (*p == '\\' && p[1] != '\0' && p[1] != '\n')
				p++;
			else if (*p == q)
				q = 0;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '#' || (*p == '/' && p[1] == '/')) {
			while (*p != '\0' && *p != '\n')
				*p++ = ' ';
			p--;
		} else if (*p == '{') {
			if (depth < 64)
				open_line[depth] = line;
			depth++;
		} else if (*p == '}' && --depth < 0) {
			snprintf(err, errlen, "%s:%d: '}' without '{'", name, line);
			return -1;
		}
	}
	if (depth > 0) {
		snprintf(err, errlen, "%s:%d: '{' never closed", name,
		    open_line[depth <= 64 ? depth - 1 : 63]);
		return -1;
	}
	return 0;
}

/* The line where an option is set (for checks made after parsing). */
static int
line_of(const char *t, const char *name)
{
	size_t len = strlen(name);
	int line = 1;

	for (const char *p = t; *p != '\0'; p++) {
		const char *q = p;

		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, name, len) == 0 && !(q[len] == '-' ||
		    (q[len] >= 'a' && q[len] <= 'z')))
			return line;
		while (*p != '\0' && *p != '\n')
			p++;
		if (*p == '\0')
			break;
		line++;
	}
	return 0;
}

/* The whole file, at most 1 MiB. */
static char *
slurp(const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	size_t n;

	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc((1 << 20) + 1)) == NULL) {
		fclose(fp);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	n = fread(buf, 1, 1 << 20, fp);
	if (ferror(fp) || !feof(fp)) {
		snprintf(err, errlen, "%s: %s", path, ferror(fp) ?
		    strerror(errno) : "larger than 1 MiB");
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL) {
		snprintf(err, errlen, "%s: not a text file", path);
		free(buf);
		return NULL;
	}
	return buf;
}

static int
v_nonneg(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		double v = opt->type == CFGT_FLOAT ? cfg_opt_getnfloat(opt, i) :
		    (double)cfg_opt_getnint(opt, i);

		if (v < 0 || !isfinite(v)) {
			cfg_error(cfg, "%s must not be negative", opt->name);
			return -1;
		}
	}
	return 0;
}

static int
v_positive(cfg_t *cfg, cfg_opt_t *opt)
{
	double v = opt->type == CFGT_FLOAT ? cfg_opt_getnfloat(opt, 0) :
	    (double)cfg_opt_getnint(opt, 0);

	if (!(v > 0) || v > 1e9) {
		cfg_error(cfg, "%s must be positive", opt->name);
		return -1;
	}
	return 0;
}

static int
v_port_list(cfg_t *cfg, cfg_opt_t *opt)
{
	if (cfg_opt_size(opt) > TS_IGNORE_MAX) {
		cfg_error(cfg, "%s: at most %d", opt->name, TS_IGNORE_MAX);
		return -1;
	}
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		long p = cfg_opt_getnint(opt, i);

		if (p < 0 || p > 65535) {
			cfg_error(cfg, "%s: %ld is not a port", opt->name, p);
			return -1;
		}
	}
	return 0;
}

static int
v_nets(cfg_t *cfg, cfg_opt_t *opt)
{
	struct ts_ignore ig;

	memset(&ig, 0, sizeof(ig));
	for (unsigned i = 0; i < cfg_opt_size(opt); i++)
		if (ts_ignore_add_net(&ig, cfg_opt_getnstr(opt, i)) == -1) {
			cfg_error(cfg, "%s: \"%s\" is not an address or "
			    "address/prefix (at most %d)", opt->name,
			    cfg_opt_getnstr(opt, i), TS_IGNORE_MAX);
			return -1;
		}
	return 0;
}

/* libConfuse validates a list as it grows: the count is checked after. */
static int
v_windows(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++)
		if (cfg_opt_getnfloat(opt, i) < 0.06 ||
		    cfg_opt_getnfloat(opt, i) > 1e6) {
			cfg_error(cfg, "windows: %g is not a window in seconds",
			    cfg_opt_getnfloat(opt, i));
			return -1;
		}
	return 0;
}

static int
v_ifaces(cfg_t *cfg, cfg_opt_t *opt)
{
	if (cfg_opt_size(opt) > TS_COLLECTOR_MAX_IFACES) {
		cfg_error(cfg, "interfaces: at most %d", TS_COLLECTOR_MAX_IFACES);
		return -1;
	}
	return 0;
}

static int
v_rows(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, 0);

	if (v < 1 || v > (1L << 24)) {
		cfg_error(cfg, "%s: %ld is out of range (1 to %ld)", opt->name, v,
		    1L << 24);
		return -1;
	}
	return 0;
}

static int
v_window(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, 0);

	if (v != 1 && v != 5 && v != 15) {
		cfg_error(cfg, "minutes: 1, 5 or 15 (the rate alarms watch)");
		return -1;
	}
	return 0;
}

/* A threshold section: rate, clear (default half), hold. */
#define THRESHOLD_OPTS(hold)						\
	CFG_FLOAT("rate", 0, CFGF_NONE),				\
	CFG_FLOAT("clear", -1, CFGF_NONE),				\
	CFG_FLOAT("hold", hold, CFGF_NONE)

static int
v_threshold(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	double rate = cfg_getfloat(sec, "rate"), clear = cfg_getfloat(sec, "clear");
	double hold = cfg_getfloat(sec, "hold");

	if (rate < 0 || hold < 0 || rate > 4e6 || hold > 1e9) {
		cfg_error(cfg, "%s: rate and hold must not be negative",
		    opt->name);
		return -1;
	}
	if (clear >= 0 && clear > rate) {
		cfg_error(cfg, "%s: clear (%g) must not exceed rate (%g)",
		    opt->name, clear, rate);
		return -1;
	}
	if (opt->flags & CFGF_TITLE) {
		char *end;
		long p = strtol(cfg_title(sec), &end, 10);

		if (*cfg_title(sec) == '\0' || *end != '\0' || p < 0 ||
		    p > 65535) {
			cfg_error(cfg, "%s: \"%s\" is not a port", opt->name,
			    cfg_title(sec));
			return -1;
		}
	}
	return 0;
}

static int
v_v3user(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	const char *a = cfg_getstr(sec, "auth"), *p = cfg_getstr(sec, "priv");

	if (a == NULL || p == NULL || strlen(a) < 8 || strlen(p) < 8) {
		cfg_error(cfg, "v3-user: auth and priv pass phrases of 8 or "
		    "more characters");
		return -1;
	}
	return 0;
}

static cfg_t *
conf_init(void)
{
	static cfg_opt_t threshold[] = { THRESHOLD_OPTS(60), CFG_END() };
	static cfg_opt_t alarm[] = {
		THRESHOLD_OPTS(60),
		CFG_INT("minutes", 1, CFGF_NONE),
		CFG_INT("storm", 20, CFGF_NONE),
		CFG_INT("per-sec", 10, CFGF_NONE),
		CFG_BOOL("drops", cfg_false, CFGF_NONE),
		CFG_INT("coverage", 0, CFGF_NONE),
		CFG_END()
	};
	static cfg_opt_t v3user[] = {
		CFG_STR("auth", NULL, CFGF_NONE),
		CFG_STR("priv", NULL, CFGF_NONE),
		CFG_END()
	};
	static cfg_opt_t opts[] = {
		CFG_STR_LIST("interfaces", "{any}", CFGF_NONE),
		CFG_STR("filter", NULL, CFGF_NONE),
		CFG_INT("rows", 1024, CFGF_NONE),
		CFG_INT("flows", 65536, CFGF_NONE),
		CFG_FLOAT("ttl", 3600, CFGF_NONE),
		CFG_FLOAT("syn-timeout", 30, CFGF_NONE),
		CFG_INT("dedup-ms", 20, CFGF_NONE),
		CFG_FLOAT_LIST("windows", "{60, 300, 900}", CFGF_NONE),
		CFG_FLOAT("publish-interval", 0.5, CFGF_NONE),
		CFG_FLOAT("poll-interval", 1, CFGF_NONE),
		CFG_FLOAT("reopen-interval", 10, CFGF_NONE),
		CFG_STR("agentx-socket", NULL, CFGF_NONE),
		CFG_INT("ping-interval", 15, CFGF_NONE),
		CFG_STR("listen", NULL, CFGF_NONE),
		CFG_STR("community", NULL, CFGF_NONE),
		CFG_SEC("v3-user", v3user, CFGF_TITLE),
		CFG_STR_LIST("trap-sink", NULL, CFGF_NONE),
		CFG_STR("trap-community", NULL, CFGF_NONE),
		CFG_STR("user", NULL, CFGF_NONE),
		CFG_STR("pidfile", "/run/tcpsleuthd.pid", CFGF_NONE),
		CFG_INT_LIST("ignore-ports", NULL, CFGF_NONE),
		CFG_STR_LIST("ignore-addresses", NULL, CFGF_NONE),
		CFG_SEC("alarm", alarm, CFGF_NONE),
		CFG_SEC("alarm-port", threshold, CFGF_MULTI | CFGF_TITLE |
		    CFGF_NO_TITLE_DUPES),
		CFG_SEC("host-alarm", threshold, CFGF_NONE),
		CFG_END()
	};
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);

	if (cfg == NULL)
		return NULL;
	cfg_set_error_function(cfg, conf_error);
	cfg_set_validate_func(cfg, "interfaces", v_ifaces);
	cfg_set_validate_func(cfg, "rows", v_rows);
	cfg_set_validate_func(cfg, "flows", v_rows);
	cfg_set_validate_func(cfg, "ttl", v_positive);
	cfg_set_validate_func(cfg, "syn-timeout", v_positive);
	cfg_set_validate_func(cfg, "dedup-ms", v_nonneg);
	cfg_set_validate_func(cfg, "windows", v_windows);
	cfg_set_validate_func(cfg, "publish-interval", v_positive);
	cfg_set_validate_func(cfg, "poll-interval", v_positive);
	cfg_set_validate_func(cfg, "reopen-interval", v_positive);
	cfg_set_validate_func(cfg, "ping-interval", v_positive);
	cfg_set_validate_func(cfg, "ignore-ports", v_port_list);
	cfg_set_validate_func(cfg, "ignore-addresses", v_nets);
	cfg_set_validate_func(cfg, "alarm", v_threshold);
	cfg_set_validate_func(cfg, "alarm-port", v_threshold);
	cfg_set_validate_func(cfg, "host-alarm", v_threshold);
	cfg_set_validate_func(cfg, "v3-user", v_v3user);
	cfg_set_validate_func(cfg, "alarm|minutes", v_window);
	cfg_set_validate_func(cfg, "alarm|storm", v_positive);
	cfg_set_validate_func(cfg, "alarm|per-sec", v_positive);
	cfg_set_validate_func(cfg, "alarm|coverage", v_nonneg);
	return cfg;
}

void
ts_dconf_default(struct ts_dconf *dc)
{
	memset(dc, 0, sizeof(*dc));
	ts_collector_conf_default(&dc->coll);
	ts_agent_conf_default(&dc->agent);
}

static ts_ns
ns(double s)
{
	return (ts_ns)llround(s * (double)TS_NS_PER_SEC);
}

static uint32_t
milli(double r)
{
	return (uint32_t)llround(r * 1000);
}

static void
threshold(struct ts_threshold *t, cfg_t *sec)
{
	double clear = cfg_getfloat(sec, "clear");

	t->raise = milli(cfg_getfloat(sec, "rate"));
	t->clear = clear < 0 ? t->raise / 2 : milli(clear);
	t->hold = ns(cfg_getfloat(sec, "hold"));
}

static char *
str(cfg_t *cfg, const char *name)
{
	return cfg_getstr(cfg, name);
}

/* Settings from a parsed file over the defaults. */
static void
apply(struct ts_dconf *dc, cfg_t *cfg)
{
	struct ts_collector_conf *cc = &dc->coll;
	struct ts_agent_conf *ac = &dc->agent;
	struct ts_alarm_conf *al = &ac->alarm;
	cfg_t *a;

	cc->nifaces = (int)cfg_size(cfg, "interfaces");
	for (int i = 0; i < cc->nifaces; i++)
		cc->ifaces[i] = cfg_getnstr(cfg, "interfaces", (unsigned)i);
	cc->capture.filter = str(cfg, "filter");
	cc->engine.eptab.max_rows = (uint32_t)cfg_getint(cfg, "rows");
	cc->engine.classify.max_flows = (uint32_t)cfg_getint(cfg, "flows");
	cc->engine.eptab.ttl = ns(cfg_getfloat(cfg, "ttl"));
	cc->engine.classify.syn_timeout = ns(cfg_getfloat(cfg, "syn-timeout"));
	cc->engine.dedup_window = cfg_getint(cfg, "dedup-ms") * 1000000LL;
	for (unsigned w = 0; w < TS_RATE_WINDOWS; w++) {
		ts_ns v = ns(cfg_getnfloat(cfg, "windows", w));

		cc->engine.eptab.rates.window[w] = v - v % TS_RATE_BUCKETS;
	}
	cc->publish_interval = ns(cfg_getfloat(cfg, "publish-interval"));
	cc->poll_interval = ns(cfg_getfloat(cfg, "poll-interval"));
	cc->reopen_interval = ns(cfg_getfloat(cfg, "reopen-interval"));
	memset(&cc->engine.ignore, 0, sizeof(cc->engine.ignore));
	cc->engine.ignore.nports = (int)cfg_size(cfg, "ignore-ports");
	for (int i = 0; i < cc->engine.ignore.nports; i++)
		cc->engine.ignore.ports[i] = (uint16_t)cfg_getnint(cfg,
		    "ignore-ports", (unsigned)i);
	for (unsigned i = 0; i < cfg_size(cfg, "ignore-addresses"); i++)
		ts_ignore_add_net(&cc->engine.ignore,
		    cfg_getnstr(cfg, "ignore-addresses", i));

	ac->agentx_socket = str(cfg, "agentx-socket");
	ac->ping_interval = (int)cfg_getint(cfg, "ping-interval");
	ac->listen = str(cfg, "listen");
	ac->community = str(cfg, "community");
	if ((a = cfg_getsec(cfg, "v3-user")) != NULL && cfg_size(cfg, "v3-user")) {
		ac->v3_user = (char *)cfg_title(a);
		ac->v3_auth = cfg_getstr(a, "auth");
		ac->v3_priv = cfg_getstr(a, "priv");
	}
	ac->ntrap_sinks = (int)cfg_size(cfg, "trap-sink");
	if (ac->ntrap_sinks > 8)
		ac->ntrap_sinks = 8;
	for (int i = 0; i < ac->ntrap_sinks; i++)
		ac->trap_sinks[i] = cfg_getnstr(cfg, "trap-sink", (unsigned)i);
	ac->trap_community = str(cfg, "trap-community");
	dc->user = str(cfg, "user");
	dc->pidfile = str(cfg, "pidfile");

	a = cfg_getsec(cfg, "alarm");
	threshold(&al->endpoint, a);
	switch (cfg_getint(a, "minutes")) {
	case 5: al->window = 1; break;
	case 15: al->window = 2; break;
	default: al->window = 0;
	}
	al->storm = (uint32_t)cfg_getint(a, "storm");
	al->per_sec = (uint32_t)cfg_getint(a, "per-sec");
	al->burst = al->per_sec * 5;
	al->drops = cfg_getbool(a, "drops");
	al->coverage_min = (uint32_t)cfg_getint(a, "coverage");
	al->nports = 0;
	for (unsigned i = 0; i < cfg_size(cfg, "alarm-port") &&
	    i < TS_ALARM_MAX_PORTS; i++) {
		cfg_t *p = cfg_getnsec(cfg, "alarm-port", i);

		al->ports[i].port = (uint16_t)atoi(cfg_title(p));
		threshold(&al->ports[i].t, p);
		al->nports++;
	}
	threshold(&al->host, cfg_getsec(cfg, "host-alarm"));
}

int
ts_dconf_load(struct ts_dconf *dc, const char *path, const char *text,
    char *err, size_t errlen)
{
	cfg_t *cfg;
	char *buf;
	int r;

	err[0] = '\0';
	buf = text != NULL ? strdup(text) : slurp(path, err, errlen);
	if (buf == NULL) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (prepare(buf, path, err, errlen) == -1) {
		free(buf);
		return -1;
	}
	if ((cfg = conf_init()) == NULL) {
		snprintf(err, errlen, "cannot allocate the configuration");
		free(buf);
		return -1;
	}
	err_name = path;
	err_buf = err;
	err_len = errlen;
	err_root = cfg;
	r = cfg_parse_buf(cfg, buf);
	err_buf = NULL;
	err_root = NULL;
	if (r == CFG_SUCCESS && cfg_size(cfg, "windows") != TS_RATE_WINDOWS) {
		snprintf(err, errlen, "%s:%d: windows: give three, as "
		    "{60, 300, 900}", path, line_of(buf, "windows"));
		r = CFG_PARSE_ERROR;
	}
	free(buf);
	if (r != CFG_SUCCESS) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: cannot parse", path);
		cfg_free(cfg);
		return -1;
	}
	ts_dconf_free(dc);
	ts_dconf_default(dc);
	dc->cfg = cfg;
	apply(dc, cfg);
	return 0;
}

void
ts_dconf_free(struct ts_dconf *dc)
{
	if (dc->cfg != NULL)
		cfg_free(dc->cfg);
	dc->cfg = NULL;
}
