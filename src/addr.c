/*
 * addr.c - printing addresses, endpoints and times.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <time.h>

#include "addr.h"

const char *
ts_addr_str(uint8_t family, const uint8_t *addr, char *buf, size_t len)
{
	if (inet_ntop(family == TS_AF_INET ? AF_INET : AF_INET6, addr, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

const char *
ts_ep_str(uint8_t family, const uint8_t *addr, uint32_t scope, uint16_t port,
    char *buf, size_t len)
{
	char a[TS_ADDRSTRLEN];

	ts_addr_str(family, addr, a, sizeof(a));
	if (family == TS_AF_INET)
		snprintf(buf, len, "%s:%u", a, port);
	else if (scope != 0)
		snprintf(buf, len, "[%s%%%u]:%u", a, scope, port);
	else
		snprintf(buf, len, "[%s]:%u", a, port);
	return buf;
}

const char *
ts_epkey_str(const struct ts_epkey *k, char *buf, size_t len)
{
	if (k->family == 0) {
		snprintf(buf, len, "other");
		return buf;
	}
	return ts_ep_str(k->family, k->addr, k->scope, k->port, buf, len);
}

const char *
ts_peer_str(const struct ts_epkey *k, const uint8_t *peer, uint16_t port,
    char *buf, size_t len)
{
	return ts_ep_str(k->family, peer, k->family == TS_AF_INET6 &&
	    ts_v6_linklocal(peer) ? k->scope : 0, port, buf, len);
}

const char *
ts_time_str(ts_ns t, char *buf, size_t len)
{
	time_t s = (time_t)(t / TS_NS_PER_SEC);
	long us = (long)(t % TS_NS_PER_SEC / 1000);
	struct tm tm;

	if (t <= 0 || gmtime_r(&s, &tm) == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, us);
	return buf;
}

const char *
ts_family_name(uint8_t family)
{
	return family == TS_AF_INET ? "ipv4" : family == TS_AF_INET6 ?
	    "ipv6" : "-";
}
