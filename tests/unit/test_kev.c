/*
 * test_kev.c - the kernel event source's pure parts: record checks
 * (kevrec), reasons and their agreement with capture classes (kevreason),
 * callers per endpoint (kevcallers), listener history (kevlisten) and the
 * record-to-core glue that needs no kernel (kevfeed).
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kevfeed.h"
#include "kevsrc.h"
#include "tap.h"

static struct kev_event
rec(unsigned type, int err, unsigned flags)
{
	struct kev_event e;

	memset(&e, 0, sizeof(e));
	e.type = (__u16)type;
	e.err = err;
	e.flags = (__u16)flags;
	e.family = AF_INET;
	e.netns_cookie = 7;
	e.netns_ino = 4026531840u;
	inet_pton(AF_INET, "127.0.0.1", e.daddr);
	inet_pton(AF_INET, "127.0.0.1", e.saddr);
	e.dport = 7211;
	e.sport = 40000;
	e.caller.pid = 42;
	snprintf(e.caller.comm, sizeof(e.caller.comm), "lm-collector");
	return e;
}

static void
test_rec(void)
{
	struct kev_event in = rec(KEV_CONNECT_FAIL, ECONNREFUSED, KEV_F_RST), out;
	const char *why = NULL;
	uint8_t mapped[16];

	ok(kev_rec_check(&in, sizeof(in), &out, &why) == 0, "a good record passes");
	ok(kev_rec_check(&in, sizeof(in) - 1, &out, &why) == -1 &&
	    strstr(why, "size") != NULL, "a short record is refused");
	in.type = KEV__TYPES;
	ok(kev_rec_check(&in, sizeof(in), &out, &why) == -1 &&
	    strstr(why, "type") != NULL, "an unknown type is refused");
	in = rec(KEV_CONNECT_FAIL, 0, 0);
	in.family = 1;
	ok(kev_rec_check(&in, sizeof(in), &out, &why) == -1 &&
	    strstr(why, "family") != NULL, "an unknown family is refused");
	in = rec(KEV_CONNECT_FAIL, 0, 0x8000);
	ok(kev_rec_check(&in, sizeof(in), &out, &why) == -1,
	    "unknown flags are refused");
	in = rec(KEV_CONNECT_FAIL, 5000, 0);
	ok(kev_rec_check(&in, sizeof(in), &out, &why) == -1,
	    "an errno out of range is refused");
	in = rec(KEV_CONNECT_FAIL, 0, 0);
	memcpy(in.caller.comm, "ab\ncd\"e\\f\x7fghijklmn", 16);	/* no NUL */
	memset(in.caller.cgname, 'x', sizeof(in.caller.cgname));
	kev_rec_check(&in, sizeof(in), &out, &why);
	ok(strcmp(out.caller.comm, "ab?cd?e?f?ghijk") == 0,
	    "comm: NUL-terminated, control and quote characters replaced: %s",
	    out.caller.comm);
	is_u(strlen(out.caller.cgname), sizeof(out.caller.cgname) - 1,
	    "cgroup name NUL-terminated");
	in = rec(KEV_CONNECT_FAIL, ECONNREFUSED, 0);
	in.family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:10.1.2.3", mapped);
	memcpy(in.daddr, mapped, 16);
	memcpy(in.saddr, mapped, 16);
	kev_rec_check(&in, sizeof(in), &out, &why);
	ok(out.family == AF_INET && memcmp(out.daddr, "\x0a\x01\x02\x03", 4) == 0 &&
	    out.daddr[4] == 0 && out.saddr[0] == 10,
	    "a v4-mapped peer becomes IPv4 (what the capture shows)");
	in.type = KEV_LISTEN;
	kev_rec_check(&in, sizeof(in), &out, &why);
	ok(out.family == AF_INET6, "a listener stays as it was bound");
	ok(strcmp(kev_type_name(KEV_UNLISTEN), "unlisten") == 0 &&
	    strcmp(kev_type_name(99), "?") == 0, "type names");
}

static void
test_reason(void)
{
	static const struct {
		unsigned type, flags;
		int err;
		enum kev_reason want;
		int attemptfails;
		int cls;	/* a capture class that agrees, or -1 */
		int notcls;	/* one that does not, or -1 */
	} t[] = {
		{ KEV_CONNECT_FAIL, KEV_F_RST, ECONNREFUSED, KEV_R_REFUSED, 1,
		    TS_CL_REFUSED, TS_CL_UNREACH },
		{ KEV_CONNECT_FAIL, 0, ECONNREFUSED, KEV_R_PORT_UNREACH, 1,
		    TS_CL_UNREACH, TS_CL_REFUSED },
		{ KEV_CONNECT_FAIL, KEV_F_SOFTERR | KEV_F_ICMP, ECONNREFUSED,
		    KEV_R_PORT_UNREACH, 0, TS_CL_UNREACH, TS_CL_REFUSED },
		{ KEV_CONNECT_FAIL, 0, ETIMEDOUT, KEV_R_TIMEOUT, 1,
		    TS_CL_TIMEOUT, TS_CL_REFUSED },
		{ KEV_CONNECT_FAIL, KEV_F_NFDROP, ETIMEDOUT, KEV_R_NETFILTER, 1,
		    TS_CL_TIMEOUT, TS_CL_UNREACH },
		{ KEV_CONNECT_FAIL, 0, EHOSTUNREACH, KEV_R_HOST_UNREACH, 1,
		    TS_CL_UNREACH, TS_CL_TIMEOUT },
		{ KEV_CONNECT_FAIL, 0, ENETUNREACH, KEV_R_NET_UNREACH, 1,
		    TS_CL_UNREACH, TS_CL_TIMEOUT },
		{ KEV_CONNECT_FAIL, 0, EACCES, KEV_R_PROHIBITED, 1,
		    TS_CL_UNREACH, TS_CL_REFUSED },
		{ KEV_CONNECT_ERR, KEV_F_NOPKT, ENETUNREACH, KEV_R_NO_ROUTE, 0,
		    -1, TS_CL_UNREACH },
		{ KEV_CONNECT_FAIL, KEV_F_NOPKT, EADDRNOTAVAIL,
		    KEV_R_ADDR_NOTAVAIL, 0, -1, TS_CL_TIMEOUT },
		{ KEV_CONNECT_ERR, KEV_F_NOPKT, EPERM, KEV_R_LOCAL_POLICY, 0,
		    -1, TS_CL_REFUSED },
		{ KEV_CONNECT_FAIL, KEV_F_ABANDONED, 0, KEV_R_ABANDONED, 0,
		    TS_CL_TIMEOUT, TS_CL_REFUSED },
		{ KEV_CONNECT_FAIL, 0, EPROTO, KEV_R_OTHER, 1, TS_CL_UNREACH,
		    TS_CL_REFUSED },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kev_event e = rec(t[i].type, t[i].err, t[i].flags);
		enum kev_reason r = kev_reason_of(&e);

		ok(r == t[i].want, "errno %d flags %#x: %s", t[i].err,
		    t[i].flags, kev_reason_name(r));
		ok(kev_in_attemptfails(&e) == t[i].attemptfails,
		    "... %s in AttemptFails", t[i].attemptfails ? "counted" :
		    "not counted");
		if (t[i].cls >= 0)
			ok(kev_reason_agrees(r, (unsigned)t[i].cls),
			    "... agrees with a capture's %s",
			    ts_class_name(t[i].cls));
		else
			ok(kev_reason_pcap(r) == KEV_PCAP_UNSEEN,
			    "... no capture sees it");
		ok(!kev_reason_agrees(r, (unsigned)t[i].notcls),
		    "... disagrees with a capture's %s",
		    ts_class_name(t[i].notcls));
	}
	/* What no capture sees, and the errno columns (tcpsleuthEpErr*). */
	{
		static const struct {
			unsigned type, flags;
			int err, nf, retx, unseen;
			enum kev_errcol col;
		} u[] = {
			{ KEV_CONNECT_FAIL, KEV_F_RST, ECONNREFUSED, 0, 0, 0,
			    KEV_E_CONNREFUSED },
			{ KEV_CONNECT_FAIL, 0, ECONNREFUSED, 0, 0, 0,
			    KEV_E_CONNREFUSED },
			{ KEV_CONNECT_FAIL, 0, ETIMEDOUT, 0, 1, 0, KEV_E_TIMEDOUT },
			{ KEV_CONNECT_FAIL, KEV_F_NFDROP, ETIMEDOUT, 2, 1, 1,
			    KEV_E_NETFILTER },	/* both SYNs dropped here */
			{ KEV_CONNECT_FAIL, KEV_F_NFDROP, ETIMEDOUT, 1, 1, 0,
			    KEV_E_NETFILTER },	/* the first one went out */
			{ KEV_CONNECT_FAIL, 0, EHOSTUNREACH, 0, 2, 1,
			    KEV_E_HOSTUNREACH },	/* no neighbour */
			{ KEV_CONNECT_FAIL, KEV_F_ICMP, EHOSTUNREACH, 0, 0, 0,
			    KEV_E_HOSTUNREACH },
			{ KEV_CONNECT_ERR, KEV_F_NOPKT, ENETUNREACH, 0, 0, 1,
			    KEV_E_NETUNREACH },
			{ KEV_CONNECT_FAIL, KEV_F_NOPKT, EADDRNOTAVAIL, 0, 0, 1,
			    KEV_E_ADDRNOTAVAIL },
			{ KEV_CONNECT_ERR, KEV_F_NOPKT, EACCES, 0, 0, 1, KEV_E_PERM },
			{ KEV_CONNECT_FAIL, KEV_F_ABANDONED, 0, 0, 1, 0,
			    KEV_E_OTHER },
		};
		int bad = 0;

		for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
			struct kev_event e = rec(u[i].type, u[i].err, u[i].flags);

			e.nf_drops = (__u32)u[i].nf;
			e.syn_retx = (__u32)u[i].retx;
			if (kev_pcap_unseen(&e) != u[i].unseen ||
			    kev_errcol_of(e.err, kev_reason_of(&e)) != u[i].col) {
				printf("# case %zu: unseen %d, column %s\n", i,
				    kev_pcap_unseen(&e), kev_errcol_name(
				    kev_errcol_of(e.err, kev_reason_of(&e))));
				bad++;
			}
		}
		ok(bad == 0, "what no capture can see (no SYN reached a device) "
		    "and the errno columns, %zu cases", i);
	}
	ok(!kev_reason_agrees(KEV_R_REFUSED, TS_CL_UNSOLICITED) &&
	    !kev_reason_agrees(KEV_R_REFUSED, TS_CL__COUNT),
	    "unsolicited RSTs and out-of-range classes agree with nothing");
	ok(strcmp(kev_reason_name(KEV_R__COUNT), "?") == 0 &&
	    strcmp(kev_reason_text(KEV_R_NETFILTER),
	    "dropped by this host's netfilter") == 0, "names and texts");
}

static struct kev_epkey
ep(const char *addr, uint16_t port)
{
	struct kev_epkey k;

	memset(&k, 0, sizeof(k));
	k.netns = 7;
	k.family = strchr(addr, ':') != NULL ? TS_AF_INET6 : TS_AF_INET;
	inet_pton(k.family == TS_AF_INET ? AF_INET : AF_INET6, addr, k.addr);
	k.port = port;
	return k;
}

static struct kev_who
who(const char *comm, const char *cgroup)
{
	struct kev_who w;

	memset(&w, 0, sizeof(w));
	w.netns = 7;
	snprintf(w.comm, sizeof(w.comm), "%s", comm);
	snprintf(w.cgroup, sizeof(w.cgroup), "%s", cgroup);
	return w;
}

/* Rows + other + unknown = total = the errno columns, for every endpoint. */
static int
adds_up(const struct kev_callers *c)
{
	const struct kev_epcallers *e = NULL;
	const struct kev_callrow *top[KEV_CALLERS_MAX];

	while ((e = kev_callers_next(c, e)) != NULL) {
		uint64_t sum = e->other + e->unknown;
		size_t i, n = kev_callers_top(e, top, KEV_CALLERS_MAX);

		uint64_t errs = 0;

		for (i = 0; i < n; i++)
			sum += top[i]->count;
		for (i = 0; i < KEV_E__COUNT; i++)
			errs += e->errs[i];
		if (sum != e->total || n != e->nrows || errs != e->total)
			return 0;
	}
	return 1;
}

static void
test_callers(void)
{
	struct kev_callers_conf conf;
	struct kev_callers *c;
	struct kev_epkey k1 = ep("127.0.0.1", 7211), k2 = ep("::1", 7211);
	struct kev_who a = who("lm-collector", "/system.slice/lm.service"),
	    b = who("poller", ""), w;
	const struct kev_epcallers *e;
	const struct kev_callrow *top[4];
	int i;

	kev_callers_conf_default(&conf);
	ok(kev_callers_conf_check(&conf) == NULL, "default conf is valid");
	conf.per_endpoint = 0;
	ok(kev_callers_conf_check(&conf) != NULL, "callers 0 is refused");
	conf.per_endpoint = 2;
	conf.total = 1;
	ok(kev_callers_conf_check(&conf) != NULL,
	    "callers-total below callers is refused");
	conf.total = 3;
	conf.max_endpoints = 2;
	c = kev_callers_new(&conf);
	for (i = 0; i < 3; i++)
		kev_callers_add(c, &k1, 99, &a, 100, 1000, ECONNREFUSED,
		    KEV_R_REFUSED, 10 + i);
	kev_callers_add(c, &k1, 99, &a, 200, 2000, ECONNREFUSED,
	    KEV_R_REFUSED, 20);	/* restarted: new pid */
	kev_callers_add(c, &k1, 99, &b, 300, 3000, ECONNREFUSED,
	    KEV_R_REFUSED, 21);
	e = kev_callers_get(c, &k1);
	ok(e != NULL && e->total == 5 && e->nrows == 2 && e->netns_ino == 99,
	    "one endpoint, 5 attempts, 2 callers");
	ok(kev_callers_top(e, top, 4) == 2 && top[0]->count == 4 &&
	    top[0]->pid == 200 && top[0]->pid_start == 2000 &&
	    top[0]->created == 10 && top[0]->last == 20,
	    "the restarted program is one caller: 4, its last pid, created "
	    "at its first attempt");
	ok(top[1]->count == 1 && strcmp(top[1]->who.comm, "poller") == 0,
	    "a second program is a second caller");
	ok(top[0]->id == 1 && top[1]->id == 2, "callers are numbered as they "
	    "come, the restarted program keeping its number");
	ok(e->has_last && e->last_caller.pid == 300 &&
	    e->reasons[KEV_R_REFUSED] == 5, "last caller and reasons");
	w = a;
	w.uid = 1000;
	kev_callers_add(c, &k1, 99, &w, 400, 0, ETIMEDOUT, KEV_R_TIMEOUT, 22);
	ok(e->nrows == 2 && e->other == 1 && e->reasons[KEV_R_TIMEOUT] == 1,
	    "another uid is another caller; at a full endpoint the weakest "
	    "row (poller, 1) goes to other callers");
	ok(kev_callers_top(e, top, 4) == 2 && top[1]->who.uid == 1000 &&
	    top[1]->count == 1 && top[1]->id == 3 && top[0]->id == 1,
	    "... and the new one has its row, a new number (poller's 2 is "
	    "not given again)");
	kev_callers_add(c, &k1, 99, NULL, 0, 0, ETIMEDOUT, KEV_R_TIMEOUT, 23);
	ok(e->unknown == 1 && e->total == 7, "an unknown caller is counted");
	ok(adds_up(c), "rows + other + unknown = total");
	kev_callers_add(c, &k2, 98, &b, 500, 0, ECONNREFUSED, KEV_R_REFUSED,
	    24);
	kev_callers_add(c, &k2, 98, &w, 501, 0, ECONNREFUSED, KEV_R_REFUSED,
	    25);
	e = kev_callers_get(c, &k1);
	ok(kev_callers_get(c, &k2)->nrows == 2 && e->nrows == 1,
	    "all rows taken: the least recently seen anywhere is reused");
	ok(adds_up(c), "... totals still add up");
	ok(kev_callers_next(c, NULL) == kev_callers_get(c, &k2),
	    "endpoints: most recently failing first");
	kev_callers_add(c, &(struct kev_epkey){ .netns = 8, .family = TS_AF_INET,
	    .port = 1 }, 97, &a, 1, 0, 0, KEV_R_ABANDONED, 26);
	ok(kev_callers_count(c) == 2 && kev_callers_get(c, &k1) == NULL &&
	    kev_callers_stats(c)->eps_evicted == 1 &&
	    kev_callers_stats(c)->attempts_forgotten == 7,
	    "endpoints full: the least recently failing goes, counted");
	ok(adds_up(c), "... totals still add up");
	kev_callers_expire(c, 26);
	ok(kev_callers_count(c) == 1 && kev_callers_stats(c)->eps_expired == 1,
	    "expiry forgets endpoints idle since before");
	kev_callers_forget(c, &k2);
	kev_callers_forget(c, &(struct kev_epkey){ .netns = 8,
	    .family = TS_AF_INET, .port = 1 });
	ok(kev_callers_count(c) == 0 && kev_callers_next(c, NULL) == NULL,
	    "forget");
	for (i = 0; i < 10; i++)	/* every row free again */
		kev_callers_add(c, &k1, 99, &(struct kev_who){ .comm = {
		    (char)('a' + i % 3) } }, (uint32_t)i, 0, 0, 0, 30 + i);
	ok(kev_callers_get(c, &k1)->nrows == 2 && adds_up(c),
	    "after forgetting, rows are reused");
	kev_callers_free(c);
}

static void
test_listen(void)
{
	struct kev_listen *h = kev_listen_new(3);
	struct kev_epkey k = ep("127.0.0.1", 7501), any4 = ep("0.0.0.0", 7502),
	    any6 = ep("::", 7503), lo6 = ep("::1", 7501);
	struct kev_who s = who("santaba", "/system.slice/santaba.service");
	const struct kev_listener *l;

	ok(kev_listen_last(h, &k) == NULL, "nothing known");
	kev_listen_start(h, &k, 99, 0, &s, 10, 1000, 501, 100, 0);
	kev_listen_start(h, &k, 99, 0, &s, 11, 1100, 502, 110, 0); /* reuseport */
	kev_listen_start(h, &k, 99, 0, &s, 11, 1100, 502, 111, 1);
	ok(kev_listen_stats(h)->starts_again == 1,
	    "a socket learnt and seen starting counts once");
	kev_listen_stop(h, &k, 99, 501, 120);
	l = kev_listen_last(h, &k);
	ok(l != NULL && l->active == 1 && l->stopped == 0 && l->pid == 11,
	    "two sockets, one stopped: still listening, the last to start");
	kev_listen_stop(h, &k, 99, 502, 130);
	ok(l->active == 0 && l->stopped == 130 && l->started == 110 &&
	    strcmp(l->who.comm, "santaba") == 0,
	    "both stopped: santaba, when it stopped");
	ok(kev_listen_last(h, &lo6) == NULL, "[::1] is another address");
	kev_listen_start(h, &any4, 99, 0, &s, 12, 0, 503, 140, 0);
	kev_listen_stop(h, &any4, 99, 503, 150);
	ok(kev_listen_last(h, &(struct kev_epkey){ .netns = 7,
	    .family = TS_AF_INET, .port = 7502, .addr = { 127, 0, 0, 1 } }) ==
	    kev_listen_last(h, &any4), "0.0.0.0 covers 127.0.0.1");
	kev_listen_start(h, &any6, 99, 1, &s, 13, 0, 504, 160, 1);
	ok(kev_listen_last(h, &(struct kev_epkey){ .netns = 7,
	    .family = TS_AF_INET, .port = 7503, .addr = { 127, 0, 0, 1 } }) ==
	    NULL, "an IPV6_V6ONLY [::] does not cover 127.0.0.1");
	l = kev_listen_last(h, &(struct kev_epkey){ .netns = 7,
	    .family = TS_AF_INET6, .port = 7503, .addr = { [15] = 1 } });
	ok(l != NULL && l->learnt && l->started == 0 && l->active == 1,
	    "... it covers [::1]; learnt at start, start unknown");
	kev_listen_stop(h, &any6, 99, 504, 170);
	kev_listen_start(h, &any6, 99, 0, &s, 13, 0, 505, 180, 0);
	ok(kev_listen_last(h, &(struct kev_epkey){ .netns = 7,
	    .family = TS_AF_INET, .port = 7503, .addr = { 127, 0, 0, 1 } }) !=
	    NULL, "a dual-stack [::] covers 127.0.0.1");
	kev_listen_start(h, &lo6, 99, 0, &s, 14, 0, 506, 190, 0);
	ok(kev_listen_count(h) == 3 && kev_listen_last(h, &k) == NULL &&
	    kev_listen_stats(h)->evicted_stopped == 1,
	    "full: the one stopped longest ago goes");
	l = kev_listen_next(h, NULL);
	ok(l != NULL && l->active > 0, "listening ones first");
	kev_listen_stop(h, &(struct kev_epkey){ .netns = 9, .port = 1 }, 1,
	    507, 200);
	ok(kev_listen_stats(h)->stops_unknown == 1 &&
	    kev_listen_stats(h)->evicted_active == 0,
	    "a stop of a listener never seen is counted (and kept, as stopped)");
	kev_listen_free(h);
}

static void
test_feed(void)
{
	struct kev_feed_conf conf;
	struct kev_feed *f;
	struct kev_event e = rec(KEV_CONNECT_FAIL, ECONNREFUSED, KEV_F_RST);
	struct kev_epkey k;
	struct kev_who w;
	char line[128];

	kev_feed_conf_default(&conf, "/nonexistent");
	ok(conf.cgroup_mount[0] == '\0', "no cgroup2 mount found: none");
	f = kev_feed_new(&conf);
	snprintf(e.caller.cgname, sizeof(e.caller.cgname), "cron.service");
	e.caller.cgroup_id = 1234;
	kev_feed_who(f, &e, &w);
	ok(strcmp(w.cgroup, "cron.service") == 0 && w.netns == 7,
	    "without the cgroup's path: the kernel's name of it");
	kev_feed_event(f, &e, 1000);
	e.flags = KEV_F_NOCALLER;
	kev_feed_event(f, &e, 1001);
	kev_event_epkey(&e, &k);
	ok(k.port == 7211 && k.addr[0] == 127 && k.family == TS_AF_INET,
	    "a failure's endpoint: where it went (family as pkt.h has it)");
	ok(kev_callers_get(kev_feed_callers(f), &k)->total == 2 &&
	    kev_callers_get(kev_feed_callers(f), &k)->unknown == 1 &&
	    kev_feed_stats(f)->no_caller == 1 &&
	    kev_feed_stats(f)->by_reason[KEV_R_REFUSED] == 1 &&
	    kev_feed_stats(f)->by_reason[KEV_R_PORT_UNREACH] == 1,
	    "failures fed to the callers, with and without a caller");
	e = rec(KEV_LISTEN, 0, 0);
	e.sport = 7501;
	kev_feed_event(f, &e, 2000);
	kev_event_epkey(&e, &k);
	ok(k.port == 7501 && kev_listen_last(kev_feed_listen(f), &k) != NULL,
	    "a listener's endpoint: its own address");
	e.type = KEV_UNLISTEN;
	kev_feed_event(f, &e, 2500);
	ok(kev_listen_last(kev_feed_listen(f), &k)->stopped == 2500,
	    "unlisten: when it stopped");
	e.sport = 0;
	e.type = KEV_LISTEN;
	kev_feed_event(f, &e, 2600);
	is_u(kev_feed_stats(f)->listens, 1, "listen() before a port: ignored");
	kev_feed_free(f);
	w = who("cron", "/system.slice/cron.service");
	kev_who_line(&w, 4242, line, sizeof(line));
	ok(strcmp(line, "pid 4242 cron (cron.service)") == 0, "line: %s", line);
	w = who("lm-collector", "");
	kev_who_line(&w, 1, line, sizeof(line));
	ok(strcmp(line, "pid 1 lm-collector") == 0, "line: %s", line);
}

/* How long the capture thread leaves the ring alone after a consume. */
static void
test_holdoff(void)
{
	const ts_ns ms = TS_NS_PER_SEC / 1000;
	/* 256 KiB: an eighth is 256 * 1024 / 8 / the record's place. */
	uint64_t rec = (sizeof(struct kev_event) + 8 + 7) & ~(uint64_t)7;
	int eighth = (int)(256 * 1024 / rec / 8);
	ts_ns h;

	ok(kevsrc_holdoff_for(256, 0, 5 * ms) == 0, "holdoff: none read, none");
	ok(kevsrc_holdoff_for(256, -1, 5 * ms) == 0, "holdoff: an error, none");
	ok(kevsrc_holdoff_for(256, 1, 0) == 0, "holdoff: no time passed, none");
	ok(kevsrc_holdoff_for(256, 1, 20 * ms) == KEVSRC_HOLDOFF,
	    "holdoff: one record after a quiet spell: KEVSRC_HOLDOFF");
	ok(kevsrc_holdoff_for(256, 3, ms) == KEVSRC_HOLDOFF,
	    "holdoff: a slow rate: capped at KEVSRC_HOLDOFF");
	h = kevsrc_holdoff_for(256, eighth / 2, ms);
	ok(h >= 2 * ms && h <= 3 * ms,
	    "holdoff: half an eighth in 1 ms: about 2 ms more fills the eighth");
	ok(kevsrc_holdoff_for(256, eighth, ms) == 0,
	    "holdoff: an eighth of the ring in one read: none");
	h = kevsrc_holdoff_for(1024, eighth, ms);
	ok(h > 3 * ms && h < 5 * ms, "holdoff: a ring 4 times larger: about 4 ms");
}

int
main(void)
{
	test_rec();
	test_reason();
	test_callers();
	test_listen();
	test_feed();
	test_holdoff();
	return tap_done();
}
