/*
 * frames.h - building frames by hand for tests: Ethernet with VLAN tags,
 * cooked headers, IPv4 with options, IPv6 with extension headers, TCP,
 * ICMP quoting a segment.  Used by the unit tests and by tools/mkframes
 * (which writes the hand-built golden captures).
 */
#ifndef TS_FRAMES_H
#define TS_FRAMES_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#define FB_MAX		2048
#define FB_MAXIP	4

struct fb {
	uint8_t		b[FB_MAX];
	size_t		n;
	size_t		ip_at[FB_MAXIP];	/* headers whose length is filled */
	int		ip_v6[FB_MAXIP];
	int		nip;
};

static inline void fb_reset(struct fb *f) { memset(f, 0, sizeof(*f)); }
static inline void fb_u8(struct fb *f, uint8_t v) { if (f->n < FB_MAX) f->b[f->n++] = v; }
static inline void fb_be16(struct fb *f, uint16_t v) { fb_u8(f, (uint8_t)(v >> 8)); fb_u8(f, (uint8_t)v); }
static inline void fb_be32(struct fb *f, uint32_t v) { fb_be16(f, (uint16_t)(v >> 16)); fb_be16(f, (uint16_t)v); }
static inline void fb_zero(struct fb *f, size_t n) { while (n--) fb_u8(f, 0); }

static inline void
fb_addr(struct fb *f, int v6, const char *s)
{
	uint8_t a[16];

	inet_pton(v6 ? AF_INET6 : AF_INET, s, a);
	for (int i = 0; i < (v6 ? 16 : 4); i++)
		fb_u8(f, a[i]);
}

static inline void
fb_ether(struct fb *f, uint16_t type)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	for (int i = 0; i < 12; i++)
		fb_u8(f, mac[i]);
	fb_be16(f, type);
}

/* A VLAN tag: TCI then the next ethertype. */
static inline void
fb_vlan(struct fb *f, uint16_t vid, uint16_t next)
{
	fb_be16(f, vid & 0x0fff);
	fb_be16(f, next);
}

/* Linux cooked v1: packet type (0 host, 4 outgoing), protocol. */
static inline void
fb_sll(struct fb *f, uint16_t pkttype, uint16_t proto)
{
	fb_be16(f, pkttype);
	fb_be16(f, 772);	/* ARPHRD_LOOPBACK */
	fb_be16(f, 6);
	fb_zero(f, 8);
	fb_be16(f, proto);
}

static inline void
fb_sll2(struct fb *f, uint16_t proto, uint32_t ifindex, uint8_t pkttype)
{
	fb_be16(f, proto);
	fb_be16(f, 0);
	fb_be32(f, ifindex);
	fb_be16(f, 1);
	fb_u8(f, pkttype);
	fb_u8(f, 6);
	fb_zero(f, 8);
}

/* IPv4; totlen 0 is filled in by fb_done(); optwords of NOP options. */
static inline void
fb_ip4(struct fb *f, const char *src, const char *dst, uint8_t proto,
    uint16_t totlen, int optwords, uint16_t fragword)
{
	if (totlen == 0 && f->nip < FB_MAXIP) {
		f->ip_at[f->nip] = f->n;
		f->ip_v6[f->nip++] = 0;
	}
	fb_u8(f, (uint8_t)(0x40 | (5 + optwords)));
	fb_u8(f, 0);
	fb_be16(f, totlen);
	fb_be16(f, 0x1234);
	fb_be16(f, fragword);
	fb_u8(f, 64);
	fb_u8(f, proto);
	fb_be16(f, 0);
	fb_addr(f, 0, src);
	fb_addr(f, 0, dst);
	for (int i = 0; i < optwords * 4; i++)
		fb_u8(f, 1);	/* NOP */
}

/* IPv6; plen 0 is filled in by fb_done(). */
static inline void
fb_ip6(struct fb *f, const char *src, const char *dst, uint8_t nh,
    uint16_t plen)
{
	if (plen == 0 && f->nip < FB_MAXIP) {
		f->ip_at[f->nip] = f->n;
		f->ip_v6[f->nip++] = 1;
	}
	fb_be32(f, 0x60000000 | 0x12345);
	fb_be16(f, plen);
	fb_u8(f, nh);
	fb_u8(f, 64);
	fb_addr(f, 1, src);
	fb_addr(f, 1, dst);
}

/* An IPv6 option-style extension header of (len+1)*8 bytes. */
static inline void
fb_ip6_ext(struct fb *f, uint8_t next, uint8_t len)
{
	fb_u8(f, next);
	fb_u8(f, len);
	fb_zero(f, (size_t)(len + 1) * 8 - 2);
}

static inline void
fb_ip6_frag(struct fb *f, uint8_t next, uint16_t offset, int more)
{
	fb_u8(f, next);
	fb_u8(f, 0);
	fb_be16(f, (uint16_t)(offset << 3 | (more ? 1 : 0)));
	fb_be32(f, 0xabcd);
}

/* TCP with doff words of header (>= 5) and paylen bytes of data. */
static inline void
fb_tcp(struct fb *f, uint16_t sport, uint16_t dport, uint32_t seq,
    uint32_t ack, uint8_t flags, int doff, size_t paylen)
{
	fb_be16(f, sport);
	fb_be16(f, dport);
	fb_be32(f, seq);
	fb_be32(f, ack);
	fb_u8(f, (uint8_t)(doff << 4));
	fb_u8(f, flags);
	fb_be16(f, 65535);
	fb_be32(f, 0);
	for (int i = 20; i < doff * 4; i++)
		fb_u8(f, 1);
	fb_zero(f, paylen);
}

static inline void
fb_icmp(struct fb *f, uint8_t type, uint8_t code)
{
	fb_u8(f, type);
	fb_u8(f, code);
	fb_be16(f, 0);
	fb_be32(f, 0);
}

/* Fill the lengths fb_ip4/fb_ip6 left at 0. */
static inline void
fb_done(struct fb *f)
{
	for (int i = 0; i < f->nip; i++) {
		size_t at = f->ip_at[i];
		size_t len = f->n - at - (f->ip_v6[i] ? 40 : 0);
		size_t pos = at + (f->ip_v6[i] ? 4 : 2);

		f->b[pos] = (uint8_t)(len >> 8);
		f->b[pos + 1] = (uint8_t)len;
	}
}

#endif
