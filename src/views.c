/*
 * views.c - tcpsleuthctl's views (see views.h).  A view is a row of
 * views[]: a text and a JSON renderer of the snapshot, indexed by
 * ctlproto.h's view ids; adding one is a name there and a row here.
 * Every JSON view is one object with "version" and "now" first, as
 * tcpsleuth --json's; "now" is when the snapshot was taken.
 */
#include "config.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "addr.h"
#include "capbuf.h"
#include "jsonutil.h"
#include "report.h"
#include "texttable.h"
#include "views.h"

/* The report's "source" for the daemon's capture. */
static void
daemon_src(const struct ts_snapshot *s, struct ts_report_src *src)
{
	src->mode = "live";
	src->names = s->cap_ifaces;
	src->linktype = s->cap_linktypes;
	src->have_drops = 1;
	src->kev = NULL;	/* the kernel event source's: the snapshot's part */
	src->kev_row = NULL;
}

static void
report_view(const struct ts_ctl_req *r, struct ts_report_view *v)
{
	memset(v, 0, sizeof(*v));
	v->top = r->top;
	v->sort = r->sort;
	v->width = r->width;
}

/* ---------------------------------------------------------- endpoints */

/* tcpsleuth's own report, of the daemon's snapshot. */
static int
endpoints(FILE *fp, const struct ts_view_data *d, const struct ts_ctl_req *r)
{
	struct ts_report_src src;
	struct ts_report_view v;

	daemon_src(d->snap, &src);
	report_view(r, &v);
	if (r->json)
		return ts_report_json(fp, d->snap, &src, d->snap->wall, &v, 1);
	ts_report_text(fp, d->snap, &src, d->snap->wall, &v);
	return 0;
}

/* ------------------------------------------------------------ capture */

/* "12.5%" of part in whole, "-" without a whole. */
static const char *
share(uint64_t part, uint64_t whole, char *buf, size_t len)
{
	if (whole == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", 100.0 * (double)part /
		    (double)whole);
	return buf;
}

static int
capture_text(FILE *fp, const struct ts_view_data *d,
    const struct ts_ctl_req *r)
{
	const struct ts_snapshot *s = d->snap;
	struct ts_out o = { fp, r->width, 0 };
	char t[TS_TIMESTRLEN], p1[16], p2[16], line[1024], m[3][24], wl[3][16];
	size_t n = 0;

	ts_out_line(&o, "capture: %s on %s (%s)", ts_cap_state_name(
	    s->cap_state), s->cap_ifaces, s->cap_linktypes);
	if (s->cap_error[0] != '\0')
		ts_out_line(&o, "capture error: %s", s->cap_error);
	ts_out_line(&o, "frames %llu, kernel drops %llu, malformed %llu, "
	    "duplicates %llu", (unsigned long long)s->dec.frames,
	    (unsigned long long)s->kernel_drops,
	    (unsigned long long)ts_decode_malformed_total(&s->dec),
	    (unsigned long long)s->duplicates);
	if (s->cov_since != 0)
		ts_out_line(&o, "coverage since %s: RSTs seen %llu of the "
		    "kernel's %llu (%s), failed attempts seen %llu of %llu "
		    "(%s)", ts_time_str(s->cov_since, t, sizeof(t)),
		    (unsigned long long)s->cov_rsts_seen,
		    (unsigned long long)s->cov_rsts_kernel,
		    share(s->cov_rsts_seen, s->cov_rsts_kernel, p1, sizeof(p1)),
		    (unsigned long long)s->cov_fails_seen,
		    (unsigned long long)s->cov_fails_kernel,
		    share(s->cov_fails_seen, s->cov_fails_kernel, p2,
		    sizeof(p2)));
	else
		ts_out_line(&o, "coverage: not measured yet");
	if (!s->hc_ok) {
		ts_out_line(&o, "kernel TCP counters: unreadable: %s",
		    s->hc_err);
		return 0;
	}
	for (int h = 0; h < TS_HC__COUNT && n < sizeof(line); h++)
		if (s->hc.present[h])
			n += (size_t)snprintf(line + n, sizeof(line) - n,
			    "%s%s %llu", n ? ", " : "", ts_hostctr_name(h),
			    (unsigned long long)s->hc.v[h]);
	ts_out_line(&o, "kernel TCP counters: %s", line);
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		ts_window_str(s->windows[w], wl[w], sizeof(wl[w]));
	n = (size_t)snprintf(line, sizeof(line), "kernel TCP rates /s (%s, %s, "
	    "%s):", wl[0], wl[1], wl[2]);
	for (int h = 0; h < TS_HR__COUNT && n < sizeof(line); h++) {
		for (int w = 0; w < TS_RATE_WINDOWS; w++)
			ts_milli_str(s->hc_rate[h][w], m[w], sizeof(m[w]));
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s %s %s %s "
		    "%s", h ? ";" : "", ts_hostctr_name(ts_hr_counter(h)),
		    m[0], m[1], m[2]);
	}
	ts_out_line(&o, "%s", line);
	return 0;
}

static json_t *
json_text_or_null(const char *s)
{
	return s[0] != '\0' ? json_string(s) : json_null();
}

static int
capture_json(FILE *fp, const struct ts_view_data *d,
    const struct ts_ctl_req *r)
{
	const struct ts_snapshot *s = d->snap;
	json_t *root = json_object(), *o, *v;
	int rc;

	(void)r;
	json_object_set_new(root, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "now", ts_json_time(s->wall));
	o = json_object();
	json_object_set_new(o, "state",
	    json_string(ts_cap_state_name(s->cap_state)));
	json_object_set_new(o, "interfaces", json_string(s->cap_ifaces));
	json_object_set_new(o, "linktypes", json_string(s->cap_linktypes));
	json_object_set_new(o, "error", json_text_or_null(s->cap_error));
	json_object_set_new(o, "frames", ts_json_u64(s->dec.frames));
	json_object_set_new(o, "kernel_drops", ts_json_u64(s->kernel_drops));
	json_object_set_new(o, "malformed",
	    ts_json_u64(ts_decode_malformed_total(&s->dec)));
	json_object_set_new(o, "duplicates", ts_json_u64(s->duplicates));
	json_object_set_new(root, "capture", o);
	o = json_object();
	json_object_set_new(o, "since", ts_json_time(s->cov_since));
	json_object_set_new(o, "rsts_seen", ts_json_u64(s->cov_rsts_seen));
	json_object_set_new(o, "rsts_kernel", ts_json_u64(s->cov_rsts_kernel));
	json_object_set_new(o, "failures_seen", ts_json_u64(s->cov_fails_seen));
	json_object_set_new(o, "failures_kernel",
	    ts_json_u64(s->cov_fails_kernel));
	json_object_set_new(root, "coverage", o);
	o = json_object();
	json_object_set_new(o, "readable", json_boolean(s->hc_ok));
	json_object_set_new(o, "error", s->hc_ok ? json_null() :
	    json_string(s->hc_err));
	json_object_set_new(o, "discontinuity", ts_json_time(s->hc_discont));
	v = json_object();
	for (int h = 0; s->hc_ok && h < TS_HC__COUNT; h++)
		if (s->hc.present[h])
			json_object_set_new(v, ts_hostctr_name(h),
			    ts_json_u64(s->hc.v[h]));
	json_object_set_new(o, "values", v);
	v = json_object();
	for (int h = 0; s->hc_ok && h < TS_HR__COUNT; h++)
		json_object_set_new(v, ts_hostctr_name(ts_hr_counter(h)),
		    ts_json_milli(s->hc_rate[h]));
	json_object_set_new(o, "rate_milli", v);
	json_object_set_new(root, "kernel_counters", o);
	rc = json_dumpf(root, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	return rc;
}

/* ------------------------------------------------------------- alarms */

static const char *
alarm_kind(uint8_t kind)
{
	switch (kind) {
	case TS_AL_ENDPOINT:	return "endpoint-rate";
	case TS_AL_HOST:	return "host-rate";
	case TS_AL_DROPS:	return "capture-drops";
	case TS_AL_COVERAGE:	return "coverage-low";
	case TS_AL_LISTENER:	return "listener-drops";
	default:		return "?";
	}
}

static int
alarm_is_rate(const struct ts_alarm *a)
{
	return a->kind == TS_AL_ENDPOINT || a->kind == TS_AL_HOST ||
	    a->kind == TS_AL_LISTENER;
}

/* The raised alarms, sorted by id (caller frees); NULL: none or no memory. */
static const struct ts_alarm **
alarm_list(const struct ts_alarms *al, uint32_t *n)
{
	const struct ts_alarm **list;

	*n = al != NULL ? ts_alarms_active(al) : 0;
	if (*n == 0 || (list = calloc(*n, sizeof(*list))) == NULL) {
		*n = 0;
		return NULL;
	}
	*n = ts_alarms_list(al, list, *n);
	return list;
}

enum { A_ID, A_KIND, A_NAME, A_VALUE, A_LIMIT, A_SINCE, A__N };

static const struct ts_tcol alarm_cols[A__N] = {
	[A_ID] =	{ "ID", NULL, 0, { 0, 0 }, 2 },
	[A_KIND] =	{ "KIND", NULL, 2, { 1, 1 }, 4 },
	[A_NAME] =	{ "NAME", NULL, 0, { 1, 1 }, 15 },
	[A_VALUE] =	{ "VALUE", NULL, 0, { 0, 0 }, 6 },
	[A_LIMIT] =	{ "LIMIT", NULL, 1, { 0, 0 }, 6 },
	[A_SINCE] =	{ "SINCE", "FOR", 1, { 0, 1 }, 4 },
};

/* A rate "2.500/s", drops "1234", coverage "85.0%". */
static const char *
alarm_amount(const struct ts_alarm *a, uint64_t v, char *buf, size_t len)
{
	char m[24];

	if (alarm_is_rate(a))
		snprintf(buf, len, "%s/s", ts_milli_str(v, m, sizeof(m)));
	else if (a->kind == TS_AL_COVERAGE)
		snprintf(buf, len, "%llu.%llu%%", (unsigned long long)(v / 10),
		    (unsigned long long)(v % 10));
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

static const char *
alarm_cell(const void *ctx, const void *row, int c, int longf, char *buf,
    size_t len)
{
	const struct ts_snapshot *s = ctx;
	const struct ts_alarm *a = row;

	switch (c) {
	case A_ID:
		snprintf(buf, len, "%u", a->id);
		return buf;
	case A_KIND:
		return alarm_kind(a->kind);
	case A_NAME:
		return a->name;
	case A_VALUE:
		return alarm_amount(a, alarm_is_rate(a) ? a->rate : a->value,
		    buf, len);
	case A_LIMIT:
		if (a->kind == TS_AL_DROPS)
			return "-";
		return alarm_amount(a, a->threshold, buf, len);
	case A_SINCE:
		if (longf)
			return ts_time_str(a->since_wall, buf, len);
		return ts_idle_str(s->wall - a->since_wall, buf, len);
	default:
		return "";
	}
}

static int
alarms_text(FILE *fp, const struct ts_view_data *d,
    const struct ts_ctl_req *r)
{
	struct ts_out o = { fp, r->width, 0 };
	struct ts_ttable tt = { .cols = alarm_cols, .ncols = A__N,
	    .cell = alarm_cell, .ctx = d->snap };
	const struct ts_alarm **list;
	uint32_t n, shown;

	list = alarm_list(d->alarms, &n);
	shown = r->top != 0 && r->top < n ? r->top : n;
	ts_out_line(&o, "alarms raised: %u", n);
	if (n == 0)
		return 0;
	ts_ttable_layout(&tt, (const void *const *)list, shown, r->width);
	fputc('\n', fp);
	ts_ttable_line(&o, &tt, NULL);
	for (uint32_t i = 0; i < shown; i++)
		ts_ttable_line(&o, &tt, list[i]);
	if (shown < n)
		ts_out_line(&o, "(%u more alarms; top=0 shows all)", n - shown);
	free(list);
	return 0;
}

static int
alarms_json(FILE *fp, const struct ts_view_data *d,
    const struct ts_ctl_req *r)
{
	const struct ts_alarm **list;
	json_t *root = json_object(), *arr = json_array();
	char buf[TS_EPSTRLEN];
	uint32_t n, shown;
	int rc;

	list = alarm_list(d->alarms, &n);
	shown = r->top != 0 && r->top < n ? r->top : n;
	json_object_set_new(root, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "now", ts_json_time(d->snap->wall));
	json_object_set_new(root, "raised", json_integer(n));
	for (uint32_t i = 0; i < shown; i++) {
		const struct ts_alarm *a = list[i];
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(a->id));
		json_object_set_new(o, "kind", json_string(alarm_kind(a->kind)));
		json_object_set_new(o, "name", json_string(a->name));
		if (a->kind == TS_AL_ENDPOINT) {
			json_object_set_new(o, "endpoint", json_string(
			    ts_epkey_str(&a->key, buf, sizeof(buf))));
			json_object_set_new(o, "interface", a->ifname[0] ?
			    json_string(a->ifname) : json_null());
		}
		if (a->kind == TS_AL_ENDPOINT || a->kind == TS_AL_LISTENER)
			json_object_set_new(o, "netns", json_integer(a->netns));
		if (a->kind == TS_AL_LISTENER) {
			json_object_set_new(o, "endpoint", json_string(
			    ts_epkey_str(&a->key, buf, sizeof(buf))));
			json_object_set_new(o, "owner", json_string(a->owner));
			json_object_set_new(o, "backlog", json_integer(a->backlog));
			json_object_set_new(o, "queue", json_integer(a->queue));
			json_object_set_new(o, "drops", ts_json_u64(a->value));
		}
		if (alarm_is_rate(a)) {
			json_object_set_new(o, "rate_milli",
			    json_integer(a->rate));
			json_object_set_new(o, "threshold_milli",
			    json_integer(a->threshold));
		} else if (a->kind == TS_AL_COVERAGE) {
			json_object_set_new(o, "coverage_permille",
			    ts_json_u64(a->value));
			json_object_set_new(o, "limit_permille",
			    json_integer(a->threshold));
		} else {
			json_object_set_new(o, "drops", ts_json_u64(a->value));
		}
		json_object_set_new(o, "since", ts_json_time(a->since_wall));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "alarms", arr);
	free(list);
	rc = json_dumpf(root, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	return rc;
}

/* ---------------------------------------------------------- the table */

typedef int (*render_fn)(FILE *, const struct ts_view_data *,
	    const struct ts_ctl_req *);

static const struct {
	render_fn	text, json;
} views[TS_VIEW__COUNT] = {
	[TS_VIEW_ENDPOINTS] =	{ endpoints, endpoints },
	[TS_VIEW_CAPTURE] =	{ capture_text, capture_json },
	[TS_VIEW_ALARMS] =	{ alarms_text, alarms_json },
};

void
ts_view_error(FILE *fp, const char *msg)
{
	json_t *o = json_pack("{s:i,s:s}", "protocol", TS_CTL_VERSION,
	    "error", msg);

	if (o != NULL)
		json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(o);
}

int
ts_view_reply(FILE *fp, const struct ts_ctl_req *r,
    const struct ts_view_data *d, size_t max, char *err, size_t errlen)
{
	const char *name = ts_ctl_view_name(r->view);
	struct ts_capbuf cb;
	FILE *tf;
	json_t *o;
	int rc;

	if ((unsigned)r->view >= TS_VIEW__COUNT ||
	    views[r->view].text == NULL) {
		snprintf(err, errlen, "no such view");
		return -1;
	}
	if (d->snap == NULL) {
		snprintf(err, errlen, "no table yet: tcpsleuthd is starting");
		return -1;
	}
	if (r->json) {
		fprintf(fp, "{\"protocol\":%d,\"view\":\"%s\",\"json\":",
		    TS_CTL_VERSION, name);
		rc = views[r->view].json(fp, d, r);
		fputs("}\n", fp);
		if (rc == -1)
			snprintf(err, errlen, "out of memory");
		return rc == -1 ? -1 : 0;
	}
	if ((tf = ts_capbuf_open(&cb, max)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = views[r->view].text(tf, d, r);
	if (ts_capbuf_close(tf, &cb) == -1 || rc == -1) {
		snprintf(err, errlen, cb.over ? "the text is over %zu bytes: "
		    "ask for fewer rows (top)" : "out of memory", max);
		free(cb.buf);
		return -1;
	}
	o = json_pack("{s:i,s:s,s:s}", "protocol", TS_CTL_VERSION, "view",
	    name, "text", cb.buf);
	free(cb.buf);
	if (o == NULL) {
		snprintf(err, errlen, "the text is not UTF-8");
		return -1;
	}
	rc = json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(o);
	if (rc == -1)
		snprintf(err, errlen, "out of memory");
	return rc;
}
