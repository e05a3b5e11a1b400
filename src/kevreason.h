/*
 * kevreason.h - the kernel's reason for a failed connection attempt, from
 * a kernel event source record (errno and flags), and how it maps onto
 * what a capture shows (enum ts_class of classify.h).  Pure.  The mapping
 * is written down in doc/kernel-events.md; kev_reason_agrees() is it.
 */
#ifndef TS_KEVREASON_H
#define TS_KEVREASON_H

#include <stdint.h>

#include "classify.h"
#include "kevrec.h"

enum kev_reason {
	KEV_R_REFUSED = 0,	/* ECONNREFUSED by a RST */
	KEV_R_PORT_UNREACH,	/* ECONNREFUSED by an ICMP port unreachable */
	KEV_R_TIMEOUT,		/* ETIMEDOUT: no answer */
	KEV_R_NETFILTER,	/* a SYN dropped by this host's netfilter */
	KEV_R_HOST_UNREACH,	/* EHOSTUNREACH (ICMP, or no neighbour) */
	KEV_R_NET_UNREACH,	/* ENETUNREACH from an ICMP net unreachable */
	KEV_R_PROHIBITED,	/* EACCES/EPERM from an ICMP admin-prohibited */
	KEV_R_NO_ROUTE,		/* ENETUNREACH/EHOSTUNREACH from connect(): no
				   route, no packet */
	KEV_R_ADDR_NOTAVAIL,	/* EADDRNOTAVAIL: no local port (or address) */
	KEV_R_LOCAL_POLICY,	/* EPERM/EACCES from connect(): local policy */
	KEV_R_ABANDONED,	/* its owner closed it while in SYN_SENT */
	KEV_R_OTHER,		/* any other errno */
	KEV_R__COUNT
};

/*
 * What TCPSLEUTH-MIB counts per endpoint by errno (tcpsleuthEpErr*): the
 * errno connect() gave, a SYN this host's netfilter dropped (ETIMEDOUT)
 * apart, EPERM and EACCES together, the rest (and given up) as other.
 */
enum kev_errcol {
	KEV_E_CONNREFUSED = 0,
	KEV_E_TIMEDOUT,		/* not this host's netfilter */
	KEV_E_HOSTUNREACH,
	KEV_E_NETUNREACH,
	KEV_E_ADDRNOTAVAIL,
	KEV_E_PERM,		/* EPERM, EACCES */
	KEV_E_NETFILTER,	/* a SYN dropped by this host's netfilter */
	KEV_E_OTHER,
	KEV_E__COUNT
};

/* The reason of a KEV_CONNECT_FAIL or KEV_CONNECT_ERR record. */
enum kev_reason	 kev_reason_of(const struct kev_event *);
/* "refused", "port-unreachable", ..., "netfilter-drop", ... */
const char	*kev_reason_name(enum kev_reason);
/* One line for people: "refused (RST)", "dropped by this host's netfilter" */
const char	*kev_reason_text(enum kev_reason);

/* The errno column of a failure with errno err and reason r. */
enum kev_errcol	 kev_errcol_of(int err, enum kev_reason r);
/* "ECONNREFUSED", ..., "netfilter-drop", "other" */
const char	*kev_errcol_name(enum kev_errcol);

/*
 * Whether no capture can have seen this failed attempt: no SYN of it
 * reached a device (failed inside connect(), every SYN dropped by this
 * host's netfilter on its way out, no neighbour answered).  The other
 * failures are seen by a capture of the interface they used.
 */
int		 kev_pcap_unseen(const struct kev_event *);

/* Whether the kernel counted this failure in TcpAttemptFails (tcp_done()
 * ran): not for failures inside connect() (no route, EADDRNOTAVAIL, local
 * policy) nor for sockets their owner closed (given up, or after a soft
 * error: an ICMP unreachable that came while connect() held the socket).  Coverage figures compare
 * only these with the capture's counts. */
int		 kev_in_attemptfails(const struct kev_event *);

/* What a capture can see of such a failure: a set of (1 << enum ts_class),
 * with KEV_PCAP_UNSEEN when it may see nothing at all (no packet left or
 * reached a device). */
#define KEV_PCAP_UNSEEN	(1u << 31)
uint32_t	 kev_reason_pcap(enum kev_reason);
/* Whether a capture's class for the same attempt agrees with the kernel's
 * reason (cls: enum ts_class). */
int		 kev_reason_agrees(enum kev_reason, unsigned cls);

#endif
