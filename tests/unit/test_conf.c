/*
 * test_conf.c - tcpsleuthd.conf against the command line, from the table
 * of settings: for every setting of tcpsleuthd, min, max, min-1 and max+1
 * (numbers), the words of a choice or a flag, and the values a check
 * refuses, are accepted by the file exactly when the command line accepts
 * them, and give the same configuration; errors name their line, inside
 * sections too; the agent's defaults agree with the table.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "conf.h"
#include "settings.h"
#include "tap.h"

static struct ts_dconf f, a;

/* The position of a part in its section's compound (1: the first). */
static size_t
part_pos(const struct ts_setting *s)
{
	size_t k = 1;

	for (size_t i = 0; i < ts_nsettings && &ts_settings[i] != s; i++)
		k += ts_settings[i].key != NULL && ts_settings[i].section != NULL &&
		    strcmp(ts_settings[i].section, s->section) == 0;
	return k;
}

static int
is_text(const struct ts_setting *s)
{
	return s->type == TS_T_STR || s->type == TS_T_STRS ||
	    s->type == TS_T_NETS;
}

/* The file that sets s to v, as an operator writes it. */
static void
as_file(const struct ts_setting *s, const char *v, char *buf, size_t len)
{
	const char *q = is_text(s) ? "\"" : "";
	char val[256];

	if (s->type == TS_T_WINDOWS)
		snprintf(val, sizeof(val), "{ %s, %s, %s }", v, v, v);
	else if (ts_setting_is_list(s))
		snprintf(val, sizeof(val), "{ %s%s%s }", q, v, q);
	else
		snprintf(val, sizeof(val), "%s%s%s", q, v, q);
	if (s->section == NULL)
		snprintf(buf, len, "%s = %s\n", s->name, val);
	else if (s->key == NULL)
		snprintf(buf, len, "%s \"%s\" {\n}\n", s->section, v);
	else if (strcmp(s->section, "v3-user") == 0)
		snprintf(buf, len, "v3-user \"ops\" {\n%s = %s\n}\n", s->key, val);
	else if (strcmp(s->section, "alarm-port") == 0)
		snprintf(buf, len, "alarm-port 7211 {\n%s = %s\n}\n", s->key,
		    val);
	else
		snprintf(buf, len, "%s {\n%s = %s\n}\n", s->section, s->key, val);
}

/* The same on the command line: --name value. */
static int
as_args(struct ts_dconf *dc, const struct ts_setting *s, const char *v,
    char *err, size_t len)
{
	static char val[256];	/* kept by the settings, as argv is */
	const struct ts_setting *bad;
	int entry;

	if (s->type == TS_T_WINDOWS)
		snprintf(val, sizeof(val), "%s,%s,%s", v, v, v);
	else if (s->flags & TS_PART)
		snprintf(val, sizeof(val), "7211%.*s%s", (int)part_pos(s),
		    "::::::::", v);
	else
		snprintf(val, sizeof(val), "%s", v);
	ts_dconf_default(dc);
	if (s->key != NULL && strcmp(s->section, "v3-user") == 0)	/* as_file */
		(void)ts_settings_arg(&dc->set, ts_setting_find("v3-user"), "ops",
		    TS_LV_ARGS, err, len);
	if (ts_settings_arg(&dc->set, (s->flags & TS_PART) ?
	    ts_setting_in(s->section, NULL) : s, val, TS_LV_ARGS, err,
	    len) == -1)
		return -1;
	return ts_settings_finish(&dc->set, &bad, &entry, err, len);
}

static int n_pairs, n_bad;

/* One value: the file and the command line agree. */
static void
pair(const struct ts_setting *s, const char *v)
{
	char text[512], ef[512], ea[512];
	int rf, ra, differ = 0;

	as_file(s, v, text, sizeof(text));
	ts_dconf_default(&f);
	rf = ts_dconf_load(&f, "t.conf", text, ef, sizeof(ef));
	ra = as_args(&a, s, v, ea, sizeof(ea));
	for (size_t i = 0; rf == 0 && ra == 0 && i < ts_nsettings; i++)
		if (!ts_setting_same(&ts_settings[i], &f.set.c, &a.set.c)) {
			printf("# %s %s: %s differs\n", s->name, v,
			    ts_settings[i].name);
			differ = 1;
		}
	n_pairs++;
	if (rf != ra || differ) {
		n_bad++;
		printf("# %s = %s: file %s, command line %s\n", s->name, v,
		    rf == 0 ? "accepts" : ef, ra == 0 ? "accepts" : ea);
	}
	ts_dconf_free(&f);
}

static void
pairs(void)
{
	static const char *words[] = { "yes", "no", "true", "maybe", "1", "5",
	    "15", "2", "x", "" };
	static const char *texts[] = { "eth0", "udp:127.0.0.1:1161",
	    "udp:1.2.3.4:abc", "udp6:[::1]:1161", "127.0.0.1:162", "root",
	    "nosuchuser-ts", "/tmp/ts.pid", "relative", "tcp port 80",
	    "tcp port", "authpass123", "short", "10.0.0.0/8", "10.0.0.0/33",
	    "/var/agentx/master", "tcp:localhost:705", "a/b" };
	char v[64];

	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];
		double num[4] = { s->min, s->max, s->min - 1, s->max + 1 };

		if (!(s->flags & TS_DAEMON))
			continue;
		switch (s->type) {
		case TS_T_BOOL:
		case TS_T_CHOICE:
			for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
				pair(s, words[k]);
			break;
		case TS_T_STR:
		case TS_T_STRS:
		case TS_T_NETS:
			for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
				pair(s, texts[k]);
			break;
		default:
			for (int k = 0; k < 4; k++) {
				snprintf(v, sizeof(v), "%.15g", num[k]);
				pair(s, v);
			}
		}
	}
	ok(n_pairs > 300 && n_bad == 0, "%d values of every setting of "
	    "tcpsleuthd: the file takes each exactly when the command line "
	    "does, with the same result", n_pairs);
}

static const char *
load(const char *text)
{
	static char err[512];

	ts_dconf_default(&f);
	if (ts_dconf_load(&f, "t.conf", text, err, sizeof(err)) == 0)
		snprintf(err, sizeof(err), "accepted");
	ts_dconf_free(&f);
	return err;
}

static void
lines(void)
{
	static const struct { const char *text, *want, *what; } at[] = {
		{ "host-alarm {\n\trate = 1\n\n\tclear = 2\n}\n",
		  "t.conf:4: host-alarm clear: ", "a clear rate above its rate" },
		{ "alarm-port 22 {\n\trate = 1\n\thold = -1\n}\n",
		  "t.conf:3: alarm-port hold: ", "a bad value in alarm-port" },
		{ "\n\nalarm-port\n\"x\" { rate = 1 }\n",
		  "t.conf:3: alarm-port: ", "a bad title (the section's first)" },
		{ "v3-user \"ops\" {\n\tauth = \"authpass123\"\n\tpriv = \"x\"\n}\n",
		  "t.conf:3: v3-user priv: ", "a short pass phrase" },
		{ "filter = \"tcp port\"\n", "t.conf:1: filter: ",
		  "a filter that does not compile" },
	};
	const char *e;

	e = load("alarm {\n\trate = 1\n\thodl = 60\n}\n");
	ok(strncmp(e, "t.conf:3: ", 10) == 0 && strstr(e, "'hodl'") != NULL &&
	    strstr(e, "'hold'") != NULL, "a typo in a section: its own line, "
	    "and what was meant (%s)", e);
	e = load("rows = 5\n\nalarm-port 7211 {\n\trate = 1\n}\n# between\n"
	    "alarm-port \"7211\" {\n\trate = 2\n}\n");
	ok(strstr(e, "port 7211 has two alarm-port sections (lines 3 and 7)") !=
	    NULL, "a port with two alarm-port sections: both lines (%s)", e);
	e = load("alarm-port 7211 { rate = 1 }\nalarm-port 07211 { rate = 2 }\n");
	ok(strstr(e, "has two alarm-port sections (lines 1 and 2)") != NULL,
	    "...also when written 7211 and 07211 (%s)", e);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		e = load(at[i].text);
		ok(strncmp(e, at[i].want, strlen(at[i].want)) == 0, "%s: "
		    "its line (%s)", at[i].what, e);
	}
	e = load("interfaces = { \"lo\",\n\t\"eth0\" }\nwindows = { 60, 300,\n"
	    "900 }\nfilter = \"\"\n");
	ok(strcmp(e, "accepted") == 0, "lists over lines, an empty filter "
	    "(%s)", e);
}

static void
agent_defaults(void)
{
	struct ts_conf comp;
	int bad = 0;

	memset(&comp, 0, sizeof(comp));
	ts_agent_conf_default(&comp.agent);
	ts_dconf_default(&f);
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		if (s->def == NULL || s->base != TS_AT_CONF ||
		    s->off < offsetof(struct ts_conf, agent) ||
		    s->off >= offsetof(struct ts_conf, agent.alarm))
			continue;
		if (!ts_setting_same(s, &comp, &f.set.c)) {
			printf("# %s: the table says %s, ts_agent_conf_default "
			    "otherwise\n", s->name, s->def);
			bad++;
		}
	}
	ok(bad == 0, "ts_agent_conf_default() agrees with the table");
}

int
main(void)
{
	pairs();
	lines();
	agent_defaults();
	return tap_done();
}
