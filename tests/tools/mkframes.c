/*
 * mkframes - write the hand-built golden captures: VLAN and QinQ (this
 * kernel cannot make VLAN devices here), IPv6 extension headers, BSD null
 * framing, malformed frames, two weeks of refusals.  Each file mixes a
 * few well-formed attempts, whose outcome is known, with the cases under
 * test.
 *
 *   mkframes DIR
 */
#include <sys/time.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"

#define SYN	0x02
#define RST	0x04
#define ACK	0x10

static pcap_dumper_t *
open_out(const char *dir, const char *name, int dlt, pcap_t **pp)
{
	char path[1024];
	pcap_dumper_t *d;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*pp = pcap_open_dead(dlt, 65535);
	if ((d = pcap_dump_open(*pp, path)) == NULL) {
		fprintf(stderr, "mkframes: %s: %s\n", path, pcap_geterr(*pp));
		exit(1);
	}
	return d;
}

static double clock_s = 1700000000.0;

static void
put(pcap_dumper_t *d, struct fb *f, double dt)
{
	struct pcap_pkthdr h;

	clock_s += dt;
	h.ts.tv_sec = (time_t)clock_s;
	h.ts.tv_usec = (suseconds_t)((clock_s - (double)(long)clock_s) * 1e6);
	h.caplen = h.len = (bpf_u_int32)f->n;
	pcap_dump((u_char *)d, &h, f->b);
	fb_reset(f);
}

static void
finish(pcap_dumper_t *d, pcap_t *p)
{
	pcap_dump_close(d);
	pcap_close(p);
}

/* An Ethernet frame, optionally tagged: tags[0] outermost TPID/VID pairs. */
static void
eth_tags(struct fb *f, int ntags, const uint16_t *tpids, uint16_t inner)
{
	if (ntags == 0) {
		fb_ether(f, inner);
		return;
	}
	fb_ether(f, tpids[0]);
	for (int i = 0; i < ntags; i++)
		fb_vlan(f, (uint16_t)(100 + i), i + 1 < ntags ? tpids[i + 1] : inner);
}

static void
vlan_file(const char *dir)
{
	static const uint16_t dot1q[] = { 0x8100 };
	static const uint16_t qinq[] = { 0x88a8, 0x8100 };
	struct fb f;
	pcap_t *p;
	pcap_dumper_t *d = open_out(dir, "vlan-qinq.pcap", DLT_EN10MB, &p);

	fb_reset(&f);
	for (int i = 0; i < 3; i++) {	/* refused over 802.1Q */
		eth_tags(&f, 1, dot1q, 0x0800);
		fb_ip4(&f, "10.1.0.1", "10.1.0.2", 6, 0, 0, 0x4000);
		fb_tcp(&f, (uint16_t)(40001 + i), 8443, 1000u + (uint32_t)i * 7919, 0, SYN, 10, 0);
		fb_done(&f);
		put(d, &f, 0.5);
		eth_tags(&f, 1, dot1q, 0x0800);
		fb_ip4(&f, "10.1.0.2", "10.1.0.1", 6, 0, 0, 0x4000);
		fb_tcp(&f, 8443, (uint16_t)(40001 + i), 0, 1001u + (uint32_t)i * 7919, RST | ACK, 5, 0);
		fb_done(&f);
		put(d, &f, 0.0001);
	}
	for (int i = 0; i < 2; i++) {	/* refused over QinQ, IPv6 */
		eth_tags(&f, 2, qinq, 0x86dd);
		fb_ip6(&f, "2001:db8:1::1", "2001:db8:1::2", 6, 0);
		fb_tcp(&f, (uint16_t)(40010 + i), 8443, 5000u + (uint32_t)i, 0, SYN, 10, 0);
		fb_done(&f);
		put(d, &f, 0.5);
		eth_tags(&f, 2, qinq, 0x86dd);
		fb_ip6(&f, "2001:db8:1::2", "2001:db8:1::1", 6, 0);
		fb_tcp(&f, 8443, (uint16_t)(40010 + i), 0, 5001u + (uint32_t)i, RST | ACK, 5, 0);
		fb_done(&f);
		put(d, &f, 0.0001);
	}
	/* Admin-prohibited from a router for a SYN to port 25, over 802.1Q. */
	eth_tags(&f, 1, dot1q, 0x0800);
	fb_ip4(&f, "10.1.0.1", "10.1.0.3", 6, 0, 0, 0x4000);
	fb_tcp(&f, 40100, 25, 77777, 0, SYN, 10, 0);
	fb_done(&f);
	put(d, &f, 0.5);
	eth_tags(&f, 1, dot1q, 0x0800);
	fb_ip4(&f, "10.1.0.254", "10.1.0.1", 1, 0, 0, 0);
	fb_icmp(&f, 3, 13);
	fb_ip4(&f, "10.1.0.1", "10.1.0.3", 6, 60, 0, 0x4000);
	fb_tcp(&f, 40100, 25, 77777, 0, SYN, 10, 0);
	fb_done(&f);
	put(d, &f, 0.001);
	finish(d, p);
}

static void
ip6ext_file(const char *dir)
{
	struct fb f;
	pcap_t *p;
	pcap_dumper_t *d = open_out(dir, "ip6-ext.pcap", DLT_RAW, &p);

	fb_reset(&f);
	/* Hop-by-hop and destination options before TCP, refused. */
	fb_ip6(&f, "2001:db8::1", "2001:db8::2", 0, 0);
	fb_ip6_ext(&f, 60, 0);
	fb_ip6_ext(&f, 6, 1);
	fb_tcp(&f, 50000, 443, 100, 0, SYN, 10, 0);
	fb_done(&f);
	put(d, &f, 1);
	fb_ip6(&f, "2001:db8::2", "2001:db8::1", 6, 0);
	fb_tcp(&f, 443, 50000, 0, 101, RST | ACK, 5, 0);
	fb_done(&f);
	put(d, &f, 0.001);
	/* A routing header and an atomic fragment before the SYN, refused. */
	fb_ip6(&f, "2001:db8::1", "2001:db8::2", 43, 0);
	fb_ip6_ext(&f, 44, 0);
	fb_ip6_frag(&f, 6, 0, 0);
	fb_tcp(&f, 50001, 443, 200, 0, SYN, 10, 0);
	fb_done(&f);
	put(d, &f, 1);
	fb_ip6(&f, "2001:db8::2", "2001:db8::1", 6, 0);
	fb_tcp(&f, 443, 50001, 0, 201, RST | ACK, 5, 0);
	fb_done(&f);
	put(d, &f, 0.001);
	/* A later fragment: skipped. */
	fb_ip6(&f, "2001:db8::1", "2001:db8::2", 44, 0);
	fb_ip6_frag(&f, 6, 185, 0);
	fb_zero(&f, 40);
	fb_done(&f);
	put(d, &f, 0.5);
	/* ICMPv6 port unreachable quoting a SYN that had destination options. */
	fb_ip6(&f, "2001:db8::1", "2001:db8::3", 60, 0);
	fb_ip6_ext(&f, 6, 0);
	fb_tcp(&f, 50002, 8080, 300, 0, SYN, 10, 0);
	fb_done(&f);
	put(d, &f, 1);
	fb_ip6(&f, "2001:db8::3", "2001:db8::1", 58, 0);
	fb_icmp(&f, 1, 4);
	fb_ip6(&f, "2001:db8::1", "2001:db8::3", 60, 48);
	fb_ip6_ext(&f, 6, 0);
	fb_tcp(&f, 50002, 8080, 300, 0, SYN, 10, 0);
	fb_done(&f);
	put(d, &f, 0.001);
	finish(d, p);
}

static void
null_file(const char *dir)
{
	struct fb f;
	pcap_t *p;
	pcap_dumper_t *d = open_out(dir, "bsd-null.pcap", DLT_NULL, &p);

	/* As a little-endian BSD host writes its loopback: AF in host order. */
	fb_reset(&f);
	fb_u8(&f, 2); fb_zero(&f, 3);
	fb_ip4(&f, "127.0.0.1", "127.0.0.1", 6, 0, 0, 0x4000);
	fb_tcp(&f, 61000, 7211, 42, 0, SYN, 11, 0);
	fb_done(&f);
	put(d, &f, 1);
	fb_u8(&f, 2); fb_zero(&f, 3);
	fb_ip4(&f, "127.0.0.1", "127.0.0.1", 6, 0, 0, 0);
	fb_tcp(&f, 7211, 61000, 0, 43, RST | ACK, 5, 0);
	fb_done(&f);
	put(d, &f, 0.0001);
	fb_u8(&f, 30); fb_zero(&f, 3);		/* AF_INET6 on macOS */
	fb_ip6(&f, "::1", "::1", 6, 0);
	fb_tcp(&f, 61001, 7211, 42, 0, SYN, 11, 0);
	fb_done(&f);
	put(d, &f, 1);
	fb_u8(&f, 30); fb_zero(&f, 3);
	fb_ip6(&f, "::1", "::1", 6, 0);
	fb_tcp(&f, 7211, 61001, 0, 43, RST | ACK, 5, 0);
	fb_done(&f);
	put(d, &f, 0.0001);
	finish(d, p);
}

static void
malformed_file(const char *dir)
{
	struct fb f;
	pcap_t *p;
	pcap_dumper_t *d = open_out(dir, "malformed.pcap", DLT_EN10MB, &p);

	fb_reset(&f);
	/* One good refused attempt, so the garbage is seen beside real data. */
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.1", "10.2.0.2", 6, 0, 0, 0x4000);
	fb_tcp(&f, 45000, 9000, 9, 0, SYN, 5, 0);
	fb_done(&f);
	put(d, &f, 1);
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.2", "10.2.0.1", 6, 0, 0, 0);
	fb_tcp(&f, 9000, 45000, 0, 10, RST | ACK, 5, 0);
	fb_done(&f);
	put(d, &f, 0.001);
	/* link-short */
	fb_zero(&f, 9);
	put(d, &f, 0.01);
	/* vlan-short */
	fb_ether(&f, 0x8100); fb_be16(&f, 5);
	put(d, &f, 0.01);
	/* vlan-depth */
	fb_ether(&f, 0x8100);
	for (int i = 0; i < 5; i++)
		fb_vlan(&f, 1, 0x8100);
	fb_zero(&f, 20);
	put(d, &f, 0.01);
	/* ip4-ihl */
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.1", "10.2.0.2", 6, 0, 0, 0);
	fb_tcp(&f, 1, 2, 3, 0, SYN, 5, 0);
	fb_done(&f);
	f.b[14] = 0x43;
	put(d, &f, 0.01);
	/* ip4-len */
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.1", "10.2.0.2", 6, 1500, 0, 0);
	fb_tcp(&f, 1, 2, 3, 0, SYN, 5, 0);
	put(d, &f, 0.01);
	/* ip-version */
	fb_ether(&f, 0x0800);
	fb_u8(&f, 0x65); fb_zero(&f, 39);
	put(d, &f, 0.01);
	/* ip6-len */
	fb_ether(&f, 0x86dd);
	fb_ip6(&f, "2001:db8::1", "2001:db8::2", 6, 400);
	fb_tcp(&f, 1, 2, 3, 0, SYN, 5, 0);
	put(d, &f, 0.01);
	/* ip6-ext */
	fb_ether(&f, 0x86dd);
	fb_ip6(&f, "2001:db8::1", "2001:db8::2", 0, 0);
	fb_u8(&f, 6); fb_u8(&f, 4); fb_zero(&f, 6);
	fb_done(&f);
	put(d, &f, 0.01);
	/* ip6-chain */
	fb_ether(&f, 0x86dd);
	fb_ip6(&f, "2001:db8::1", "2001:db8::2", 60, 0);
	for (int i = 0; i < 9; i++)
		fb_ip6_ext(&f, 60, 0);
	fb_done(&f);
	put(d, &f, 0.01);
	/* tcp-short */
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.1", "10.2.0.2", 6, 0, 0, 0);
	fb_zero(&f, 12);
	fb_done(&f);
	put(d, &f, 0.01);
	/* tcp-doff */
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.1", "10.2.0.2", 6, 0, 0, 0);
	fb_tcp(&f, 1, 2, 3, 0, RST, 5, 0);
	f.b[14 + 20 + 12] = 0x30;
	fb_done(&f);
	put(d, &f, 0.01);
	/* icmp-short */
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.2", "10.2.0.1", 1, 0, 0, 0);
	fb_u8(&f, 3); fb_u8(&f, 3);
	fb_done(&f);
	put(d, &f, 0.01);
	/* icmp-quote */
	fb_ether(&f, 0x0800);
	fb_ip4(&f, "10.2.0.2", "10.2.0.1", 1, 0, 0, 0);
	fb_icmp(&f, 3, 3);
	fb_u8(&f, 0x42); fb_zero(&f, 27);
	fb_done(&f);
	put(d, &f, 0.01);
	finish(d, p);
}

/* An IPv4 SYN from a to b refused with RST|ACK, dt after the last frame. */
static void
refused4(pcap_dumper_t *d, const char *a, const char *b, uint16_t sport,
    uint16_t dport, uint32_t isn, double dt)
{
	struct fb f;

	fb_reset(&f);
	fb_ether(&f, 0x0800);
	fb_ip4(&f, a, b, 6, 0, 0, 0x4000);
	fb_tcp(&f, sport, dport, isn, 0, SYN, 10, 0);
	fb_done(&f);
	put(d, &f, dt);
	fb_ether(&f, 0x0800);
	fb_ip4(&f, b, a, 6, 0, 0, 0x4000);
	fb_tcp(&f, dport, sport, 0, isn + 1, RST | ACK, 5, 0);
	fb_done(&f);
	put(d, &f, 0.0001);
}

/*
 * Two weeks: port 6633 refused three times on day 1, then 24 other ports
 * once each, every 13 hours, the last on day 14.  A file report must list
 * 6633 (no TTL expiry while the table has room) and all 25 rows in JSON.
 */
static void
twoweeks_file(const char *dir)
{
	pcap_t *p;
	pcap_dumper_t *d = open_out(dir, "two-weeks.pcap", DLT_EN10MB, &p);

	for (int i = 0; i < 3; i++)
		refused4(d, "10.3.0.1", "10.3.0.2", (uint16_t)(40000 + i), 6633,
		    1000u + (uint32_t)i * 7919, 0.5);
	for (int i = 0; i < 24; i++)
		refused4(d, "10.3.0.1", "10.3.0.3", (uint16_t)(41000 + i),
		    (uint16_t)(2000 + i), 9000u + (uint32_t)i * 7919,
		    13 * 3600);
	finish(d, p);
}

/* A link type tcpsleuth does not decode (DLT_USER0). */
static void
unsupported_file(const char *dir)
{
	struct fb f;
	pcap_t *p;
	pcap_dumper_t *d = open_out(dir, "unsupported-link.pcap", 147, &p);

	fb_reset(&f);
	fb_zero(&f, 40);
	put(d, &f, 1);
	finish(d, p);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkframes DIR\n");
		return 2;
	}
	vlan_file(argv[1]);
	clock_s = 1700001000.0;
	ip6ext_file(argv[1]);
	clock_s = 1700002000.0;
	null_file(argv[1]);
	clock_s = 1700003000.0;
	malformed_file(argv[1]);
	unsupported_file(argv[1]);
	clock_s = 1700100000.0;
	twoweeks_file(argv[1]);
	return 0;
}
