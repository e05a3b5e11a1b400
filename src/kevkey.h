/*
 * kevkey.h - what the kernel event source's cores (kevcallers, kevlisten)
 * key on: an address and port in a network namespace, and a caller.
 */
#ifndef TS_KEVKEY_H
#define TS_KEVKEY_H

#include <stdint.h>

#define KEV_CGROUP_LEN	256

/* An address:port in a namespace; pads zero (it is hashed whole). */
struct kev_epkey {
	uint64_t	netns;		/* netns cookie */
	uint8_t		family;		/* TS_AF_INET, TS_AF_INET6 (pkt.h) */
	uint8_t		pad;
	uint16_t	port;
	uint32_t	pad2;
	uint8_t		addr[16];	/* IPv4 in the first 4 bytes */
};

/* A process as the cores know it (a caller, a listener): what stays the
 * same when it restarts. */
struct kev_who {
	uint64_t	netns;		/* netns cookie */
	uint32_t	uid;
	char		comm[16];
	char		cgroup[KEV_CGROUP_LEN];	/* cgroup v2 path, or "" */
};

#endif
