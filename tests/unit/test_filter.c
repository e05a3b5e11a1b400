/*
 * test_filter.c - the live capture's kernel filter, run on hand-built
 * frames with pcap_offline_filter: it must pass what the classifier needs
 * (SYN, FIN, RST and ICMP unreachables, IPv4 and IPv6, IPv6 with extension
 * headers, VLAN-tagged) and keep out what it does not (pure ACKs, UDP,
 * ICMP echo).  `tcp[tcpflags]` alone would miss every IPv6 packet.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <string.h>

#include "capture.h"
#include "frames.h"
#include "tap.h"

#define SYN	0x02
#define RST	0x04
#define FIN	0x01
#define ACK	0x10

struct fcase {
	const char	*name;
	void		(*build)(struct fb *, int dlt);
	int		 pass;
};

static void
l2(struct fb *f, int dlt, uint16_t type)
{
	if (dlt == DLT_LINUX_SLL2)
		fb_sll2(f, type, 3, 0);
	else
		fb_ether(f, type);
}

static void b_syn4(struct fb *f, int dlt) { l2(f, dlt, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 1, 2, 3, 0, SYN, 5, 0); fb_done(f); }
static void b_rst4opt(struct fb *f, int dlt) { l2(f, dlt, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 2, 0); fb_tcp(f, 1, 2, 3, 4, RST | ACK, 5, 0); fb_done(f); }
static void b_fin4(struct fb *f, int dlt) { l2(f, dlt, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 1, 2, 3, 4, FIN | ACK, 5, 0); fb_done(f); }
static void b_ack4(struct fb *f, int dlt) { l2(f, dlt, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 1, 2, 3, 4, ACK, 5, 100); fb_done(f); }
static void b_udp4(struct fb *f, int dlt) { l2(f, dlt, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 17, 0, 0, 0); fb_zero(f, 8); fb_done(f); }
static void b_icmp4(struct fb *f, int dlt) { l2(f, dlt, 0x0800); fb_ip4(f, "10.0.0.2", "10.0.0.1", 1, 0, 0, 0); fb_icmp(f, 3, 3); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 40, 0, 0); fb_tcp(f, 1, 2, 3, 0, SYN, 5, 0); fb_done(f); }
static void b_echo4(struct fb *f, int dlt) { l2(f, dlt, 0x0800); fb_ip4(f, "10.0.0.2", "10.0.0.1", 1, 0, 0, 0); fb_icmp(f, 8, 0); fb_done(f); }
static void b_syn6(struct fb *f, int dlt) { l2(f, dlt, 0x86dd); fb_ip6(f, "::1", "::2", 6, 0); fb_tcp(f, 1, 2, 3, 0, SYN, 5, 0); fb_done(f); }
static void b_rst6(struct fb *f, int dlt) { l2(f, dlt, 0x86dd); fb_ip6(f, "::1", "::2", 6, 0); fb_tcp(f, 1, 2, 3, 4, RST, 5, 0); fb_done(f); }
static void b_ack6(struct fb *f, int dlt) { l2(f, dlt, 0x86dd); fb_ip6(f, "::1", "::2", 6, 0); fb_tcp(f, 1, 2, 3, 4, ACK, 5, 100); fb_done(f); }
static void b_ext6(struct fb *f, int dlt) { l2(f, dlt, 0x86dd); fb_ip6(f, "::1", "::2", 0, 0); fb_ip6_ext(f, 6, 0); fb_tcp(f, 1, 2, 3, 4, RST, 5, 0); fb_done(f); }
static void b_icmp6(struct fb *f, int dlt) { l2(f, dlt, 0x86dd); fb_ip6(f, "::2", "::1", 58, 0); fb_icmp(f, 1, 4); fb_ip6(f, "::1", "::2", 6, 20); fb_tcp(f, 1, 2, 3, 0, SYN, 5, 0); fb_done(f); }
static void b_udp6(struct fb *f, int dlt) { l2(f, dlt, 0x86dd); fb_ip6(f, "::1", "::2", 17, 0); fb_zero(f, 8); fb_done(f); }
static void b_vlan_rst4(struct fb *f, int dlt) { (void)dlt; fb_ether(f, 0x8100); fb_vlan(f, 7, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 1, 2, 3, 4, RST, 5, 0); fb_done(f); }
static void b_vlan_syn6(struct fb *f, int dlt) { (void)dlt; fb_ether(f, 0x8100); fb_vlan(f, 7, 0x86dd); fb_ip6(f, "::1", "::2", 6, 0); fb_tcp(f, 1, 2, 3, 0, SYN, 5, 0); fb_done(f); }
static void b_vlan_ack4(struct fb *f, int dlt) { (void)dlt; fb_ether(f, 0x8100); fb_vlan(f, 7, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 1, 2, 3, 4, ACK, 5, 0); fb_done(f); }

static const struct fcase cases[] = {
	{ "ipv4 SYN", b_syn4, 1 }, { "ipv4 RST with IP options", b_rst4opt, 1 },
	{ "ipv4 FIN", b_fin4, 1 }, { "ipv4 pure ACK with data", b_ack4, 0 },
	{ "ipv4 UDP", b_udp4, 0 }, { "ICMP unreachable", b_icmp4, 1 },
	{ "ICMP echo", b_echo4, 0 }, { "ipv6 SYN", b_syn6, 1 },
	{ "ipv6 RST", b_rst6, 1 }, { "ipv6 pure ACK", b_ack6, 0 },
	{ "ipv6 RST behind hop-by-hop", b_ext6, 1 },
	{ "ICMPv6 unreachable", b_icmp6, 1 }, { "ipv6 UDP", b_udp6, 0 },
};

static const struct fcase vlan_cases[] = {
	{ "802.1Q ipv4 RST", b_vlan_rst4, 1 },
	{ "802.1Q ipv6 SYN", b_vlan_syn6, 1 },
	{ "802.1Q ipv4 ACK", b_vlan_ack4, 0 },
};

static void b_vlan_syn4(struct fb *f, int dlt) { (void)dlt; fb_ether(f, 0x8100); fb_vlan(f, 7, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 1, 2, 3, 0, SYN, 5, 0); fb_done(f); }
static void b_syn4_p9(struct fb *f, int dlt) { l2(f, dlt, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 9, 2, 3, 0, SYN, 5, 0); fb_done(f); }

/* The extra filter must hold at the right offsets with and without tags. */
static const struct fcase extra_cases[] = {
	{ "SYN from port 1, excluded by the extra filter", b_syn4, 0 },
	{ "802.1Q SYN from port 1, excluded too", b_vlan_syn4, 0 },
	{ "SYN from port 9, kept", b_syn4_p9, 1 },
	{ "802.1Q ipv6 SYN from port 1, excluded", b_vlan_syn6, 0 },
	{ "802.1Q RST from port 1, excluded", b_vlan_rst4, 0 },
};

static void
run(int dlt, const struct fcase *cs, size_t n, const char *extra)
{
	char prog[4096];
	struct bpf_program bpf;
	pcap_t *p = pcap_open_dead(dlt, 256);

	ts_capture_filter_text(prog, sizeof(prog), extra, dlt == DLT_EN10MB);
	if (!ok(pcap_compile(p, &bpf, prog, 1, PCAP_NETMASK_UNKNOWN) == 0,
	    "%s: filter compiles", pcap_datalink_val_to_name(dlt))) {
		printf("# %s\n", pcap_geterr(p));
		pcap_close(p);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct fb f;
		struct pcap_pkthdr h;

		fb_reset(&f);
		cs[i].build(&f, dlt);
		memset(&h, 0, sizeof(h));
		h.caplen = h.len = (bpf_u_int32)f.n;
		ok((pcap_offline_filter(&bpf, &h, f.b) != 0) == cs[i].pass,
		    "%s: %s %s", pcap_datalink_val_to_name(dlt), cs[i].name,
		    cs[i].pass ? "passes" : "is filtered out");
	}
	pcap_freecode(&bpf);
	pcap_close(p);
}

int
main(void)
{
	run(DLT_EN10MB, cases, sizeof(cases) / sizeof(cases[0]), NULL);
	run(DLT_EN10MB, vlan_cases, sizeof(vlan_cases) / sizeof(vlan_cases[0]), NULL);
	run(DLT_LINUX_SLL2, cases, sizeof(cases) / sizeof(cases[0]), NULL);
	run(DLT_EN10MB, extra_cases, sizeof(extra_cases) / sizeof(extra_cases[0]),
	    "not port 1");	/* the extra filter is ANDed */
	return tap_done();
}
