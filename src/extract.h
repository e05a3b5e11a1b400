/*
 * extract.h - bounds-checked reads from captured bytes.
 *
 * A struct ts_cur is a window on a packet: the bytes the capture holds
 * (cap) and the bytes the packet had on the wire (wire).  Every read goes
 * through ts_cur_need(), which says whether the bytes are there; decoders
 * never touch p[] past cap.  When a header is cut by the snap length rather
 * than by a short packet, ts_cur_snapped() tells the two apart.
 */
#ifndef TS_EXTRACT_H
#define TS_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

struct ts_cur {
	const uint8_t	*p;	/* first byte of this layer */
	size_t		 cap;	/* bytes captured from p on */
	size_t		 wire;	/* bytes the packet had on the wire from p on */
};

static inline int
ts_cur_need(const struct ts_cur *c, size_t n)
{
	return c->cap >= n;
}

/* The layer is cut short by the snap length, not by the packet itself. */
static inline int
ts_cur_snapped(const struct ts_cur *c, size_t n)
{
	return c->cap < n && c->wire >= n;
}

/* Advance past n bytes; the caller has checked ts_cur_need(c, n). */
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

static inline uint16_t
ts_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
ts_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t
ts_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

#endif
