/*
 * snapwire.h - a snapshot as one flat buffer, for the process boundary:
 * the capture process writes it into a sealed memfd (snapfd.h), the SNMP
 * process maps it read-only and reads it back here, with every offset,
 * count and size checked as packet data is, since it crossed a privilege
 * boundary.
 *
 * Layout (both ends are the same binary, so no byte order or version):
 *   a header: magic, the buffer's size, sizeof(struct ts_snapshot), and
 *     for each array of TS_SNAP_ARRAYS its offset, count and element size;
 *   the struct ts_snapshot itself, its pointers zeroed (no address of the
 *     capture process crosses);
 *   each array at an offset aligned to TS_WIRE_ALIGN, in the list's order;
 *   at least one zero byte at the end, so a string missing its NUL in any
 *     array ends there, inside the mapping, not past it.
 * Every member of struct ts_snapshot that is not an array (the listener
 * poll's status, lsnstat, among them) crosses as part of the struct; the
 * one index into another array (top[].row, into rows[]) is checked too.
 */
#ifndef TS_SNAPWIRE_H
#define TS_SNAPWIRE_H

#include <stddef.h>

#include "snapshot.h"

#define TS_WIRE_ALIGN	64
#define TS_WIRE_MAX	((size_t)1 << 32)	/* 4 GiB: a bound, not a size */

/* The bytes s takes on the wire. */
size_t	ts_snapwire_size(const struct ts_snapshot *s);
/* Write s into buf (len >= ts_snapwire_size(s)); returns the size. */
size_t	ts_snapwire_write(const struct ts_snapshot *s, void *buf, size_t len);
/*
 * Read a snapshot from buf[0, len): a new struct ts_snapshot whose arrays
 * point into buf (which must stay mapped and unchanged while it is used;
 * wire, wire_len are left 0 for the caller to set if the snapshot owns
 * the mapping), or NULL with why in err.
 */
struct ts_snapshot *ts_snapwire_read(const void *buf, size_t len, char *err,
	    size_t errlen);

#endif
