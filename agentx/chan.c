/*
 * chan.c - messages between tcpsleuthd's two processes (chan.h).
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"

#define HDR	offsetof(struct ts_chan_msg, u)

/* A type's body size, and whether it carries a descriptor; -1: no such type. */
static long
body_size(uint32_t type, int *wants_fd)
{
	*wants_fd = 0;
	switch (type) {
	case TS_CH_SNAPSHOT:
		*wants_fd = 1;
		return 0;
	case TS_CH_ALARMS:
		return (long)sizeof(struct ts_alarm_conf);
	case TS_CH_STOP:
	case TS_CH_READY:
	case TS_CH_ACK:
		return 0;
	default:
		return -1;
	}
}

int
ts_chan_send(int sock, enum ts_chan_type type, const void *body, size_t len,
    int fd)
{
	struct ts_chan_msg m;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	if (len > sizeof(m.u)) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.type = type;
	if (len > 0)
		memcpy(&m.u, body, len);
	iov.iov_base = &m;
	iov.iov_len = HDR + len;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		cm.hdr.cmsg_level = SOL_SOCKET;
		cm.hdr.cmsg_type = SCM_RIGHTS;
		cm.hdr.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.hdr), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n == -1 ? -1 : 0;
}

/* Close every descriptor a control message brought. */
static void
close_fds(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL;
	    c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len < CMSG_LEN(0))
			continue;
		for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		    i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			close(fd);
		}
	}
}

int
ts_chan_recv(int sock, struct ts_chan_msg *m, int *fd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	int wants_fd, nfds = 0;
	ssize_t n;
	long want;

	*fd = -1;
	memset(m, 0, sizeof(*m));
	iov.iov_base = m;
	iov.iov_len = sizeof(*m);
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return n == 0 ? 0 : -1;
	/* Count what it brought, before anything can refuse it. */
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len >= CMSG_LEN(0)) {
			nfds += (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			if (nfds == 1)
				memcpy(fd, CMSG_DATA(c), sizeof(int));
		}
	want = body_size(m->type, &wants_fd);
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || want < 0 ||
	    (size_t)n != HDR + (size_t)want || m->zero != 0 ||
	    nfds != wants_fd) {
		close_fds(&mh);
		memset(m, 0, sizeof(*m));
		*fd = -1;
		errno = EBADMSG;
		return -1;
	}
	return 1;
}

int
ts_chan_alarms_ok(const struct ts_alarm_conf *a)
{
	return a->nports >= 0 && a->nports <= TS_ALARM_MAX_PORTS &&
	    a->window >= 0 && a->window < TS_RATE_WINDOWS;
}
