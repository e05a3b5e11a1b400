/*
 * addr.h - printing addresses, endpoints and times.
 */
#ifndef TS_ADDR_H
#define TS_ADDR_H

#include <stddef.h>
#include <stdint.h>

#include "eptab.h"
#include "pkt.h"

#define TS_ADDRSTRLEN	64	/* an IPv6 address with a zone */
#define TS_EPSTRLEN	80	/* [address%zone]:port */
#define TS_TIMESTRLEN	40

const char	*ts_addr_str(uint8_t family, const uint8_t *addr, char *buf,
		    size_t len);
/*
 * Every endpoint and peer is printed by ts_ep_str(): "127.0.0.1:7211",
 * "[::1]:7211", "[fe80::1%3]:22" (a zone when scope is not 0).
 */
const char	*ts_ep_str(uint8_t family, const uint8_t *addr, uint32_t scope,
		    uint16_t port, char *buf, size_t len);
/* A row's endpoint; "other" for the other row. */
const char	*ts_epkey_str(const struct ts_epkey *, char *buf, size_t len);
/* A row's peer: a link-local one on the row's link, with its zone. */
const char	*ts_peer_str(const struct ts_epkey *, const uint8_t *peer,
		    uint16_t port, char *buf, size_t len);
/* "2026-11-21T18:00:00.123456Z"; "-" for 0. */
const char	*ts_time_str(ts_ns, char *buf, size_t len);
const char	*ts_family_name(uint8_t family);

#endif
