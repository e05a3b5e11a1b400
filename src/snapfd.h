/*
 * snapfd.h - a snapshot in a sealed memfd: the capture process writes one
 * per snapshot and passes the descriptor (SCM_RIGHTS); the SNMP process
 * maps it read-only.  Sealed against writing, shrinking and growing before
 * it is passed, and the reader checks the seals before it reads, so what
 * it checked (snapwire.h) cannot change under it nor vanish (SIGBUS).
 */
#ifndef TS_SNAPFD_H
#define TS_SNAPFD_H

#include <stddef.h>

#include "snapshot.h"

/* s as a new sealed memfd (close-on-exec); -1 with errno. */
int	ts_snapfd_make(const struct ts_snapshot *s, size_t *bytes);
/*
 * The snapshot in fd (a sealed memfd; fd stays the caller's), mapped
 * read-only and checked; ts_snapshot_free() unmaps it.  NULL with why.
 */
struct ts_snapshot *ts_snapfd_map(int fd, char *err, size_t errlen);

#endif
