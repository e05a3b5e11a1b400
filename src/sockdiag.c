/*
 * sockdiag.c - TCP listeners from NETLINK_SOCK_DIAG (inet_diag).
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
push(struct ts_listeners *ls, const struct ts_listener *l)
{
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 64;
		struct ts_listener *nl = realloc(ls->l, cap * sizeof(*nl));

		if (nl == NULL)
			return -1;
		ls->l = nl;
		ls->cap = cap;
	}
	ls->l[ls->n++] = *l;
	return 0;
}

static int
dump_family(int fd, struct ts_listeners *ls, int af)
{
	struct {
		struct nlmsghdr		nlh;
		struct inet_diag_req_v2	req;
	} q;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[16384];

	memset(&q, 0, sizeof(q));
	q.nlh.nlmsg_len = sizeof(q);
	q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.req.sdiag_family = (uint8_t)af;
	q.req.sdiag_protocol = IPPROTO_TCP;
	q.req.idiag_states = 1u << TCP_LISTEN_STATE;
	/* INET_DIAG_SKV6ONLY comes with every IPv6 listener unasked. */
	if (sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0)
		return -1;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (h = (struct nlmsghdr *)(void *)buf; NLMSG_OK(h, (size_t)n);
		    h = NLMSG_NEXT(h, n)) {
			struct inet_diag_msg *m;
			struct ts_listener l;
			struct rtattr *a;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				errno = -e->error;
				return -1;
			}
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
				continue;
			m = NLMSG_DATA(h);
			memset(&l, 0, sizeof(l));
			l.family = m->idiag_family == AF_INET6 ? TS_AF_INET6 :
			    TS_AF_INET;
			l.port = ntohs(m->id.idiag_sport);
			l.ifindex = m->id.idiag_if;
			memcpy(l.addr, m->id.idiag_src,
			    l.family == TS_AF_INET ? 4 : 16);
			a = (struct rtattr *)(m + 1);
			alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
			for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen))
				if (a->rta_type == INET_DIAG_SKV6ONLY &&
				    RTA_PAYLOAD(a) >= 1)
					l.v6only = *(uint8_t *)RTA_DATA(a);
			if (push(ls, &l) == -1)
				return -1;
		}
	}
}

int
ts_listeners_load(struct ts_listeners *ls)
{
	int fd, r;

	ls->n = 0;
	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	r = dump_family(fd, ls, AF_INET);
	if (r == 0)
		r = dump_family(fd, ls, AF_INET6);
	close(fd);
	return r;
}

void
ts_listeners_free(struct ts_listeners *ls)
{
	free(ls->l);
	memset(ls, 0, sizeof(*ls));
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
