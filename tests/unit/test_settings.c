/*
 * test_settings.c - the table of settings (src/settings.c) against itself,
 * the components' defaults and the man pages: every row parses its own
 * default, takes min and max and refuses min-1 and max+1 on the command
 * line; the components' _conf_default() agree with the table; every
 * setting is in doc/tcpsleuth.1 (tcpsleuth's) or doc/tcpsleuthd.conf.5
 * (tcpsleuthd's) with its range and default, and named in tcpsleuthd(8);
 * the example configuration shows each of tcpsleuthd's.
 * The file side of the same ranges is test_conf.c (it needs libConfuse).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alarm.h"
#include "collector.h"
#include "settings.h"
#include "tap.h"

static struct ts_settings st, st2;

static void
table_sane(void)
{
	int dup = 0, bad = 0;

	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		for (size_t j = i + 1; j < ts_nsettings; j++)
			dup += strcmp(s->name, ts_settings[j].name) == 0;
		if (!(s->flags & TS_BOTH) || s->help == NULL || s->min > s->max ||
		    (s->section != NULL && ts_section_find(s->section) == NULL) ||
		    ((s->flags & TS_PART) && s->key == NULL) ||
		    (s->type == TS_T_CHOICE && s->choices == NULL) ||
		    ((s->type == TS_T_STRS || s->type == TS_T_PORTS ||
		    s->type == TS_T_NETS) && s->items == 0)) {
			printf("# row %s is not well formed\n", s->name);
			bad++;
		}
	}
	ok(dup == 0, "every setting has a name of its own");
	ok(bad == 0, "every row is well formed (programs, help, range, section)");
}

/* The components' own defaults agree with the table's. */
static void
defaults_agree(void)
{
	struct ts_conf comp;
	int n = 0, bad = 0;

	memset(&comp, 0, sizeof(comp));
	ts_collector_conf_default(&comp.coll);
	ts_alarm_conf_default(&comp.agent.alarm);
	ts_settings_init(&st);
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		/* the agent's are ts_agent_conf_default()'s: test_conf;
		 * pidfile and user have no component but the table */
		if (s->def == NULL || s->base != TS_AT_CONF ||
		    (s->off >= offsetof(struct ts_conf, agent) &&
		    s->off < offsetof(struct ts_conf, agent.alarm)) ||
		    s->off >= offsetof(struct ts_conf, pidfile))
			continue;
		n++;
		if (!ts_setting_same(s, &comp, &st.c)) {
			printf("# %s: the table says %s, the component "
			    "otherwise\n", s->name, s->def);
			bad++;
		}
	}
	ok(n > 20 && bad == 0, "%d defaults: the components' _conf_default() "
	    "agree with the table", n);
}

/* value for a row: lists of exactly three (windows) get it three times */
static const char *
value(const struct ts_setting *s, double v, char *buf, size_t len)
{
	if (s->type == TS_T_WINDOWS)
		snprintf(buf, len, "%.15g,%.15g,%.15g", v, v, v);
	else if (s->section != NULL && s->key != NULL &&
	    s->flags & TS_PART) {	/* a part of the compound */
		size_t k = 0;

		for (size_t i = 0; i < ts_nsettings && &ts_settings[i] != s; i++)
			k += ts_settings[i].key != NULL &&
			    strcmp(ts_settings[i].section, s->section) == 0;
		snprintf(buf, len, "7211%.*s%.15g", (int)k + 1, "::::::::",
		    v);
	} else
		snprintf(buf, len, "%.15g", v);
	return buf;
}

static int
is_number(const struct ts_setting *s)
{
	return s->type == TS_T_UINT || s->type == TS_T_SECS ||
	    s->type == TS_T_RATE || s->type == TS_T_PORTS ||
	    s->type == TS_T_WINDOWS;
}

static const struct ts_setting *
target(const struct ts_setting *s)
{
	/* parts are given through their section's title row */
	return (s->flags & TS_PART) ? ts_setting_in(s->section, NULL) : s;
}

static void
ranges(void)
{
	int n = 0, bad = 0;
	char buf[128], err[256];

	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];
		double v[4] = { s->min, s->max, s->min - 1, s->max + 1 };

		if (!is_number(s))
			continue;
		for (int k = 0; k < 4; k++) {
			int r;

			ts_settings_init(&st);
			r = ts_settings_arg(&st, target(s), value(s, v[k], buf,
			    sizeof(buf)), TS_LV_ARGS, err, sizeof(err));
			n++;
			if ((r == 0) != (k < 2)) {
				printf("# --%s %s: %s\n", target(s)->name, buf,
				    r == 0 ? "accepted" : err);
				bad++;
			}
		}
	}
	ok(n > 100 && bad == 0, "%d values: every number takes min and max and "
	    "refuses min-1 and max+1", n);
}

static void
words(void)
{
	char err[256];
	const struct ts_setting *w = ts_setting_find("alarm-window");
	const struct ts_setting *b = ts_setting_find("promisc");

	ts_settings_init(&st);
	ok(ts_settings_arg(&st, w, "15", TS_LV_ARGS, err, sizeof(err)) == 0 &&
	    st.c.agent.alarm.window == 2, "alarm-window 15: the third choice");
	ok(ts_settings_arg(&st, w, "2", TS_LV_ARGS, err, sizeof(err)) == -1 &&
	    strstr(err, "1, 5 or 15") != NULL, "alarm-window 2: refused (%s)",
	    err);
	ok(ts_settings_arg(&st, b, NULL, TS_LV_ARGS, err, sizeof(err)) == 0 &&
	    st.c.coll.capture.promisc == 1, "--promisc without a value: yes");
	ok(ts_settings_arg(&st, b, "maybe", TS_LV_ARGS, err, sizeof(err)) == -1,
	    "--promisc=maybe: refused (%s)", err);
	ok(ts_settings_arg(&st, ts_setting_find("listen"), "udp:1.2.3.4:abc",
	    TS_LV_ARGS, err, sizeof(err)) == -1 && strstr(err, "abc") != NULL,
	    "listen udp:1.2.3.4:abc: refused (%s)", err);
	ok(ts_settings_arg(&st, ts_setting_find("listen"),
	    "udp:127.0.0.1:1161,udp6:[::1]:1161", TS_LV_ARGS, err,
	    sizeof(err)) == 0, "listen on two transports");
	ok(ts_settings_arg(&st, ts_setting_find("user"), "nosuchuser-ts",
	    TS_LV_ARGS, err, sizeof(err)) == -1, "user nosuchuser-ts: "
	    "refused (%s)", err);
	ok(ts_settings_arg(&st, ts_setting_find("filter"), "tcp port",
	    TS_LV_ARGS, err, sizeof(err)) == -1, "filter \"tcp port\": "
	    "refused (%s)", err);
	ok(ts_settings_arg(&st, ts_setting_find("agentx-socket"), "agentx",
	    TS_LV_ARGS, err, sizeof(err)) == -1, "agentx-socket agentx "
	    "(relative): refused (%s)", err);
}

/* Lists, the compound, defaults that follow other settings. */
static void
layers(void)
{
	const struct ts_setting *ifs = ts_setting_find("interfaces");
	const struct ts_setting *ap = ts_setting_find("alarm-port");
	struct ts_alarm_conf *al = &st.c.agent.alarm;
	const struct ts_setting *bad;
	char err[256];
	int entry;

	ts_settings_init(&st);
	ok(st.c.coll.nifaces == 1 && strcmp(st.c.coll.ifaces[0], "any") == 0,
	    "interfaces: any by default");
	(void)ts_settings_arg(&st, ifs, "eth0", TS_LV_FILE, err, sizeof(err));
	(void)ts_settings_arg(&st, ifs, "eth1", TS_LV_FILE, err, sizeof(err));
	ok(st.c.coll.nifaces == 2, "a level's first value replaces the "
	    "default, the next one adds");
	(void)ts_settings_arg(&st, ifs, "lo", TS_LV_ARGS, err, sizeof(err));
	ok(st.c.coll.nifaces == 1 && strcmp(st.c.coll.ifaces[0], "lo") == 0,
	    "the command line's replaces the file's");
	(void)ts_settings_arg(&st, ts_setting_find("ignore-ports"), "22,80",
	    TS_LV_ARGS, err, sizeof(err));
	ok(st.c.coll.engine.ignore.nports == 2 &&
	    st.c.coll.engine.ignore.ports[1] == 80, "ignore-ports 22,80: two");

	(void)ts_settings_arg(&st, ts_setting_find("alarm-rate"), "4",
	    TS_LV_FILE, err, sizeof(err));
	(void)ts_settings_arg(&st, ts_setting_find("alarm-clear"), "3",
	    TS_LV_FILE, err, sizeof(err));
	(void)ts_settings_arg(&st, ts_setting_find("alarm-hold"), "7",
	    TS_LV_FILE, err, sizeof(err));
	ok(ts_settings_arg(&st, ap, "7211:1", TS_LV_FILE, err,
	    sizeof(err)) == 0, "alarm-port 7211:1");
	ok(ts_settings_arg(&st, ap, "7212:2:0.5:9", TS_LV_FILE, err,
	    sizeof(err)) == 0, "alarm-port 7212:2:0.5:9");
	ok(ts_settings_arg(&st, ap, "7211:3", TS_LV_FILE, err,
	    sizeof(err)) == -1, "the same port twice at one level: refused "
	    "(%s)", err);
	ok(ts_settings_arg(&st, ap, "7213:1:2", TS_LV_FILE, err,
	    sizeof(err)) == 0 && ts_settings_finish(&st, &bad, &entry, err,
	    sizeof(err)) == -1 && bad == ts_setting_find("alarm-port-clear") &&
	    entry == 2, "a port's clear above its rate: refused, that port "
	    "named (%s)", err);
	al->nports = 2;
	ok(ts_settings_finish(&st, &bad, &entry, err, sizeof(err)) == 0 &&
	    al->endpoint.clear == 3000, "a rate and a clear from the file");
	ok(al->ports[0].t.clear == 500 && al->ports[0].t.hold ==
	    7 * TS_NS_PER_SEC, "a port's clear is half its rate, its hold the "
	    "alarm's");
	ok(al->ports[1].t.clear == 500 && al->ports[1].t.hold ==
	    9 * TS_NS_PER_SEC, "...unless given");
	(void)ts_settings_arg(&st, ts_setting_find("alarm-rate"), "10",
	    TS_LV_ARGS, err, sizeof(err));
	ok(ts_settings_finish(&st, &bad, &entry, err, sizeof(err)) == 0 &&
	    al->endpoint.clear == 5000, "a rate on the command line without a "
	    "clear: the clear follows it (half)");
	ok(ts_settings_arg(&st, ap, "7211:6", TS_LV_ARGS, err,
	    sizeof(err)) == 0 && al->nports == 2 && al->ports[0].t.raise ==
	    6000, "the command line's alarm-port replaces the file's for that "
	    "port");
	ok(ts_settings_arg(&st, ap, "7214:1:0:1:2", TS_LV_ARGS, err,
	    sizeof(err)) == -1, "alarm-port with a fifth field: refused (%s)",
	    err);

	ts_settings_init(&st2);
	(void)ts_settings_arg(&st2, ts_setting_find("rows"), "5", TS_LV_ARGS,
	    err, sizeof(err));
	ok(!ts_setting_same(ts_setting_find("rows"), &st.c, &st2.c) &&
	    ts_setting_same(ts_setting_find("flows"), &st.c, &st2.c),
	    "ts_setting_same tells rows 5 from 1024, flows from flows");
}

/* ------------------------------------------------------------ man pages */

static char *
slurp(const char *name)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[1024];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", top != NULL ? top : "..",
	    name);
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* The words of a man page passage: no macros, no punctuation around. */
static int
tokens(const char *text, char **tok, int max)
{
	static const char *macros[] = { "Ar", "Pa", "Qq", "Dq", "Cm", "Li",
	    "No", "Ns", "Ql", "Sq", "Ic", "Fl", "Xr", "Pq", "Qo", "Qc", "Op",
	    "Oo", "Oc", "Em", "Va", "Ev", "Sy", "Dl", "D1", "Pp", "Bq", NULL };
	char *buf = strdup(text), *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(buf, " \t\n,{}()", &save); t != NULL && n < max;
	    t = strtok_r(NULL, " \t\n,{}()", &save)) {
		size_t len;
		int skip = 0;

		if (*t == '.')
			t++;
		for (int m = 0; macros[m] != NULL; m++)
			skip |= strcmp(t, macros[m]) == 0;
		len = strlen(t);
		while (len > 0 && strchr(".;:\"", t[len - 1]) != NULL)
			t[--len] = '\0';
		if (!skip && len > 0)
			tok[n++] = strdup(t);
	}
	free(buf);
	return n;
}

/* Whether the words of want follow each other in tok (after "first"). */
static int
has_words(char **tok, int n, const char *first, const char *want)
{
	char *w[16];
	int nw = tokens(want, w, 16), found = 0;

	for (int i = 0; i < n && !found; i++) {
		int j = i, k = 0;

		if (first != NULL) {
			if (strcasecmp(tok[i], first) != 0)
				continue;
			j = i + 1;
		}
		while (k < nw && j + k < n && strcasecmp(tok[j + k], w[k]) == 0)
			k++;
		found = k == nw;
	}
	for (int k = 0; k < nw; k++)
		free(w[k]);
	return found;
}

/* The passage of an item: from its .It line to the next .It or .El. */
static char *
item(const char *page, const char *from, const char *it)
{
	const char *p = from != NULL ? from : page, *end;
	size_t len = strlen(it);

	for (;;) {
		p = strstr(p, it);
		if (p == NULL)
			return NULL;
		if ((p == page || p[-1] == '\n') && (p[len] == ' ' ||
		    p[len] == '\n'))
			break;
		p += len;
	}
	end = p + 1;
	while ((end = strchr(end, '\n')) != NULL &&
	    strncmp(end + 1, ".It", 3) != 0 && strncmp(end + 1, ".El", 3) != 0)
		end++;
	return strndup(p, end != NULL ? (size_t)(end - p) : strlen(p));
}

static int
documented(const struct ts_setting *s, const char *passage)
{
	char *tok[512], r[64];
	int n, good = 1;

	if (passage == NULL)
		return 0;
	n = tokens(passage, tok, 512);
	ts_setting_range(s, r, sizeof(r));
	if (s->type == TS_T_BOOL)
		r[0] = '\0';
	if (r[0] != '\0' && !has_words(tok, n, NULL, r)) {
		printf("# %s: no \"%s\"\n", s->name, r);
		good = 0;
	}
	if (s->def != NULL && !has_words(tok, n, "default", s->def)) {
		printf("# %s: no \"default %s\"\n", s->name, s->def);
		good = 0;
	}
	for (int i = 0; i < n; i++)
		free(tok[i]);
	return good;
}

static int
says(const char *passage, const char *words)
{
	char *tok[512];
	int n = tokens(passage, tok, 512), r = has_words(tok, n, NULL, words);

	for (int i = 0; i < n; i++)
		free(tok[i]);
	return r;
}

static void
man_pages(void)
{
	char *conf = slurp("doc/tcpsleuthd.conf.5"), *d8 = slurp("doc/tcpsleuthd.8");
	char *cli = slurp("doc/tcpsleuth.1"), it[128];
	int nd = 0, bad_d = 0, nc = 0, bad_c = 0, bad_8 = 0, stale = 0;

	if (!ok(conf != NULL && d8 != NULL && cli != NULL, "the man pages "
	    "are readable (TOP_SRCDIR)"))
		return;
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];
		char *p = NULL;

		if (s->flags & TS_DAEMON) {
			nd++;
			if (s->section != NULL) {
				const char *sec;

				snprintf(it, sizeof(it), ".It Ic %s", s->section);
				p = item(conf, NULL, it);
				sec = p != NULL ? strstr(conf, p) : NULL;
				if (s->key != NULL) {
					free(p);
					snprintf(it, sizeof(it), ".It Ic %s",
					    s->key);
					p = sec != NULL ? item(conf, sec, it) : NULL;
				}
			} else {
				snprintf(it, sizeof(it), ".It Ic %s", s->name);
				p = item(conf, NULL, it);
			}
			if (!documented(s, p)) {
				printf("# tcpsleuthd.conf(5) lacks %s\n", s->name);
				bad_d++;
			} else if (s->section == NULL && !says(p,
			    (s->flags & TS_RESTART) ? "at the next start" :
			    "a reload applies it")) {
				printf("# tcpsleuthd.conf(5): %s: %s?\n", s->name,
				    (s->flags & TS_RESTART) ? "at the next start" :
				    "a reload applies it");
				bad_d++;
			}
			free(p);
			snprintf(it, sizeof(it), "Fl -%s", s->name);
			if (!(s->flags & TS_PART) && strstr(d8, it) == NULL) {
				printf("# tcpsleuthd(8) does not name --%s\n",
				    s->name);
				bad_8++;
			}
		}
		if (s->flags & TS_CLI) {
			const char *q = cli;

			nc++;
			p = NULL;
			snprintf(it, sizeof(it), "Fl -%s", s->name);
			while ((q = strstr(q, ".It Fl")) != NULL && p == NULL) {
				const char *eol = strchr(q, '\n');
				const char *f = strstr(q, it);

				if (f != NULL && eol != NULL && f < eol &&
				    (f[strlen(it)] == ' ' || f[strlen(it)] == '\n'))
					p = item(cli, q, ".It");
				q++;
			}
			if (!documented(s, p)) {
				printf("# tcpsleuth(1) lacks --%s\n", s->name);
				bad_c++;
			}
			free(p);
		}
	}
	/* And nothing there that is not a setting. */
	for (const char *q = conf; (q = strstr(q, "\n.It Ic ")) != NULL; q++) {
		char w[64];

		if (sscanf(q, "\n.It Ic %63s", w) != 1)
			continue;
		if (ts_setting_find(w) == NULL && ts_section_find(w) == NULL &&
		    ts_setting_in("alarm", w) == NULL &&
		    ts_setting_in("v3-user", w) == NULL) {
			printf("# tcpsleuthd.conf(5) describes %s, which is "
			    "no setting\n", w);
			stale++;
		}
	}
	ok(bad_d == 0, "tcpsleuthd.conf(5): all %d settings of tcpsleuthd "
	    "with range, default and what a reload does", nd);
	ok(bad_8 == 0, "tcpsleuthd(8) names every long option");
	ok(bad_c == 0, "tcpsleuth(1): all %d settings of tcpsleuth with range "
	    "and default", nc);
	ok(stale == 0, "tcpsleuthd.conf(5) describes no setting that is gone");
	free(conf);
	free(d8);
	free(cli);
}

/* The example configuration shows every setting of tcpsleuthd. */
static void
example(void)
{
	char *ex = slurp("contrib/tcpsleuthd.conf"), want[80];
	int bad = 0;

	for (size_t i = 0; ex != NULL && i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];
		const char *from = ex;

		if (!(s->flags & TS_DAEMON))
			continue;
		if (s->section != NULL) {
			snprintf(want, sizeof(want), "%s ", s->section);
			from = strstr(ex, want);
		}
		snprintf(want, sizeof(want), "%s =", s->key != NULL ? s->key :
		    s->name);
		if (from == NULL || (s->key != NULL || s->section == NULL ?
		    strstr(from, want) == NULL : 0)) {
			printf("# contrib/tcpsleuthd.conf lacks %s\n", s->name);
			bad++;
		}
	}
	ok(ex != NULL && bad == 0, "the example configuration shows every "
	    "setting of tcpsleuthd");
	free(ex);
}

int
main(void)
{
	table_sane();
	defaults_agree();
	ranges();
	words();
	layers();
	man_pages();
	example();
	return tap_done();
}
