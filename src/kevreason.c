/*
 * kevreason.c - errno and flags to a reason, and the reason-to-capture
 * mapping (doc/kernel-events.md, "Both sources").
 */
#include "config.h"

#include <errno.h>

#include "kevreason.h"

#define CL(c)	(1u << (c))

static const struct {
	const char	*name, *text;
	uint32_t	 pcap;		/* classes a capture may show */
} reasons[KEV_R__COUNT] = {
	[KEV_R_REFUSED] = { "refused", "refused (RST)", CL(TS_CL_REFUSED) },
	[KEV_R_PORT_UNREACH] = { "port-unreachable",
	    "refused by an ICMP port unreachable", CL(TS_CL_UNREACH) },
	[KEV_R_TIMEOUT] = { "timeout", "no answer (timed out)",
	    CL(TS_CL_TIMEOUT) },
	/* OUTPUT/POSTROUTING drops happen before any device: no capture
	 * sees the SYN; an INPUT drop of the answer leaves a SYN unanswered. */
	[KEV_R_NETFILTER] = { "netfilter-drop",
	    "dropped by this host's netfilter",
	    CL(TS_CL_TIMEOUT) | KEV_PCAP_UNSEEN },
	/* No neighbour answers: the kernel's own ICMP host unreachable,
	 * which the capture sees on loopback, or nothing on the wire. */
	[KEV_R_HOST_UNREACH] = { "host-unreachable", "host unreachable",
	    CL(TS_CL_UNREACH) | KEV_PCAP_UNSEEN },
	[KEV_R_NET_UNREACH] = { "net-unreachable",
	    "network unreachable (ICMP)", CL(TS_CL_UNREACH) },
	[KEV_R_PROHIBITED] = { "prohibited",
	    "administratively prohibited (ICMP)", CL(TS_CL_UNREACH) },
	[KEV_R_NO_ROUTE] = { "no-route", "no route (no packet sent)",
	    KEV_PCAP_UNSEEN },
	[KEV_R_ADDR_NOTAVAIL] = { "addr-not-avail",
	    "no local port or address free (no packet sent)",
	    KEV_PCAP_UNSEEN },
	[KEV_R_LOCAL_POLICY] = { "local-policy",
	    "refused by local policy (no packet sent)", KEV_PCAP_UNSEEN },
	/* The SYNs went unanswered until the owner gave up. */
	[KEV_R_ABANDONED] = { "abandoned", "given up by its caller",
	    CL(TS_CL_TIMEOUT) | KEV_PCAP_UNSEEN },
	/* Other ICMP errors (protocol unreachable, parameter problem), or
	 * local ones (ENOBUFS). */
	[KEV_R_OTHER] = { "other", "other error",
	    CL(TS_CL_UNREACH) | KEV_PCAP_UNSEEN },
};

enum kev_reason
kev_reason_of(const struct kev_event *e)
{
	int err = e->err;

	if (e->type == KEV_CONNECT_ERR || (e->flags & KEV_F_NOPKT)) {
		/* Failed inside connect(): no SYN left. */
		switch (err) {
		case ENETUNREACH: case EHOSTUNREACH: case ENETDOWN:
			return KEV_R_NO_ROUTE;
		case EADDRNOTAVAIL: case EADDRINUSE:
			return KEV_R_ADDR_NOTAVAIL;
		case EPERM: case EACCES:
			return KEV_R_LOCAL_POLICY;
		default:
			return KEV_R_OTHER;
		}
	}
	if (err == 0)
		return (e->flags & KEV_F_ABANDONED) ? KEV_R_ABANDONED :
		    KEV_R_OTHER;
	if (e->flags & KEV_F_NFDROP)
		return KEV_R_NETFILTER;
	switch (err) {
	case ECONNREFUSED:
		return (e->flags & KEV_F_RST) ? KEV_R_REFUSED :
		    KEV_R_PORT_UNREACH;
	case ETIMEDOUT:
		return KEV_R_TIMEOUT;
	case EHOSTUNREACH: case EHOSTDOWN:
		return KEV_R_HOST_UNREACH;
	case ENETUNREACH: case ENETDOWN:
		return KEV_R_NET_UNREACH;
	case EACCES: case EPERM:
		return KEV_R_PROHIBITED;
	default:
		return KEV_R_OTHER;
	}
}

const char *
kev_reason_name(enum kev_reason r)
{
	return (unsigned)r < KEV_R__COUNT ? reasons[r].name : "?";
}

const char *
kev_reason_text(enum kev_reason r)
{
	return (unsigned)r < KEV_R__COUNT ? reasons[r].text : "?";
}

int
kev_in_attemptfails(const struct kev_event *e)
{
	return e->type == KEV_CONNECT_FAIL && e->err != 0 &&
	    !(e->flags & (KEV_F_NOPKT | KEV_F_ABANDONED | KEV_F_SOFTERR));
}

uint32_t
kev_reason_pcap(enum kev_reason r)
{
	return (unsigned)r < KEV_R__COUNT ? reasons[r].pcap : 0;
}

int
kev_reason_agrees(enum kev_reason r, unsigned cls)
{
	return cls < TS_CL__FAILURES && (kev_reason_pcap(r) & CL(cls)) != 0;
}

enum kev_errcol
kev_errcol_of(int err, enum kev_reason r)
{
	if (r == KEV_R_NETFILTER)
		return KEV_E_NETFILTER;
	switch (err) {
	case ECONNREFUSED:	return KEV_E_CONNREFUSED;
	case ETIMEDOUT:		return KEV_E_TIMEDOUT;
	case EHOSTUNREACH:	return KEV_E_HOSTUNREACH;
	case ENETUNREACH:	return KEV_E_NETUNREACH;
	case EADDRNOTAVAIL:	return KEV_E_ADDRNOTAVAIL;
	case EPERM: case EACCES: return KEV_E_PERM;
	default:		return KEV_E_OTHER;
	}
}

const char *
kev_errcol_name(enum kev_errcol c)
{
	static const char *const names[KEV_E__COUNT] = {
		[KEV_E_CONNREFUSED] = "ECONNREFUSED",
		[KEV_E_TIMEDOUT] = "ETIMEDOUT",
		[KEV_E_HOSTUNREACH] = "EHOSTUNREACH",
		[KEV_E_NETUNREACH] = "ENETUNREACH",
		[KEV_E_ADDRNOTAVAIL] = "EADDRNOTAVAIL",
		[KEV_E_PERM] = "EPERM/EACCES",
		[KEV_E_NETFILTER] = "netfilter-drop",
		[KEV_E_OTHER] = "other",
	};

	return (unsigned)c < KEV_E__COUNT ? names[c] : "?";
}

int
kev_pcap_unseen(const struct kev_event *e)
{
	if (e->type == KEV_CONNECT_ERR || (e->flags & KEV_F_NOPKT))
		return 1;
	if ((e->flags & KEV_F_NFDROP) && e->nf_drops > e->syn_retx)
		return 1;	/* every SYN, the first and each resend */
	/* No neighbour answered: the SYN waited for one and went nowhere. */
	return e->err == EHOSTUNREACH && !(e->flags & KEV_F_ICMP);
}
