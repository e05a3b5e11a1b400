/*
 * snapwire.c - a snapshot as one flat buffer and back (snapwire.h), and
 * freeing either kind of snapshot.  Pure: the reader checks everything
 * before it points at anything, so it is fuzzed (fuzz/fuzz_snap.c) and
 * needs no privilege or file.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapwire.h"

#define WIRE_MAGIC	0x54534e50u	/* "TSNP" */
#define TIME_END	((ts_ns)1 << 62)	/* 2116-02-20 */
#define ALIGN(n)	(((n) + TS_WIRE_ALIGN - 1) & ~(size_t)(TS_WIRE_ALIGN - 1))

enum {
#define X(f, n, T) SA_##f,
	TS_SNAP_ARRAYS(X)
#undef X
	SA__COUNT
};

struct wire_array {
	uint64_t	off, count, elem;
};

struct wire_hdr {
	uint32_t	magic;
	uint32_t	snap_size;	/* sizeof(struct ts_snapshot) */
	uint64_t	size;		/* the whole buffer */
	uint32_t	narrays;
	uint32_t	zero;
	struct wire_array a[SA__COUNT];
};

#define SNAP_OFF	ALIGN(sizeof(struct wire_hdr))
#define DATA_OFF	ALIGN(SNAP_OFF + sizeof(struct ts_snapshot))

void
ts_snapshot_free(struct ts_snapshot *s)
{
	if (s == NULL)
		return;
	if (s->wire != NULL)
		munmap(s->wire, s->wire_len);
	else {
#define X(f, n, T) free(s->f);
		TS_SNAP_ARRAYS(X)
#undef X
	}
	free(s);
}

size_t
ts_snapwire_size(const struct ts_snapshot *s)
{
	size_t n = DATA_OFF;

#define X(f, c, T) n += ALIGN(s->c * sizeof(T));
	TS_SNAP_ARRAYS(X)
#undef X
	return ALIGN(n + 1);	/* and the zero byte at the end */
}

size_t
ts_snapwire_write(const struct ts_snapshot *s, void *buf, size_t len)
{
	uint8_t *b = buf;
	struct wire_hdr h;
	size_t need = ts_snapwire_size(s), off = DATA_OFF;

	if (len < need)
		return 0;
	memset(&h, 0, sizeof(h));
	h.magic = WIRE_MAGIC;
	h.snap_size = sizeof(struct ts_snapshot);
	h.size = need;
	h.narrays = SA__COUNT;
#define X(f, c, T) {							\
	size_t bytes_ = s->c * sizeof(T);				\
									\
	h.a[SA_##f].off = off;						\
	h.a[SA_##f].count = s->c;					\
	h.a[SA_##f].elem = sizeof(T);					\
	if (bytes_ > 0)							\
		memcpy(b + off, s->f, bytes_);				\
	memset(b + off + bytes_, 0, ALIGN(bytes_) - bytes_);		\
	off += ALIGN(bytes_);						\
}
	TS_SNAP_ARRAYS(X)
#undef X
	memset(b + off, 0, need - off);
	memcpy(b, &h, sizeof(h));
	memset(b + sizeof(h), 0, SNAP_OFF - sizeof(h));
	/* The fixed part as it is (padding included), without its pointers. */
	memcpy(b + SNAP_OFF, s, sizeof(*s));
	memset(b + SNAP_OFF + sizeof(*s), 0, DATA_OFF - SNAP_OFF - sizeof(*s));
#define ZERO(f)	memset(b + SNAP_OFF + offsetof(struct ts_snapshot, f), 0,	\
	    sizeof(s->f))
#define X(f, c, T) ZERO(f);
	TS_SNAP_ARRAYS(X)
#undef X
	ZERO(refs);
	ZERO(stale);
	ZERO(wire);
	ZERO(wire_len);
#undef ZERO
	return need;
}

#define BAD(...)	do { snprintf(err, errlen, __VA_ARGS__); return NULL; } while (0)

struct ts_snapshot *
ts_snapwire_read(const void *buf, size_t len, char *err, size_t errlen)
{
	const uint8_t *b = buf;
	struct wire_hdr h;
	struct ts_snapshot *s;
	uint64_t end = DATA_OFF;
	const char *bad;

	if (len < DATA_OFF + 1)
		BAD("%zu bytes, fewer than a header", len);
	memcpy(&h, b, sizeof(h));
	if (h.magic != WIRE_MAGIC)
		BAD("bad magic 0x%08x", h.magic);
	if (h.size != len)
		BAD("says %llu bytes, has %zu", (unsigned long long)h.size, len);
	if (h.snap_size != sizeof(struct ts_snapshot) || h.narrays != SA__COUNT)
		BAD("another layout (%u bytes, %u arrays)", h.snap_size,
		    h.narrays);
	/* Each array: its element, aligned, after the last, inside. */
#define X(f, c, T) {							\
	const struct wire_array *a_ = &h.a[SA_##f];			\
									\
	if (a_->elem != sizeof(T))					\
		BAD(#f ": elements of %llu bytes, not %zu",		\
		    (unsigned long long)a_->elem, sizeof(T));		\
	if (a_->off % TS_WIRE_ALIGN != 0 || a_->off < end ||		\
	    a_->off > len)						\
		BAD(#f ": offset %llu out of place",			\
		    (unsigned long long)a_->off);			\
	if (a_->count > (len - a_->off) / sizeof(T))			\
		BAD(#f ": %llu elements past the end",			\
		    (unsigned long long)a_->count);			\
	if (((uintptr_t)b + a_->off) % _Alignof(T) != 0)		\
		BAD(#f ": misaligned");					\
	end = a_->off + a_->count * sizeof(T);				\
}
	TS_SNAP_ARRAYS(X)
#undef X
	if (end >= len || b[len - 1] != 0)
		BAD("no zero byte after the arrays");
	/* One more zero byte: a string of the fixed part ends in it too. */
	if ((s = calloc(1, sizeof(*s) + 1)) == NULL)
		BAD("out of memory");
	memcpy(s, b + SNAP_OFF, sizeof(*s));
	s->refs = 0;
	s->stale = 0;
	s->wire = NULL;
	s->wire_len = 0;
#define X(f, c, T) {							\
	const struct wire_array *a_ = &h.a[SA_##f];			\
									\
	s->f = a_->count > 0 ? (T *)(uintptr_t)(b + a_->off) : NULL;	\
	s->c = (__typeof__(s->c))a_->count;				\
	if ((uint64_t)s->c != a_->count) {				\
		free(s);						\
		BAD(#f ": %llu elements do not fit its count",		\
		    (unsigned long long)a_->count);			\
	}								\
}
	TS_SNAP_ARRAYS(X)
#undef X
	/*
	 * Times: none before 1970 nor from 2116 on (2^62 ns), mono_off
	 * within as much either way, so any two subtract, and a time less
	 * mono_off, without overflow.
	 */
#define TIME_OK(t)	((t) >= 0 && (t) < TIME_END)
#define FIXED(f)	if (!TIME_OK(s->f)) { bad = #f; goto bad_time; }
	TS_SNAP_FIXED_TIMES(FIXED)
#undef FIXED
	if (s->mono_off <= -TIME_END || s->mono_off >= TIME_END) {
		bad = "mono_off";
		goto bad_time;
	}
#define ELEM(f)	if (!TIME_OK(e_->f)) { bad = #f; goto bad_time; }
#define X(arr, LIST)							\
	for (size_t i = 0; i < s->n##arr; i++) {			\
		const __typeof__(*s->arr) *e_ = &s->arr[i];		\
									\
		LIST(ELEM)						\
	}
	TS_SNAP_TIMES(X)
#undef X
#undef ELEM
#undef TIME_OK
	/* The one index into another array: the bounded view's rows. */
	for (size_t i = 0; i < s->ntop; i++)
		if (s->top[i].row >= s->nrows) {
			snprintf(err, errlen, "top: element %zu is row %u of %zu",
			    i, s->top[i].row, s->nrows);
			free(s);
			return NULL;
		}
	return s;
bad_time:
	snprintf(err, errlen, "a time out of range (%s)", bad);
	free(s);
	return NULL;
}
