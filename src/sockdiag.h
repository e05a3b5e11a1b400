/*
 * sockdiag.h - which TCP ports this host listens on now, from netlink
 * sock_diag (the network namespace tcpsleuth runs in).  A [::] listener
 * without IPV6_V6ONLY accepts IPv4 too.
 */
#ifndef TS_SOCKDIAG_H
#define TS_SOCKDIAG_H

#include <stddef.h>
#include <stdint.h>

struct ts_listener {
	uint8_t		family;		/* TS_AF_INET or TS_AF_INET6 */
	uint8_t		v6only;
	uint16_t	port;
	uint32_t	ifindex;	/* bound to a device, else 0 */
	uint8_t		addr[16];
};

struct ts_listeners {
	struct ts_listener	*l;
	size_t			 n, cap;
};

enum ts_listen_state {
	TS_LISTEN_UNKNOWN = 1,		/* not this host's, or not known */
	TS_LISTEN_YES,
	TS_LISTEN_NO,
};

/* Replace the set with the listeners now; -1 with errno on failure. */
int	ts_listeners_load(struct ts_listeners *);
void	ts_listeners_free(struct ts_listeners *);
/* Whether something listens on family/addr/port. */
int	ts_listeners_has(const struct ts_listeners *, uint8_t family,
	    const uint8_t *addr, uint16_t port);

#endif
