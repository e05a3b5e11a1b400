/*
 * report.c - text and JSON reports.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "addr.h"
#include "report.h"

/* JSON keys name the windows' slots by their default lengths. */
static const char *const win_names[TS_RATE_WINDOWS] = { "1m", "5m", "15m" };

/* "1m", "5m", "90s": a window's length for people. */
static const char *
win_label(ts_ns w, char *buf, size_t len)
{
	long long s = (long long)((w + TS_NS_PER_SEC / 2) / TS_NS_PER_SEC);

	if (s >= 60 && s % 60 == 0)
		snprintf(buf, len, "%lldm", s / 60);
	else
		snprintf(buf, len, "%llds", s);
	return buf;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct ts_row *x = *(const struct ts_row *const *)a;
	const struct ts_row *y = *(const struct ts_row *const *)b;
	uint64_t fx = ts_row_failures(x), fy = ts_row_failures(y);
	int c;

	if (fx != fy)
		return fx > fy ? -1 : 1;
	if (x->count[TS_CL_UNSOLICITED] != y->count[TS_CL_UNSOLICITED])
		return x->count[TS_CL_UNSOLICITED] >
		    y->count[TS_CL_UNSOLICITED] ? -1 : 1;
	if (x->key.family != y->key.family)
		return x->key.family < y->key.family ? -1 : 1;
	if ((c = memcmp(x->key.addr, y->key.addr, 16)) != 0)
		return c;
	if (x->key.port != y->key.port)
		return x->key.port < y->key.port ? -1 : 1;
	return x->key.scope < y->key.scope ? -1 : x->key.scope > y->key.scope;
}

/* Rows sorted by failures; caller frees.  *n is the number returned. */
static const struct ts_row **
sorted_rows(const struct ts_engine *e, uint32_t *n)
{
	uint32_t max = ts_eptab_rows(e->ep);
	const struct ts_row **rows = calloc(max ? max : 1, sizeof(*rows));

	if (rows == NULL) {
		*n = 0;
		return NULL;
	}
	*n = ts_eptab_list(e->ep, rows, max);
	qsort(rows, *n, sizeof(*rows), row_cmp);
	return rows;
}

static void
text_rate(char *buf, size_t len, uint64_t milli)
{
	snprintf(buf, len, "%llu.%03llu", (unsigned long long)(milli / 1000),
	    (unsigned long long)(milli % 1000));
}

static const char *
row_ifname(const struct ts_row *r, char *buf, size_t len)
{
	if (r->ifname[0] != '\0')
		return r->ifname;
	if (r->ifindex != 0)
		snprintf(buf, len, "if%u", r->ifindex);
	else
		snprintf(buf, len, "-");
	return buf;
}

void
ts_report_text(FILE *fp, const struct ts_engine *e,
    const struct ts_report_src *src, ts_ns now, unsigned top)
{
	const struct ts_classify_stats *cs = ts_classify_stats(e->cl);
	const struct ts_eptab_stats *es = ts_eptab_stats(e->ep);
	const struct ts_decode_stats *ds = &e->dec;
	const struct ts_row **rows, *other = ts_eptab_other(e->ep);
	char t1[TS_TIMESTRLEN], t2[TS_TIMESTRLEN], ep[TS_EPSTRLEN];
	char pa[TS_ADDRSTRLEN], ifb[24], r[3][24], wl[3][16], hdr[24];
	uint32_t n;
	uint64_t mal = ts_decode_malformed_total(ds);
	int first;

	fprintf(fp, "source: %s %s (%s)\n", src->mode, src->names,
	    src->linktype);
	fprintf(fp, "time: %s .. %s\n", ts_time_str(e->st.first_ts, t1,
	    sizeof(t1)), ts_time_str(e->st.last_ts, t2, sizeof(t2)));
	fprintf(fp, "frames %llu: ipv4 %llu, ipv6 %llu, tcp %llu, "
	    "icmp-unreachable %llu, duplicates %llu, malformed %llu",
	    (unsigned long long)ds->frames, (unsigned long long)ds->ip4,
	    (unsigned long long)ds->ip6, (unsigned long long)ds->tcp,
	    (unsigned long long)ds->icmp_unreach,
	    (unsigned long long)e->st.duplicates, (unsigned long long)mal);
	if (src->have_drops)
		fprintf(fp, ", kernel drops %llu",
		    (unsigned long long)src->kernel_drops);
	fputc('\n', fp);
	fprintf(fp, "attempts: ipv4 %llu, ipv6 %llu; syn retransmits %llu, "
	    "syn-acks %llu, pending %llu\n",
	    (unsigned long long)cs->attempts[0],
	    (unsigned long long)cs->attempts[1],
	    (unsigned long long)cs->syn_retx, (unsigned long long)cs->synacks,
	    (unsigned long long)src->pending);
	fprintf(fp, "rsts: ipv4 %llu, ipv6 %llu\n",
	    (unsigned long long)cs->rsts[0], (unsigned long long)cs->rsts[1]);
	fprintf(fp, "%-16s %10s %10s\n", "class", "ipv4", "ipv6");
	for (int c = 0; c < TS_CL__COUNT; c++)
		fprintf(fp, "%-16s %10llu %10llu\n", ts_class_name(c),
		    (unsigned long long)cs->failures[c][0],
		    (unsigned long long)cs->failures[c][1]);
	if (mal != 0) {
		fprintf(fp, "malformed:");
		first = 1;
		for (int m = 0; m < TS_MAL__COUNT; m++)
			if (ds->malformed[m] != 0) {
				fprintf(fp, "%s %s %llu", first ? "" : ",",
				    ts_mal_name(m),
				    (unsigned long long)ds->malformed[m]);
				first = 0;
			}
		fputc('\n', fp);
	}
	for (int w = 0; w < TS_RATE_WINDOWS; w++) {
		text_rate(r[w], sizeof(r[w]), ts_rate_milli(&e->host_rate,
		    &e->conf.eptab.rates, w, now));
		win_label(e->conf.eptab.rates.window[w], wl[w], sizeof(wl[w]));
	}
	fprintf(fp, "failure rate /s: %s (%s) %s (%s) %s (%s)\n", r[0], wl[0],
	    r[1], wl[1], r[2], wl[2]);
	fprintf(fp, "table: %u rows of %u; admissions %llu, evictions %llu, "
	    "expiries %llu; other: %llu failures, %llu unsolicited\n",
	    ts_eptab_rows(e->ep), ts_eptab_conf(e->ep)->max_rows,
	    (unsigned long long)es->admissions,
	    (unsigned long long)es->evictions,
	    (unsigned long long)es->expiries,
	    (unsigned long long)ts_row_failures(other),
	    (unsigned long long)other->count[TS_CL_UNSOLICITED]);

	rows = sorted_rows(e, &n);
	snprintf(hdr, sizeof(hdr), "RATE%s/s", wl[0]);
	fprintf(fp, "\n%-28s %-8s %-7s %6s %6s %6s %6s %6s %6s %6s %9s %5s  %-28s %s\n",
	    "ENDPOINT", "IFACE", "WHERE", "FAILS", "REFUSE", "UNREAC",
	    "TIMEOUT", "HSRST", "ABORT", "UNSOL", hdr, "PEERS",
	    "LAST PEER", "LAST SEEN");
	for (uint32_t i = 0; i < n && (top == 0 || i < top); i++) {
		const struct ts_row *row = rows[i];
		char lp[TS_EPSTRLEN];

		text_rate(r[0], sizeof(r[0]), ts_rate_milli(&row->rate,
		    &e->conf.eptab.rates, 0, now));
		ts_addr_str(row->key.family, row->peer, pa, sizeof(pa));
		snprintf(lp, sizeof(lp), row->key.family == TS_AF_INET6 ?
		    "[%s]:%u" : "%s:%u", pa, row->peer_port);
		fprintf(fp, "%-28s %-8s %-7s %6llu %6llu %6llu %6llu %6llu "
		    "%6llu %6llu %9s %5llu  %-28s %s\n",
		    ts_epkey_str(&row->key, ep, sizeof(ep)),
		    row_ifname(row, ifb, sizeof(ifb)), ts_loc_name(row->loc),
		    (unsigned long long)ts_row_failures(row),
		    (unsigned long long)row->count[TS_CL_REFUSED],
		    (unsigned long long)row->count[TS_CL_UNREACH],
		    (unsigned long long)row->count[TS_CL_TIMEOUT],
		    (unsigned long long)row->count[TS_CL_HSRESET],
		    (unsigned long long)row->count[TS_CL_ABORT],
		    (unsigned long long)row->count[TS_CL_UNSOLICITED], r[0],
		    (unsigned long long)ts_row_peers(row),
		    ts_row_failures(row) ? lp : "-",
		    ts_time_str(row->last, t1, sizeof(t1)));
	}
	if (n > top && top != 0)
		fprintf(fp, "(%u more rows; --top 0 shows all)\n", n - top);
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
json_rates(const struct ts_rate *rt, const struct ts_rate_conf *rc, ts_ns now)
{
	json_t *o = json_object();

	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		json_object_set_new(o, win_names[w],
		    json_integer((json_int_t)ts_rate_milli(rt, rc, w, now)));
	return o;
}

static json_t *
json_time(ts_ns t)
{
	char buf[TS_TIMESTRLEN];

	return t > 0 ? json_string(ts_time_str(t, buf, sizeof(buf))) :
	    json_null();
}

static json_t *
json_classes(const uint64_t *count)
{
	const char *names[TS_CL__COUNT];

	for (int c = 0; c < TS_CL__COUNT; c++)
		names[c] = ts_class_name(c);
	return json_counts(count, TS_CL__COUNT, names);
}

static json_t *
json_row(const struct ts_row *r, const struct ts_engine *e, ts_ns now)
{
	char buf[TS_EPSTRLEN], a[TS_ADDRSTRLEN];
	json_t *o = json_object();
	static const char *const by[] = { "service", "client" };

	json_object_set_new(o, "endpoint", json_string(ts_epkey_str(&r->key,
	    buf, sizeof(buf))));
	if (r->key.family != 0) {
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
		json_object_set_new(o, "created", json_time(r->created));
		json_object_set_new(o, "first_seen", json_time(r->first));
		json_object_set_new(o, "last_seen", json_time(r->last));
		json_object_set_new(o, "seconds_since_last", r->last > 0 ?
		    json_integer((json_int_t)((now - r->last) /
		    TS_NS_PER_SEC)) : json_null());
		json_object_set_new(o, "peers",
		    json_integer((json_int_t)ts_row_peers(r)));
		if (ts_row_failures(r) != 0) {
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
		json_object_set_new(o, "rate_milli", json_rates(&r->rate,
		    &e->conf.eptab.rates, now));
	}
	json_object_set_new(o, "failures",
	    json_integer((json_int_t)ts_row_failures(r)));
	json_object_set_new(o, "counts", json_classes(r->count));
	json_object_set_new(o, "rst_by", json_counts(r->rst_by + 1, 2, by));
	json_object_set_new(o, "syn_retransmits",
	    json_integer((json_int_t)r->syn_retx));
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
dump_streamed(FILE *fp, json_t *root, const struct ts_row **rows, uint32_t n,
    const struct ts_engine *e, ts_ns now, int compact)
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
	for (uint32_t i = 0; i < n; i++) {
		json_t *row = json_row(rows[i], e, now);
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
ts_report_json(FILE *fp, const struct ts_engine *e,
    const struct ts_report_src *src, ts_ns now, unsigned top, int compact)
{
	const struct ts_classify_stats *cs = ts_classify_stats(e->cl);
	const struct ts_eptab_stats *es = ts_eptab_stats(e->ep);
	const struct ts_decode_stats *ds = &e->dec;
	static const char *const fam[] = { "ipv4", "ipv6" };
	const struct ts_row **rows;
	json_t *root, *o, *arr;
	uint32_t n;
	int rc;

	root = json_object();
	json_object_set_new(root, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "source", json_pack("{s:s,s:s,s:s}", "mode",
	    src->mode, "name", src->names, "linktype", src->linktype));
	if (src->have_drops)
		json_object_set_new(json_object_get(root, "source"),
		    "kernel_drops", json_integer((json_int_t)src->kernel_drops));
	json_object_set_new(root, "first_packet", json_time(e->st.first_ts));
	json_object_set_new(root, "last_packet", json_time(e->st.last_ts));
	json_object_set_new(root, "now", json_time(now));
	arr = json_array();
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		json_array_append_new(arr, json_integer((json_int_t)
		    (e->conf.eptab.rates.window[w] / TS_NS_PER_SEC)));
	json_object_set_new(root, "rate_windows_s", arr);

	o = json_object();
	json_object_set_new(o, "frames", json_integer((json_int_t)ds->frames));
	json_object_set_new(o, "ipv4", json_integer((json_int_t)ds->ip4));
	json_object_set_new(o, "ipv6", json_integer((json_int_t)ds->ip6));
	json_object_set_new(o, "tcp", json_integer((json_int_t)ds->tcp));
	json_object_set_new(o, "icmp_unreachable",
	    json_integer((json_int_t)ds->icmp_unreach));
	json_object_set_new(o, "duplicates",
	    json_integer((json_int_t)e->st.duplicates));
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
	json_object_set_new(o, "pending", json_integer((json_int_t)src->pending));
	json_object_set_new(o, "rsts", json_counts(cs->rsts, 2, fam));
	arr = json_object();
	for (int c = 0; c < TS_CL__COUNT; c++)
		json_object_set_new(arr, ts_class_name(c),
		    json_counts(cs->failures[c], 2, fam));
	json_object_set_new(o, "classes", arr);
	json_object_set_new(o, "failures", json_counts(e->st.failures, 2, fam));
	json_object_set_new(o, "rate_milli", json_rates(&e->host_rate,
	    &e->conf.eptab.rates, now));
	arr = json_object();
	json_object_set_new(arr, "total",
	    json_integer((json_int_t)ts_decode_malformed_total(ds)));
	for (int m = 0; m < TS_MAL__COUNT; m++)
		json_object_set_new(arr, ts_mal_name(m),
		    json_integer((json_int_t)ds->malformed[m]));
	json_object_set_new(o, "malformed", arr);
	arr = json_object();
	for (int s = 0; s < TS_SKIP__COUNT; s++)
		json_object_set_new(arr, ts_skip_name(s),
		    json_integer((json_int_t)ds->skipped[s]));
	json_object_set_new(o, "skipped", arr);
	json_object_set_new(o, "flows", json_pack("{s:i,s:i,s:i,s:i}",
	    "active", (json_int_t)ts_classify_flows(e->cl),
	    "evicted", (json_int_t)cs->flows_evicted,
	    "attempts_lost", (json_int_t)cs->attempts_lost,
	    "expired", (json_int_t)cs->flows_expired));
	json_object_set_new(root, "totals", o);

	json_object_set_new(root, "table", json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}",
	    "rows", (json_int_t)ts_eptab_rows(e->ep),
	    "max_rows", (json_int_t)ts_eptab_conf(e->ep)->max_rows,
	    "admissions", (json_int_t)es->admissions,
	    "evictions", (json_int_t)es->evictions,
	    "expiries", (json_int_t)es->expiries,
	    "other_events", (json_int_t)es->other_events));

	/*
	 * The rows are written one at a time, not built as one tree first
	 * (at 4096 rows that tree was 22 MB): "endpoints" holds a marker,
	 * replaced in the output by the rows as jansson would print them.
	 */
	json_object_set_new(root, "endpoints", json_string(ROWS_MARK));
	json_object_set_new(root, "other", json_row(ts_eptab_other(e->ep), e,
	    now));
	rows = sorted_rows(e, &n);
	rc = dump_streamed(fp, root, rows, (top == 0 || n < top) ? n : top, e,
	    now, compact);
	free(rows);
	json_decref(root);
	return rc;
}

void
ts_report_event(FILE *fp, const struct ts_event *ev, const char *ifname)
{
	char a[TS_ADDRSTRLEN], b[TS_ADDRSTRLEN];
	json_t *o;

	o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:i,s:s,s:i}",
	    "ts", json_time(ev->ts),
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
	json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	fflush(fp);
	json_decref(o);
}
