/*
 * genscan - a port scan with planted heavy hitters, as a capture with a
 * known outcome (the benchmark's bounded-memory part).
 *
 *   genscan FILE PORTS PEERS HH HHCOUNT
 *
 * PEERS callers (10.97.1.0 + n) each try PORTS ports (1..PORTS) of
 * 10.97.0.1, every attempt refused (SYN, then RST-ACK 2 us later), one
 * attempt every 5 us.  HH heavy hitters (10.97.0.2 ports 8000, 8001, ...)
 * are refused HHCOUNT times each, interleaved evenly with the scan from
 * its eighth part on, so that they must win their rows from a full table.
 * FILE "-" is standard output.  The truth goes to stderr: "total N", then
 * per heavy hitter "hh ENDPOINT COUNT" and its failures' times as
 * "hhat ENDPOINT TIME" (tcpsleuth --json's time format).
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frames.h"
#include "scanplan.h"

#define SYN	0x02
#define RST	0x04
#define ACK	0x10

static pcap_dumper_t *out;

static void
emit(long long us, const char *src, const char *dst, uint16_t sport,
    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags)
{
	struct fb f;
	struct pcap_pkthdr h;

	fb_reset(&f);
	fb_ether(&f, 0x0800);
	fb_ip4(&f, src, dst, 6, 0, 0, 0x4000);
	fb_tcp(&f, sport, dport, seq, ack, flags, 5, 0);
	fb_done(&f);
	h.ts.tv_sec = (time_t)(us / 1000000);
	h.ts.tv_usec = (suseconds_t)(us % 1000000);
	h.len = h.caplen = (bpf_u_int32)f.n;
	pcap_dump((u_char *)out, &h, f.b);
}

/* One refused attempt at us; returns the failure's (the RST's) time. */
static long long
refused(long long us, const char *cli, const char *srv, uint16_t sport,
    uint16_t dport, uint32_t isn)
{
	emit(us, cli, srv, sport, dport, isn, 0, SYN);
	emit(us + 2, srv, cli, dport, sport, 0, isn + 1, RST | ACK);
	return us + 2;
}

int
main(int argc, char **argv)
{
	unsigned long ports, peers, hh, hhcount, scan, hhdone = 0, k = 0;
	long long us = 1700000000LL * 1000000;
	char (*peer)[16], srv[] = "10.97.0.1", hsrv[] = "10.97.0.2";
	unsigned long long total = 0;
	uint32_t isn = 12345;
	pcap_t *p;

	if (argc != 6) {
		fprintf(stderr, "usage: genscan FILE PORTS PEERS HH HHCOUNT\n");
		return 2;
	}
	ports = strtoul(argv[2], NULL, 10);
	peers = strtoul(argv[3], NULL, 10);
	hh = strtoul(argv[4], NULL, 10);
	hhcount = strtoul(argv[5], NULL, 10);
	if (ports < 1 || ports > 65535 || peers < 1 || peers > 65536 ||
	    hh > 1000) {
		fprintf(stderr, "genscan: PORTS 1..65535, PEERS 1..65536, HH <= 1000\n");
		return 2;
	}
	if ((peer = calloc(peers, sizeof(*peer))) == NULL)
		return 1;
	for (unsigned long i = 0; i < peers; i++)
		snprintf(peer[i], sizeof(peer[i]), "10.97.%lu.%lu",
		    1 + i / 256, i % 256);
	p = pcap_open_dead(DLT_EN10MB, 256);
	if ((out = pcap_dump_open(p, argv[1])) == NULL) {
		fprintf(stderr, "genscan: %s: %s\n", argv[1], pcap_geterr(p));
		return 1;
	}
	scan = ports * peers;
	for (unsigned long i = 0; i < scan; i++) {
		unsigned long pi = i / ports, port = 1 + i % ports;

		us += 5;
		refused(us, peer[pi], srv, (uint16_t)(10000 + pi % 50000),
		    (uint16_t)port, isn += 7919);
		total++;
		/* Heavy hitters: spread evenly over the last 7/8 of the scan. */
		while (hh_due(i, scan, scan / 8, hhdone, hh * hhcount)) {
			unsigned long j = k++ % hh;
			long long at;
			char when[64];
			time_t s;

			us += 5;
			at = refused(us, peer[hhdone % peers], hsrv,
			    (uint16_t)(20000 + hhdone % 40000),
			    (uint16_t)(8000 + j), isn += 7919);
			s = (time_t)(at / 1000000);
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", gmtime(&s));
			fprintf(stderr, "hhat %s:%lu %s.%06lldZ\n", hsrv, 8000 + j,
			    when, at % 1000000);
			hhdone++;
			total++;
		}
	}
	pcap_dump_close(out);
	pcap_close(p);
	fprintf(stderr, "total %llu\n", total);
	for (unsigned long j = 0; j < hh; j++)
		fprintf(stderr, "hh %s:%lu %lu\n", hsrv, 8000 + j,
		    hhdone / hh + (j < hhdone % hh));
	free(peer);
	return 0;
}
