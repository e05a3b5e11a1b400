/*
 * test_classify.c - the classification rules, one scenario each, with
 * injected time.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "classify.h"
#include "tap.h"

#define SYN	TS_TH_SYN
#define RST	TS_TH_RST
#define ACK	TS_TH_ACK
#define FIN	TS_TH_FIN
#define SEC	TS_NS_PER_SEC

static struct ts_event evs[64];
static int nev;

static void
sink(void *arg, const struct ts_event *ev)
{
	(void)arg;
	if (nev < 64)
		evs[nev++] = *ev;
}

static struct ts_classify *
fresh(uint32_t max_flows)
{
	struct ts_classify_conf conf;

	ts_classify_conf_default(&conf);
	conf.max_flows = max_flows;
	conf.syn_timeout = 30 * SEC;
	conf.flow_ttl = 600 * SEC;
	nev = 0;
	return ts_classify_new(&conf, sink, NULL);
}

/* Client 10.0.0.1:40000, service 10.0.0.2:80 (or ::1/::2 for v6). */
static struct ts_pkt
seg(int v6, int from_client, uint8_t flags, uint32_t seq, uint32_t ack,
    double t)
{
	struct ts_pkt p;
	const char *c = v6 ? "2001:db8::1" : "10.0.0.1";
	const char *s = v6 ? "2001:db8::2" : "10.0.0.2";

	memset(&p, 0, sizeof(p));
	p.kind = TS_PKT_TCP;
	p.family = v6 ? TS_AF_INET6 : TS_AF_INET;
	inet_pton(v6 ? AF_INET6 : AF_INET, from_client ? c : s, p.src);
	inet_pton(v6 ? AF_INET6 : AF_INET, from_client ? s : c, p.dst);
	p.sport = from_client ? 40000 : 80;
	p.dport = from_client ? 80 : 40000;
	p.tcpflags = flags;
	p.seq = seq;
	p.ack = ack;
	p.ts = (ts_ns)(t * SEC);
	p.dir = from_client ? TS_DIR_IN : TS_DIR_OUT;
	p.ifindex = 3;
	return p;
}

static void
feed(struct ts_classify *c, struct ts_pkt p)
{
	ts_classify_packet(c, &p);
}

static int
one(enum ts_class cls, enum ts_rst_by by)
{
	return nev == 1 && evs[0].cls == cls && evs[0].rst_by == by;
}

static void
say(const char *what)
{
	if (nev != 1)
		printf("#   %s: %d events\n", what, nev);
	else
		printf("#   %s: class %s by %s\n", what,
		    ts_class_name(evs[0].cls), ts_rst_by_name(evs[0].rst_by));
}

#define expect(cls, by, name) do {					\
	if (!ok(one(cls, by), name))					\
		say(name);						\
} while (0)

static void
refused(void)
{
	struct ts_classify *c = fresh(64);
	char a[64];

	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 1, SYN, 1000, 0, 2.0));
	feed(c, seg(0, 1, SYN, 1000, 0, 4.0));
	feed(c, seg(0, 0, RST | ACK, 0, 1001, 4.001));
	expect(TS_CL_REFUSED, TS_BY_SERVICE, "refused: RST acking SYN+1");
	inet_ntop(AF_INET, evs[0].svc, a, sizeof(a));
	ok(strcmp(a, "10.0.0.2") == 0 && evs[0].svc_port == 80 &&
	    evs[0].peer_port == 40000 && evs[0].syn_retx == 2 &&
	    evs[0].loc == TS_LOC_LOCAL && evs[0].ifindex == 3,
	    "refused: service side, peer, retransmits, location");
	is_u(ts_classify_stats(c)->attempts[0], 1, "refused: one attempt");
	is_u(ts_classify_stats(c)->syn_retx, 2, "refused: two retransmissions");
	is_u(ts_classify_pending(c), 0, "refused: no longer pending");
	ts_classify_tick(c, 200 * SEC);
	is_u(ts_classify_flows(c), 0, "refused: state released after done-ttl");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(1, 1, SYN, 5, 0, 1.0));
	feed(c, seg(1, 0, RST | ACK, 0, 6, 1.1));
	expect(TS_CL_REFUSED, TS_BY_SERVICE, "refused ipv6");
	is_u(ts_classify_stats(c)->failures[TS_CL_REFUSED][1], 1,
	    "refused ipv6 counted as ipv6");
	ts_classify_free(c);

	c = fresh(64);
	{
		struct ts_pkt p = seg(0, 1, SYN, 1000, 0, 1.0);

		p.paylen = 10;		/* TCP Fast Open: data on the SYN */
		feed(c, p);
	}
	feed(c, seg(0, 0, RST | ACK, 0, 1011, 1.1));
	expect(TS_CL_REFUSED, TS_BY_SERVICE, "refused: SYN with data acked +1+len");
	ts_classify_free(c);
}

static void
not_an_answer(void)
{
	struct ts_classify *c = fresh(64);

	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, RST | ACK, 0, 5555, 1.1));
	expect(TS_CL_UNSOLICITED, TS_BY_SERVICE, "RST with a wrong ack is unsolicited");
	nev = 0;
	feed(c, seg(0, 0, RST, 0, 1001, 1.2));
	expect(TS_CL_UNSOLICITED, TS_BY_SERVICE, "RST without ACK bit does not answer a SYN");
	nev = 0;
	ts_classify_tick(c, 31 * SEC);
	expect(TS_CL_TIMEOUT, TS_BY_NONE, "...and the attempt still times out");
	ts_classify_free(c);
}

static void
timeout(void)
{
	struct ts_classify *c = fresh(64);

	feed(c, seg(0, 1, SYN, 1000, 0, 10.0));
	feed(c, seg(0, 1, SYN, 1000, 0, 11.0));
	ts_classify_tick(c, (ts_ns)(39.999 * SEC));
	is_u(nev, 0, "timeout: not before syn-timeout");
	is_u(ts_classify_pending(c), 1, "timeout: one pending");
	ts_classify_tick(c, 40 * SEC);
	expect(TS_CL_TIMEOUT, TS_BY_NONE, "timeout: at syn-timeout");
	ok(evs[0].ts == 40 * SEC && evs[0].syn_retx == 1,
	    "timeout: stamped at the deadline, one retransmission");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 10.0));
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 10.1));
	ts_classify_tick(c, 100 * SEC);
	is_u(nev, 0, "answered: a SYN-ACK stops the timeout");
	is_u(ts_classify_stats(c)->synacks, 1, "answered: SYN-ACK counted");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 10.0));
	feed(c, seg(0, 1, SYN, 9000, 0, 12.0));
	expect(TS_CL_TIMEOUT, TS_BY_NONE, "new ISN on a pending tuple: the old attempt timed out");
	is_u(ts_classify_stats(c)->attempts[0], 2, "new ISN: a second attempt");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 10.0));
	feed(c, seg(0, 1, FIN | ACK, 1001, 0, 11.0));
	ts_classify_tick(c, 41 * SEC);
	expect(TS_CL_TIMEOUT, TS_BY_NONE, "SYN then FIN, no answer (Zeek SH): timed out");
	ts_classify_free(c);
}

static void
unreachable(void)
{
	struct ts_classify *c = fresh(64);
	struct ts_pkt p;
	char a[64];

	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	p = seg(0, 1, SYN, 1000, 0, 1.5);	/* the quote: client -> service */
	p.kind = TS_PKT_ICMP_UNREACH;
	p.icmp_type = 3;
	p.icmp_code = 13;
	inet_pton(AF_INET, "192.0.2.254", p.icmp_from);
	feed(c, p);
	expect(TS_CL_UNREACH, TS_BY_NONE, "unreachable: ICMP quoting the SYN");
	inet_ntop(AF_INET, evs[0].icmp_from, a, sizeof(a));
	ok(evs[0].icmp_code == 13 && strcmp(a, "192.0.2.254") == 0,
	    "unreachable: code and sender kept");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(1, 1, SYN, 1000, 0, 1.0));
	p = seg(1, 1, SYN, 999, 0, 1.5);
	p.kind = TS_PKT_ICMP_UNREACH;
	p.icmp_type = 1;
	p.icmp_code = 4;
	feed(c, p);
	is_u(nev, 0, "unreachable: wrong quoted seq matches nothing");
	is_u(ts_classify_stats(c)->icmp_unmatched, 1, "unreachable: counted unmatched");
	ts_classify_free(c);
}

static void
handshake_and_abort(void)
{
	struct ts_classify *c = fresh(64);

	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 1.1));
	feed(c, seg(0, 1, RST, 1001, 0, 1.2));
	expect(TS_CL_HSRESET, TS_BY_CLIENT, "client RST without ACK after SYN-ACK: handshake reset");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 1.1));
	feed(c, seg(0, 0, RST, 7001, 0, 1.2));
	expect(TS_CL_HSRESET, TS_BY_SERVICE, "service RST without ACK in SYN-RECV: handshake reset");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 1.1));
	feed(c, seg(0, 1, RST | ACK, 1101, 7001, 2.0));
	expect(TS_CL_ABORT, TS_BY_CLIENT, "client RST after sending data: abort");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 1.1));
	feed(c, seg(0, 1, RST | ACK, 1001, 7001, 2.0));
	expect(TS_CL_ABORT, TS_BY_CLIENT, "client RST+ACK, no data (SO_LINGER 0): abort");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 1.1));
	feed(c, seg(0, 1, FIN | ACK, 1001, 7001, 2.0));
	feed(c, seg(0, 0, RST, 7001, 0, 2.1));
	expect(TS_CL_ABORT, TS_BY_SERVICE, "service RST after a FIN: abort");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 1.1));
	feed(c, seg(0, 0, RST | ACK, 7000 + 0x50000000u, 1001, 2.0));
	expect(TS_CL_UNSOLICITED, TS_BY_SERVICE, "RST far outside the sequence space: unsolicited");
	nev = 0;
	feed(c, seg(0, 0, RST | ACK, 7001 + 500, 1001, 2.1));
	expect(TS_CL_ABORT, TS_BY_SERVICE, "...and the connection is still followed");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 1, RST, 1001, 0, 1.5));
	expect(TS_CL_HSRESET, TS_BY_CLIENT, "client gives up before any answer (RSTOS0)");
	ok(strcmp(ts_class_zeek(evs[0].cls, evs[0].rst_by), "RSTOS0") == 0,
	    "zeek: RSTOS0");
	ts_classify_free(c);
}

static void
unsolicited(void)
{
	struct ts_classify *c = fresh(64);
	struct ts_pkt p = seg(0, 0, RST | ACK, 5, 6, 1.0);

	feed(c, p);
	expect(TS_CL_UNSOLICITED, TS_BY_SERVICE, "RST without context: unsolicited");
	ok(evs[0].guessed && evs[0].svc_port == 80 && evs[0].loc == TS_LOC_LOCAL,
	    "unsolicited: the lower port is taken as the service");
	nev = 0;
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 2.0));
	is_u(ts_classify_stats(c)->synack_nostate, 1, "SYN-ACK without SYN counted");
	feed(c, seg(0, 1, RST, 1001, 0, 2.1));
	expect(TS_CL_UNSOLICITED, TS_BY_CLIENT, "backscatter RST after a lone SYN-ACK: unsolicited");
	ts_classify_free(c);
}

static void
bounds(void)
{
	struct ts_classify *c = fresh(16);

	for (uint16_t i = 0; i < 20; i++) {
		struct ts_pkt p = seg(0, 1, SYN, 1000, 0, 1.0 + i * 0.01);

		p.sport = (uint16_t)(30000 + i);
		feed(c, p);
	}
	is_u(ts_classify_flows(c), 16, "flow table: bounded at 16");
	is_u(ts_classify_stats(c)->flows_evicted, 4, "flow table: 4 evicted");
	is_u(ts_classify_stats(c)->attempts_lost, 4, "flow table: 4 pending attempts lost");
	ts_classify_free(c);

	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, SYN | ACK, 7000, 1001, 1.1));
	ts_classify_tick(c, 700 * SEC);
	is_u(ts_classify_flows(c), 0, "flow ttl: idle state forgotten");
	is_u(ts_classify_stats(c)->flows_expired, 1, "flow ttl: counted");
	feed(c, seg(0, 0, RST, 9999, 0, 701));
	expect(TS_CL_UNSOLICITED, TS_BY_SERVICE, "RST after state expired: unsolicited");
	ts_classify_free(c);
}

static void
repeats(void)
{
	struct ts_classify *c = fresh(64);
	struct ts_pkt p;

	/* ICMP, the caller retransmits the SYN, ICMP again: one failure. */
	feed(c, seg(1, 1, SYN, 1000, 0, 1.0));
	p = seg(1, 1, SYN, 1000, 0, 1.01);
	p.kind = TS_PKT_ICMP_UNREACH;
	p.icmp_type = 1;
	p.icmp_code = 1;
	feed(c, p);
	feed(c, seg(1, 1, SYN, 1000, 0, 2.0));
	p.ts = 2 * SEC + 10000;
	feed(c, p);
	expect(TS_CL_UNREACH, TS_BY_NONE, "retransmitted SYN bounced again: still one unreachable");
	is_u(ts_classify_stats(c)->attempts[1], 1, "...one attempt");
	is_u(ts_classify_stats(c)->late_answers, 1, "...the second ICMP is a late answer");
	ts_classify_free(c);

	/* Timed out, then more retransmissions and a refusal: one failure. */
	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 0.0));
	feed(c, seg(0, 1, SYN, 1000, 0, 31.0));
	feed(c, seg(0, 0, RST | ACK, 0, 1001, 31.001));
	expect(TS_CL_TIMEOUT, TS_BY_NONE, "SYN after the timeout is a retransmission, not an attempt");
	is_u(ts_classify_stats(c)->attempts[0], 1, "...one attempt");
	is_u(ts_classify_stats(c)->late_answers, 1, "...its refusal is a late answer");
	ts_classify_free(c);

	/* Timed out, then answered after all. */
	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 0.0));
	feed(c, seg(0, 1, SYN, 1000, 0, 31.0));
	feed(c, seg(0, 0, SYN | ACK, 5, 1001, 31.001));
	is_u(ts_classify_stats(c)->late_synacks, 1, "late SYN-ACK counted");
	nev = 0;
	feed(c, seg(0, 1, RST | ACK, 1101, 6, 40.0));
	expect(TS_CL_ABORT, TS_BY_CLIENT, "...and the connection is followed on");
	ts_classify_free(c);

	/* A new ISN after a refusal is a new attempt; the old state expires. */
	c = fresh(64);
	feed(c, seg(0, 1, SYN, 1000, 0, 1.0));
	feed(c, seg(0, 0, RST | ACK, 0, 1001, 1.001));
	feed(c, seg(0, 1, SYN, 8000, 0, 2.0));
	feed(c, seg(0, 0, RST | ACK, 0, 8001, 2.001));
	is_u(nev, 2, "port reused with a new ISN: a second refusal");
	ts_classify_tick(c, 200 * SEC);
	is_u(ts_classify_flows(c), 0, "classified attempts forgotten after done-ttl");
	ts_classify_free(c);

	/* A full table gives up classified attempts before live ones. */
	c = fresh(16);
	feed(c, seg(0, 1, SYN, 1, 0, 1.0));
	feed(c, seg(0, 0, SYN | ACK, 5, 2, 1.0));	/* established, oldest */
	for (uint16_t i = 0; i < 30; i++) {
		struct ts_pkt q = seg(0, 1, SYN, 1000, 0, 2.0 + i * 0.01);
		struct ts_pkt r = seg(0, 0, RST | ACK, 0, 1001, 2.0 + i * 0.01);

		q.sport = r.dport = (uint16_t)(30000 + i);
		feed(c, q);
		feed(c, r);
	}
	is_u(ts_classify_stats(c)->flows_evicted, 0, "refusal storm evicts no live flow");
	nev = 0;
	feed(c, seg(0, 1, RST | ACK, 1001, 6, 3.0));
	expect(TS_CL_ABORT, TS_BY_CLIENT, "...the established flow is still followed");
	ts_classify_free(c);
}

static void
locations(void)
{
	static const struct { uint8_t dir; uint8_t loc; } t[] = {
		{ TS_DIR_IN, TS_LOC_LOCAL }, { TS_DIR_OUT, TS_LOC_REMOTE },
		{ TS_DIR_OTHERHOST, TS_LOC_TRANSIT },
		{ TS_DIR_UNKNOWN, TS_LOC_UNKNOWN },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ts_classify *c = fresh(64);
		struct ts_pkt p = seg(0, 1, SYN, 1, 0, 1.0);

		p.dir = t[i].dir;
		feed(c, p);
		feed(c, seg(0, 0, RST | ACK, 0, 2, 1.1));
		ok(nev == 1 && evs[0].loc == t[i].loc, "location from SYN direction %u: %s",
		    t[i].dir, ts_loc_name(t[i].loc));
		ts_classify_free(c);
	}
}

int
main(void)
{
	refused();
	not_an_answer();
	timeout();
	unreachable();
	handshake_and_abort();
	unsolicited();
	bounds();
	repeats();
	locations();
	ok(strcmp(ts_class_zeek(TS_CL_REFUSED, TS_BY_SERVICE), "REJ") == 0 &&
	    strcmp(ts_class_zeek(TS_CL_TIMEOUT, TS_BY_NONE), "S0") == 0 &&
	    strcmp(ts_class_zeek(TS_CL_ABORT, TS_BY_CLIENT), "RSTO") == 0 &&
	    strcmp(ts_class_zeek(TS_CL_ABORT, TS_BY_SERVICE), "RSTR") == 0,
	    "zeek conn_state names");
	return tap_done();
}
