/*
 * sockdiag.h - TCP listening sockets from netlink sock_diag (inet_diag,
 * what `ss -ltm` reads), in the network namespace of the calling thread.
 *
 * Two views: the set of listening addresses and ports (whether something
 * listens on an endpoint; a [::] listener without IPV6_V6ONLY accepts IPv4
 * too), and one record per listening socket with its accept queue, its
 * limit, its drops and its identity.  What this relies on, all present in
 * Debian 12's stock 6.1 kernel (and since Linux 4.7 at the latest):
 *   SOCK_DIAG_BY_FAMILY with inet_diag_req_v2, idiag_states = TCPF_LISTEN;
 *   struct inet_diag_msg: id.idiag_src/sport/if, id.idiag_cookie (the
 *     socket cookie), idiag_inode, idiag_uid, and for a listener
 *     idiag_rqueue = sk_ack_backlog (accept queue now) and idiag_wqueue =
 *     sk_max_ack_backlog (the backlog given to listen(), its limit);
 *   INET_DIAG_SKMEMINFO (asked with idiag_ext), its u32 array long enough
 *     to hold SK_MEMINFO_DROPS (sk_drops: the `d` of `ss -m`; a listener
 *     counts each SYN or ACK it dropped there: tcp_listendrop());
 *   INET_DIAG_SKV6ONLY (sent for every IPv6 socket).
 * A kernel whose SKMEMINFO is shorter leaves drops unknown (has_drops 0).
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

/* One listening socket as sock_diag reports it. */
struct ts_sd_sock {
	struct ts_listener l;
	uint64_t	cookie;		/* the socket cookie: unique per boot */
	uint32_t	inode;		/* its sockfs inode (socket:[N]) */
	uint32_t	uid;
	uint32_t	queue;		/* accept queue now (idiag_rqueue) */
	uint32_t	backlog;	/* its limit (idiag_wqueue); the kernel
					   drops when queue > backlog */
	uint32_t	drops;		/* SK_MEMINFO_DROPS: 32 bits, wraps */
	uint8_t		has_drops;
};

struct ts_sd_socks {
	struct ts_sd_sock	*s;
	size_t			 n, cap;
};

/*
 * Replace the set with every TCP listening socket (IPv4 and IPv6) of the
 * calling thread's network namespace, using netlink socket fd (a
 * NETLINK_SOCK_DIAG socket, or -1 to open and close one here).  -1 with
 * errno on failure.
 */
int	ts_sockdiag_socks(int fd, struct ts_sd_socks *);
void	ts_sd_socks_free(struct ts_sd_socks *);
/*
 * One message's payload (struct inet_diag_msg then attributes, len bytes)
 * into a record; -1 if it is too short to be one.  Every attribute is
 * bounds-checked.  (For tests and fuzzing; the dumps use it.)
 */
int	ts_sockdiag_parse(const void *payload, size_t len, struct ts_sd_sock *);

#endif
