/*
 * lsnsnap.h - the namespace and listener tables of a poller (lsnpoll.h)
 * into a snapshot (snapshot.h): plain-data copies in the order of their
 * TCPSLEUTH-MIB index (namespace inode; then InetAddressType, InetAddress,
 * port, and socket inode for a listener), rates computed at now, owners
 * and names as one line each.  Times stay on the poller's clock; the
 * collector moves them to the published one with the others.
 */
#ifndef TS_LSNSNAP_H
#define TS_LSNSNAP_H

#include "lsnpoll.h"
#include "snapshot.h"

/* Fill s->ns, s->lsn, s->lgrp and s->lsnstat; -1 if memory ran out (the
 * arrays are then empty). */
int	ts_lsnsnap_fill(struct ts_snapshot *, const struct ts_lsnpoll *,
	    ts_ns now);
/* Add d to every time of those arrays that is not 0 (never). */
void	ts_lsnsnap_shift(struct ts_snapshot *, ts_ns d);
/* The index order of two endpoint keys: InetAddressType (ipv4 1, ipv6 2,
 * ipv6z 4), then the InetAddress with its length, then the port. */
int	ts_inet_key_cmp(const struct ts_epkey *, const struct ts_epkey *);

#endif
