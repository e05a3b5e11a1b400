/*
 * lsnreport.c - printing the namespace and listener tables (see
 * lsnreport.h).  Rows are sorted by namespace inode, then address and
 * port, then socket cookie, so output is stable between runs.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "addr.h"
#include "jsonutil.h"
#include "lsnreport.h"

#define WIDTH	80

static int
addr_cmp(uint8_t fa, const uint8_t *a, uint16_t pa, uint8_t fb,
    const uint8_t *b, uint16_t pb)
{
	int c;

	if (fa != fb)
		return fa < fb ? -1 : 1;
	if ((c = memcmp(a, b, 16)) != 0)
		return c;
	return pa < pb ? -1 : pa > pb;
}

static int
row_cmp(const void *x, const void *y)
{
	const struct ts_lsn_row *a = *(struct ts_lsn_row *const *)x;
	const struct ts_lsn_row *b = *(struct ts_lsn_row *const *)y;
	int c;

	if (a->key.netns != b->key.netns)
		return a->key.netns < b->key.netns ? -1 : 1;
	if ((c = addr_cmp(a->s.l.family, a->s.l.addr, a->s.l.port,
	    b->s.l.family, b->s.l.addr, b->s.l.port)) != 0)
		return c;
	return a->key.cookie < b->key.cookie ? -1 :
	    a->key.cookie > b->key.cookie;
}

static int
group_cmp(const void *x, const void *y)
{
	const struct ts_lsn_group *a = *(struct ts_lsn_group *const *)x;
	const struct ts_lsn_group *b = *(struct ts_lsn_group *const *)y;

	if (a->key.netns != b->key.netns)
		return a->key.netns < b->key.netns ? -1 : 1;
	return addr_cmp(a->key.family, a->key.addr, a->key.port,
	    b->key.family, b->key.addr, b->key.port);
}

static int
ns_cmp(const void *x, const void *y)
{
	const struct ts_ns_row *a = *(struct ts_ns_row *const *)x;
	const struct ts_ns_row *b = *(struct ts_ns_row *const *)y;

	if (a->self != b->self)
		return a->self ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

struct sorted {
	const struct ts_ns_row **ns;
	const struct ts_lsn_row **rows;
	const struct ts_lsn_group **groups;
	size_t nns, nrows, ngroups;
};

static int
sort_all(const struct ts_lsnpoll *p, struct sorted *s)
{
	memset(s, 0, sizeof(*s));
	s->ns = calloc(p->ns->nrows + 1, sizeof(*s->ns));
	s->rows = calloc(p->lsn->nrows + 1, sizeof(*s->rows));
	s->groups = calloc(p->lsn->ngroups + 1, sizeof(*s->groups));
	if (s->ns == NULL || s->rows == NULL || s->groups == NULL)
		return -1;
	for (const struct ts_ns_row *r = p->ns->rows; r != NULL; r = r->next)
		s->ns[s->nns++] = r;
	for (const struct ts_lsn_row *r = p->lsn->rows; r != NULL; r = r->next)
		s->rows[s->nrows++] = r;
	for (const struct ts_lsn_group *g = p->lsn->groups; g != NULL;
	    g = g->next)
		s->groups[s->ngroups++] = g;
	qsort(s->ns, s->nns, sizeof(*s->ns), ns_cmp);
	qsort(s->rows, s->nrows, sizeof(*s->rows), row_cmp);
	qsort(s->groups, s->ngroups, sizeof(*s->groups), group_cmp);
	return 0;
}

static void
sorted_free(struct sorted *s)
{
	free(s->ns);
	free(s->rows);
	free(s->groups);
}

static const char *
ep_str(uint8_t family, const uint8_t *addr, uint16_t port, uint32_t ifindex,
    char *buf, size_t len)
{
	struct ts_epkey k;

	memset(&k, 0, sizeof(k));
	k.family = family;
	k.port = port;
	memcpy(k.addr, addr, 16);
	/* A link-local listener is bound to its interface. */
	if (family == TS_AF_INET6 && addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80)
		k.scope = ifindex;
	return ts_epkey_str(&k, buf, len);
}

/* ------------------------------------------------------------------ text */

/* At most 7 characters: exact up to 9999999, then k, M, G, T. */
static const char *
compact(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "kMGTPE";
	int u = -1;

	if (v <= 9999999) {
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return buf;
	}
	while (v > 999999 && u < 5) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u]);
	return buf;
}

/* Words, wrapped to WIDTH with an indent. */
struct wrap {
	FILE	*fp;
	int	 col, indent;
};

static void
word(struct wrap *w, const char *s)
{
	int n = (int)strlen(s);

	if (w->col > w->indent && w->col + 2 + n > WIDTH) {
		fputc('\n', w->fp);
		w->col = 0;
	}
	if (w->col == 0) {
		fprintf(w->fp, "%*s", w->indent, "");
		w->col = w->indent;
	} else {
		fputs("  ", w->fp);
		w->col += 2;
	}
	fputs(s, w->fp);
	w->col += n;
}

static void
line(FILE *fp, int indent, const char *ep, uint32_t queue, uint32_t backlog,
    uint64_t drops, const char *owner)
{
	char d[24], o[WIDTH];
	int epw = 26 - indent;
	size_t room;

	if ((int)strlen(ep) > epw) {
		fprintf(fp, "%*s%s\n", indent, "", ep);
		ep = "";
	}
	/* indent+epw(26) 1 queue(5) 1 limit(5) 1 drops(7) 2 = 48 */
	room = WIDTH - 48 - 1;
	if (strlen(owner) > room)
		snprintf(o, sizeof(o), "%.*s...", (int)(room - 3), owner);
	else
		snprintf(o, sizeof(o), "%s", owner);
	fprintf(fp, "%*s%-*s %5u %5u %7s  %s\n", indent, "", epw, ep, queue,
	    backlog, compact(drops, d, sizeof(d)), o);
}

void
ts_lsnreport_text(FILE *fp, const struct ts_lsnpoll *p, ts_ns now)
{
	struct sorted s;
	size_t ri = 0, gi = 0;

	(void)now;
	if (sort_all(p, &s) == -1) {
		sorted_free(&s);
		fprintf(fp, "out of memory\n");
		return;
	}
	for (size_t i = 0; i < s.nns; i++) {
		const struct ts_ns_row *n = s.ns[i];
		struct wrap w = { fp, 0, 2 };
		char buf[160];

		if (n->state == TS_NSS_GONE)
			continue;
		fprintf(fp, "%snet:[%u] %s%s", i ? "\n" : "", n->ino, n->name,
		    n->self ? " (this one)" : "");
		if (n->state != TS_NSS_OK) {
			fprintf(fp, ": %s%s%s\n", ts_ns_state_name(n->state),
			    n->err ? ", " : "", n->err ? strerror(n->err) : "");
			continue;
		}
		fprintf(fp, ": %u listener%s", n->listeners,
		    n->listeners == 1 ? "" : "s");
		if (n->unlisted)
			fprintf(fp, " (%u without a row)", n->unlisted);
		fputc('\n', fp);
		for (int c = 0; c < TS_NSC__COUNT; c++) {
			if (!n->present[c])
				continue;
			snprintf(buf, sizeof(buf), "%s %llu",
			    ts_nstab_counter_name(c),
			    (unsigned long long)n->v[c]);
			word(&w, buf);
		}
		if (w.col > 0)
			fputc('\n', fp);
		while (gi < s.ngroups && s.groups[gi]->key.netns < n->ino)
			gi++;
		while (ri < s.nrows && s.rows[ri]->key.netns < n->ino)
			ri++;
		if (gi >= s.ngroups || s.groups[gi]->key.netns != n->ino)
			continue;
		fprintf(fp, "  %-24s %5s %5s %7s  %s\n", "LISTEN", "QUEUE",
		    "LIMIT", "DROPS", "OWNER");
		for (; gi < s.ngroups && s.groups[gi]->key.netns == n->ino; gi++) {
			const struct ts_lsn_group *g = s.groups[gi];
			char ep[TS_EPSTRLEN + 32], own[200];

			while (ri < s.nrows && s.rows[ri]->key.netns == n->ino &&
			    addr_cmp(s.rows[ri]->s.l.family, s.rows[ri]->s.l.addr,
			    s.rows[ri]->s.l.port, g->key.family, g->key.addr,
			    g->key.port) < 0)
				ri++;
			if (g->members > 1) {
				ep_str(g->key.family, g->key.addr, g->key.port,
				    0, ep, TS_EPSTRLEN);
				snprintf(ep + strlen(ep), sizeof(ep) - strlen(ep),
				    " x%u", g->members);
				line(fp, 2, ep, g->queue, g->backlog, g->drops,
				    "reuseport group");
			}
			for (; ri < s.nrows && s.rows[ri]->key.netns == n->ino &&
			    addr_cmp(s.rows[ri]->s.l.family, s.rows[ri]->s.l.addr,
			    s.rows[ri]->s.l.port, g->key.family, g->key.addr,
			    g->key.port) == 0; ri++) {
				const struct ts_lsn_row *r = s.rows[ri];

				ep_str(r->s.l.family, r->s.l.addr, r->s.l.port,
				    r->s.l.ifindex, ep, sizeof(ep));
				line(fp, g->members > 1 ? 4 : 2, ep, r->s.queue,
				    r->s.backlog, r->drops,
				    ts_lsn_owner_str(&r->owner, own,
				    sizeof(own)));
			}
		}
	}
	if (p->ns->unserved || p->ns->full)
		fprintf(fp, "\n%u namespace%s not served (namespaces), %u for "
		    "want of room (namespaces-max)\n", p->ns->unserved,
		    p->ns->unserved == 1 ? "" : "s", p->ns->full);
	if (p->lsn->rejected)
		fprintf(fp, "listeners without a row (listeners): %llu "
		    "samples\n", (unsigned long long)p->lsn->rejected);
	sorted_free(&s);
}

/* ------------------------------------------------------------------ JSON */

static const char *
namesrc_name(uint8_t s)
{
	switch (s) {
	case TS_NSN_NETNS:	return "netns";
	case TS_NSN_HOST:	return "host";
	case TS_NSN_UNIT:	return "unit";
	case TS_NSN_PROCESS:	return "process";
	default:		return "inode";
	}
}

static json_t *
json_ns(const struct ts_ns_row *n, const struct ts_rate_conf *rc, ts_ns now)
{
	json_t *o = json_object(), *c = json_object(), *r = json_object();
	json_t *cov = json_object();

	json_object_set_new(o, "inode", json_integer(n->ino));
	json_object_set_new(o, "cookie", n->cookie ? ts_json_u64(n->cookie) :
	    json_null());
	json_object_set_new(o, "name", json_string(n->name));
	json_object_set_new(o, "name_source",
	    json_string(namesrc_name(n->namesrc)));
	json_object_set_new(o, "netns_name", n->ipname[0] ?
	    json_string(n->ipname) : json_null());
	json_object_set_new(o, "self", json_boolean(n->self));
	json_object_set_new(o, "pid", n->pid ? json_integer(n->pid) :
	    json_null());
	json_object_set_new(o, "state", json_string(ts_ns_state_name(
	    n->state)));
	json_object_set_new(o, "error", n->err ? json_string(strerror(
	    n->err)) : json_null());
	json_object_set_new(o, "created", ts_json_time(n->created));
	json_object_set_new(o, "discontinuity", ts_json_time(n->discont));
	json_object_set_new(o, "last_read", ts_json_time(n->last_read));
	json_object_set_new(o, "gone_since", ts_json_time(n->gone_since));
	for (int i = 0; i < TS_NSC__COUNT; i++) {
		if (!n->present[i])
			continue;
		json_object_set_new(c, ts_nstab_counter_name(i), ts_json_u64(n->v[i]));
		json_object_set_new(r, ts_nstab_counter_name(i),
		    ts_json_rates(&n->rate[i], rc, now));
	}
	json_object_set_new(o, "counters", c);
	json_object_set_new(o, "rate_milli", r);
	json_object_set_new(o, "listeners", json_integer(n->listeners));
	json_object_set_new(o, "unlisted", json_integer(n->unlisted));
	json_object_set_new(cov, "listener_drops", ts_json_u64(n->cov_lsn_drops));
	json_object_set_new(cov, "listen_drops", ts_json_u64(n->cov_listen_drops));
	json_object_set_new(o, "coverage", cov);
	return o;
}

static json_t *
json_owner(const struct ts_lsn_row *r)
{
	const struct ts_lsn_owner *ow = &r->owner;
	json_t *o;
	char buf[200];

	if (r->owner_state != TS_OWN_FOUND || ow->pid <= 0)
		return json_null();
	o = json_object();
	json_object_set_new(o, "pid", json_integer(ow->pid));
	json_object_set_new(o, "comm", json_string(ow->comm));
	json_object_set_new(o, "uid", ow->uid == UINT32_MAX ? json_null() :
	    json_integer(ow->uid));
	json_object_set_new(o, "start_ticks", ts_json_u64(ow->start));
	json_object_set_new(o, "holders", json_integer(ow->holders));
	json_object_set_new(o, "unit", ow->unit.kind != TS_CG_NONE ?
	    json_string(ow->unit.name) : json_null());
	json_object_set_new(o, "unit_kind", json_string(
	    ts_cgroup_kind_name(ow->unit.kind)));
	json_object_set_new(o, "text", json_string(ts_lsn_owner_str(ow, buf,
	    sizeof(buf))));
	return o;
}

static void
json_addr(json_t *o, uint8_t family, const uint8_t *addr, uint16_t port,
    uint32_t ifindex)
{
	char buf[TS_EPSTRLEN];

	json_object_set_new(o, "endpoint", json_string(ep_str(family, addr,
	    port, ifindex, buf, sizeof(buf))));
	json_object_set_new(o, "family", json_string(ts_family_name(family)));
	json_object_set_new(o, "address", json_string(ts_addr_str(family,
	    addr, buf, sizeof(buf))));
	json_object_set_new(o, "port", json_integer(port));
}

static json_t *
json_row(const struct ts_lsn_row *r, const struct ts_rate_conf *rc, ts_ns now)
{
	static const char *const own[] = { "pending", "found", "unknown" };
	json_t *o = json_object();

	json_object_set_new(o, "netns", json_integer(r->key.netns));
	json_addr(o, r->s.l.family, r->s.l.addr, r->s.l.port, r->s.l.ifindex);
	json_object_set_new(o, "ifindex", json_integer(r->s.l.ifindex));
	json_object_set_new(o, "v6only", json_boolean(r->s.l.v6only));
	json_object_set_new(o, "inode", json_integer(r->s.inode));
	json_object_set_new(o, "cookie", ts_json_u64(r->key.cookie));
	json_object_set_new(o, "uid", json_integer(r->s.uid));
	json_object_set_new(o, "queue", json_integer(r->s.queue));
	json_object_set_new(o, "backlog", json_integer(r->s.backlog));
	json_object_set_new(o, "full", json_boolean(r->s.queue >
	    r->s.backlog));
	json_object_set_new(o, "queue_max", json_integer(r->queue_max));
	json_object_set_new(o, "full_polls", json_integer(r->full_polls));
	json_object_set_new(o, "drops", r->s.has_drops ? ts_json_u64(r->drops) :
	    json_null());
	json_object_set_new(o, "drop_rate_milli", ts_json_rates(&r->rate, rc, now));
	json_object_set_new(o, "last_drop", ts_json_time(r->last_drop));
	json_object_set_new(o, "since", ts_json_time(r->created));
	json_object_set_new(o, "learnt", json_boolean(r->learnt));
	json_object_set_new(o, "owner_state", json_string(
	    r->owner_state < 3 ? own[r->owner_state] : "?"));
	json_object_set_new(o, "owner", json_owner(r));
	return o;
}

static json_t *
json_group(const struct ts_lsn_group *g, const struct ts_rate_conf *rc,
    ts_ns now)
{
	json_t *o = json_object(), *h = json_array();

	json_object_set_new(o, "netns", json_integer(g->key.netns));
	json_addr(o, g->key.family, g->key.addr, g->key.port, 0);
	json_object_set_new(o, "members", json_integer(g->members));
	json_object_set_new(o, "full", json_integer(g->full));
	json_object_set_new(o, "queue", json_integer(g->queue));
	json_object_set_new(o, "backlog", json_integer(g->backlog));
	json_object_set_new(o, "queue_max", json_integer(g->queue_max));
	json_object_set_new(o, "drops", ts_json_u64(g->drops));
	json_object_set_new(o, "drop_rate_milli", ts_json_rates(&g->rate, rc, now));
	json_object_set_new(o, "created", ts_json_time(g->created));
	json_object_set_new(o, "last_drop", ts_json_time(g->last_drop));
	for (uint32_t i = 0; i < g->nhist; i++) {
		json_t *sp = json_object();

		json_object_set_new(sp, "from", ts_json_time(g->hist[i].from));
		json_object_set_new(sp, "to", ts_json_time(g->hist[i].to));
		json_object_set_new(sp, "drops", ts_json_u64(g->hist[i].drops));
		json_array_append_new(h, sp);
	}
	json_object_set_new(o, "dropping", h);
	return o;
}

int
ts_lsnreport_json(FILE *fp, const struct ts_lsnpoll *p, ts_ns now,
    int compact)
{
	json_t *o = json_object(), *ns = json_array(), *ls = json_array();
	json_t *gs = json_array(), *tab = json_object(), *poll = json_object();
	struct sorted s;
	int r;

	if (sort_all(p, &s) == -1) {
		sorted_free(&s);
		json_decref(o);
		errno = ENOMEM;
		return -1;
	}
	json_object_set_new(o, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(o, "now", ts_json_time(now));
	for (size_t i = 0; i < s.nns; i++)
		json_array_append_new(ns, json_ns(s.ns[i],
		    &p->conf.netns.rates, now));
	for (size_t i = 0; i < s.nrows; i++)
		json_array_append_new(ls, json_row(s.rows[i],
		    &p->conf.lsn.rates, now));
	for (size_t i = 0; i < s.ngroups; i++)
		json_array_append_new(gs, json_group(s.groups[i],
		    &p->conf.lsn.rates, now));
	json_object_set_new(o, "namespaces", ns);
	json_object_set_new(o, "listeners", ls);
	json_object_set_new(o, "groups", gs);
	json_object_set_new(tab, "rows", json_integer(p->lsn->nrows));
	json_object_set_new(tab, "max_rows", json_integer(
	    p->conf.lsn.max_rows));
	json_object_set_new(tab, "rejected", ts_json_u64(p->lsn->rejected));
	json_object_set_new(tab, "admitted", ts_json_u64(p->lsn->admitted));
	json_object_set_new(tab, "closed", ts_json_u64(p->lsn->closed));
	json_object_set_new(tab, "namespaces_found", json_integer(
	    p->ns->found));
	json_object_set_new(tab, "namespaces_unserved", json_integer(
	    p->ns->unserved));
	json_object_set_new(tab, "namespaces_full", json_integer(
	    p->ns->full));
	json_object_set_new(o, "table", tab);
	json_object_set_new(poll, "polls", ts_json_u64(p->st.polls));
	json_object_set_new(poll, "took_us", json_integer(
	    (json_int_t)(p->st.took / 1000)));
	json_object_set_new(poll, "entered", json_integer(p->st.entered));
	json_object_set_new(poll, "failed", json_integer(p->st.failed));
	json_object_set_new(poll, "error", p->st.err[0] ?
	    json_string(p->st.err) : json_null());
	json_object_set_new(o, "poll", poll);
	r = json_dumpf(o, fp, (compact ? JSON_COMPACT : JSON_INDENT(2)) |
	    JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(o);
	sorted_free(&s);
	return r;
}
