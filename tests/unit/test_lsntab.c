/*
 * test_lsntab.c - the listener and namespace tables as pure cores: drops
 * made 64-bit across the kernel's 32-bit wrap, rates, learnt listeners,
 * SO_REUSEPORT groups, the row bound, the failure verdict ("listener
 * overflow") for exact, wildcard and dual-stack listeners, owners; the
 * namespace table's discovery passes, gone rows and their TTL, counter
 * discontinuities, reused inodes, coverage; the "namespaces" setting; and
 * the sock_diag message parser against made-up and truncated messages.
 */
#include "config.h"

#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsntab.h"
#include "nstab.h"
#include "sockdiag.h"
#include "tap.h"

#define SEC	TS_NS_PER_SEC
#define T0	(1000 * SEC)
#define NS1	4026532001u
#define NS2	4026532002u

static struct ts_sd_sock
sock4(uint64_t cookie, uint8_t a, uint8_t b, uint8_t c, uint8_t d,
    uint16_t port, uint32_t queue, uint32_t backlog, uint32_t drops)
{
	struct ts_sd_sock s;

	memset(&s, 0, sizeof(s));
	s.l.family = TS_AF_INET;
	s.l.port = port;
	s.l.addr[0] = a;
	s.l.addr[1] = b;
	s.l.addr[2] = c;
	s.l.addr[3] = d;
	s.cookie = cookie;
	s.inode = (uint32_t)(cookie + 1000);
	s.queue = queue;
	s.backlog = backlog;
	s.drops = drops;
	s.has_drops = 1;
	return s;
}

static struct ts_sd_sock
sock6any(uint64_t cookie, uint16_t port, int v6only, uint32_t drops)
{
	struct ts_sd_sock s;

	memset(&s, 0, sizeof(s));
	s.l.family = TS_AF_INET6;
	s.l.port = port;
	s.l.v6only = (uint8_t)v6only;
	s.cookie = cookie;
	s.inode = (uint32_t)(cookie + 1000);
	s.backlog = 128;
	s.drops = drops;
	s.has_drops = 1;
	return s;
}

static const struct ts_lsn_row *
row_of(const struct ts_lsntab *t, uint32_t ns, uint64_t cookie)
{
	for (const struct ts_lsn_row *r = t->rows; r != NULL; r = r->next)
		if (r->key.netns == ns && r->key.cookie == cookie)
			return r;
	return NULL;
}

static int closes;
static uint64_t closed_cookie;

static void
on_close(void *arg, const struct ts_lsn_row *r, ts_ns now)
{
	(void)arg;
	(void)now;
	closes++;
	closed_cookie = r->key.cookie;
}

static void
listeners(void)
{
	static const uint8_t lo[16] = { 127, 0, 0, 1 }, other[16] = { 10 };
	struct ts_lsntab_conf c;
	struct ts_lsntab *t;
	struct ts_lsn_update u;
	struct ts_sd_sock s[4];
	const struct ts_lsn_row *r;
	const struct ts_lsn_group *g;
	struct ts_lsn_row *want[8];
	struct ts_lsn_owner o;
	char buf[200];

	ts_lsntab_conf_default(&c);
	c.max_rows = 3;
	c.on_close = on_close;
	ok(ts_lsntab_new(&(struct ts_lsntab_conf){ .max_rows = 0,
	    .rates = c.rates }) == NULL && errno == EINVAL, "0 rows: EINVAL");
	t = ts_lsntab_new(&c);
	ok(t != NULL, "table made");

	/* First poll of NS1: a listener with old drops is learnt. */
	s[0] = sock4(7, 127, 0, 0, 1, 7400, 0, 1, 100);
	ok(ts_lsntab_update(t, NS1, s, 1, 0, T0, &u) == 0, "update");
	is_u(u.listeners, 1, "one listener");
	is_u(u.opened, 1, "one row made");
	is_u(u.drop_growth, 0, "old drops are no growth");
	r = row_of(t, NS1, 7);
	ok(r != NULL && r->learnt && r->created == T0, "learnt at start");
	is_u(r->drops, 100, "drops start at the kernel's");
	is_u(ts_rate_count(&r->rate, &c.rates, 0, T0 + SEC), 0,
	    "no rate from old drops");

	/* Queue full, drops grow by 20; the 32-bit counter wraps later. */
	s[0] = sock4(7, 127, 0, 0, 1, 7400, 2, 1, 120);
	ts_lsntab_update(t, NS1, s, 1, T0, T0 + SEC, &u);
	is_u(u.drop_growth, 20, "growth 20");
	is_u(r->drops, 120, "drops 120");
	is_u(r->queue_max, 2, "highest queue");
	is_u(r->full_polls, 1, "one full poll");
	ok(r->last_drop == T0 + SEC, "last drop time");
	is_u(ts_rate_count(&r->rate, &c.rates, 0, T0 + 2 * SEC), 20,
	    "rate counts the growth");
	s[0] = sock4(7, 127, 0, 0, 1, 7400, 0, 1, 0xfffffff0u);
	ts_lsntab_update(t, NS1, s, 1, T0 + SEC, T0 + 2 * SEC, &u);
	s[0] = sock4(7, 127, 0, 0, 1, 7400, 0, 1, 0x10);
	ts_lsntab_update(t, NS1, s, 1, T0 + 2 * SEC, T0 + 3 * SEC, &u);
	is_u(u.drop_growth, 0x20, "growth across the 32-bit wrap");
	is_u(r->drops, 100 + 0x100000010ull - 100, "drops past 2^32");
	is_u(r->queue_max, 2, "highest queue kept");

	/* The verdict: dropping between polls T0..T0+1 and T0+1..T0+3. */
	is_u(t->groups->nhist, 1, "contiguous drop intervals merge");
	ok(ts_lsntab_overflow(t, NS1, TS_AF_INET, lo, 7400, T0 + SEC / 2,
	    T0 + SEC / 2, &g) == TS_LSN_OVERFLOW && g != NULL,
	    "overflow inside a dropping interval");
	ok(ts_lsntab_overflow(t, NS1, TS_AF_INET, lo, 7400, T0 - 5 * SEC,
	    T0, NULL) == TS_LSN_QUIET, "quiet before it");
	ok(ts_lsntab_overflow(t, NS1, TS_AF_INET, lo, 7400, T0 + 4 * SEC,
	    T0 + 9 * SEC, NULL) == TS_LSN_QUIET, "quiet after it");
	ok(ts_lsntab_overflow(t, NS2, TS_AF_INET, lo, 7400, T0, T0 + 9 * SEC,
	    NULL) == TS_LSN_NONE, "another namespace: no listener");
	ok(ts_lsntab_overflow(t, NS1, TS_AF_INET, other, 7400, T0,
	    T0 + 9 * SEC, NULL) == TS_LSN_NONE, "another address: none");
	ok(ts_lsntab_overflow(t, NS1, TS_AF_INET, lo, 7401, T0, T0 + 9 * SEC,
	    NULL) == TS_LSN_NONE, "another port: none");

	/* A SO_REUSEPORT group on 0.0.0.0:80 and a dual-stack [::]:81. */
	s[0] = sock4(7, 127, 0, 0, 1, 7400, 0, 1, 0x10);
	s[1] = sock4(8, 0, 0, 0, 0, 80, 1, 10, 5);
	s[2] = sock4(9, 0, 0, 0, 0, 80, 3, 10, 0);
	ts_lsntab_update(t, NS1, s, 3, T0 + 3 * SEC, T0 + 4 * SEC, &u);
	is_u(u.opened, 2, "two rows made");
	is_u(u.drop_growth, 5, "a new listener's drops are growth");
	g = ts_lsntab_group(t, NS1, TS_AF_INET, (const uint8_t[16]){ 0 }, 80);
	ok(g != NULL && g->members == 2 && g->queue == 4 && g->backlog == 20,
	    "group of two: queue and backlog summed");
	is_u(g->drops, 5, "group drops");
	ok(!row_of(t, NS1, 8)->learnt, "a later listener is not learnt");
	ok(ts_lsntab_overflow(t, NS1, TS_AF_INET, other, 80, T0 + 3 * SEC,
	    T0 + 4 * SEC, NULL) == TS_LSN_OVERFLOW,
	    "wildcard listener takes another address");
	/* The table is full (3 rows): a fourth listener is counted. */
	s[3] = sock4(10, 127, 0, 0, 2, 90, 0, 5, 0);
	ts_lsntab_update(t, NS1, s, 4, T0 + 4 * SEC, T0 + 5 * SEC, &u);
	is_u(u.unlisted, 1, "no room: unlisted");
	is_u(t->rejected, 1, "rejected counted");
	is_u(t->nrows, 3, "still 3 rows");
	/* A member closes: the group keeps its drops, never going back. */
	s[1] = sock4(8, 0, 0, 0, 0, 80, 0, 10, 9);
	closes = 0;
	ts_lsntab_update(t, NS1, s, 2, T0 + 5 * SEC, T0 + 6 * SEC, &u);
	is_u(u.closed, 1, "a row closed");
	ok(closes == 1 && closed_cookie == 9, "on_close called for it");
	g = ts_lsntab_group(t, NS1, TS_AF_INET, (const uint8_t[16]){ 0 }, 80);
	ok(g != NULL && g->members == 1 && g->drops == 9,
	    "group: one member, drops 5 + 4");
	/* A duplicate in the dump counts once. */
	s[2] = s[1];
	ts_lsntab_update(t, NS1, s, 3, T0 + 6 * SEC, T0 + 7 * SEC, &u);
	ok(g->members == 1 && g->drops == 9, "a duplicate counts once");

	/* Owners. */
	is_u(ts_lsntab_owner_wanted(t, want, 8, T0 + 7 * SEC), 2,
	    "two owners wanted");
	memset(&o, 0, sizeof(o));
	o.pid = 4242;
	o.start = 99;
	o.holders = 3;
	snprintf(o.comm, sizeof(o.comm), "lm-collector");
	ts_cgroup_classify("/system.slice/lm-collector.service", &o.unit);
	ts_lsntab_set_owner(t, want[0], &o, T0 + 7 * SEC);
	ts_lsntab_set_owner(t, want[1], NULL, T0 + 7 * SEC);
	is_u(ts_lsntab_owner_wanted(t, want, 8, T0 + 8 * SEC), 0,
	    "none wanted right after");
	is_u(ts_lsntab_owner_wanted(t, want, 8, T0 + 67 * SEC), 1,
	    "an unknown one again after owner_retry");
	ts_lsntab_owner_gone(t, 4242, 98);
	is_u(ts_lsntab_owner_wanted(t, want, 8, T0 + 8 * SEC), 0,
	    "another start time: not that process");
	ts_lsntab_owner_gone(t, 4242, 99);
	is_u(ts_lsntab_owner_wanted(t, want, 8, T0 + 8 * SEC), 1,
	    "its process gone: wanted again");
	ok(strcmp(ts_lsn_owner_str(&o, buf, sizeof(buf)),
	    "pid 4242 lm-collector (lm-collector.service) +2") == 0,
	    "owner string: %s", buf);
	memset(&o, 0, sizeof(o));
	ok(strcmp(ts_lsn_owner_str(&o, buf, sizeof(buf)), "unknown") == 0,
	    "unknown owner");

	/* Dual-stack [::] takes IPv4 unless v6only. */
	ts_lsntab_forget(t, NS1, T0 + 8 * SEC);
	is_u(t->nrows, 0, "forget: rows gone");
	is_u(t->ngroups, 0, "forget: groups gone");
	s[0] = sock6any(20, 81, 0, 0);
	ts_lsntab_update(t, NS2, s, 1, 0, T0 + 8 * SEC, &u);
	s[0] = sock6any(20, 81, 0, 3);
	ts_lsntab_update(t, NS2, s, 1, T0 + 8 * SEC, T0 + 9 * SEC, &u);
	ok(ts_lsntab_overflow(t, NS2, TS_AF_INET, lo, 81, T0 + 8 * SEC,
	    T0 + 9 * SEC, NULL) == TS_LSN_OVERFLOW, "dual-stack [::] for IPv4");
	s[0] = sock6any(20, 81, 1, 3);
	ts_lsntab_update(t, NS2, s, 1, T0 + 9 * SEC, T0 + 10 * SEC, &u);
	ok(ts_lsntab_overflow(t, NS2, TS_AF_INET, lo, 81, T0 + 8 * SEC,
	    T0 + 9 * SEC, NULL) == TS_LSN_NONE, "v6only [::]: not for IPv4");
	/* Intervals apart are kept apart, at most TS_LSN_HIST. */
	for (int i = 0; i < TS_LSN_HIST + 3; i++) {
		ts_ns a = T0 + (20 + 4 * i) * SEC;

		s[0] = sock6any(20, 81, 1, 3 + (uint32_t)i);
		ts_lsntab_update(t, NS2, s, 1, a - 2 * SEC, a, &u);
		ts_lsntab_update(t, NS2, s, 1, a, a + SEC, &u);
	}
	g = ts_lsntab_group(t, NS2, TS_AF_INET6, (const uint8_t[16]){ 0 }, 81);
	ok(g != NULL && g->nhist == TS_LSN_HIST, "history bounded: %u",
	    g != NULL ? g->nhist : 0);
	ts_lsntab_free(t);
}

/* ---------------------------------------------------------- namespaces */

static int gone_calls, expired_calls;

static void
on_gone(void *arg, const struct ts_ns_row *r, int expired)
{
	(void)arg;
	(void)r;
	if (expired)
		expired_calls++;
	else
		gone_calls++;
}

static void
hc_set(struct ts_hostctr *hc, uint64_t fails, uint64_t drops)
{
	memset(hc, 0, sizeof(*hc));
	hc->v[TS_HC_ATTEMPT_FAILS] = fails;
	hc->present[TS_HC_ATTEMPT_FAILS] = 1;
	hc->v[TS_HC_LISTEN_DROPS] = drops;
	hc->present[TS_HC_LISTEN_DROPS] = 1;
}

static void
namespaces(void)
{
	struct ts_netns_conf c;
	struct ts_nstab *t;
	struct ts_ns_row *r, *self;
	struct ts_hostctr hc;
	char err[200], big[4000];

	ts_netns_conf_default(&c);
	ok(c.mode == TS_NS_ALL && c.max_rows == 256, "defaults: all, 256");
	ok(ts_netns_conf_parse(&c, "self", err, sizeof(err)) == 0 &&
	    c.mode == TS_NS_SELF, "self");
	ok(!ts_netns_conf_wants(&c, NS1, "a", "b", 0) &&
	    ts_netns_conf_wants(&c, NS1, "", "", 1), "self: only our own");
	ok(ts_netns_conf_parse(&c, " web ,4026532002, net:[4026532003],,"
	    "docker 3f2a9c1b7d0e", err, sizeof(err)) == 0 &&
	    c.mode == TS_NS_LIST && c.nlist == 4, "a list of four");
	ok(ts_netns_conf_wants(&c, 9, "", "docker 3f2a9c1b7d0e", 0),
	    "a container's name, with its space");
	ok(ts_netns_conf_wants(&c, 1, "web", "", 0), "by ip netns name");
	ok(ts_netns_conf_wants(&c, NS2, "", "", 0), "by inode");
	ok(ts_netns_conf_wants(&c, 4026532003u, "", "", 0), "by net:[N]");
	ok(ts_netns_conf_wants(&c, 5, "", "web", 0), "by name");
	ok(!ts_netns_conf_wants(&c, 5, "db", "x", 0), "not listed");
	ok(ts_netns_conf_parse(&c, " , ", err, sizeof(err)) == -1 &&
	    strstr(err, "give self") != NULL, "empty: %s", err);
	ok(ts_netns_conf_parse(&c, "a,all", err, sizeof(err)) == -1,
	    "all inside a list: %s", err);
	memset(big, 'x', 100);
	big[100] = '\0';
	ok(ts_netns_conf_parse(&c, big, err, sizeof(err)) == -1 &&
	    strstr(err, "longer") != NULL, "a long name: %s", err);
	memset(big, 0, sizeof(big));
	for (int i = 0; i < TS_NETNS_LIST_MAX + 1; i++)
		strcat(big, "n,");
	ok(ts_netns_conf_parse(&c, big, err, sizeof(err)) == -1 &&
	    strstr(err, "at most") != NULL, "too many: %s", err);
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(ts_netns_conf_parse(&c, big, err, sizeof(err)) == -1,
	    "a list too long: %s", err);

	ts_netns_conf_default(&c);
	c.max_rows = 2;
	c.ttl = 10 * SEC;
	t = ts_nstab_new(&c, NS1);
	ok(t != NULL, "namespace table made");
	ts_nstab_begin(t);
	self = ts_nstab_seen(t, NS1, 1, "", T0);
	r = ts_nstab_seen(t, NS2, 0, "kvA", T0);
	ok(ts_nstab_seen(t, 7, 0, "", T0) == NULL && t->full == 1,
	    "a third: no room, counted");
	ts_nstab_end(t, T0, on_gone, NULL);
	ok(self != NULL && self->self && r != NULL && !r->self &&
	    strcmp(r->ipname, "kvA") == 0 && r->state == TS_NSS_NEW,
	    "rows for ours and kvA");

	hc_set(&hc, 10, 5);
	ok(ts_nstab_sample(t, r, 77, &hc, T0) == 0, "first read");
	ts_nstab_listeners(r, 2, 0, 0);
	ok(r->state == TS_NSS_OK && r->cookie == 77 && r->v[TS_NSC_ATTEMPT_FAILS]
	    == 10 && r->prev_read == 0, "counters as the kernel has them");
	ok(!r->present[TS_NSC_OUT_RSTS], "absent stays absent");
	hc_set(&hc, 13, 9);
	ts_nstab_sample(t, r, 77, &hc, T0 + SEC);
	ts_nstab_listeners(r, 2, 0, 3);
	is_u(ts_rate_count(&r->rate[TS_NSC_ATTEMPT_FAILS], &c.rates, 0,
	    T0 + 2 * SEC), 3, "rate of growth");
	ok(r->cov_lsn_drops == 3 && r->cov_listen_drops == 4,
	    "coverage: 3 of 4 drops seen on listeners");
	ok(r->discont == T0, "no discontinuity yet");
	/* A counter going back: a discontinuity, no rate from it. */
	hc_set(&hc, 2, 9);
	ts_nstab_sample(t, r, 77, &hc, T0 + 2 * SEC);
	ts_nstab_listeners(r, 2, 0, 0);
	ok(r->discont == T0 + 2 * SEC && r->v[TS_NSC_ATTEMPT_FAILS] == 2,
	    "counter back: discontinuity");
	is_u(ts_rate_count(&r->rate[TS_NSC_ATTEMPT_FAILS], &c.rates, 0,
	    T0 + 3 * SEC), 3, "no rate from the jump");
	/* The inode read with another cookie: a new namespace. */
	hc_set(&hc, 1, 0);
	ok(ts_nstab_sample(t, r, 78, &hc, T0 + 3 * SEC) == 1,
	    "another cookie: reused inode");
	ok(r->created == T0 + 3 * SEC && r->discont == T0 + 3 * SEC &&
	    r->cookie == 78 && r->cov_listen_drops == 0, "row started again");
	ts_nstab_failed(r, EPERM, T0 + 4 * SEC);
	ok(r->state == TS_NSS_NOACCESS, "EPERM: noaccess");
	ts_nstab_failed(r, ESTALE, T0 + 4 * SEC);
	ok(r->state == TS_NSS_ERROR && r->err == ESTALE, "other: error");

	/* kvA no longer found: gone, then expired after the TTL. */
	ts_nstab_begin(t);
	ts_nstab_seen(t, NS1, 1, "", T0 + 5 * SEC);
	ts_nstab_end(t, T0 + 5 * SEC, on_gone, NULL);
	ok(r->state == TS_NSS_GONE && r->gone_since == T0 + 5 * SEC &&
	    gone_calls == 1, "not found: gone");
	ok(r->v[TS_NSC_ATTEMPT_FAILS] == 1, "gone: counters frozen");
	ts_nstab_begin(t);
	ts_nstab_seen(t, NS1, 1, "", T0 + 14 * SEC);
	ts_nstab_end(t, T0 + 14 * SEC, on_gone, NULL);
	ok(ts_nstab_find(t, NS2) != NULL && gone_calls == 1,
	    "kept until the TTL");
	ts_nstab_begin(t);
	ts_nstab_seen(t, NS1, 1, "", T0 + 15 * SEC);
	ts_nstab_end(t, T0 + 15 * SEC, on_gone, NULL);
	ok(ts_nstab_find(t, NS2) == NULL && expired_calls == 1 &&
	    t->nrows == 1, "dropped at the TTL");
	ok(strcmp(ts_nstab_counter_name(TS_NSC_LISTEN_DROPS), "ListenDrops")
	    == 0 && strcmp(ts_ns_state_name(TS_NSS_GONE), "gone") == 0,
	    "names");
	ts_nstab_free(t);
}

/* ------------------------------------------------------------ sockdiag */

static size_t
msg(unsigned char *buf, int family, int with_mem, int memlen, int v6only,
    int badlen)
{
	struct inet_diag_msg m;
	struct rtattr a;
	uint32_t mem[SK_MEMINFO_VARS];
	size_t off;

	memset(&m, 0, sizeof(m));
	m.idiag_family = (uint8_t)family;
	m.id.idiag_sport = htons(7400);
	m.id.idiag_src[0] = htonl(0x7f000001);
	m.id.idiag_cookie[0] = 0x11223344;
	m.id.idiag_cookie[1] = 0x55;
	m.idiag_rqueue = 2;
	m.idiag_wqueue = 1;
	m.idiag_inode = 4242;
	m.idiag_uid = 1001;
	memcpy(buf, &m, sizeof(m));
	off = NLMSG_ALIGN(sizeof(m));
	if (v6only) {
		a.rta_type = INET_DIAG_SKV6ONLY;
		a.rta_len = RTA_LENGTH(1);
		memcpy(buf + off, &a, sizeof(a));
		buf[off + RTA_LENGTH(0)] = 1;
		off += RTA_ALIGN(a.rta_len);
	}
	if (with_mem) {
		memset(mem, 0, sizeof(mem));
		mem[SK_MEMINFO_DROPS] = 144;
		a.rta_type = INET_DIAG_SKMEMINFO;
		a.rta_len = (unsigned short)(badlen ? 2000 :
		    RTA_LENGTH(memlen * sizeof(uint32_t)));
		memcpy(buf + off, &a, sizeof(a));
		memcpy(buf + off + RTA_LENGTH(0), mem, (size_t)memlen * 4);
		off += RTA_ALIGN(RTA_LENGTH(memlen * sizeof(uint32_t)));
	}
	return off;
}

static void
parse(void)
{
	unsigned char buf[512];
	struct ts_sd_sock s;
	size_t n;

	n = msg(buf, AF_INET, 1, SK_MEMINFO_VARS, 0, 0);
	ok(ts_sockdiag_parse(buf, n, &s) == 0, "parse a listener");
	ok(s.l.family == TS_AF_INET && s.l.port == 7400 &&
	    s.l.addr[0] == 127 && s.l.addr[3] == 1, "address and port");
	is_u(s.cookie, 0x5511223344ull, "cookie");
	ok(s.inode == 4242 && s.uid == 1001 && s.queue == 2 &&
	    s.backlog == 1, "inode, uid, queue, backlog");
	ok(s.has_drops && s.drops == 144, "SK_MEMINFO_DROPS");
	n = msg(buf, AF_INET6, 1, SK_MEMINFO_DROPS, 1, 0);
	ok(ts_sockdiag_parse(buf, n, &s) == 0 && !s.has_drops &&
	    s.l.v6only && s.l.family == TS_AF_INET6,
	    "a SKMEMINFO without the drops field: unknown");
	n = msg(buf, AF_INET, 1, SK_MEMINFO_VARS, 0, 1);
	ok(ts_sockdiag_parse(buf, n, &s) == 0 && !s.has_drops,
	    "an attribute longer than the message is not read");
	n = msg(buf, AF_INET, 0, 0, 0, 0);
	ok(ts_sockdiag_parse(buf, n, &s) == 0 && !s.has_drops,
	    "no SKMEMINFO: drops unknown");
	ok(ts_sockdiag_parse(buf, sizeof(struct inet_diag_msg) - 1, &s) == -1,
	    "too short: rejected");
	n = msg(buf, AF_UNIX, 1, SK_MEMINFO_VARS, 0, 0);
	ok(ts_sockdiag_parse(buf, n, &s) == -1, "not inet: rejected");
	/* Every truncation of a good message parses or is rejected. */
	n = msg(buf, AF_INET6, 1, SK_MEMINFO_VARS, 1, 0);
	for (size_t k = 0; k <= n; k++) {
		unsigned char *cut = malloc(k ? k : 1);
		int r;

		memcpy(cut, buf, k);
		r = ts_sockdiag_parse(cut, k, &s);
		free(cut);
		if ((k < sizeof(struct inet_diag_msg)) != (r == -1)) {
			ok(0, "truncated to %zu", k);
			return;
		}
	}
	ok(1, "every truncation handled");
}

int
main(void)
{
	listeners();
	namespaces();
	parse();
	return tap_done();
}
