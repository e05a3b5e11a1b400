/*
 * report.c - text and JSON reports of a snapshot (tcpsleuth builds one
 * from its engine, tcpsleuthd publishes them): the rows in the view's
 * order, the text fitted to the view's width (texttable.h: columns dropped
 * or shortened by priority, like top) and height; JSON always complete,
 * every column.
 */
#include "config.h"

#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "addr.h"
#include "jsonutil.h"
#include "kevreport.h"
#include "report.h"
#include "texttable.h"

static const char *const sort_names[TS_SORT__COUNT] = {
	[TS_SORT_COUNT] = "count", [TS_SORT_RATE] = "rate",
	[TS_SORT_LAST] = "last", [TS_SORT_NAME] = "name",
};

const char *
ts_sort_name(enum ts_sort s)
{
	return (unsigned)s < TS_SORT__COUNT ? sort_names[s] : "?";
}

int
ts_sort_parse(const char *name, enum ts_sort *out)
{
	for (int i = 0; i < TS_SORT__COUNT; i++)
		if (strcmp(name, sort_names[i]) == 0) {
			*out = (enum ts_sort)i;
			return 0;
		}
	return -1;
}

int
ts_sort_key(int ch, enum ts_sort *out)
{
	for (int i = 0; i < TS_SORT__COUNT; i++)
		if (ch == sort_names[i][0]) {
			*out = (enum ts_sort)i;
			return 0;
		}
	return -1;
}

/* By endpoint, then by namespace. */
static int
row_cmp(const struct ts_snap_row *x, const struct ts_snap_row *y)
{
	int c = ts_epkey_cmp(&x->key, &y->key);

	if (c != 0)
		return c;
	return x->netns < y->netns ? -1 : x->netns > y->netns;
}

/* Most failures first, then most unsolicited, then by endpoint. */
static int
count_cmp(const struct ts_snap_row *x, const struct ts_snap_row *y)
{
	if (x->failures != y->failures)
		return x->failures > y->failures ? -1 : 1;
	if (x->count[TS_CL_UNSOLICITED] != y->count[TS_CL_UNSOLICITED])
		return x->count[TS_CL_UNSOLICITED] >
		    y->count[TS_CL_UNSOLICITED] ? -1 : 1;
	return row_cmp(x, y);
}

struct sortent {
	const struct ts_snap_row	*r;
	uint64_t			 k;	/* larger first; name: unused */
};

static int
sortent_cmp(const void *a, const void *b)
{
	const struct sortent *x = a, *y = b;

	if (x->k != y->k)
		return x->k > y->k ? -1 : 1;
	return count_cmp(x->r, y->r);
}

static int
sortent_name_cmp(const void *a, const void *b)
{
	const struct sortent *x = a, *y = b;

	return row_cmp(x->r, y->r);
}

/* Rows in the view's order; caller frees.  *n is the number returned. */
static const struct ts_snap_row **
sorted_rows(const struct ts_snapshot *s, enum ts_sort sort, size_t *n)
{
	size_t max = s->nrows;
	const struct ts_snap_row **rows = calloc(max ? max : 1, sizeof(*rows));
	struct sortent *se = calloc(max ? max : 1, sizeof(*se));

	*n = 0;
	if (rows == NULL || se == NULL) {
		free(rows);
		free(se);
		return NULL;
	}
	for (size_t i = 0; i < max; i++) {
		se[i].r = &s->rows[i];
		se[i].k = sort == TS_SORT_RATE ? s->rows[i].rate[0] :
		    sort == TS_SORT_LAST ? (uint64_t)s->rows[i].last : 0;
	}
	qsort(se, max, sizeof(*se), sort == TS_SORT_NAME ? sortent_name_cmp :
	    sortent_cmp);
	for (size_t i = 0; i < max; i++)
		rows[i] = se[i].r;
	*n = max;
	free(se);
	return rows;
}

static const char *
row_ifname(const struct ts_snap_row *r, char *buf, size_t len)
{
	if (r->ifname[0] != '\0')
		return r->ifname;
	if (r->ifindex != 0)
		snprintf(buf, len, "if%u", r->ifindex);
	else
		snprintf(buf, len, "-");
	return buf;
}

/* Failures by class and IP version: across if it fits, else down. */
static void
class_table(struct ts_out *o, const uint64_t (*failures)[2])
{
	char line[3][512];
	size_t len[3] = { 0, 0, 0 };
	static const char *const lab[3] = { "class", "ipv4", "ipv6" };

	for (int i = 0; i < 3; i++)
		len[i] = (size_t)snprintf(line[i], sizeof(line[i]), "%-5s",
		    lab[i]);
	for (int c = 0; c < TS_CL__COUNT; c++) {
		char v[2][24];
		int w = (int)strlen(ts_class_name(c));

		for (int f = 0; f < 2; f++) {
			int l = snprintf(v[f], sizeof(v[f]), "%llu",
			    (unsigned long long)failures[c][f]);

			if (l > w)
				w = l;
		}
		len[0] += (size_t)snprintf(line[0] + len[0], sizeof(line[0]) -
		    len[0], " %*s", w, ts_class_name(c));
		for (int f = 0; f < 2; f++)
			len[f + 1] += (size_t)snprintf(line[f + 1] + len[f + 1],
			    sizeof(line[f + 1]) - len[f + 1], " %*s", w, v[f]);
	}
	if (o->width == 0 || len[0] <= o->width) {
		for (int i = 0; i < 3; i++)
			ts_out_line(o, "%s", line[i]);
		return;
	}
	ts_out_line(o, "%-16s %10s %10s", "class", "ipv4", "ipv6");
	for (int c = 0; c < TS_CL__COUNT; c++)
		ts_out_line(o, "%-16s %10llu %10llu", ts_class_name(c),
		    (unsigned long long)failures[c][0],
		    (unsigned long long)failures[c][1]);
}

/* The endpoint table's columns, in the order printed (texttable.h). */
enum col {
	C_EP, C_IF, C_WHERE, C_FAILS, C_REF, C_UNR, C_TMO, C_OVF, C_HSR, C_ABT,
	C_UNSOL, C_RATE0, C_RATE1, C_RATE2, C_PEERS, C_LPEER, C_LAST,
	C_CALLER, C_ERRNO, C_LSN,	/* the kernel event source's */
	C__N
};

static const struct ts_tcol cols[C__N] = {
	[C_EP] =	{ "ENDPOINT", NULL, 0, { 1, 1 }, 15 },
	[C_IF] =	{ "IFACE", NULL, 3, { 1, 1 }, 5 },
	[C_WHERE] =	{ "WHERE", NULL, 4, { 1, 1 }, 7 },
	[C_FAILS] =	{ "FAILS", NULL, 0, { 0, 0 }, 6 },
	[C_REF] =	{ "REFUSE", NULL, 2, { 0, 0 }, 6 },
	[C_UNR] =	{ "UNREAC", NULL, 2, { 0, 0 }, 6 },
	[C_TMO] =	{ "TIMEOUT", NULL, 2, { 0, 0 }, 6 },
	[C_OVF] =	{ "LSNOVF", NULL, 2, { 0, 0 }, 6 },	/* lsn_watched */
	[C_HSR] =	{ "HSRST", NULL, 5, { 0, 0 }, 6 },
	[C_ABT] =	{ "ABORT", NULL, 5, { 0, 0 }, 6 },
	[C_UNSOL] =	{ "UNSOL", NULL, 7, { 0, 0 }, 6 },
	[C_RATE0] =	{ NULL, NULL, 0, { 0, 0 }, 8 },	/* "RATE1m/s" ... */
	[C_RATE1] =	{ NULL, NULL, 8, { 0, 0 }, 8 },
	[C_RATE2] =	{ NULL, NULL, 8, { 0, 0 }, 8 },
	[C_PEERS] =	{ "PEERS", NULL, 6, { 0, 0 }, 5 },
	[C_LPEER] =	{ "LAST PEER", NULL, 6, { 1, 1 }, 21 },
	[C_LAST] =	{ "LAST SEEN", "IDLE", 1, { 0, 1 }, 4 },
	[C_CALLER] =	{ "LAST CALLER", NULL, 2, { 1, 1 }, 11 },
	[C_ERRNO] =	{ "KERNEL ERRNO", NULL, 3, { 1, 1 }, 12 },
	[C_LSN] =	{ "LAST LISTENER", NULL, 4, { 1, 1 }, 13 },
};

struct table {
	struct kevreport kev;	/* its columns shown while it runs */
	ts_ns	now;
	char	rate_head[TS_RATE_WINDOWS][24];
};

/*
 * A row's endpoint as the table prints it: a row of another namespace
 * (named "net:[N] ..." in tcpsleuthEpName, which never changes) with the
 * namespace's name as the namespace table gives it now, so two
 * containers' 127.0.0.1:7211 read apart.
 */
static const char *
ep_text(const struct ts_snapshot *s, const struct ts_snap_row *r, char *buf,
    size_t len)
{
	char ep[TS_EPSTRLEN];

	if (strncmp(r->name, "net:[", 5) != 0)
		return ts_epkey_str(&r->key, buf, len);
	for (size_t i = 0; s != NULL && i < s->nns; i++)
		if (s->ns[i].ino == r->netns && s->ns[i].name[0] != '\0') {
			snprintf(buf, len, "%.24s %s", s->ns[i].name,
			    ts_epkey_str(&r->key, ep, sizeof(ep)));
			return buf;
		}
	return r->name;
}

static const char *
cell(const void *ctx, const void *row, int c, int longf, char *buf,
    size_t len)
{
	static const enum ts_class cls[] = { [C_REF] = TS_CL_REFUSED,
	    [C_UNR] = TS_CL_UNREACH, [C_TMO] = TS_CL_TIMEOUT,
	    [C_HSR] = TS_CL_HSRESET, [C_ABT] = TS_CL_ABORT,
	    [C_UNSOL] = TS_CL_UNSOLICITED };
	const struct table *t = ctx;
	const struct ts_snap_row *r = row;

	if (r == NULL)		/* only the rates' heads are not constant */
		return t->rate_head[c - C_RATE0];
	switch ((enum col)c) {
	case C_EP:
		return ep_text(t->kev.s, r, buf, len);
	case C_IF:
		return row_ifname(r, buf, len);
	case C_WHERE:
		return ts_loc_name(r->loc);
	case C_FAILS:
		snprintf(buf, len, "%llu", (unsigned long long)r->failures);
		return buf;
	case C_REF: case C_UNR: case C_TMO: case C_HSR: case C_ABT:
	case C_UNSOL:
		snprintf(buf, len, "%llu",
		    (unsigned long long)r->count[cls[c]]);
		return buf;
	case C_OVF:
		snprintf(buf, len, "%llu", (unsigned long long)r->lsn_overflows);
		return buf;
	case C_RATE0: case C_RATE1: case C_RATE2:
		return ts_milli_str(r->rate[c - C_RATE0], buf, len);
	case C_PEERS:
		snprintf(buf, len, "%u", r->peers);
		return buf;
	case C_LPEER:
		if (r->failures == 0)
			return "-";
		return ts_peer_str(&r->key, r->peer, r->peer_port, buf, len);
	case C_LAST:
		if (longf || r->last <= 0)
			return ts_time_str(r->last, buf, len);
		return ts_idle_str(t->now - r->last, buf, len);
	case C_CALLER:
		return kevreport_cell(&t->kev, r, KEVR_CALLER, t->now, buf, len);
	case C_ERRNO:
		return kevreport_cell(&t->kev, r, KEVR_ERRNO, t->now, buf, len);
	case C_LSN:
		return kevreport_cell(&t->kev, r, KEVR_LISTENER, t->now, buf,
		    len);
	case C__N:
		break;
	}
	return "";
}

void
ts_report_text(FILE *fp, const struct ts_snapshot *s,
    const struct ts_report_src *src, ts_ns now,
    const struct ts_report_view *v)
{
	const struct ts_classify_stats *cs = &s->cls;
	const struct ts_decode_stats *ds = &s->dec;
	const struct ts_snap_row **rows;
	struct ts_out o = { fp, v->width, 0 };
	struct table t;
	struct ts_ttable tt = { .cols = cols, .ncols = C__N, .cell = cell,
	    .ctx = &t, .off = s->lsn_watched ? 0 : 1u << C_OVF };
	char t1[TS_TIMESTRLEN], t2[TS_TIMESTRLEN], drops[48] = "";
	char r[3][24], wl[3][16], mal[512] = "", kline[512];
	size_t n, shown, fit;
	uint64_t nmal = ts_decode_malformed_total(ds);

	ts_out_line(&o, "source: %s %s (%s)", src->mode, src->names,
	    src->linktype);
	ts_out_line(&o, "time: %s .. %s", ts_time_str(s->first_ts, t1,
	    sizeof(t1)), ts_time_str(s->last_ts, t2, sizeof(t2)));
	if (src->have_drops)
		snprintf(drops, sizeof(drops), ", kernel drops %llu",
		    (unsigned long long)s->kernel_drops);
	ts_out_line(&o, "frames %llu: ipv4 %llu, ipv6 %llu, tcp %llu, "
	    "icmp-unreachable %llu, duplicates %llu, malformed %llu%s",
	    (unsigned long long)ds->frames, (unsigned long long)ds->ip4,
	    (unsigned long long)ds->ip6, (unsigned long long)ds->tcp,
	    (unsigned long long)ds->icmp_unreach,
	    (unsigned long long)s->duplicates, (unsigned long long)nmal,
	    drops);
	ts_out_line(&o, "attempts: ipv4 %llu, ipv6 %llu; syn retransmits %llu, "
	    "syn-acks %llu, pending %llu",
	    (unsigned long long)cs->attempts[0],
	    (unsigned long long)cs->attempts[1],
	    (unsigned long long)cs->syn_retx, (unsigned long long)cs->synacks,
	    (unsigned long long)s->pending);
	ts_out_line(&o, "rsts: ipv4 %llu, ipv6 %llu",
	    (unsigned long long)cs->rsts[0], (unsigned long long)cs->rsts[1]);
	memset(&t, 0, sizeof(t));
	t.kev.s = s;
	t.kev.ks = src->kev;
	t.kev.row = src->kev_row;
	ts_out_line(&o, "kernel events: %s", kevreport_line(&t.kev, kline,
	    sizeof(kline)));
	class_table(&o, cs->failures);
	if (nmal != 0) {
		size_t l = 0;

		for (int m = 0; m < TS_MAL__COUNT && l < sizeof(mal); m++)
			if (ds->malformed[m] != 0)
				l += (size_t)snprintf(mal + l, sizeof(mal) - l,
				    "%s %s %llu", l ? "," : "", ts_mal_name(m),
				    (unsigned long long)ds->malformed[m]);
		ts_out_line(&o, "malformed:%s", mal);
	}
	t.now = now;
	for (int w = 0; w < TS_RATE_WINDOWS; w++) {
		ts_milli_str(s->fail_rate[w], r[w], sizeof(r[w]));
		ts_window_str(s->windows[w], wl[w], sizeof(wl[w]));
		snprintf(t.rate_head[w], sizeof(t.rate_head[w]), "RATE%s/s",
		    wl[w]);
	}
	ts_out_line(&o, "failure rate /s: %s (%s) %s (%s) %s (%s)", r[0], wl[0],
	    r[1], wl[1], r[2], wl[2]);
	ts_out_line(&o, "table: %zu rows of %u; admissions %llu, evictions "
	    "%llu, expiries %llu; other: %llu failures, %llu unsolicited",
	    s->nrows, s->max_rows, (unsigned long long)s->admissions,
	    (unsigned long long)s->evictions, (unsigned long long)s->expiries,
	    (unsigned long long)s->other.failures,
	    (unsigned long long)s->other.count[TS_CL_UNSOLICITED]);
	if (!kevreport_running(&t.kev))
		tt.off |= 1u << C_CALLER | 1u << C_ERRNO | 1u << C_LSN;
	if (v->keys)
		ts_out_line(&o, "sorted by %s; keys: c count, r rate, "
		    "l last seen, n name; q quits", ts_sort_name(v->sort));

	rows = sorted_rows(s, v->sort, &n);
	shown = v->top != 0 && v->top < n ? v->top : n;
	/*
	 * Below the lines so far: a blank line, the heads, the rows, the
	 * "more" line, the blank line the live view ends with, and the
	 * cursor's line, which must not scroll the screen.
	 */
	fit = v->height > o.lines + 6 ? v->height - o.lines - 5 : 1;
	if (v->height != 0 && shown > fit)
		shown = fit;
	ts_ttable_layout(&tt, (const void *const *)rows, shown, v->width);
	fputc('\n', fp);
	o.lines++;
	ts_ttable_line(&o, &tt, NULL);
	for (size_t i = 0; rows != NULL && i < shown; i++)
		ts_ttable_line(&o, &tt, rows[i]);
	if (shown < n)
		ts_out_line(&o, "(%zu more rows; %s)", n - shown,
		    shown == v->top ? "--top 0 shows all" :
		    "a taller terminal shows more");
	free(rows);
}

static json_t *
json_counts(const uint64_t *v, int n, const char *const *names)
{
	json_t *o = json_object();

	for (int i = 0; i < n; i++)
		json_object_set_new(o, names[i], json_integer((json_int_t)v[i]));
	return o;
}

static json_t *
json_classes(const uint64_t *count)
{
	const char *names[TS_CL__COUNT];

	for (int c = 0; c < TS_CL__COUNT; c++)
		names[c] = ts_class_name(c);
	return json_counts(count, TS_CL__COUNT, names);
}

/*
 * lsn: the listeners were watched, so the row's listener_overflows count;
 * kev: the kernel event source's view of it.
 */
static json_t *
json_row(const struct ts_snap_row *r, ts_ns now, int lsn,
    const struct kevreport *kev)
{
	json_t *k;
	char buf[TS_EPSTRLEN], a[TS_ADDRSTRLEN];
	json_t *o = json_object();
	static const char *const by[] = { "service", "client" };

	json_object_set_new(o, "endpoint", json_string(ts_epkey_str(&r->key,
	    buf, sizeof(buf))));
	if (r->key.family != 0) {
		if (r->netns != 0)	/* tcpsleuthd's rows: their namespace */
			json_object_set_new(o, "netns", json_integer(r->netns));
		json_object_set_new(o, "family",
		    json_string(ts_family_name(r->key.family)));
		json_object_set_new(o, "address", json_string(ts_addr_str(
		    r->key.family, r->key.addr, a, sizeof(a))));
		json_object_set_new(o, "port", json_integer(r->key.port));
		json_object_set_new(o, "scope", json_integer(r->key.scope));
		json_object_set_new(o, "interface", r->ifname[0] ?
		    json_string(r->ifname) : json_null());
		json_object_set_new(o, "ifindex", json_integer(r->ifindex));
		json_object_set_new(o, "location",
		    json_string(ts_loc_name(r->loc)));
		json_object_set_new(o, "created", ts_json_time(r->created));
		json_object_set_new(o, "first_seen", ts_json_time(r->first));
		json_object_set_new(o, "last_seen", ts_json_time(r->last));
		json_object_set_new(o, "seconds_since_last", r->last > 0 ?
		    json_integer((json_int_t)((now - r->last) /
		    TS_NS_PER_SEC)) : json_null());
		json_object_set_new(o, "peers", json_integer(r->peers));
		if (r->failures != 0) {
			json_object_set_new(o, "last_peer", json_pack("{s:s,s:i}",
			    "address", ts_addr_str(r->key.family, r->peer, a,
			    sizeof(a)), "port", r->peer_port));
			json_object_set_new(o, "last_class",
			    json_string(ts_class_name(r->last_cls)));
		}
		if (r->count[TS_CL_UNREACH] != 0)
			json_object_set_new(o, "last_unreachable",
			    json_pack("{s:i,s:i,s:s}", "type", r->icmp_type,
			    "code", r->icmp_code, "from", ts_addr_str(
			    r->key.family, r->icmp_from, a, sizeof(a))));
		json_object_set_new(o, "rate_milli", ts_json_milli(r->rate));
	}
	json_object_set_new(o, "failures",
	    json_integer((json_int_t)r->failures));
	json_object_set_new(o, "counts", json_classes(r->count));
	json_object_set_new(o, "rst_by", json_counts(r->rst_by + 1, 2, by));
	json_object_set_new(o, "syn_retransmits",
	    json_integer((json_int_t)r->syn_retx));
	if (lsn)
		json_object_set_new(o, "listener_overflows",
		    json_integer((json_int_t)r->lsn_overflows));
	if (r->key.family != 0 && (k = kevreport_row_json(kev, r)) != NULL)
		json_object_set_new(o, "kernel", k);
	return o;
}

/* Printed by jansson as it is: no character it would escape. */
#define ROWS_MARK	"@@tcpsleuth-rows@@"

/* Write s with every newline followed by pad (a row nested in the array). */
static void
put_indented(FILE *fp, const char *s, const char *pad)
{
	for (; *s != '\0'; s++) {
		fputc(*s, fp);
		if (*s == '\n')
			fputs(pad, fp);
	}
}

/*
 * root as json_dumpf() would write it, its "endpoints" marker replaced by
 * the n rows, each built, written and freed in turn.
 */
static int
dump_streamed(FILE *fp, json_t *root, const struct ts_snap_row **rows,
    size_t n, ts_ns now, int compact, int lsn, const struct kevreport *kev)
{
	size_t flags = (compact ? JSON_COMPACT : JSON_INDENT(2)) |
	    JSON_PRESERVE_ORDER;
	char *text, *mark = NULL;
	const char *quoted = "\"" ROWS_MARK "\"";

	if ((text = json_dumps(root, flags)) == NULL)
		return -1;
	/*
	 * The last one: a capture file's name, printed before, may hold the
	 * marker; nothing after "endpoints" holds a string that long.
	 */
	for (char *p = text; (p = strstr(p, quoted)) != NULL; p++)
		mark = p;
	if (mark == NULL) {
		free(text);
		return -1;
	}
	fwrite(text, 1, (size_t)(mark - text), fp);
	fputc('[', fp);
	for (size_t i = 0; rows != NULL && i < n; i++) {
		json_t *row = json_row(rows[i], now, lsn, kev);
		char *rt = json_dumps(row, flags);

		json_decref(row);
		if (rt == NULL) {
			free(text);
			return -1;
		}
		if (i > 0)
			fputc(',', fp);
		if (compact)
			fputs(rt, fp);
		else {
			fputs("\n    ", fp);
			put_indented(fp, rt, "    ");
		}
		free(rt);
	}
	if (!compact && n > 0)
		fputs("\n  ", fp);
	fputc(']', fp);
	fputs(mark + strlen(quoted), fp);
	fputc('\n', fp);
	free(text);
	return ferror(fp) ? -1 : 0;
}

int
ts_report_json(FILE *fp, const struct ts_snapshot *s,
    const struct ts_report_src *src, ts_ns now,
    const struct ts_report_view *v, int compact)
{
	const struct ts_classify_stats *cs = &s->cls;
	const struct ts_decode_stats *ds = &s->dec;
	static const char *const fam[] = { "ipv4", "ipv6" };
	const struct ts_snap_row **rows;
	const struct kevreport kev = { s, src->kev, src->kev_row };
	json_t *root, *o, *arr;
	size_t n, shown;
	int rc;

	rows = sorted_rows(s, v->sort, &n);
	shown = v->top != 0 && v->top < n ? v->top : n;
	root = json_object();
	json_object_set_new(root, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "source", json_pack("{s:s,s:s,s:s}", "mode",
	    src->mode, "name", src->names, "linktype", src->linktype));
	if (src->have_drops)
		json_object_set_new(json_object_get(root, "source"),
		    "kernel_drops", json_integer((json_int_t)s->kernel_drops));
	json_object_set_new(root, "kernel", kevreport_json(&kev));
	json_object_set_new(root, "first_packet", ts_json_time(s->first_ts));
	json_object_set_new(root, "last_packet", ts_json_time(s->last_ts));
	json_object_set_new(root, "now", ts_json_time(now));
	arr = json_array();
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		json_array_append_new(arr, json_integer((json_int_t)
		    (s->windows[w] / TS_NS_PER_SEC)));
	json_object_set_new(root, "rate_windows_s", arr);

	o = json_object();
	json_object_set_new(o, "frames", json_integer((json_int_t)ds->frames));
	json_object_set_new(o, "ipv4", json_integer((json_int_t)ds->ip4));
	json_object_set_new(o, "ipv6", json_integer((json_int_t)ds->ip6));
	json_object_set_new(o, "tcp", json_integer((json_int_t)ds->tcp));
	json_object_set_new(o, "icmp_unreachable",
	    json_integer((json_int_t)ds->icmp_unreach));
	json_object_set_new(o, "duplicates",
	    json_integer((json_int_t)s->duplicates));
	json_object_set_new(o, "attempts", json_counts(cs->attempts, 2, fam));
	json_object_set_new(o, "syn_retransmits",
	    json_integer((json_int_t)cs->syn_retx));
	json_object_set_new(o, "synacks", json_integer((json_int_t)cs->synacks));
	json_object_set_new(o, "synacks_without_syn",
	    json_integer((json_int_t)cs->synack_nostate));
	json_object_set_new(o, "icmp_unmatched",
	    json_integer((json_int_t)cs->icmp_unmatched));
	json_object_set_new(o, "late_answers",
	    json_integer((json_int_t)cs->late_answers));
	json_object_set_new(o, "late_synacks",
	    json_integer((json_int_t)cs->late_synacks));
	json_object_set_new(o, "pending", json_integer((json_int_t)s->pending));
	json_object_set_new(o, "rsts", json_counts(cs->rsts, 2, fam));
	arr = json_object();
	for (int c = 0; c < TS_CL__COUNT; c++)
		json_object_set_new(arr, ts_class_name(c),
		    json_counts(cs->failures[c], 2, fam));
	json_object_set_new(o, "classes", arr);
	json_object_set_new(o, "failures", json_counts(s->failures, 2, fam));
	json_object_set_new(o, "rate_milli", ts_json_milli(s->fail_rate));
	arr = json_object();
	json_object_set_new(arr, "total",
	    json_integer((json_int_t)ts_decode_malformed_total(ds)));
	for (int m = 0; m < TS_MAL__COUNT; m++)
		json_object_set_new(arr, ts_mal_name(m),
		    json_integer((json_int_t)ds->malformed[m]));
	json_object_set_new(o, "malformed", arr);
	arr = json_object();
	for (int k = 0; k < TS_SKIP__COUNT; k++)
		json_object_set_new(arr, ts_skip_name(k),
		    json_integer((json_int_t)ds->skipped[k]));
	json_object_set_new(o, "skipped", arr);
	json_object_set_new(o, "flows", json_pack("{s:i,s:i,s:i,s:i}",
	    "active", (json_int_t)s->flows,
	    "evicted", (json_int_t)cs->flows_evicted,
	    "attempts_lost", (json_int_t)cs->attempts_lost,
	    "expired", (json_int_t)cs->flows_expired));
	json_object_set_new(root, "totals", o);

	json_object_set_new(root, "table", json_pack(
	    "{s:i,s:i,s:i,s:i,s:i,s:i,s:i}",
	    "rows", (json_int_t)s->nrows,
	    "max_rows", (json_int_t)s->max_rows,
	    "admissions", (json_int_t)s->admissions,
	    "evictions", (json_int_t)s->evictions,
	    "expiries", (json_int_t)s->expiries,
	    "other_events", (json_int_t)s->other_events,
	    "omitted", (json_int_t)(n - shown)));

	/*
	 * The rows are written one at a time, not built as one tree first
	 * (at 4096 rows that tree was 22 MB): "endpoints" holds a marker,
	 * replaced in the output by the rows as jansson would print them.
	 */
	json_object_set_new(root, "endpoints", json_string(ROWS_MARK));
	json_object_set_new(root, "other", json_row(&s->other, now,
	    s->lsn_watched, &kev));
	rc = dump_streamed(fp, root, rows, shown, now, compact, s->lsn_watched,
	    &kev);
	free(rows);
	json_decref(root);
	return rc;
}

void
ts_report_event(FILE *fp, const struct ts_event *ev, const char *ifname,
    const char *reason)
{
	char a[TS_ADDRSTRLEN], b[TS_ADDRSTRLEN];
	json_t *o;

	o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:i,s:s,s:i}",
	    "ts", ts_json_time(ev->ts),
	    "class", ts_class_name(ev->cls),
	    "zeek", ts_class_zeek(ev->cls, ev->rst_by),
	    "rst_by", ts_rst_by_name(ev->rst_by),
	    "family", ts_family_name(ev->family),
	    "service", ts_addr_str(ev->family, ev->svc, a, sizeof(a)),
	    "service_port", ev->svc_port,
	    "peer", ts_addr_str(ev->family, ev->peer, b, sizeof(b)),
	    "peer_port", ev->peer_port,
	    "location", ts_loc_name(ev->loc),
	    "syn_retransmits", (json_int_t)ev->syn_retx);
	if (o == NULL)
		return;
	if (ifname != NULL)
		json_object_set_new(o, "interface", json_string(ifname));
	if (ev->cls == TS_CL_UNREACH)
		json_object_set_new(o, "icmp", json_pack("{s:i,s:i,s:s}", "type",
		    ev->icmp_type, "code", ev->icmp_code, "from", ts_addr_str(
		    ev->family, ev->icmp_from, a, sizeof(a))));
	if (reason != NULL)
		json_object_set_new(o, "reason", json_string(reason));
	json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	fflush(fp);
	json_decref(o);
}
