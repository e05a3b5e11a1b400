/*
 * test_parts.c - the small pieces: SipHash against the reference vector,
 * HyperLogLog accuracy, the indexed heap, sliding-window rates and
 * cross-interface deduplication, the table hash, the steady clock across
 * wall-clock steps.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "clock.h"
#include "dedup.h"
#include "flowtab.h"
#include "keyhash.h"
#include "heap.h"
#include "hostctr.h"
#include "hll.h"
#include "rate.h"
#include "siphash.h"
#include "tap.h"

#define SEC	TS_NS_PER_SEC

static void
siphash_vector(void)
{
	struct ts_sipkey k;
	uint8_t key[16], msg[15];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	k.k0 = k.k1 = 0;
	for (int i = 7; i >= 0; i--) {
		k.k0 = k.k0 << 8 | key[i];
		k.k1 = k.k1 << 8 | key[i + 8];
	}
	/* From the SipHash paper, appendix A. */
	is_u(ts_siphash(&k, msg, 15), 0xa129ca6149be45e5ULL, "siphash-2-4 test vector");
	/*
	 * SipHash-1-3, zero key: the values CPython 3.11 gives hash(b"...")
	 * under PYTHONHASHSEED=0 (its hash is SipHash-1-3), one message with a
	 * tail, one without a full word.
	 */
	k.k0 = k.k1 = 0;
	is_u(ts_siphash13(&k, "siphash", 7), 0x8264ceeccb16bcbeULL,
	    "siphash-1-3, 7 bytes");
	is_u(ts_siphash13(&k, "digest-sip_hash", 15), 0xce31007e34130c0aULL,
	    "siphash-1-3, 15 bytes");
	is_u(ts_siphash13(&k, msg, 15), 0xf30eb725bb91c9eaULL,
	    "siphash-1-3, bytes 0..14");
}

static void
hll(void)
{
	static const uint64_t ns[] = { 1, 5, 50, 1000, 100000 };
	struct ts_sipkey k = { 1, 2 };

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct ts_hll h;
		uint64_t est;
		double err;

		memset(&h, 0, sizeof(h));
		for (uint64_t x = 0; x < ns[i]; x++) {
			ts_hll_add(&h, ts_siphash(&k, &x, sizeof(x)));
			ts_hll_add(&h, ts_siphash(&k, &x, sizeof(x)));
		}
		est = ts_hll_estimate(&h);
		err = ((double)est - (double)ns[i]) / (double)ns[i];
		ok(ns[i] <= 5 ? est == ns[i] : ns[i] <= 50 ? err < 0.05 &&
		    err > -0.05 : err < 0.2 && err > -0.2,
		    "hll: %llu distinct estimated as %llu",
		    (unsigned long long)ns[i], (unsigned long long)est);
	}
}

struct item {
	struct ts_heapent	h;
	int			in;
};

static void
heap(void)
{
	struct ts_heap hp;
	struct item it[200];
	uint32_t seed = 7;
	int bad = 0;

	ts_heap_init(&hp, 200);
	memset(it, 0, sizeof(it));
	for (int round = 0; round < 20000; round++) {
		struct item *x = &it[(seed = seed * 1103515245 + 12345) % 200];
		uint64_t min = UINT64_MAX;

		switch ((seed >> 16) % 3) {
		case 0:
			if (!x->in) {
				x->h.key = (seed >> 8) % 1000;
				ts_heap_push(&hp, &x->h);
				x->in = 1;
			}
			break;
		case 1:
			if (x->in) {
				x->h.key += (seed >> 4) % 50;
				ts_heap_update(&hp, &x->h);
			}
			break;
		default:
			if (x->in) {
				ts_heap_remove(&hp, &x->h);
				x->in = 0;
			}
		}
		for (int i = 0; i < 200; i++)
			if (it[i].in && it[i].h.key < min)
				min = it[i].h.key;
		if (hp.n > 0 && ts_heap_min(&hp)->key != min)
			bad++;
	}
	ok(bad == 0, "heap: minimum right after 20000 random operations");
	ts_heap_fini(&hp);
}

/* The rate all three windows read at now; UINT64_MAX if they differ. */
static uint64_t
all_windows(const struct ts_rate *r, const struct ts_rate_conf *rc, ts_ns now)
{
	uint64_t m = ts_rate_milli(r, rc, 0, now);

	for (int w = 1; w < TS_RATE_WINDOWS; w++)
		if (ts_rate_milli(r, rc, w, now) != m)
			return UINT64_MAX;
	return m;
}

/* Add a 2/s stream's events from 1000.25 s up to now. */
static void
stream_until(struct ts_rate *r, const struct ts_rate_conf *rc, int *i,
    ts_ns now)
{
	for (ts_ns t; (t = 1000 * SEC + SEC / 4 + (ts_ns)*i * SEC / 2) <= now;
	    (*i)++)
		ts_rate_add(r, rc, t, 1);
}

/* The rule in rate.h: N events in [max(S, first), now] over that span. */
static void
rates(void)
{
	struct ts_rate_conf rc;
	struct ts_rate r;
	uint64_t worst = 0;
	int n = 0;
	static const struct {
		int		 secs;
		uint64_t	 want;
		const char	*what;
	} young[] = {
		{ 5, 2000, "10 events over the 5 s floor" },
		{ 8, 2065, "16 events over its 7.75 s age" },
		{ 10, 2051, "20 events over 9.75 s" },
		{ 20, 2025, "40 events over 19.75 s" },
	};

	ts_rate_conf_default(&rc);
	ok(ts_rate_conf_check(&rc) == 0, "rate: default windows valid");
	ts_rate_init(&r);
	is_u(ts_rate_milli(&r, &rc, 0, 10 * SEC), 0, "rate: no event, no rate");

	/* A mature counter: 2/s for 20 minutes, events 1000 .. 2199.5 s. */
	for (int i = 0; i < 2 * 1200; i++)
		ts_rate_add(&r, &rc, 1000 * SEC + (ts_ns)i * SEC / 2, 1);
	is_u(ts_rate_milli(&r, &rc, 0, 2200 * SEC), 2000, "rate: 1m at 2/s (118 in 59 s)");
	is_u(ts_rate_milli(&r, &rc, 1, 2200 * SEC), 2000, "rate: 5m at 2/s (590 in 295 s)");
	is_u(ts_rate_milli(&r, &rc, 2, 2200 * SEC), 2000, "rate: 15m at 2/s (1790 in 895 s)");
	is_u(ts_rate_count(&r, &rc, 2, 2200 * SEC), 1790,
	    "rate: 15m counts exactly the events since S, 59 buckets back");
	/* No lag: between boundaries, the span grows by what has passed. */
	is_u(ts_rate_milli(&r, &rc, 0, (ts_ns)(2200.7 * SEC)), 1977,
	    "rate: 118 events over 59.7 s, between bucket boundaries");
	is_u(ts_rate_count(&r, &rc, 0, (ts_ns)(2258.9 * SEC)), 2,
	    "rate: the last bucket's events count until W after it began");
	is_u(ts_rate_milli(&r, &rc, 0, 2259 * SEC), 0,
	    "rate: 1m is 0 once the last event's bucket left the window");
	ok(ts_rate_milli(&r, &rc, 1, 2261 * SEC) > 1500, "rate: 5m still remembers");

	/* A new counter at 2/s reads 2/s within seconds, in all windows. */
	ts_rate_init(&r);
	for (size_t k = 0; k < sizeof(young) / sizeof(young[0]); k++) {
		ts_ns now = (1000 + young[k].secs) * SEC;

		stream_until(&r, &rc, &n, now);
		is_u(all_windows(&r, &rc, now), young[k].want,
		    "rate: new counter, %d s: %s, every window", young[k].secs,
		    young[k].what);
	}
	stream_until(&r, &rc, &n, 1120 * SEC);
	is_u(ts_rate_milli(&r, &rc, 0, 1120 * SEC), 2000,
	    "rate: new counter, 2 min: 118 events over the 1m window's 59 s");
	is_u(ts_rate_milli(&r, &rc, 2, 1120 * SEC), 2004,
	    "rate: new counter, 2 min: 240 events over 119.75 s in 15m");

	/* A burst of 10 in 0.1 s, then nothing: 10 / max(age, 5 s). */
	ts_rate_init(&r);
	for (int i = 0; i < 10; i++)
		ts_rate_add(&r, &rc, 1000 * SEC + (ts_ns)i * SEC / 100, 1);
	for (ts_ns t = 1000 * SEC; t < 1060 * SEC; t += SEC / 20) {
		uint64_t m = ts_rate_milli(&r, &rc, 0, t);

		if (m > worst)
			worst = m;
	}
	is_u(worst, 2000, "rate: a burst of 10 in 0.1 s reads at most 10 over 5 s");
	is_u(all_windows(&r, &rc, 1001 * SEC), 2000,
	    "rate: burst, 1 s: 2/s everywhere");
	is_u(all_windows(&r, &rc, 1010 * SEC), 1000,
	    "rate: burst, 10 s: 10 over 10 s");
	is_u(all_windows(&r, &rc, 1030 * SEC), 333,
	    "rate: burst, 30 s: 10 over 30 s");
	is_u(ts_rate_milli(&r, &rc, 0, 1060 * SEC), 0, "rate: burst, 60 s: gone from 1m");
	is_u(ts_rate_milli(&r, &rc, 1, 1060 * SEC), 167, "rate: burst, 60 s: 10 over 60 s in 5m");
	is_u(ts_rate_milli(&r, &rc, 2, 1200 * SEC), 50, "rate: burst, 200 s: 10 over 200 s in 15m");
	is_u(ts_rate_milli(&r, &rc, 1, 1300 * SEC), 0, "rate: burst, 300 s: gone from 5m");

	/* The age runs from the first event; an empty add starts nothing. */
	ts_rate_init(&r);
	ts_rate_add(&r, &rc, 0, 0);
	ts_rate_add(&r, &rc, 1000 * SEC, 1);
	ts_rate_add(&r, &rc, 999 * SEC, 1);	/* late: the first now */
	is_u(ts_rate_milli(&r, &rc, 0, 1010 * SEC), 182,
	    "rate: 2 events over the 11 s since the earliest");
	/* An old counter quiet for a while: a windowed average again. */
	ts_rate_init(&r);
	ts_rate_add(&r, &rc, 0, 1);
	for (int i = 0; i < 10; i++)
		ts_rate_add(&r, &rc, 1000 * SEC + (ts_ns)i * SEC / 2, 1);
	is_u(ts_rate_milli(&r, &rc, 0, 1005 * SEC), 169,
	    "rate: counter older than the window: 10 events over 59 s");

	/* Short windows (tests): 6 s, 12 s, 18 s; the floor is 5 s still. */
	rc.window[0] = 6 * SEC;
	rc.window[1] = 12 * SEC;
	rc.window[2] = 18 * SEC;
	ts_rate_init(&r);
	for (int i = 0; i < 60; i++)
		ts_rate_add(&r, &rc, (ts_ns)i * SEC / 2, 1);
	is_u(ts_rate_milli(&r, &rc, 0, (ts_ns)(29.99 * SEC)), 2003,
	    "rate: short windows: 12 events over 5.99 s");
	ts_rate_add(&r, &rc, 1 * SEC, 1);	/* older than the window */
	is_u(ts_rate_count(&r, &rc, 0, 30 * SEC), 11,
	    "rate: events older than the window ignored");
	/*
	 * Bucket edges, either side of 0 (floor division): the newest
	 * bucket's own events, an older one's, a new bucket's.
	 */
	rc.window[0] = 60 * SEC;
	ts_rate_init(&r);
	ts_rate_add(&r, &rc, -1, 1);		/* bucket -1 */
	ts_rate_add(&r, &rc, 0, 1);		/* bucket 0, the newest */
	ts_rate_add(&r, &rc, -SEC, 1);		/* bucket -1, older */
	ts_rate_add(&r, &rc, SEC - 1, 1);	/* bucket 0 */
	ts_rate_add(&r, &rc, SEC, 1);		/* bucket 1 */
	ts_rate_add(&r, &rc, SEC + SEC / 2, 2);	/* bucket 1 */
	is_u(ts_rate_count(&r, &rc, 0, 0), 4, "rate: edges: 4 events up to 0");
	is_u(ts_rate_count(&r, &rc, 0, 2 * SEC), 7, "rate: edges: 7 in all");
	is_u(ts_rate_count(&r, &rc, 0, 58 * SEC + SEC - 1), 7,
	    "rate: edges: buckets -1 to 58 of one minute");
	is_u(ts_rate_count(&r, &rc, 0, 59 * SEC), 5,
	    "rate: edges: buckets 0 to 59 of one minute");
	is_u(ts_rate_count(&r, &rc, 0, 60 * SEC), 3,
	    "rate: edges: buckets 1 to 60 of one minute");
	rc.window[0] = 3 * SEC;		/* shorter than the floor */
	ts_rate_init(&r);
	ts_rate_add(&r, &rc, 10 * SEC, 3);
	is_u(ts_rate_milli(&r, &rc, 0, 10 * SEC), 1000,
	    "rate: the floor is at most the window (3 over 3 s)");
}

static void
dedup(void)
{
	struct ts_dedup *d = ts_dedup_new(1024, 20 * 1000000LL);
	struct ts_pkt p;

	memset(&p, 0, sizeof(p));
	p.kind = TS_PKT_TCP;
	p.family = TS_AF_INET;
	p.src[0] = 10;
	p.dst[0] = 11;
	p.sport = 1;
	p.dport = 2;
	p.seq = 3;
	p.tcpflags = TS_TH_SYN;
	p.ts = 5 * SEC;
	p.ifindex = 4;
	ok(!ts_dedup_seen(d, &p), "dedup: first copy is new");
	p.ifindex = 5;
	p.ts += 30000;
	ok(ts_dedup_seen(d, &p), "dedup: copy on another interface 30 us later");
	p.ts += SEC;
	ok(!ts_dedup_seen(d, &p), "dedup: a retransmission a second later is new");
	p.seq++;
	ok(!ts_dedup_seen(d, &p), "dedup: another sequence number is new");
	p.ts += 20 * 1000000LL;
	ok(ts_dedup_seen(d, &p), "dedup: a copy at the window's edge (20 ms)");
	p.ts += 20 * 1000000LL + 1;
	ok(!ts_dedup_seen(d, &p), "dedup: ...and 1 ns past it is new");
	p.kind = TS_PKT_ICMP_UNREACH;
	p.icmp_from[0] = 12;
	ok(!ts_dedup_seen(d, &p), "dedup: an ICMP quoting the same segment is new");
	p.icmp_from[0] = 13;
	ok(!ts_dedup_seen(d, &p), "dedup: ...and one from another sender too");
	p.family = TS_AF_INET6;
	p.src[15] = 1;
	ok(!ts_dedup_seen(d, &p), "dedup: an IPv6 packet is new");
	p.ts += 1000;
	ok(ts_dedup_seen(d, &p), "dedup: ...its copy is not");
	ts_dedup_free(d);
	d = ts_dedup_new(1024, 0);
	ok(!ts_dedup_seen(d, &p) && !ts_dedup_seen(d, &p), "dedup: window 0 turns it off");
	ts_dedup_free(d);
}

/*
 * The table hash: the word form is the byte form; a key per table; the
 * flows of a scan (one service, every port of 256 callers) and of IPv6
 * callers spread over the buckets with no long chain.
 */
static void
keyhash(void)
{
	struct ts_hkey k1, k2;
	uint64_t w[5];
	uint8_t b[40];
	struct ts_flowtab *ft = ts_flowtab_new(65536);
	static uint32_t load[65536];
	uint32_t worst = 0, same = 0;

	ts_hkey_random(&k1);
	ts_hkey_random(&k2);
	for (int i = 0; i < 5; i++)
		w[i] = 0x0123456789abcdefULL * (uint64_t)(i + 1);
	memcpy(b, w, sizeof(b));	/* this host's byte order */
	is_u(ts_keyhash_w(&k1, w, 5), ts_keyhash(&k1, b, 40),
	    "keyhash: words and their bytes hash alike");
	for (uint32_t i = 0; i < 1000; i++) {
		w[0] = i;
		same += ts_keyhash_w(&k1, w, 1) == ts_keyhash_w(&k2, w, 1);
	}
	ok(same < 5, "keyhash: two random keys, two functions (%u alike of 1000)", same);
	for (int fam = 0; fam < 2; fam++) {
		memset(load, 0, sizeof(load));
		for (uint32_t n = 0; n < 65536; n++) {
			struct ts_flowkey k;

			memset(&k, 0, sizeof(k));
			k.family = fam ? TS_AF_INET6 : TS_AF_INET;
			k.port[0] = 80;
			k.port[1] = (uint16_t)(1024 + n / 256);
			k.addr[0][0] = 10;
			k.addr[1][0] = 10;
			k.addr[1][fam ? 15 : 3] = (uint8_t)(n % 256);
			load[ts_flowtab_hash(ft, &k) & 65535]++;
		}
		for (int i = 0; i < 65536; i++)
			if (load[i] > worst)
				worst = load[i];
	}
	ok(worst <= 12, "keyhash: 65,536 scan flows in 65,536 buckets, "
	    "IPv4 and IPv6: longest chain %u", worst);
	ts_flowtab_free(ft);
}

/* Write a fake /proc: net/snmp and net/netstat with the given texts. */
static void
fake_proc(const char *dir, const char *snmp, const char *netstat)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/net", dir);
	mkdir(dir, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/net/snmp", dir);
	unlink(path);
	if (snmp != NULL && (fp = fopen(path, "w")) != NULL) {
		fputs(snmp, fp);
		fclose(fp);
	}
	snprintf(path, sizeof(path), "%s/net/netstat", dir);
	unlink(path);
	if (netstat != NULL && (fp = fopen(path, "w")) != NULL) {
		fputs(netstat, fp);
		fclose(fp);
	}
}

static void
hostctr(void)
{
	char dir[] = "/tmp/ts-procXXXXXX", err[256];
	struct ts_hostctr hc;

	if (mkdtemp(dir) == NULL) {
		ok(0, "hostctr: mkdtemp");
		return;
	}
	/* Fields in another order, one missing, a section we do not know. */
	fake_proc(dir,
	    "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
	    "Tcp: OutRsts RtoMin AttemptFails MaxConn\n"
	    "Tcp: 77 200 18446744073709551615 -1\n",
	    "TcpExt: SyncookiesSent ListenDrops\nTcpExt: 3 9\n"
	    "IpExt: InNoRoutes\nIpExt: 5\n");
	ok(ts_hostctr_read(&hc, dir, err, sizeof(err)) == 0, "hostctr: reads");
	ok(hc.present[TS_HC_OUT_RSTS] && hc.v[TS_HC_OUT_RSTS] == 77 &&
	    hc.present[TS_HC_ATTEMPT_FAILS] &&
	    hc.v[TS_HC_ATTEMPT_FAILS] == 18446744073709551615ULL,
	    "hostctr: fields found by name, in any order, 64-bit");
	ok(!hc.present[TS_HC_IN_CSUM_ERRORS] && !hc.present[TS_HC_ESTAB_RESETS],
	    "hostctr: a field the kernel lacks is absent, not 0");
	ok(hc.present[TS_HC_LISTEN_DROPS] && hc.v[TS_HC_LISTEN_DROPS] == 9 &&
	    hc.v[TS_HC_SYNCOOKIES_SENT] == 3, "hostctr: TcpExt from netstat");

	fake_proc(dir, "Tcp: A B C\nTcp: 1 2\n", NULL);
	ok(ts_hostctr_read(&hc, dir, err, sizeof(err)) == -1 && err[0] != '\0',
	    "hostctr: header and values that disagree: an error (%s)", err);
	fake_proc(dir, "garbage\n\x01\x02\n", "TcpExt: ListenDrops\nTcpExt: x\n");
	ok(ts_hostctr_read(&hc, dir, err, sizeof(err)) == -1,
	    "hostctr: garbage and a non-number: an error, no crash");
	fake_proc(dir, NULL, NULL);
	ok(ts_hostctr_read(&hc, dir, err, sizeof(err)) == -1 &&
	    strstr(err, "No such file") != NULL,
	    "hostctr: no files: says why (%s)", err);
	fake_proc(dir, NULL, "TcpExt: ListenDrops\nTcpExt: 4\n");
	ok(ts_hostctr_read(&hc, dir, err, sizeof(err)) == 0 &&
	    hc.v[TS_HC_LISTEN_DROPS] == 4 && !hc.present[TS_HC_ATTEMPT_FAILS],
	    "hostctr: one file is enough; the other's counters are absent");
	fake_proc(dir, NULL, NULL);
	{
		char path[300];

		snprintf(path, sizeof(path), "%s/net", dir);
		rmdir(path);
		rmdir(dir);
	}
}

/*
 * The wall clock steps back an hour at 10 s and forward two at 20 s; a
 * packet arrives every 0.5 s and is read 1 ms later (the one stamped just
 * before each step is read after it).  Every packet's steady time is its
 * true arrival on the monotonic clock, so times keep increasing and a
 * rate over them is their number over their span.
 */
static void
steady_clock(void)
{
	const ts_ns W0 = 1700000000 * SEC, HOUR = 3600 * SEC, MS = SEC / 1000;
	struct ts_steady st;
	struct ts_rate r;
	struct ts_rate_conf rc = { .window = { 60 * SEC, 60 * SEC, 60 * SEC } };
	ts_ns prev = 0, worst = 0;
	int mono_ok = 1, steps = 0;

#define WALL(m)	((m) + W0 - ((m) >= 10 * SEC ? HOUR : 0) + ((m) >= 20 * SEC ? 2 * HOUR : 0))
	ts_steady_init(&st, WALL(0), 0);
	ts_rate_init(&r);
	for (ts_ns m = SEC / 2; m <= 30 * SEC; m += SEC / 2) {
		ts_ns arrive = m - 1 * MS, read = m;
		ts_ns t = ts_steady_stamp(&st, WALL(arrive), WALL(read), read);
		ts_ns want = ts_steady_at(&st, arrive), err = t - want;

		if (WALL(arrive) - WALL(read) != -1 * MS)
			steps++;	/* this stamp straddles a step */
		if (err < 0)
			err = -err;
		if (err > worst)
			worst = err;
		if (t <= prev)
			mono_ok = 0;
		prev = t;
		ts_rate_add(&r, &rc, t, 1);
	}
#undef WALL
	is_u(steps, 2, "two stamps straddle a step (read as now: 1 ms late)");
	ok(mono_ok, "steady times keep increasing across the steps");
	ok(worst <= 1 * MS, "each packet lands at its arrival (worst error %lld ns)", (long long)worst);
	/* 60 events from 0.499 s on: 60 over 29.501 s, read at 30 s. */
	is_u(ts_rate_milli(&r, &rc, 0, ts_steady_at(&st, 30 * SEC)), 2034,
	    "the rate is 60 events over the time since the first, across both steps");
	/* A stamp from before a step read after it: the time it was read. */
	ts_steady_init(&st, W0, 0);
	is_u(ts_steady_stamp(&st, W0 + 5 * SEC, W0 + 5 * SEC - HOUR, 5 * SEC),
	    W0 + 5 * SEC, "a stamp an hour in the future is read as now");
	is_u(ts_steady_stamp(&st, W0 + 5 * SEC - HOUR, W0 + 5 * SEC, 5 * SEC),
	    W0 + 5 * SEC, "a stamp an hour old is read as now");
	is_u(ts_steady_stamp(&st, W0 + 4 * SEC, W0 + 5 * SEC, 5 * SEC),
	    W0 + 4 * SEC, "a 1 s-old stamp keeps its age");
}

int
main(void)
{
	siphash_vector();
	hll();
	heap();
	rates();
	dedup();
	keyhash();
	hostctr();
	steady_clock();
	return tap_done();
}
