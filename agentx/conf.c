/*
 * conf.c - tcpsleuthd.conf: libConfuse reads the syntax; the table of
 * settings says what is there and parses every value.
 *
 * libConfuse is given every setting as text (CFG_STR, CFG_STR_LIST), made
 * from the table's rows, so values reach ts_settings_set() as written and
 * meet the same parser and ranges as on the command line.  Each value is
 * checked as libConfuse reads it (a validate callback on a scratch copy),
 * so an error names the line it is on, inside sections too; then the file
 * is applied in table order and ts_settings_finish() checks what depends on
 * several values, naming the line of the value at fault.
 */
#include "config.h"

#include <confuse.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

/* A section's opening line, found before libConfuse parses. */
struct opening {
	char	name[32];
	char	title[64];
	int	line;
};

/* The parse in progress: libConfuse's callbacks have no argument. */
static struct {
	const char		*name;		/* the file, in messages */
	char			*err;
	size_t			 errlen;
	int			 line;		/* the next error's, if not 0 */
	struct ts_settings	*scratch;	/* values checked here */
	struct { const cfg_opt_t *opt; int line; } *lines;
	size_t			 nlines;
	struct opening		*open;
	size_t			 nopen;
	struct { const char *sec; uint64_t v; int line; } *titles;
	size_t			 ntitles;
} P;

static void *
grow(void *p, size_t n, size_t size)
{
	/* Room for 8, then doubling when full (n a power of two). */
	if (n != 0 && (n < 8 || (n & (n - 1)) != 0))
		return p;
	return realloc(p, (n == 0 ? 8 : n * 2) * size);
}

static void
remember(const cfg_opt_t *opt, int line)
{
	void *p;

	for (size_t i = 0; i < P.nlines; i++)
		if (P.lines[i].opt == opt) {
			if (cfg_opt_size((cfg_opt_t *)opt) <= 1)
				P.lines[i].line = line;	/* a scalar set again */
			return;
		}
	if ((p = grow(P.lines, P.nlines, sizeof(*P.lines))) == NULL)
		return;
	P.lines = p;
	P.lines[P.nlines].opt = opt;
	P.lines[P.nlines++].line = line;
}

static int
line_of(const cfg_opt_t *opt)
{
	for (size_t i = 0; i < P.nlines; i++)
		if (P.lines[i].opt == opt)
			return P.lines[i].line;
	return 0;
}

/* The last opening of a section at or before line. */
static const struct opening *
opening(const char *name, int line)
{
	const struct opening *o = NULL;

	for (size_t i = 0; i < P.nopen; i++)
		if (strcmp(P.open[i].name, name) == 0 && P.open[i].line <= line)
			o = &P.open[i];
	return o;
}

static unsigned
distance(const char *a, const char *b)
{
	unsigned d[33], la = (unsigned)strlen(a), lb = (unsigned)strlen(b);

	if (la > 32 || lb > 32)
		return 99;
	for (unsigned j = 0; j <= lb; j++)
		d[j] = j;
	for (unsigned i = 1; i <= la; i++) {
		unsigned prev = d[0]++;

		for (unsigned j = 1; j <= lb; j++) {
			unsigned cur = d[j], best = prev +
			    (a[i - 1] != b[j - 1]);

			if (d[j] + 1 < best)
				best = d[j] + 1;
			if (d[j - 1] + 1 < best)
				best = d[j - 1] + 1;
			d[j] = best;
			prev = cur;
		}
	}
	return d[lb];
}

/* "unknown setting 'hodl' in alarm { } (did you mean 'hold'?)" */
static void
unknown(char *msg, size_t len, const cfg_t *cfg, const char *name)
{
	const char *sec = cfg != NULL && strcmp(cfg->name, "root") != 0 ?
	    cfg->name : NULL, *best = NULL;
	unsigned bd = 3;

	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];
		const char *n = sec != NULL ? s->key : s->section != NULL ?
		    s->section : s->name;

		if (!(s->flags & TS_DAEMON) || n == NULL ||
		    (sec != NULL && (s->section == NULL ||
		    strcmp(s->section, sec) != 0)))
			continue;
		if (distance(name, n) < bd) {
			bd = distance(name, n);
			best = n;
		}
	}
	snprintf(msg, len, "unknown setting '%s'%s%s%s%s%s%s", name,
	    sec != NULL ? " in " : "", sec != NULL ? sec : "",
	    sec != NULL ? " { }" : "", best != NULL ? " (did you mean '" : "",
	    best != NULL ? best : "", best != NULL ? "'?)" : "");
}

/* "port 7211 has two alarm-port sections (lines 2 and 9)" */
static void
twice(char *msg, size_t len, const char *sec, const char *title, int first,
    int second)
{
	const struct ts_setting *t = ts_setting_in(sec, NULL);
	char what[32];
	size_t n = 0;

	while (t != NULL && t->arg != NULL && t->arg[n] >= 'A' && t->arg[n] <= 'Z' &&
	    n < sizeof(what) - 1) {
		what[n] = (char)(t->arg[n] - 'A' + 'a');
		n++;
	}
	what[n] = '\0';
	snprintf(msg, len, "%s %s has two %s sections (lines %d and %d)",
	    what, title, sec, first, second);
}

static void
conf_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[512];
	int line = P.line > 0 ? P.line : cfg != NULL ? cfg->line : 0;

	P.line = 0;
	if (P.err == NULL || P.err[0] != '\0')
		return;
	if (strcmp(fmt, "no such option '%s'") == 0) {
		unknown(msg, sizeof(msg), cfg, va_arg(ap, const char *));
	} else if (strcmp(fmt, "found duplicate title '%s'") == 0) {
		const char *title = va_arg(ap, const char *);
		const struct opening *o = NULL;

		for (size_t i = 0; i < P.nopen && o == NULL; i++)
			if (strcmp(P.open[i].title, title) == 0)
				o = &P.open[i];
		twice(msg, sizeof(msg), o != NULL ? o->name : "alarm-port",
		    title, o != NULL ? o->line : 0, line);
	} else {
		vsnprintf(msg, sizeof(msg), fmt, ap);
	}
	if (line > 0)
		snprintf(P.err, P.errlen, "%s:%d: %s", P.name, line, msg);
	else
		snprintf(P.err, P.errlen, "%s: %s", P.name, msg);
}

static const char *
label(const struct ts_setting *s, char *buf, size_t len)
{
	if (s->section == NULL || s->key == NULL)
		return s->section != NULL ? s->section : s->name;
	snprintf(buf, len, "%s %s", s->section, s->key);
	return buf;
}

/* Each value as libConfuse reads it, on the scratch copy. */
static int
v_value(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *sec = strcmp(cfg->name, "root") != 0 ? cfg->name : NULL;
	const struct ts_setting *s = ts_setting_in(sec, opt->name);
	unsigned i = cfg_opt_size(opt) - 1;
	const char *v = cfg_opt_getnstr(opt, i);
	char why[256], lb[64];

	remember(opt, cfg->line);
	if (s == NULL || v == NULL)
		return 0;
	if (ts_settings_set(P.scratch, s, 0, v, i, TS_LV_FILE, why,
	    sizeof(why)) == -1) {
		cfg_error(cfg, "%s: %s", label(s, lb, sizeof(lb)), why);
		return -1;
	}
	return 0;
}

/* A section, when libConfuse has read it: its title. */
static int
v_section(cfg_t *cfg, cfg_opt_t *opt)
{
	const struct ts_section *sec = ts_section_find(opt->name);
	const struct ts_setting *t = ts_setting_in(opt->name, NULL);
	cfg_t *x = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	const struct opening *o = opening(opt->name, cfg->line);
	const char *title = cfg_title(x);
	char why[256], msg[256];
	uint64_t v = 0;
	void *p;

	if (sec == NULL || t == NULL || !(sec->flags & TS_SEC_TITLE) ||
	    title == NULL)
		return 0;
	P.line = o != NULL ? o->line : 0;
	if (ts_settings_set(P.scratch, t, 0, title, 0, TS_LV_FILE, why,
	    sizeof(why)) == -1) {
		cfg_error(cfg, "%s: %s", opt->name, why);
		return -1;
	}
	if (!(sec->flags & TS_SEC_MULTI)) {
		const struct opening *first = opening(opt->name, 0x7fffffff);

		for (size_t i = 0; i < P.nopen; i++)
			if (strcmp(P.open[i].name, opt->name) == 0) {
				first = &P.open[i];
				break;
			}
		if (cfg_opt_size(opt) > 1) {
			cfg_error(cfg, "one %s section only (lines %d and %d)",
			    opt->name, first != NULL ? first->line : 0, P.line);
			return -1;
		}
		P.line = 0;
		return 0;
	}
	/* Titles that differ as text but not as values: 7211 and 07211. */
	memcpy(&v, (char *)&P.scratch->c.agent.alarm.ports[0] + t->off,
	    t->size < sizeof(v) ? t->size : sizeof(v));
	for (size_t i = 0; i < P.ntitles; i++)
		if (strcmp(P.titles[i].sec, opt->name) == 0 && P.titles[i].v == v) {
			char num[24];

			snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
			twice(msg, sizeof(msg), opt->name, num,
			    P.titles[i].line, P.line);
			cfg_error(cfg, "%s", msg);
			return -1;
		}
	if ((p = grow(P.titles, P.ntitles, sizeof(*P.titles))) != NULL) {
		P.titles = p;
		P.titles[P.ntitles].sec = opt->name;
		P.titles[P.ntitles].v = v;
		P.titles[P.ntitles++].line = P.line;
	}
	P.line = 0;
	return 0;
}

/*
 * The options, made once from the table: every setting as text, in its
 * section.
 */
static cfg_opt_t root_opts[TS_SETTINGS_MAX + 8];
static cfg_opt_t sec_opts[8][TS_SETTINGS_MAX];

static cfg_opt_t
text_opt(const struct ts_setting *s, const char *name)
{
	cfg_opt_t one = CFG_STR(name, NULL, CFGF_NONE);
	cfg_opt_t list = CFG_STR_LIST(name, NULL, CFGF_NONE);

	return ts_setting_is_list(s) ? list : one;
}

static void
make_opts(void)
{
	cfg_opt_t end = CFG_END();
	size_t n = 0;

	if (root_opts[0].name != NULL)
		return;
	for (size_t i = 0; i < ts_nsettings; i++)
		if ((ts_settings[i].flags & TS_DAEMON) &&
		    ts_settings[i].section == NULL)
			root_opts[n++] = text_opt(&ts_settings[i],
			    ts_settings[i].name);
	for (size_t k = 0; k < ts_nsections && k < 8; k++) {
		const struct ts_section *sec = &ts_sections[k];
		cfg_flag_t fl = CFGF_NONE;
		size_t m = 0;

		for (size_t i = 0; i < ts_nsettings; i++)
			if ((ts_settings[i].flags & TS_DAEMON) &&
			    ts_settings[i].key != NULL &&
			    strcmp(ts_settings[i].section, sec->name) == 0)
				sec_opts[k][m++] = text_opt(&ts_settings[i],
				    ts_settings[i].key);
		sec_opts[k][m] = end;
		/* libConfuse 3.3 keeps a title only in a multi section. */
		if (sec->flags & TS_SEC_TITLE)
			fl |= CFGF_TITLE | CFGF_MULTI | CFGF_NO_TITLE_DUPES;
		{
			cfg_opt_t so = CFG_SEC(sec->name, sec_opts[k], fl);

			root_opts[n++] = so;
		}
	}
	root_opts[n] = end;
}

static cfg_t *
conf_init(void)
{
	char path[80];
	cfg_t *cfg;

	make_opts();
	if ((cfg = cfg_init(root_opts, CFGF_NONE)) == NULL)
		return NULL;
	cfg_set_error_function(cfg, conf_error);
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		if (!(s->flags & TS_DAEMON) || (s->section != NULL &&
		    s->key == NULL))
			continue;
		if (s->section != NULL)
			snprintf(path, sizeof(path), "%s|%s", s->section, s->key);
		else
			snprintf(path, sizeof(path), "%s", s->name);
		cfg_set_validate_func(cfg, path, v_value);
	}
	for (size_t k = 0; k < ts_nsections; k++)
		cfg_set_validate_func(cfg, ts_sections[k].name, v_section);
	return cfg;
}

/* ------------------------------------------------------------ the text */

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

static void
note_opening(const char *tok[2], const size_t toklen[2], const int tokline[2],
    int ntok)
{
	struct opening o;
	int k = -1;
	void *p;

	memset(&o, 0, sizeof(o));
	for (int i = ntok - 1; i >= 0 && i >= ntok - 2; i--) {
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)toklen[i % 2],
		    tok[i % 2]);
		if (ts_section_find(name) != NULL) {
			k = i;
			snprintf(o.name, sizeof(o.name), "%s", name);
			break;
		}
	}
	if (k == -1)
		return;
	o.line = tokline[k % 2];
	if (k == ntok - 2)
		snprintf(o.title, sizeof(o.title), "%.*s",
		    (int)toklen[(k + 1) % 2], tok[(k + 1) % 2]);
	if ((p = grow(P.open, P.nopen, sizeof(*P.open))) == NULL)
		return;
	P.open = p;
	P.open[P.nopen++] = o;
}

/*
 * Before libConfuse sees the text: blank out comments (libConfuse 3.3
 * miscounts lines after them), check braces (it accepts a section the file
 * never closes) and note where each section opens.  Newlines stay, so line
 * numbers hold.
 */
/* At top level: a value ends a setting; names and titles are kept. */
#define ADD_TOKEN(s, len) do {						\
	if (eq) {							\
		eq = 0;							\
		ntok = 0;						\
	} else {							\
		tok[ntok % 2] = (s);					\
		toklen[ntok % 2] = (len);				\
		tokline[ntok % 2] = line;				\
		ntok++;							\
	}								\
} while (0)

static int
prepare(char *t, const char *name, char *err, size_t errlen)
{
	int line = 1, depth = 0, open_line[64] = { 0 }, ntok = 0, eq = 0;
	const char *tok[2] = { NULL, NULL };
	size_t toklen[2] = { 0, 0 };
	int tokline[2] = { 0, 0 };

	for (char *p = t; *p != '\0'; p++) {
		if (*p == '\n') {
			line++;
		} else if (*p == '"' || *p == '\'') {
			char q = *p, *s = p + 1;

			for (p++; *p != '\0' && *p != q; p++) {
				if (*p == '\\' && p[1] != '\0' && p[1] != '\n')
					p++;
				else if (*p == '\n')
					line++;
			}
			if (depth == 0)
				ADD_TOKEN(s, (size_t)(p - s));
			if (*p == '\0')
				break;
		} else if (*p == '#' || (*p == '/' && p[1] == '/')) {
			while (*p != '\0' && *p != '\n')
				*p++ = ' ';
			p--;
		} else if (*p == '{') {
			if (depth == 0 && !eq)
				note_opening(tok, toklen, tokline, ntok);
			if (depth < 64)
				open_line[depth] = line;
			depth++;
			ntok = eq = 0;
		} else if (*p == '}') {
			if (--depth < 0) {
				snprintf(err, errlen, "%s:%d: '}' without '{'",
				    name, line);
				return -1;
			}
			ntok = eq = 0;
		} else if (*p == '=') {
			eq = 1;
		} else if (strchr(" \t\r,", *p) == NULL && depth == 0) {
			char *s = p;

			while (p[1] != '\0' && strchr(" \t\r\n{}=,\"'#", p[1]) == NULL)
				p++;
			ADD_TOKEN(s, (size_t)(p - s + 1));
		}
	}
	if (depth > 0) {
		snprintf(err, errlen, "%s:%d: '{' never closed", name,
		    open_line[depth <= 64 ? depth - 1 : 63]);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ applying */

static int
fail_at(int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(P.err, P.errlen, "%s:%d: %s", P.name, line, msg);
	else
		snprintf(P.err, P.errlen, "%s: %s", P.name, msg);
	return -1;
}

/* The values of one setting in a section (or the root) x. */
static int
apply_opt(struct ts_settings *st, const struct ts_setting *s, cfg_t *x,
    int entry)
{
	cfg_opt_t *o = cfg_getopt(x, s->key != NULL ? s->key : s->name);
	char why[256], lb[64];

	/* A setting the file does not give holds one NULL (no default). */
	for (unsigned i = 0; o != NULL && i < cfg_opt_size(o); i++)
		if (cfg_opt_getnstr(o, i) != NULL &&
		    ts_settings_set(st, s, entry, cfg_opt_getnstr(o, i), i,
		    TS_LV_FILE, why, sizeof(why)) == -1)
			return fail_at(line_of(o), "%s: %s",
			    label(s, lb, sizeof(lb)), why);
	return 0;
}

/* The file over st, in table order. */
static int
apply(struct ts_settings *st, cfg_t *cfg)
{
	char why[256];

	for (size_t i = 0; i < ts_nsettings; i++)
		if ((ts_settings[i].flags & TS_DAEMON) &&
		    ts_settings[i].section == NULL &&
		    apply_opt(st, &ts_settings[i], cfg, -1) == -1)
			return -1;
	for (size_t k = 0; k < ts_nsections; k++) {
		const struct ts_section *sec = &ts_sections[k];
		const struct ts_setting *t = ts_setting_in(sec->name, NULL);

		for (unsigned j = 0; j < cfg_size(cfg, sec->name); j++) {
			cfg_t *x = cfg_getnsec(cfg, sec->name, j);
			const char *title = cfg_title(x);
			int entry = -1;

			if (t != NULL && title != NULL) {
				if (sec->flags & TS_SEC_MULTI)
					entry = ts_settings_entry(st, t, title,
					    TS_LV_FILE, why, sizeof(why));
				else
					entry = ts_settings_set(st, t, -1, title,
					    0, TS_LV_FILE, why, sizeof(why));
				if (entry == -1)
					return fail_at(0, "%s: %s", sec->name,
					    why);
				if (!(sec->flags & TS_SEC_MULTI))
					entry = -1;
			}
			for (size_t i = 0; i < ts_nsettings; i++) {
				const struct ts_setting *s = &ts_settings[i];

				if ((s->flags & TS_DAEMON) && s->key != NULL &&
				    strcmp(s->section, sec->name) == 0 &&
				    apply_opt(st, s, x, entry) == -1)
					return -1;
			}
		}
	}
	return 0;
}

/* The line of a setting ts_settings_finish() found at fault. */
static int
bad_line(cfg_t *cfg, const struct ts_setting *s, int entry)
{
	cfg_t *x = cfg;

	if (s == NULL)
		return 0;
	if (s->section != NULL) {
		const struct ts_section *sec = ts_section_find(s->section);

		if (sec != NULL && (sec->flags & TS_SEC_MULTI))
			x = entry >= 0 && (unsigned)entry < cfg_size(cfg,
			    s->section) ? cfg_getnsec(cfg, s->section,
			    (unsigned)entry) : NULL;
		else
			x = cfg_getsec(cfg, s->section);
	}
	return x != NULL ? line_of(cfg_getopt(x, s->key != NULL ? s->key :
	    s->name)) : 0;
}

void
ts_dconf_default(struct ts_dconf *dc)
{
	memset(dc, 0, sizeof(*dc));
	ts_settings_init(&dc->set);
	ts_agent_conf_default(&dc->set.c.agent);
	ts_settings_defaults(&dc->set);
}

static void
parse_done(void)
{
	free(P.scratch);
	free(P.lines);
	free(P.open);
	free(P.titles);
	memset(&P, 0, sizeof(P));
}

int
ts_dconf_load(struct ts_dconf *dc, const char *path, const char *text,
    char *err, size_t errlen)
{
	const struct ts_setting *bad;
	char *buf, why[256], lb[64];
	int r, entry;
	cfg_t *cfg;

	err[0] = '\0';
	buf = text != NULL ? strdup(text) : slurp(path, err, errlen);
	if (buf == NULL) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	memset(&P, 0, sizeof(P));
	P.name = path;
	P.err = err;
	P.errlen = errlen;
	if (prepare(buf, path, err, errlen) == -1 ||
	    (P.scratch = malloc(sizeof(*P.scratch))) == NULL ||
	    (cfg = conf_init()) == NULL) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: out of memory", path);
		free(buf);
		parse_done();
		return -1;
	}
	ts_settings_init(P.scratch);
	r = cfg_parse_buf(cfg, buf) == CFG_SUCCESS ? 0 : -1;
	free(buf);
	if (r == 0)
		r = apply(&dc->set, cfg);
	if (r == 0 && ts_settings_finish(&dc->set, &bad, &entry, why,
	    sizeof(why)) == -1)
		r = fail_at(bad_line(cfg, bad, entry), "%s: %s", bad != NULL ?
		    label(bad, lb, sizeof(lb)) : "", why);
	parse_done();
	if (r == -1) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: cannot parse", path);
		cfg_free(cfg);
		return -1;
	}
	ts_dconf_free(dc);
	dc->cfg = cfg;
	return 0;
}

void
ts_dconf_free(struct ts_dconf *dc)
{
	if (dc->cfg != NULL)
		cfg_free(dc->cfg);
	dc->cfg = NULL;
}
