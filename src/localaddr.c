/*
 * localaddr.c - the set of this host's addresses.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ifaddrs.h>
#include <string.h>

#include "localaddr.h"
#include "pkt.h"

void
ts_localaddr_init(struct ts_localaddr *la)
{
	memset(la, 0, sizeof(*la));
}

void
ts_localaddr_add(struct ts_localaddr *la, uint8_t family, const uint8_t *addr)
{
	size_t len = family == TS_AF_INET ? 4 : 16;

	la->known = 1;
	for (uint32_t i = 0; i < la->n; i++)
		if (la->a[i].family == family &&
		    memcmp(la->a[i].addr, addr, len) == 0)
			return;
	if (la->n >= TS_LOCALADDR_MAX)
		return;
	la->a[la->n].family = family;
	memset(la->a[la->n].addr, 0, 16);
	memcpy(la->a[la->n].addr, addr, len);
	la->n++;
}

int
ts_localaddr_add_str(struct ts_localaddr *la, const char *s)
{
	uint8_t buf[16];

	memset(buf, 0, sizeof(buf));
	if (inet_pton(AF_INET, s, buf) == 1)
		ts_localaddr_add(la, TS_AF_INET, buf);
	else if (inet_pton(AF_INET6, s, buf) == 1)
		ts_localaddr_add(la, TS_AF_INET6, buf);
	else
		return -1;
	return 0;
}

int
ts_localaddr_load(struct ts_localaddr *la)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa) == -1)
		return -1;
	ts_localaddr_init(la);
	la->known = 1;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET)
			ts_localaddr_add(la, TS_AF_INET, (const uint8_t *)
			    &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr);
		else if (i->ifa_addr->sa_family == AF_INET6)
			ts_localaddr_add(la, TS_AF_INET6, (const uint8_t *)
			    &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr);
	}
	freeifaddrs(ifa);
	return 0;
}

int
ts_addr_is_loopback(uint8_t family, const uint8_t *a)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (family == TS_AF_INET)
		return a[0] == 127;
	return memcmp(a, v6lo, 16) == 0;
}

int
ts_localaddr_is_local(const struct ts_localaddr *la, uint8_t family,
    const uint8_t *addr)
{
	size_t len = family == TS_AF_INET ? 4 : 16;

	if (ts_addr_is_loopback(family, addr))
		return 1;
	for (uint32_t i = 0; i < la->n; i++)
		if (la->a[i].family == family &&
		    memcmp(la->a[i].addr, addr, len) == 0)
			return 1;
	return 0;
}
