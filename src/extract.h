/*
 * extract.h - reads from captured bytes that check their own bounds.
 *
 * A struct ts_cur is a window on a packet: the bytes the capture holds
 * (cap) and the bytes the packet had on the wire (wire).  The decoders read
 * packet bytes only through the TS_GET_* accessors below, in the manner of
 * tcpdump's GET_ macros, but without longjmp: a read whose bytes are not
 * all captured returns 0 and records on the cursor how many bytes it
 * needed.  A layer reads in groups:
 *
 *	TS_HDR(c, 20);				claim the header's 20 bytes
 *	vhl = TS_GET_U8(c, 0);			read (each read checks itself)
 *	...
 *	if (ts_cur_short(c))			the group's one test
 *		return ts_dec_short(d, c, TS_MAL_IP4_SHORT);
 *
 * TS_HDR() opens a group by claiming the bytes it spans, read or not (a TCP
 * header is 20 bytes though the window and checksum are never looked at);
 * ts_cur_short() says whether anything since the claim was missing, and
 * ts_dec_short() (decode_result.c) makes that snapped when the wire had the
 * bytes and malformed when the packet itself is short.  Reads may go on
 * after the test, inside the same claim, and end with a test of their own.
 * A claim that holds lets the compiler drop the checks of the reads inside
 * it and the tests after them, so a group costs what one explicit length
 * test did.  Nothing outside this file touches ts_cur.p;
 * tests/golden/static.sh checks that.
 *
 * Offsets and lengths are header-sized (far below SIZE_MAX / 2), so
 * off + n never wraps.
 */
#ifndef TS_EXTRACT_H
#define TS_EXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ts_cur {
	const uint8_t	*p;	/* first byte of this layer */
	size_t		 cap;	/* bytes captured from p on */
	size_t		 wire;	/* bytes the packet had on the wire from p on */
	size_t		 want;	/* 0, or the bytes from p the group needed */
};

#define TS_LIKELY(x)	__builtin_expect(!!(x), 1)
#define TS_UNLIKELY(x)	__builtin_expect(!!(x), 0)

/* Open a group: the next n bytes belong to the header being read. */
static inline void
ts_cur_hdr(struct ts_cur *c, size_t n)
{
	if (TS_LIKELY(c->cap >= n))
		c->want = 0;
	else
		c->want = n;
}

/* Are bytes [off, off + n) captured?  If not, record the shortfall. */
static inline int
ts_cur_in(struct ts_cur *c, size_t off, size_t n)
{
	if (TS_LIKELY(c->cap >= off + n))
		return 1;
	if (c->want == 0)	/* the group's first miss says what it needed */
		c->want = off + n;
	return 0;
}

static inline uint8_t
ts_get_u8(struct ts_cur *c, size_t off)
{
	return ts_cur_in(c, off, 1) ? c->p[off] : 0;
}

static inline uint16_t
ts_get_be_u16(struct ts_cur *c, size_t off)
{
	if (!ts_cur_in(c, off, 2))
		return 0;
	return (uint16_t)((uint16_t)c->p[off] << 8 | c->p[off + 1]);
}

static inline uint32_t
ts_get_be_u32(struct ts_cur *c, size_t off)
{
	if (!ts_cur_in(c, off, 4))
		return 0;
	return (uint32_t)c->p[off] << 24 | (uint32_t)c->p[off + 1] << 16 |
	    (uint32_t)c->p[off + 2] << 8 | c->p[off + 3];
}

/* n bytes into dst, in packet order (zeros if they are not all captured). */
static inline void
ts_get_bytes(struct ts_cur *c, size_t off, void *dst, size_t n)
{
	if (ts_cur_in(c, off, n))
		memcpy(dst, c->p + off, n);
	else
		memset(dst, 0, n);
}

#define TS_HDR(c, n)			ts_cur_hdr((c), (n))
#define TS_GET_U8(c, off)		ts_get_u8((c), (off))
#define TS_GET_BE_U16(c, off)		ts_get_be_u16((c), (off))
#define TS_GET_BE_U32(c, off)		ts_get_be_u32((c), (off))
#define TS_GET_BYTES(c, off, dst, n)	ts_get_bytes((c), (off), (dst), (n))

/* Was a byte claimed or read since the last TS_HDR() not captured? */
static inline int
ts_cur_short(const struct ts_cur *c)
{
	return TS_UNLIKELY(c->want != 0);
}

/* The short group was cut by the snap length, not by the packet itself. */
static inline int
ts_cur_snapped(const struct ts_cur *c)
{
	return c->want != 0 && c->wire >= c->want;
}

/* Are n bytes captured?  For an optional field; records nothing. */
static inline int
ts_cur_has(const struct ts_cur *c, size_t n)
{
	return c->cap >= n;
}

/* Advance past n bytes, claimed by a group that was not short. */
static inline void
ts_cur_skip(struct ts_cur *c, size_t n)
{
	c->p += n;
	c->cap -= n;
	c->wire = c->wire > n ? c->wire - n : 0;
}

/* Shrink the window to n bytes (an IP total length, say). */
static inline void
ts_cur_limit(struct ts_cur *c, size_t n)
{
	if (c->cap > n)
		c->cap = n;
	c->wire = n;
}

#endif
