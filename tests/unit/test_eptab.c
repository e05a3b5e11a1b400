/*
 * test_eptab.c - the endpoint table: rows per service endpoint, exact
 * counts from creation, Space-Saving admission and the "other" row under a
 * synthetic scan, TTL expiry (at ticks, or when full for files), link-local
 * scopes; rows per network namespace and the kernel's own failures, rows
 * of a namespace gone.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "eptab.h"
#include "tap.h"

#define SEC	TS_NS_PER_SEC

static struct ts_eptab *
fresh(uint32_t rows, uint32_t sketch, double ttl)
{
	struct ts_eptab_conf conf;

	ts_eptab_conf_default(&conf);
	conf.max_rows = rows;
	conf.sketch_size = sketch;
	conf.ttl = (ts_ns)(ttl * SEC);
	return ts_eptab_new(&conf);
}

static struct ts_event
ev(enum ts_class cls, const char *svc, uint16_t port, const char *peer,
    uint16_t pport, double t)
{
	struct ts_event e;
	int v6 = strchr(svc, ':') != NULL;

	memset(&e, 0, sizeof(e));
	e.cls = (uint8_t)cls;
	e.family = v6 ? TS_AF_INET6 : TS_AF_INET;
	inet_pton(v6 ? AF_INET6 : AF_INET, svc, e.svc);
	inet_pton(v6 ? AF_INET6 : AF_INET, peer, e.peer);
	e.svc_port = port;
	e.peer_port = pport;
	e.ts = (ts_ns)(t * SEC);
	e.rst_by = cls == TS_CL_REFUSED ? TS_BY_SERVICE : TS_BY_NONE;
	e.loc = TS_LOC_LOCAL;
	e.ifindex = 1;
	return e;
}

static const struct ts_row *
row_of(struct ts_eptab *t, const char *svc, uint16_t port, uint32_t ifindex)
{
	struct ts_event e = ev(TS_CL_REFUSED, svc, port, svc, 1, 0);
	struct ts_epkey k;

	e.ifindex = ifindex;
	ts_epkey_of_event(&k, &e);
	return ts_eptab_find(t, &k);
}

static uint64_t
total_failures(struct ts_eptab *t)
{
	const struct ts_row *rows[4096];
	uint32_t n = ts_eptab_list(t, rows, 4096);
	uint64_t sum = ts_row_failures(ts_eptab_other(t));

	for (uint32_t i = 0; i < n; i++)
		sum += ts_row_failures(rows[i]);
	return sum;
}

static void
basics(void)
{
	struct ts_eptab *t = fresh(16, 0, 3600);
	const struct ts_row *r;
	char peer[32];

	for (int i = 0; i < 100; i++) {
		struct ts_event e;

		snprintf(peer, sizeof(peer), "10.0.1.%d", i % 10);
		e = ev(TS_CL_REFUSED, "127.0.0.1", 7211, peer,
		    (uint16_t)(40000 + i), 100.0 + i * 0.5);
		ts_eptab_event(t, &e, "lo");
	}
	is_u(ts_eptab_rows(t), 1, "one row for one service, whatever the client ports");
	r = row_of(t, "127.0.0.1", 7211, 1);
	ok(r != NULL, "row found by endpoint");
	if (r == NULL)
		return;
	is_u(r->count[TS_CL_REFUSED], 100, "refusals counted exactly");
	is_u(r->rst_by[TS_BY_SERVICE], 100, "RSTs from the service side");
	ok(ts_row_peers(r) >= 9 && ts_row_peers(r) <= 11,
	    "ten distinct peers, approximately (%llu)",
	    (unsigned long long)ts_row_peers(r));
	ok(r->created == 100 * SEC && r->first == 100 * SEC &&
	    r->last == (ts_ns)(149.5 * SEC), "created, first and last seen");
	ok(strcmp(r->ifname, "lo") == 0 && r->peer_port == 40099,
	    "interface name and last peer port");
	is_u(ts_rate_milli(&r->rate, &ts_eptab_conf(t)->rates, 0, 150 * SEC),
	    2000, "1-minute rate at 2/s is 2000 milli");

	{
		struct ts_event u = ev(TS_CL_UNSOLICITED, "127.0.0.1", 7211,
		    "10.9.9.9", 1, 151);
		struct ts_event u2 = ev(TS_CL_UNSOLICITED, "127.0.0.2", 7, "10.9.9.9",
		    1, 151);

		ts_eptab_event(t, &u, NULL);
		ts_eptab_event(t, &u2, NULL);
	}
	is_u(r->count[TS_CL_UNSOLICITED], 1, "unsolicited counted in an existing row");
	is_u(ts_row_failures(r), 100, "...but not as a failure");
	is_u(ts_eptab_rows(t), 1, "unsolicited RSTs never create rows");
	is_u(ts_eptab_other(t)->count[TS_CL_UNSOLICITED], 1, "...they go to other");
	ts_eptab_free(t);
}

/*
 * A peer equal to the row's last skips its HyperLogLog add: the sketch is
 * the same, register for register, as one fed each peer once (the kernel's
 * failures too, which share it).
 */
static void
peer_runs(void)
{
	struct ts_eptab *runs = fresh(16, 0, 3600), *once = fresh(16, 0, 3600);
	const struct ts_row *a, *b;
	char peer[32];
	struct ts_epkey k;
	uint8_t p16[16];

	for (int i = 0; i < 60; i++) {
		struct ts_event e;

		snprintf(peer, sizeof(peer), "10.0.2.%d", i / 6);
		e = ev(TS_CL_REFUSED, "127.0.0.1", 7211, peer,
		    (uint16_t)(40000 + i), 100.0 + i * 0.5);
		ts_eptab_event(runs, &e, "lo");
		if (i % 6 == 0)
			ts_eptab_event(once, &e, "lo");
	}
	a = row_of(runs, "127.0.0.1", 7211, 1);
	memset(p16, 0, sizeof(p16));
	p16[0] = 10, p16[1] = 0, p16[2] = 2, p16[3] = 9;	/* the last one */
	if (a != NULL) {
		k = a->key;
		ts_eptab_kfail(runs, &k, 131 * SEC, TS_LOC_LOCAL, p16, 1);
		p16[3] = 77;					/* a new one */
		ts_eptab_kfail(runs, &k, 132 * SEC, TS_LOC_LOCAL, p16, 1);
		p16[3] = 9;
		ts_eptab_kfail(once, &k, 131 * SEC, TS_LOC_LOCAL, p16, 1);
		p16[3] = 77;
		ts_eptab_kfail(once, &k, 132 * SEC, TS_LOC_LOCAL, p16, 1);
	}
	b = row_of(once, "127.0.0.1", 7211, 1);
	ok(a != NULL && b != NULL &&
	    memcmp(&a->peers, &b->peers, sizeof(a->peers)) == 0,
	    "peers in runs: the same sketch as each peer once");
	ok(a != NULL && ts_row_peers(a) == 11 && a->peer[3] == 77,
	    "eleven distinct peers, the last one kept");
	ts_eptab_free(runs);
	ts_eptab_free(once);
}

static void
scan(void)
{
	struct ts_eptab *t = fresh(8, 8, 3600);
	const struct ts_eptab_stats *st = ts_eptab_stats(t);
	const struct ts_row *r;
	uint64_t events = 0, hh = 0, hh_before = 0;
	double now = 1;

	/* Eight endpoints fill the table, one failure each. */
	for (uint16_t p = 1; p <= 8; p++) {
		struct ts_event e = ev(TS_CL_REFUSED, "10.0.0.1", p, "10.0.0.9",
		    1, now);

		ts_eptab_event(t, &e, NULL);
		events++;
	}
	is_u(st->admissions, 8, "scan: first eight admitted");
	/* A scan of 2000 ports with a heavy hitter (port 9999) among it. */
	for (uint16_t p = 100; p < 2100; p++) {
		struct ts_event e = ev(TS_CL_REFUSED, "10.0.0.1", p, "10.0.0.9",
		    1, now += 0.001);

		ts_eptab_event(t, &e, NULL);
		events++;
		if (p % 10 == 0) {
			e = ev(TS_CL_TIMEOUT, "10.0.0.2", 9999, "10.0.0.9", 1,
			    now += 0.001);
			if (row_of(t, "10.0.0.2", 9999, 0) == NULL)
				hh_before++;
			ts_eptab_event(t, &e, NULL);
			events++;
			hh++;
		}
	}
	r = row_of(t, "10.0.0.2", 9999, 0);
	ok(r != NULL, "scan: the heavy hitter has a row");
	if (r != NULL)
		is_u(r->count[TS_CL_TIMEOUT], hh - hh_before + 1,
		    "scan: heavy hitter counted exactly since admission");
	ok(st->evictions >= 1 && st->evictions <= 2, "scan: evictions %llu (one per heavy hitter)",
	    (unsigned long long)st->evictions);
	is_u(ts_eptab_rows(t), 8, "scan: table stays at its bound");
	is_u(total_failures(t), events, "scan: rows + other conserve every failure");
	ok(ts_row_failures(ts_eptab_other(t)) >= 2000 - 8,
	    "scan: the scan lands in other");
	ts_eptab_free(t);
}

static void
expiry(void)
{
	struct ts_eptab *t = fresh(8, 0, 60);
	struct ts_event e = ev(TS_CL_ABORT, "10.0.0.1", 443, "10.0.0.9", 5, 10);

	ts_eptab_event(t, &e, NULL);
	e = ev(TS_CL_ABORT, "10.0.0.1", 444, "10.0.0.9", 5, 50);
	ts_eptab_event(t, &e, NULL);
	ts_eptab_tick(t, (ts_ns)(69.9 * SEC));
	is_u(ts_eptab_rows(t), 2, "ttl: nothing expires early");
	ts_eptab_tick(t, 70 * SEC);
	is_u(ts_eptab_rows(t), 1, "ttl: idle row expires");
	is_u(ts_eptab_stats(t)->expiries, 1, "ttl: expiry counted");
	is_u(ts_eptab_other(t)->count[TS_CL_ABORT], 1, "ttl: counts folded into other");
	is_u(total_failures(t), 2, "ttl: totals conserved");
	ts_eptab_free(t);
}

/*
 * A capture file's table (expire_when_full): a row idle for two weeks
 * stays while there is room, and expires only to make room, idlest first.
 */
static void
expiry_when_full(void)
{
	struct ts_eptab *t;
	struct ts_eptab_conf conf;
	const double DAY = 86400;
	struct ts_event e;

	ts_eptab_conf_default(&conf);
	conf.max_rows = 2;
	conf.ttl = 3600 * SEC;
	conf.expire_when_full = 1;
	t = ts_eptab_new(&conf);
	e = ev(TS_CL_REFUSED, "10.0.0.1", 6633, "10.0.0.9", 5, 10);
	ts_eptab_event(t, &e, NULL);
	e = ev(TS_CL_REFUSED, "10.0.0.1", 80, "10.0.0.9", 5, 13 * DAY);
	ts_eptab_event(t, &e, NULL);
	ts_eptab_tick(t, (ts_ns)(14 * DAY * SEC));
	is_u(ts_eptab_rows(t), 2, "file ttl: a row idle for 14 days stays while there is room");
	ok(row_of(t, "10.0.0.1", 6633, 1) != NULL, "file ttl: the day-1 endpoint is still a row");
	e = ev(TS_CL_REFUSED, "10.0.0.1", 81, "10.0.0.9", 5, 13 * DAY + 10);
	ts_eptab_event(t, &e, NULL);
	ok(row_of(t, "10.0.0.1", 6633, 1) == NULL && row_of(t, "10.0.0.1", 81, 1) != NULL,
	    "file ttl: full, a new endpoint takes the idlest expired row's room");
	is_u(ts_eptab_stats(t)->expiries, 1, "file ttl: that expiry counted");
	e = ev(TS_CL_REFUSED, "10.0.0.1", 82, "10.0.0.9", 5, 13 * DAY + 20);
	ts_eptab_event(t, &e, NULL);
	ok(row_of(t, "10.0.0.1", 82, 1) == NULL && ts_eptab_rows(t) == 2,
	    "file ttl: no idle row to expire: the newcomer goes to other");
	is_u(total_failures(t), 4, "file ttl: totals conserved");
	ts_eptab_free(t);
}

static void
scopes(void)
{
	struct ts_eptab *t = fresh(8, 0, 3600);
	struct ts_event e = ev(TS_CL_REFUSED, "fe80::1", 22, "fe80::2", 5, 1);

	e.ifindex = 2;
	ts_eptab_event(t, &e, NULL);
	e.ifindex = 3;
	ts_eptab_event(t, &e, NULL);
	e = ev(TS_CL_REFUSED, "2001:db8::1", 22, "2001:db8::2", 5, 1);
	e.ifindex = 2;
	ts_eptab_event(t, &e, NULL);
	e.ifindex = 3;
	ts_eptab_event(t, &e, NULL);
	is_u(ts_eptab_rows(t), 3, "link-local endpoints on two links are two rows, global is one");
	ok(row_of(t, "fe80::1", 22, 3) != NULL, "link-local row keyed by interface");
	ts_eptab_free(t);
}

static struct ts_epkey
kkey(const char *svc, uint16_t port, uint32_t netns)
{
	struct ts_epkey k;

	memset(&k, 0, sizeof(k));
	k.family = TS_AF_INET;
	inet_pton(AF_INET, svc, k.addr);
	k.port = port;
	k.netns = netns;
	return k;
}

/*
 * The capture's events are in conf.netns; a failure only the kernel saw
 * (ts_eptab_kfail) is a row's kfail, in its failures and rate, and a row
 * of another namespace is another row; under a scan of such failures the
 * totals are conserved.
 */
static void
namespaces(void)
{
	struct ts_eptab_conf conf;
	struct ts_eptab *t;
	struct ts_event e = ev(TS_CL_REFUSED, "127.0.0.1", 7211, "127.0.0.1", 5, 1);
	struct ts_epkey own = kkey("127.0.0.1", 7211, 100);
	struct ts_epkey other = kkey("127.0.0.1", 7211, 200);
	uint8_t peer[16] = { 127, 0, 0, 1 };
	const struct ts_row *r;
	char a[32];

	ts_eptab_conf_default(&conf);
	conf.max_rows = 4;
	conf.netns = 100;
	t = ts_eptab_new(&conf);
	ts_eptab_event(t, &e, "lo");
	ts_eptab_kfail(t, &own, 2 * SEC, TS_LOC_LOCAL, peer, 40000);
	for (int i = 0; i < 3; i++)
		ts_eptab_kfail(t, &other, (ts_ns)(2 + i) * SEC, TS_LOC_LOCAL, peer,
		    40001);
	is_u(ts_eptab_rows(t), 2, "127.0.0.1:7211 in two namespaces: two rows");
	r = ts_eptab_find(t, &own);
	ok(r != NULL && r->count[TS_CL_REFUSED] == 1 && r->kfail == 1 &&
	    ts_row_failures(r) == 2, "this namespace's row: the capture's "
	    "refusal and the kernel's own failure, 2 failures");
	r = ts_eptab_find(t, &other);
	ok(r != NULL && r->kfail == 3 && ts_row_failures(r) == 3 &&
	    r->loc == TS_LOC_LOCAL && r->peer_port == 40001 &&
	    r->first == 2 * SEC && r->last == 4 * SEC,
	    "the other namespace's: 3 failures, the kernel's, first and last "
	    "seen, the caller's port");
	is_u(ts_rate_milli(&r->rate, &conf.rates, 0, 5 * SEC), 600,
	    "...in its rate (3 over the 5 s floor)");
	/* A scan of kernel-only failures: four rows, the rest in other. */
	for (int i = 0; i < 50; i++) {
		snprintf(a, sizeof(a), "10.0.%d.%d", i / 250, i % 250 + 1);
		other = kkey(a, (uint16_t)(1000 + i), 200);
		ts_eptab_kfail(t, &other, (ts_ns)(10 + i) * SEC, TS_LOC_REMOTE,
		    peer, 40002);
	}
	is_u(ts_eptab_rows(t), 4, "a scan of them: the table stays at its bound");
	is_u(total_failures(t), 55, "...rows and other hold every failure");
	/* Namespace 200 is gone (another took its inode): its rows go. */
	is_u(ts_eptab_forget_netns(t, 200), 3, "a namespace gone: its 3 rows go");
	ok(ts_eptab_rows(t) == 1 && ts_eptab_find(t, &own) != NULL &&
	    total_failures(t) == 55, "...the other namespace's stays, totals "
	    "conserved in other");
	ts_eptab_free(t);
}

int
main(void)
{
	basics();
	peer_runs();
	scan();
	expiry();
	expiry_when_full();
	scopes();
	namespaces();
	return tap_done();
}
