/*
 * localaddr.h - this host's addresses, to tell a local service from a
 * remote one and from transit traffic.  Loopback ranges are always local.
 */
#ifndef TS_LOCALADDR_H
#define TS_LOCALADDR_H

#include <stdint.h>

#define TS_LOCALADDR_MAX	1024

struct ts_localaddr {
	uint32_t	n;
	int		known;		/* the set describes this host */
	struct {
		uint8_t	family;
		uint8_t	addr[16];
	} a[TS_LOCALADDR_MAX];
};

void	ts_localaddr_init(struct ts_localaddr *);
/* Add an address ("192.0.2.1", "2001:db8::1"); -1 if it does not parse. */
int	ts_localaddr_add_str(struct ts_localaddr *, const char *);
void	ts_localaddr_add(struct ts_localaddr *, uint8_t family, const uint8_t *);
/* Replace the set with the interfaces' addresses (getifaddrs); -1 on error. */
int	ts_localaddr_load(struct ts_localaddr *);
int	ts_localaddr_is_local(const struct ts_localaddr *, uint8_t family,
	    const uint8_t *addr);
int	ts_addr_is_loopback(uint8_t family, const uint8_t *addr);

#endif
