/*
 * transport.c - net-snmp transport addresses, checked strictly.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "transport.h"

static int
is_port(const char *s, size_t n)
{
	unsigned long v = 0;

	if (n == 0 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/* RFC 1123 host name: labels of letters, digits and '-', not all digits. */
static int
is_hostname(const char *s)
{
	size_t n = strlen(s), label = 0;
	int alpha = 0;

	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (c == '-' && label == 0)
			return 0;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			alpha = 1;
		else if (!(c >= '0' && c <= '9') && c != '-')
			return 0;
		label++;
	}
	return alpha;
}

static int
host_ok(const char *host, int v6, char *err, size_t errlen)
{
	unsigned char a[16];

	if (inet_pton(v6 ? AF_INET6 : AF_INET, host, a) == 1)
		return 0;
	if (!is_hostname(host)) {
		snprintf(err, errlen, "\"%s\" is not an %s address or a host "
		    "name", host, v6 ? "IPv6" : "IPv4");
		return -1;
	}
	return 0;
}

static int
path_ok(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;

	if (path[0] != '/') {
		snprintf(err, errlen, "\"%s\" is not an absolute path", path);
		return -1;
	}
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path longer than %zu bytes",
		    sizeof(sun.sun_path) - 1);
		return -1;
	}
	return 0;
}

/* One transport, without commas. */
static int
one(const char *spec, char *err, size_t errlen)
{
	static const struct { const char *p; int v6; } prefixes[] = {
		{ "udp:", 0 }, { "tcp:", 0 }, { "udp6:", 1 }, { "tcp6:", 1 },
		{ "udpv6:", 1 }, { "tcpv6:", 1 }, { "udpipv6:", 1 },
		{ "tcpipv6:", 1 },
	};
	char host[256];
	const char *a = spec, *colon;
	int v6 = 0;

	if (strncasecmp(spec, "unix:", 5) == 0)
		return path_ok(spec + 5, err, errlen);
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncasecmp(spec, prefixes[i].p, strlen(prefixes[i].p)) == 0) {
			a = spec + strlen(prefixes[i].p);
			v6 = prefixes[i].v6;
			break;
		}
	if (*a == '\0') {
		snprintf(err, errlen, "\"%s\": no address", spec);
		return -1;
	}
	if (is_port(a, strlen(a)))		/* a port alone */
		return 0;
	if (v6 && *a == '[') {
		const char *end = strchr(a, ']');

		if (end == NULL || (size_t)(end - a - 1) >= sizeof(host) ||
		    (end[1] != '\0' && (end[1] != ':' ||
		    !is_port(end + 2, strlen(end + 2))))) {
			snprintf(err, errlen, "\"%s\" is not [ADDRESS]:PORT "
			    "(PORT 1 to 65535)", spec);
			return -1;
		}
		memcpy(host, a + 1, (size_t)(end - a - 1));
		host[end - a - 1] = '\0';
		return host_ok(host, 1, err, errlen);
	}
	if (v6 && strchr(a, ':') != strrchr(a, ':')) {	/* a bare address */
		if (strlen(a) >= sizeof(host))
			goto bad;
		return host_ok(a, 1, err, errlen);
	}
	if ((colon = strrchr(a, ':')) != NULL) {
		if (!is_port(colon + 1, strlen(colon + 1))) {
			snprintf(err, errlen, "\"%s\": \"%s\" is not a port "
			    "(1 to 65535)", spec, colon + 1);
			return -1;
		}
		if ((size_t)(colon - a) >= sizeof(host) || colon == a)
			goto bad;
		memcpy(host, a, (size_t)(colon - a));
		host[colon - a] = '\0';
	} else {
		if (strlen(a) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%s", a);
	}
	return host_ok(host, v6, err, errlen);
bad:
	snprintf(err, errlen, "\"%s\" is not a transport address, as "
	    "udp:127.0.0.1:1161", spec);
	return -1;
}

int
ts_transport_check(const char *spec, char *err, size_t errlen)
{
	char buf[1024], *tok, *save = NULL;

	if (strlen(spec) >= sizeof(buf) || *spec == '\0' ||
	    spec[strlen(spec) - 1] == ',') {
		snprintf(err, errlen, "\"%s\" is not a transport address, as "
		    "udp:127.0.0.1:1161", spec);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if (one(tok, err, errlen) == -1)
			return -1;
	return 0;
}

int
ts_agentx_check(const char *spec, char *err, size_t errlen)
{
	if (spec[0] == '/')
		return path_ok(spec, err, errlen);
	if (strncasecmp(spec, "unix:", 5) == 0)
		return path_ok(spec + 5, err, errlen);
	if (strncasecmp(spec, "tcp", 3) != 0 && strncasecmp(spec, "udp", 3) != 0) {
		snprintf(err, errlen, "\"%s\" is neither a socket path (/PATH) "
		    "nor a transport (tcp:HOST:PORT)", spec);
		return -1;
	}
	return one(spec, err, errlen);
}
