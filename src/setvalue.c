/*
 * setvalue.c - the one parser of settings' values: text from a command
 * line, a file or the table's default goes through ts_settings_set() into
 * struct ts_conf, so a setting has one range wherever it is given; the
 * levels (default, file, command line) and what follows from them
 * (ts_settings_finish()).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

static int
part_bit(const struct ts_setting *s)
{
	const struct ts_setting *p[16];
	size_t n = ts_setting_parts(s->section, p, 16);

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
	size_t np = ts_setting_parts(title->section, p, 16);
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
	size_t np = ts_setting_parts(title->section, p, 16), k;
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
	    &al->host, bad, err, errlen) == -1 || threshold(st,
	    "listener-alarm-rate", "listener-alarm-clear", &al->listener, bad,
	    err, errlen) == -1)
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
	if (st->c.coll.kev.callers.total < st->c.coll.kev.callers.per_endpoint) {
		snprintf(err, errlen, "at least callers (%u)",
		    st->c.coll.kev.callers.per_endpoint);
		*bad = ts_setting_find("callers-total");
		return -1;
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
		return (x == NULL || y == NULL ? x == y : strcmp(x, y) == 0);
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
			if (!(x == NULL || y == NULL ? x == y : strcmp(x, y) == 0))
				return 0;
		}
		return 1;
	default:
		return memcmp(fa, fb, s->size) == 0 && (s->off2 == 0 ||
		    memcmp((const char *)a + s->off2, (const char *)b + s->off2,
		    sizeof(int)) == 0);
	}
}
