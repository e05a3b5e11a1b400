/*
 * test_decode.c - table-driven decoder tests: every link type, VLAN
 * stacks, IPv4 options and fragments, the IPv6 extension chain, TCP data
 * offsets, ICMP quotes, and every malformed case; then every truncation of
 * every good frame, read from exact-size heap buffers so a sanitizer build
 * catches any over-read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "decode.h"
#include "extract.h"
#include "frames.h"
#include "tap.h"

#define SYN	TS_TH_SYN
#define RST	TS_TH_RST
#define ACK	TS_TH_ACK

struct dcase {
	const char	*name;
	int		 dlt;
	void		(*build)(struct fb *);
	size_t		 snap;		/* caplen < frame: cut, wire keeps all */
	int		 res;
	int		 reason;	/* skip or malformed reason */
	uint16_t	 sport, dport;	/* checked when res == OK */
	uint8_t		 kind, dir;
	uint32_t	 ifindex, paylen;
};

static void b_eth4(struct fb *f) { fb_ether(f, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0x4000); fb_tcp(f, 40000, 80, 100, 0, SYN, 5, 0); fb_done(f); }
static void b_eth4_pad(struct fb *f) { fb_ether(f, 0x0800); fb_ip4(f, "10.0.0.2", "10.0.0.1", 6, 0, 0, 0); fb_tcp(f, 80, 40000, 0, 101, RST | ACK, 5, 0); fb_done(f); fb_zero(f, 6); }
static void b_eth4_data(struct fb *f) { fb_ether(f, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 40000, 80, 100, 0, SYN, 8, 5); fb_done(f); }
static void b_vlan(struct fb *f) { fb_ether(f, 0x8100); fb_vlan(f, 10, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 1234, 443, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_qinq(struct fb *f) { fb_ether(f, 0x88a8); fb_vlan(f, 100, 0x8100); fb_vlan(f, 10, 0x86dd); fb_ip6(f, "2001:db8::1", "2001:db8::2", 6, 0); fb_tcp(f, 1234, 22, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_vlan5(struct fb *f) { fb_ether(f, 0x8100); for (int i = 0; i < 4; i++) fb_vlan(f, 1, 0x8100); fb_vlan(f, 1, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 1, 2, 3, 0, SYN, 5, 0); fb_done(f); }
static void b_vlan_short(struct fb *f) { fb_ether(f, 0x8100); fb_be16(f, 10); }
static void b_eth_short(struct fb *f) { fb_zero(f, 10); }
static void b_arp(struct fb *f) { fb_ether(f, 0x0806); fb_zero(f, 28); }
static void b_llc(struct fb *f) { fb_ether(f, 46); fb_zero(f, 46); }
static void b_sll_out(struct fb *f) { fb_sll(f, 4, 0x0800); fb_ip4(f, "127.0.0.1", "127.0.0.1", 6, 0, 0, 0x4000); fb_tcp(f, 41838, 7211, 9, 0, SYN, 10, 0); fb_done(f); }
static void b_sll2(struct fb *f) { fb_sll2(f, 0x86dd, 7, 0); fb_ip6(f, "::1", "::1", 6, 0); fb_tcp(f, 41838, 7211, 9, 0, SYN, 5, 0); fb_done(f); }
static void b_sll_vlan(struct fb *f) { fb_sll(f, 0, 0x8100); fb_vlan(f, 5, 0x0800); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_null_le(struct fb *f) { fb_u8(f, 2); fb_zero(f, 3); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_null_be6(struct fb *f) { fb_be32(f, 30); fb_ip6(f, "::1", "::2", 6, 0); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_null_other(struct fb *f) { fb_be32(f, 7); fb_zero(f, 40); }
static void b_loop6(struct fb *f) { fb_be32(f, 24); fb_ip6(f, "::1", "::2", 6, 0); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_raw4(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_raw6(struct fb *f) { fb_ip6(f, "::1", "::2", 6, 0); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_raw5(struct fb *f) { fb_u8(f, 0x55); fb_zero(f, 39); }
static void b_ip4opts(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 3, 0); fb_tcp(f, 1111, 2222, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_ihl4(struct fb *f) { b_raw4(f); f->b[0] = 0x44; }
static void b_tot_small(struct fb *f) { b_raw4(f); f->b[2] = 0; f->b[3] = 12; }
static void b_tot_big(struct fb *f) { b_raw4(f); f->b[2] = 0x05; f->b[3] = 0xdc; }
static void b_tot_zero(struct fb *f) { b_raw4(f); f->b[2] = 0; f->b[3] = 0; }
static void b_frag(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0x2000 | 185); fb_zero(f, 20); fb_done(f); }
static void b_frag_first(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0x2000); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_udp(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 17, 0, 0, 0); fb_zero(f, 8); fb_done(f); }
static void b_ackonly(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 5, 6, 7, 8, ACK, 5, 0); fb_done(f); }
static void b_doff4(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 0); f->b[32] = 0x40; fb_done(f); }
static void b_doff15(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_tcp(f, 5, 6, 7, 0, SYN, 5, 10); f->b[32] = 0xf0; fb_done(f); }
static void b_tcp_short(struct fb *f) { fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 0, 0, 0); fb_zero(f, 10); fb_done(f); }
static void b_ip6ext(struct fb *f) { fb_ip6(f, "2001:db8::1", "2001:db8::2", 0, 0); fb_ip6_ext(f, 60, 0); fb_ip6_ext(f, 43, 1); fb_ip6_ext(f, 6, 0); fb_tcp(f, 3333, 4444, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_ip6frag0(struct fb *f) { fb_ip6(f, "2001:db8::1", "2001:db8::2", 44, 0); fb_ip6_frag(f, 6, 0, 1); fb_tcp(f, 3333, 4444, 7, 0, SYN, 5, 0); fb_done(f); }
static void b_ip6frag(struct fb *f) { fb_ip6(f, "2001:db8::1", "2001:db8::2", 44, 0); fb_ip6_frag(f, 6, 100, 0); fb_zero(f, 20); fb_done(f); }
static void b_ip6ext_short(struct fb *f) { fb_ip6(f, "2001:db8::1", "2001:db8::2", 0, 0); fb_u8(f, 6); fb_u8(f, 3); fb_zero(f, 6); fb_done(f); }
static void b_ip6chain(struct fb *f) { fb_ip6(f, "2001:db8::1", "2001:db8::2", 60, 0); for (int i = 0; i < 9; i++) fb_ip6_ext(f, 60, 0); fb_done(f); }
static void b_ip6len(struct fb *f) { b_raw6(f); f->b[4] = 0x10; }
static void b_ip6nonext(struct fb *f) { fb_ip6(f, "::1", "::2", 59, 0); fb_done(f); }
static void b_icmp_full(struct fb *f) { fb_ether(f, 0x0800); fb_ip4(f, "10.0.0.2", "10.0.0.1", 1, 0, 0, 0); fb_icmp(f, 3, 3); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 60, 0, 0x4000); fb_tcp(f, 40000, 80, 100, 0, SYN, 10, 0); fb_done(f); }
static void b_icmp_8(struct fb *f) { fb_ip4(f, "192.0.2.254", "10.0.0.1", 1, 0, 0, 0); fb_icmp(f, 3, 13); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 60, 0, 0); fb_be16(f, 40000); fb_be16(f, 80); fb_be32(f, 100); fb_done(f); }
static void b_icmp_4(struct fb *f) { fb_ip4(f, "192.0.2.254", "10.0.0.1", 1, 0, 0, 0); fb_icmp(f, 3, 1); fb_ip4(f, "10.0.0.1", "10.0.0.2", 6, 60, 0, 0); fb_be16(f, 40000); fb_be16(f, 80); fb_done(f); }
static void b_icmp_echo(struct fb *f) { fb_ip4(f, "10.0.0.2", "10.0.0.1", 1, 0, 0, 0); fb_icmp(f, 0, 0); fb_zero(f, 32); fb_done(f); }
static void b_icmp_udp(struct fb *f) { fb_ip4(f, "10.0.0.2", "10.0.0.1", 1, 0, 0, 0); fb_icmp(f, 3, 3); fb_ip4(f, "10.0.0.1", "10.0.0.2", 17, 36, 0, 0); fb_zero(f, 8); fb_done(f); }
static void b_icmp_short(struct fb *f) { fb_ip4(f, "10.0.0.2", "10.0.0.1", 1, 0, 0, 0); fb_u8(f, 3); fb_u8(f, 3); fb_zero(f, 2); fb_done(f); }
static void b_icmp_badquote(struct fb *f) { fb_ip4(f, "10.0.0.2", "10.0.0.1", 1, 0, 0, 0); fb_icmp(f, 3, 3); fb_u8(f, 0x41); fb_zero(f, 27); fb_done(f); }
static void b_icmp6(struct fb *f) { fb_ip6(f, "2001:db8::2", "2001:db8::1", 58, 0); fb_icmp(f, 1, 1); fb_ip6(f, "2001:db8::1", "2001:db8::2", 0, 40); fb_ip6_ext(f, 6, 0); fb_tcp(f, 40000, 80, 100, 0, SYN, 5, 0); fb_done(f); }
static void b_icmp6_echo(struct fb *f) { fb_ip6(f, "::1", "::2", 58, 0); fb_icmp(f, 128, 0); fb_done(f); }

#define OK_(n, dlt, b, sp, dp, kind, dir, ifx, pl) \
	{ n, dlt, b, 0, TS_DEC_OK, 0, sp, dp, kind, dir, ifx, pl }
#define SKIP_(n, dlt, b, why) { n, dlt, b, 0, TS_DEC_SKIP, TS_SKIP_##why, 0, 0, 0, 0, 0, 0 }
#define BAD_(n, dlt, b, why) { n, dlt, b, 0, TS_DEC_MALFORMED, TS_MAL_##why, 0, 0, 0, 0, 0, 0 }

static const struct dcase cases[] = {
	OK_("ethernet ipv4 syn", DLT_EN10MB, b_eth4, 40000, 80, TS_PKT_TCP, 0, 0, 0),
	OK_("ethernet padding is not payload", DLT_EN10MB, b_eth4_pad, 80, 40000, TS_PKT_TCP, 0, 0, 0),
	OK_("syn with options and data", DLT_EN10MB, b_eth4_data, 40000, 80, TS_PKT_TCP, 0, 0, 5),
	OK_("802.1Q", DLT_EN10MB, b_vlan, 1234, 443, TS_PKT_TCP, 0, 0, 0),
	OK_("QinQ ipv6", DLT_EN10MB, b_qinq, 1234, 22, TS_PKT_TCP, 0, 0, 0),
	BAD_("five vlan tags", DLT_EN10MB, b_vlan5, VLAN_DEPTH),
	BAD_("vlan tag cut", DLT_EN10MB, b_vlan_short, VLAN_SHORT),
	BAD_("ethernet header cut", DLT_EN10MB, b_eth_short, LINK_SHORT),
	SKIP_("arp", DLT_EN10MB, b_arp, NOT_IP),
	SKIP_("802.3 llc", DLT_EN10MB, b_llc, NOT_IP),
	OK_("sll outgoing", DLT_LINUX_SLL, b_sll_out, 41838, 7211, TS_PKT_TCP, TS_DIR_OUT, 0, 0),
	OK_("sll with vlan", DLT_LINUX_SLL, b_sll_vlan, 5, 6, TS_PKT_TCP, TS_DIR_IN, 0, 0),
	OK_("sll2 ifindex", DLT_LINUX_SLL2, b_sll2, 41838, 7211, TS_PKT_TCP, TS_DIR_IN, 7, 0),
	OK_("null little-endian ipv4", DLT_NULL, b_null_le, 5, 6, TS_PKT_TCP, 0, 0, 0),
	OK_("null big-endian ipv6 (30)", DLT_NULL, b_null_be6, 5, 6, TS_PKT_TCP, 0, 0, 0),
	SKIP_("null other family", DLT_NULL, b_null_other, NOT_IP),
	OK_("loop ipv6 (24)", DLT_LOOP, b_loop6, 5, 6, TS_PKT_TCP, 0, 0, 0),
	OK_("raw ipv4", DLT_RAW, b_raw4, 5, 6, TS_PKT_TCP, 0, 0, 0),
	OK_("raw ipv6", DLT_RAW, b_raw6, 5, 6, TS_PKT_TCP, 0, 0, 0),
	BAD_("raw version 5", DLT_RAW, b_raw5, IP_VERSION),
	OK_("dlt ipv4", DLT_IPV4, b_raw4, 5, 6, TS_PKT_TCP, 0, 0, 0),
	BAD_("dlt ipv4 carrying ipv6", DLT_IPV4, b_raw6, IP_VERSION),
	OK_("dlt ipv6", DLT_IPV6, b_raw6, 5, 6, TS_PKT_TCP, 0, 0, 0),
	BAD_("dlt ipv6 carrying ipv4", DLT_IPV6, b_raw4, IP_VERSION),
	OK_("ipv4 options", DLT_RAW, b_ip4opts, 1111, 2222, TS_PKT_TCP, 0, 0, 0),
	BAD_("ipv4 ihl 4", DLT_RAW, b_ihl4, IP4_IHL),
	BAD_("ipv4 total length below header", DLT_RAW, b_tot_small, IP4_LEN),
	BAD_("ipv4 total length past frame", DLT_RAW, b_tot_big, IP4_LEN),
	OK_("ipv4 total length 0 (offload)", DLT_RAW, b_tot_zero, 5, 6, TS_PKT_TCP, 0, 0, 0),
	SKIP_("ipv4 non-first fragment", DLT_RAW, b_frag, FRAGMENT),
	OK_("ipv4 first fragment", DLT_RAW, b_frag_first, 5, 6, TS_PKT_TCP, 0, 0, 0),
	SKIP_("udp", DLT_RAW, b_udp, PROTO),
	SKIP_("tcp ack only", DLT_RAW, b_ackonly, TCP_FLAGS),
	BAD_("tcp data offset 4", DLT_RAW, b_doff4, TCP_DOFF),
	BAD_("tcp data offset past segment", DLT_RAW, b_doff15, TCP_DOFF),
	BAD_("tcp header cut", DLT_RAW, b_tcp_short, TCP_SHORT),
	OK_("ipv6 hop-by-hop, dstopts, routing", DLT_RAW, b_ip6ext, 3333, 4444, TS_PKT_TCP, 0, 0, 0),
	OK_("ipv6 first fragment", DLT_RAW, b_ip6frag0, 3333, 4444, TS_PKT_TCP, 0, 0, 0),
	SKIP_("ipv6 later fragment", DLT_RAW, b_ip6frag, FRAGMENT),
	BAD_("ipv6 extension header cut", DLT_RAW, b_ip6ext_short, IP6_EXT),
	BAD_("ipv6 chain of nine", DLT_RAW, b_ip6chain, IP6_CHAIN),
	BAD_("ipv6 payload length past frame", DLT_RAW, b_ip6len, IP6_LEN),
	SKIP_("ipv6 no next header", DLT_RAW, b_ip6nonext, PROTO),
	OK_("icmp port unreachable, full quote", DLT_EN10MB, b_icmp_full, 40000, 80, TS_PKT_ICMP_UNREACH, 0, 0, 0),
	OK_("icmp admin prohibited, 8-byte quote", DLT_RAW, b_icmp_8, 40000, 80, TS_PKT_ICMP_UNREACH, 0, 0, 0),
	BAD_("icmp quote of 4 tcp bytes", DLT_RAW, b_icmp_4, ICMP_QUOTE),
	SKIP_("icmp echo reply", DLT_RAW, b_icmp_echo, ICMP_TYPE),
	SKIP_("icmp quoting udp", DLT_RAW, b_icmp_udp, ICMP_NOT_TCP),
	BAD_("icmp header cut", DLT_RAW, b_icmp_short, ICMP_SHORT),
	BAD_("icmp quote not ip", DLT_RAW, b_icmp_badquote, ICMP_QUOTE),
	OK_("icmpv6 admin prohibited, quote with hop-by-hop", DLT_RAW, b_icmp6, 40000, 80, TS_PKT_ICMP_UNREACH, 0, 0, 0),
	SKIP_("icmpv6 echo", DLT_RAW, b_icmp6_echo, ICMP_TYPE),
	BAD_("unsupported link type", 147, b_raw4, LINK_TYPE),
};

/* Decode from a heap buffer of exactly caplen bytes. */
static enum ts_dec_result
decode_exact(int dlt, const uint8_t *frame, size_t caplen, size_t wirelen,
    struct ts_pkt *pkt, struct ts_decode_stats *st)
{
	uint8_t *buf = malloc(caplen ? caplen : 1);
	enum ts_dec_result r;

	memcpy(buf, frame, caplen);
	r = ts_decode(dlt, buf, caplen, wirelen, 1, 0, pkt, st);
	free(buf);
	return r;
}

static void
check_case(const struct dcase *c)
{
	struct fb f;
	struct ts_pkt pkt;
	struct ts_decode_stats st;
	enum ts_dec_result r;

	fb_reset(&f);
	c->build(&f);
	memset(&st, 0, sizeof(st));
	r = decode_exact(c->dlt, f.b, f.n, f.n, &pkt, &st);
	if (!ok((int)r == c->res, "%s: result", c->name)) {
		printf("#   got %d want %d\n", r, c->res);
		return;
	}
	if (c->res == TS_DEC_SKIP)
		is_u(st.skipped[c->reason], 1, "%s: counted as %s", c->name,
		    ts_skip_name(c->reason));
	else if (c->res == TS_DEC_MALFORMED)
		is_u(st.malformed[c->reason], 1, "%s: counted as %s", c->name,
		    ts_mal_name(c->reason));
	else {
		ok(pkt.sport == c->sport && pkt.dport == c->dport &&
		    pkt.kind == c->kind && pkt.dir == c->dir &&
		    pkt.ifindex == c->ifindex && pkt.paylen == c->paylen,
		    "%s: fields (ports %u>%u kind %u dir %u if %u len %u)",
		    c->name, pkt.sport, pkt.dport, pkt.kind, pkt.dir,
		    pkt.ifindex, pkt.paylen);
	}
}

/*
 * Every shorter capture of a good frame: when the wire had the whole frame
 * (snap length cut) the decoder says snapped or decodes; when the packet
 * itself is that short it says malformed or skips.  Never OK past the end.
 */
static int
first_reason(const uint64_t *v, int n)
{
	for (int i = 0; i < n; i++)
		if (v[i] != 0)
			return i;
	return -1;
}

static void
truncations(void)
{
	size_t i, k, bad = 0, checked = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct dcase *c = &cases[i];
		struct fb f;
		struct ts_pkt pkt;
		struct ts_decode_stats st;
		size_t need;

		if (c->res != TS_DEC_OK)
			continue;
		fb_reset(&f);
		c->build(&f);
		/* Only the Ethernet padding may go without losing anything. */
		need = c->build == b_eth4_pad ? f.n - 6 : f.n;
		for (k = 0; k < f.n; k++) {
			enum ts_dec_result r;

			memset(&st, 0, sizeof(st));
			r = decode_exact(c->dlt, f.b, k, f.n, &pkt, &st);
			if (r == TS_DEC_MALFORMED) {
				printf("# %s snapped to %zu of %zu: malformed %s\n",
				    c->name, k, f.n, ts_mal_name(first_reason(
				    st.malformed, TS_MAL__COUNT)));
				bad++;
			}
			memset(&st, 0, sizeof(st));
			r = decode_exact(c->dlt, f.b, k, k, &pkt, &st);
			if (r == TS_DEC_OK && k < need) {
				printf("# %s cut to %zu of %zu: decoded\n",
				    c->name, k, f.n);
				bad++;
			}
			checked += 2;
		}
	}
	ok(bad == 0, "truncations: %zu cuts; snapped never malformed, "
	    "short never decoded", checked);
}

/* Random bytes on every link type: no crash, every frame accounted. */
static void
garbage(void)
{
	static const int dlts[] = { DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
	    DLT_NULL, DLT_LOOP, DLT_RAW, DLT_IPV4, DLT_IPV6 };
	struct ts_decode_stats st;
	struct ts_pkt pkt;
	uint8_t frame[128];
	uint64_t n = 0, accounted;
	uint32_t seed = 12345;

	memset(&st, 0, sizeof(st));
	for (size_t d = 0; d < sizeof(dlts) / sizeof(dlts[0]); d++)
		for (int i = 0; i < 20000; i++) {
			size_t len = (seed = seed * 1103515245 + 12345) % 128;

			for (size_t j = 0; j < len; j++)
				frame[j] = (uint8_t)((seed = seed * 1103515245 +
				    12345) >> 16);
			/* Make IP-looking frames likely. */
			if (len > 0 && dlts[d] == DLT_RAW)
				frame[0] = (uint8_t)((frame[0] & 0x0f) |
				    (i & 1 ? 0x40 : 0x60));
			decode_exact(dlts[d], frame, len, len, &pkt, &st);
			n++;
		}
	accounted = st.tcp + st.icmp_unreach + ts_decode_malformed_total(&st);
	for (int s = 0; s < TS_SKIP__COUNT; s++)
		accounted += st.skipped[s];
	is_u(st.frames, n, "garbage: every frame seen");
	is_u(accounted, n, "garbage: every frame decoded, skipped or malformed");
}

/* The checking accessors: a read past the capture yields 0 and marks the
 * group short with the bytes it needed; a claim opens a fresh group. */
static void
accessors(void)
{
	static const uint8_t b[6] = { 0x45, 0x00, 0x12, 0x34, 0xab, 0xcd };
	struct ts_cur c = { b, 6, 6, 0 };
	uint8_t two[2] = { 1, 1 };
	uint16_t v;

	TS_HDR(&c, 6);
	ok(TS_GET_U8(&c, 0) == 0x45 && TS_GET_BE_U16(&c, 2) == 0x1234 &&
	    TS_GET_BE_U32(&c, 2) == 0x1234abcd && !ts_cur_short(&c),
	    "accessors: reads inside the capture, in network order");
	v = TS_GET_BE_U16(&c, 5);
	ok(v == 0 && ts_cur_short(&c) && c.want == 7,
	    "accessors: a read past the capture gives 0 and wants %zu bytes",
	    c.want);
	ok(TS_GET_U8(&c, 6) == 0 && c.want == 7,
	    "accessors: the group's first miss is the one kept");
	TS_GET_BYTES(&c, 5, two, 2);
	ok(two[0] == 0 && two[1] == 0, "accessors: a short copy gives zeros");
	TS_HDR(&c, 4);
	ok(!ts_cur_short(&c), "accessors: a claim that holds opens a clean group");
	TS_HDR(&c, 8);
	ok(ts_cur_short(&c) && c.want == 8 && !ts_cur_snapped(&c),
	    "accessors: a claim past a short packet is short, not snapped");
	c.wire = 60;
	ok(ts_cur_snapped(&c), "accessors: the same claim on a snapped packet");
	ok(ts_cur_has(&c, 6) && !ts_cur_has(&c, 7) && c.want == 8,
	    "accessors: has() asks without recording");
}

static void
icmp_fields(void)
{
	struct fb f;
	struct ts_pkt pkt;
	struct ts_decode_stats st;
	char a[64];

	fb_reset(&f);
	b_icmp_full(&f);
	memset(&st, 0, sizeof(st));
	decode_exact(DLT_EN10MB, f.b, f.n, f.n, &pkt, &st);
	inet_ntop(AF_INET, pkt.icmp_from, a, sizeof(a));
	ok(pkt.icmp_type == 3 && pkt.icmp_code == 3 && pkt.seq == 100 &&
	    pkt.quote_flags_known && pkt.tcpflags == SYN &&
	    strcmp(a, "10.0.0.2") == 0, "icmp: type, code, quoted seq and flags, sender %s", a);
	fb_reset(&f);
	b_icmp_8(&f);
	decode_exact(DLT_RAW, f.b, f.n, f.n, &pkt, &st);
	ok(!pkt.quote_flags_known && pkt.seq == 100 && pkt.icmp_code == 13,
	    "icmp: an 8-byte quote gives ports and seq, not flags");
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
	accessors();
	icmp_fields();
	truncations();
	garbage();
	return tap_done();
}
