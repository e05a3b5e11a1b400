/*
 * sockdiag.c - TCP listeners from NETLINK_SOCK_DIAG (inet_diag); see
 * sockdiag.h for the attributes relied on.  Every message and attribute
 * length is checked before it is read; records are copied out with
 * memcpy, so nothing depends on the buffer's alignment.
 */
#include "config.h"

#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkt.h"
#include "sockdiag.h"

#define TCP_LISTEN_STATE	10

static int
grow(void **v, size_t *cap, size_t n, size_t elem)
{
	size_t nc;
	void *nv;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 64;
	if ((nv = realloc(*v, nc * elem)) == NULL)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

int
ts_sockdiag_parse(const void *payload, size_t len, struct ts_sd_sock *s)
{
	const unsigned char *p = payload;
	struct inet_diag_msg m;
	size_t off;

	memset(s, 0, sizeof(*s));
	if (len < sizeof(m))
		return -1;
	memcpy(&m, p, sizeof(m));
	if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
		return -1;
	s->l.family = m.idiag_family == AF_INET6 ? TS_AF_INET6 : TS_AF_INET;
	s->l.port = ntohs(m.id.idiag_sport);
	s->l.ifindex = m.id.idiag_if;
	memcpy(s->l.addr, m.id.idiag_src, s->l.family == TS_AF_INET ? 4 : 16);
	s->cookie = (uint64_t)m.id.idiag_cookie[1] << 32 |
	    m.id.idiag_cookie[0];
	s->inode = m.idiag_inode;
	s->uid = m.idiag_uid;
	s->queue = m.idiag_rqueue;
	s->backlog = m.idiag_wqueue;
	for (off = NLMSG_ALIGN(sizeof(m)); off + sizeof(struct rtattr) <= len;) {
		struct rtattr a;
		size_t alen, plen;

		memcpy(&a, p + off, sizeof(a));
		alen = a.rta_len;
		if (alen < sizeof(a) || alen > len - off)
			break;
		plen = alen - RTA_LENGTH(0);
		if (a.rta_type == INET_DIAG_SKV6ONLY && plen >= 1)
			s->l.v6only = p[off + RTA_LENGTH(0)];
		else if (a.rta_type == INET_DIAG_SKMEMINFO &&
		    plen >= (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t)) {
			memcpy(&s->drops, p + off + RTA_LENGTH(0) +
			    SK_MEMINFO_DROPS * sizeof(uint32_t),
			    sizeof(uint32_t));
			s->has_drops = 1;
		}
		off += RTA_ALIGN(alen);
	}
	return 0;
}

typedef int (*sock_fn)(void *arg, const struct ts_sd_sock *);

/* Dump one family's TCP listeners, calling fn for each. */
static int
dump_family(int fd, int af, uint8_t ext, sock_fn fn, void *arg)
{
	struct {
		struct nlmsghdr		nlh;
		struct inet_diag_req_v2	req;
	} q;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr	h;	/* aligned for NLMSG_* */
		char		b[32768];
	} buf;

	memset(&q, 0, sizeof(q));
	q.nlh.nlmsg_len = sizeof(q);
	q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.req.sdiag_family = (uint8_t)af;
	q.req.sdiag_protocol = IPPROTO_TCP;
	q.req.idiag_states = 1u << TCP_LISTEN_STATE;
	q.req.idiag_ext = ext;
	/* INET_DIAG_SKV6ONLY comes with every IPv6 listener unasked. */
	if (sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0)
		return -1;
	for (;;) {
		ssize_t n = recv(fd, buf.b, sizeof(buf.b), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EPROTO;
			return -1;
		}
		for (h = &buf.h; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			struct ts_sd_sock s;

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr e;

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(e))) {
					errno = EPROTO;
					return -1;
				}
				memcpy(&e, NLMSG_DATA(h), sizeof(e));
				errno = e.error < 0 ? -e.error : EPROTO;
				return -1;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    ts_sockdiag_parse(NLMSG_DATA(h),
			    h->nlmsg_len - NLMSG_LENGTH(0), &s) == -1)
				continue;
			if (fn(arg, &s) == -1)
				return -1;
		}
	}
}

static int
dump(int fd, uint8_t ext, sock_fn fn, void *arg)
{
	int own = fd < 0, r;

	if (own && (fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	r = dump_family(fd, AF_INET, ext, fn, arg);
	if (r == 0)
		r = dump_family(fd, AF_INET6, ext, fn, arg);
	if (own) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return r;
}

static int
push_listener(void *arg, const struct ts_sd_sock *s)
{
	struct ts_listeners *ls = arg;

	if (grow((void **)&ls->l, &ls->cap, ls->n, sizeof(*ls->l)) == -1)
		return -1;
	ls->l[ls->n++] = s->l;
	return 0;
}

int
ts_listeners_load(struct ts_listeners *ls)
{
	ls->n = 0;
	return dump(-1, 0, push_listener, ls);
}

void
ts_listeners_free(struct ts_listeners *ls)
{
	free(ls->l);
	memset(ls, 0, sizeof(*ls));
}

static int
push_sock(void *arg, const struct ts_sd_sock *s)
{
	struct ts_sd_socks *ss = arg;

	if (grow((void **)&ss->s, &ss->cap, ss->n, sizeof(*ss->s)) == -1)
		return -1;
	ss->s[ss->n++] = *s;
	return 0;
}

int
ts_sockdiag_socks(int fd, struct ts_sd_socks *ss)
{
	ss->n = 0;
	return dump(fd, 1u << (INET_DIAG_SKMEMINFO - 1), push_sock, ss);
}

void
ts_sd_socks_free(struct ts_sd_socks *ss)
{
	free(ss->s);
	memset(ss, 0, sizeof(*ss));
}

static int
is_zero(const uint8_t *a, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (a[i] != 0)
			return 0;
	return 1;
}

int
ts_listeners_has(const struct ts_listeners *ls, uint8_t family,
    const uint8_t *addr, uint16_t port)
{
	size_t len = family == TS_AF_INET ? 4 : 16;

	for (size_t i = 0; i < ls->n; i++) {
		const struct ts_listener *l = &ls->l[i];

		if (l->port != port)
			continue;
		if (l->family == family && (is_zero(l->addr, len) ||
		    memcmp(l->addr, addr, len) == 0))
			return 1;
		/* A dual-stack [::] listener takes IPv4 as well. */
		if (family == TS_AF_INET && l->family == TS_AF_INET6 &&
		    !l->v6only && is_zero(l->addr, 16))
			return 1;
	}
	return 0;
}
