/*
 * gencap - write a benchmark capture with a known outcome, and print its
 * ground truth.
 *
 *   gencap FILE PACKETS [SEED]
 *
 * Units of traffic follow one another in time (about 300 per second);
 * per 100 units: 80 ordinary connections (handshake, 8 data segments,
 * FIN both ways: 14 packets, most of the capture), 12 refused attempts
 * (SYN, RST-ACK), 4 timeouts (SYN and two retransmissions 1 s and 3 s
 * later, never answered) and 4 aborts (handshake, data, RST from the
 * client).  20% of units are IPv6.  Services: 200 refusing endpoints,
 * 50 answering ones.  Frames are Ethernet, captured length at most 256.
 * A last bare ACK 40 s after the rest lets every timeout fall due (for
 * tcpsleuth -t 30).  The truth goes to stdout as "CLASS FAMILY COUNT"
 * lines, then "packets N".
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"

#define SYN	0x02
#define FIN	0x01
#define RST	0x04
#define PSH	0x08
#define ACK	0x10

#define QMAX	4096

struct later {			/* a retransmitted SYN, written in time */
	double		t;
	int		v6;
	char		src[64], dst[64];
	uint16_t	sport, dport;
	uint32_t	isn;
};

static pcap_dumper_t *out;
static unsigned long npackets, limit;
static struct later q[QMAX];
static size_t qhead, qlen;
static uint64_t rng = 88172645463325252ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void
emit(double t, int v6, const char *src, const char *dst, uint16_t sport,
    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, size_t pay)
{
	struct fb f;
	struct pcap_pkthdr h;

	fb_reset(&f);
	fb_ether(&f, v6 ? 0x86dd : 0x0800);
	if (v6)
		fb_ip6(&f, src, dst, 6, 0);
	else
		fb_ip4(&f, src, dst, 6, 0, 0, 0x4000);
	fb_tcp(&f, sport, dport, seq, ack, flags, 5, pay);
	fb_done(&f);
	h.ts.tv_sec = (time_t)t;
	h.ts.tv_usec = (suseconds_t)((t - (double)(long)t) * 1e6);
	h.len = (bpf_u_int32)f.n;
	h.caplen = h.len > 256 ? 256 : h.len;
	pcap_dump((u_char *)out, &h, f.b);
	npackets++;
}

static void
flush_until(double t)
{
	while (qlen > 0 && q[qhead].t <= t) {
		struct later *l = &q[qhead];

		emit(l->t, l->v6, l->src, l->dst, l->sport, l->dport, l->isn, 0,
		    SYN, 0);
		qhead = (qhead + 1) % QMAX;
		qlen--;
	}
}

static void
later(double t, int v6, const char *src, const char *dst, uint16_t sport,
    uint16_t dport, uint32_t isn)
{
	struct later *l;

	if (qlen == QMAX) {
		fprintf(stderr, "gencap: retransmission queue full\n");
		exit(1);
	}
	l = &q[(qhead + qlen++) % QMAX];
	l->t = t;
	l->v6 = v6;
	snprintf(l->src, sizeof(l->src), "%s", src);
	snprintf(l->dst, sizeof(l->dst), "%s", dst);
	l->sport = sport;
	l->dport = dport;
	l->isn = isn;
}

int
main(int argc, char **argv)
{
	pcap_t *p;
	double t = 1700000000.0;
	unsigned long truth[4][2] = { { 0 } };	/* refused, timeout, abort, ok */
	static const char *cls[] = { "refused", "timeout", "abort", "ok" };

	if (argc < 3) {
		fprintf(stderr, "usage: gencap FILE PACKETS [SEED]\n");
		return 2;
	}
	limit = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		rng ^= strtoull(argv[3], NULL, 10) * 0x9E3779B97F4A7C15ULL;
	p = pcap_open_dead(DLT_EN10MB, 256);
	if ((out = pcap_dump_open(p, argv[1])) == NULL) {
		fprintf(stderr, "gencap: %s: %s\n", argv[1], pcap_geterr(p));
		return 1;
	}
	for (uint32_t u = 0; npackets < limit; u++) {
		int v6 = rnd() % 5 == 0, kind = (int)(rnd() % 100);
		char cli[64], srv[64];
		uint16_t sport = (uint16_t)(1024 + rnd() % 60000), dport;
		uint32_t cs = rnd(), ss = rnd(), c = (uint32_t)(rnd() % 4096);
		double dt = 0.0001;

		t += 1.0 / 300;
		flush_until(t);
		kind = kind < 80 ? 3 : kind < 92 ? 0 : kind < 96 ? 1 : 2;
		if (kind == 0) {	/* 200 refusing endpoints */
			uint32_t e = rnd() % 200;

			dport = (uint16_t)(7000 + e);
			if (v6)
				snprintf(srv, sizeof(srv), "fd00:1::%x", 1 + e % 20);
			else
				snprintf(srv, sizeof(srv), "10.1.0.%u", 1 + e % 20);
		} else {		/* 50 answering services */
			uint32_t e = rnd() % 50;

			dport = (uint16_t)(80 + e);
			if (v6)
				snprintf(srv, sizeof(srv), "fd00:2::%x", 1 + e);
			else
				snprintf(srv, sizeof(srv), "10.2.0.%u", 1 + e);
		}
		if (v6)
			snprintf(cli, sizeof(cli), "fd00:9::%x:%x", c >> 8, c & 0xff);
		else
			snprintf(cli, sizeof(cli), "10.9.%u.%u", c >> 8, c & 0xff);
		emit(t, v6, cli, srv, sport, dport, cs, 0, SYN, 0);
		switch (kind) {
		case 0:
			emit(t + dt, v6, srv, cli, dport, sport, 0, cs + 1,
			    RST | ACK, 0);
			truth[0][v6]++;
			break;
		case 1:
			later(t + 1, v6, cli, srv, sport, dport, cs);
			later(t + 3, v6, cli, srv, sport, dport, cs);
			truth[1][v6]++;
			break;
		default:
			emit(t + dt, v6, srv, cli, dport, sport, ss, cs + 1,
			    SYN | ACK, 0);
			emit(t + 2 * dt, v6, cli, srv, sport, dport, cs + 1, ss + 1,
			    ACK, 0);
			emit(t + 3 * dt, v6, cli, srv, sport, dport, cs + 1, ss + 1,
			    PSH | ACK, 200);
			if (kind == 2) {
				emit(t + 4 * dt, v6, cli, srv, sport, dport,
				    cs + 201, 0, RST, 0);
				truth[2][v6]++;
				break;
			}
			for (int i = 0; i < 7; i++)
				emit(t + (4 + i) * dt, v6, i % 2 ? cli : srv,
				    i % 2 ? srv : cli, i % 2 ? sport : dport,
				    i % 2 ? dport : sport, 0, 0, ACK,
				    i % 2 ? 100 : 1400);
			emit(t + 11 * dt, v6, cli, srv, sport, dport, 0, 0,
			    FIN | ACK, 0);
			emit(t + 12 * dt, v6, srv, cli, dport, sport, 0, 0,
			    FIN | ACK, 0);
			emit(t + 13 * dt, v6, cli, srv, sport, dport, 0, 0,
			    ACK, 0);
			truth[3][v6]++;
			break;
		}
	}
	flush_until(t + 10);
	/* A last segment 40 s on: every unanswered SYN is then 30 s old. */
	emit(t + 40, 0, "10.9.0.1", "10.2.0.1", 1024, 80, 0, 0, ACK, 0);
	pcap_dump_close(out);
	pcap_close(p);
	for (int k = 0; k < 3; k++)
		for (int v6 = 0; v6 < 2; v6++)
			printf("%s %s %lu\n", cls[k], v6 ? "ipv6" : "ipv4",
			    truth[k][v6]);
	printf("packets %lu\n", npackets);
	return 0;
}
