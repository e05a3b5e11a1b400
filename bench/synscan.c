/*
 * synscan - the live form of genscan: SYNs from a raw socket, so the
 * kernel at DST refuses each with a real RST.  Run it in a network
 * namespace of the benchmark's own, DST across a veth pair.
 *
 *   synscan DST HHDST PORTS PEERS HH HHCOUNT RATE FROM
 *
 * PEERS callers (10.97.1.0 + n, routed back by the bench) each try ports
 * 1..PORTS of DST; HH heavy hitters (HHDST ports 8000, 8001, ...) get
 * HHCOUNT SYNs each, interleaved evenly from the scan's FROMth part on
 * (0: from the start; 8: from its eighth part, as genscan does).
 * RATE SYNs per second at most (0: as fast as possible).  Prints "sent N"
 * and per heavy hitter "hh ADDR:PORT COUNT".
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "now.h"
#include "scanplan.h"

static int fd;
static unsigned long long sent;

/* The Internet checksum of a pseudo header sum and len bytes at p. */
static uint16_t
inet_sum(uint32_t acc, const uint8_t *p, size_t len)
{
	while (len > 1) {
		acc += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		acc += (uint32_t)p[0] << 8;
	while (acc > 0xffff)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void
syn(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t isn)
{
	uint8_t b[40];
	struct sockaddr_in to;
	uint32_t ph;

	memset(b, 0, sizeof(b));
	b[0] = 0x45;
	put16(b + 2, sizeof(b));
	put16(b + 6, 0x4000);
	b[8] = 64;
	b[9] = IPPROTO_TCP;
	put32(b + 12, src);
	put32(b + 16, dst);
	put16(b + 10, inet_sum(0, b, 20));
	put16(b + 20, sport);
	put16(b + 22, dport);
	put32(b + 24, isn);
	b[32] = 5 << 4;
	b[33] = 0x02;		/* SYN */
	put16(b + 34, 65535);
	ph = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	    IPPROTO_TCP + 20;
	put16(b + 36, inet_sum(ph, b + 20, 20));
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = htonl(dst);
	while (sendto(fd, b, sizeof(b), 0, (struct sockaddr *)&to,
	    sizeof(to)) == -1)
		usleep(100);	/* ENOBUFS: the device queue is full */
	sent++;
}

int
main(int argc, char **argv)
{
	struct in_addr a, h;
	unsigned long ports, peers, hh, hhcount, scan, skip, hhdone = 0, k = 0;
	unsigned long *hhn, from;
	double rate, start;
	uint32_t isn = 12345, base = 0x0a610100;	/* 10.97.1.0 */
	int on = 1;

	if (argc != 9 || inet_pton(AF_INET, argv[1], &a) != 1 ||
	    inet_pton(AF_INET, argv[2], &h) != 1) {
		fprintf(stderr, "usage: synscan DST HHDST PORTS PEERS HH HHCOUNT RATE FROM\n");
		return 2;
	}
	ports = strtoul(argv[3], NULL, 10);
	peers = strtoul(argv[4], NULL, 10);
	hh = strtoul(argv[5], NULL, 10);
	hhcount = strtoul(argv[6], NULL, 10);
	rate = strtod(argv[7], NULL);
	from = strtoul(argv[8], NULL, 10);
	if (ports < 1 || ports > 65535 || peers < 1 || peers > 256 * 250 ||
	    hh > 1000 || (hhn = calloc(hh + 1, sizeof(*hhn))) == NULL) {
		fprintf(stderr, "synscan: PORTS 1..65535, PEERS 1..64000, HH <= 1000\n");
		return 2;
	}
	if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) == -1) {
		perror("synscan: raw socket");
		return 1;
	}
	start = now();
	scan = ports * peers;
	skip = from > 0 ? scan / from : 0;
	for (unsigned long i = 0; i < scan; i++) {
		unsigned long pi = i / ports;

		syn(base + (uint32_t)(pi / 250 * 256 + pi % 250 + 1),
		    ntohl(a.s_addr), (uint16_t)(10000 + pi % 50000),
		    (uint16_t)(1 + i % ports), isn += 7919);
		while (hh_due(i, scan, skip, hhdone, hh * hhcount)) {
			unsigned long j = k++ % hh, q = hhdone % peers;

			syn(base + (uint32_t)(q / 250 * 256 + q % 250 + 1),
			    ntohl(h.s_addr), (uint16_t)(20000 + hhdone % 40000),
			    (uint16_t)(8000 + j), isn += 7919);
			hhn[j]++;
			hhdone++;
		}
		if (sent % 256 == 0)
			pace(start, sent, rate);
	}
	printf("sent %llu\n", sent);
	for (unsigned long j = 0; j < hh; j++)
		printf("hh %s:%lu %lu\n", argv[2], 8000 + j, hhn[j]);
	fprintf(stderr, "synscan: %llu SYNs in %.1f s\n", sent, now() - start);
	free(hhn);
	close(fd);
	return 0;
}
