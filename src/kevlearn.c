/*
 * kevlearn.c - listeners at start (see kevlearn.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kevlearn.h"
#include "sockdiag.h"
#include "sockowner.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE	71
#endif

int
kev_this_netns(uint64_t *cookie, uint32_t *ino)
{
	socklen_t len = sizeof(*cookie);
	struct stat st;
	int fd, r;

	if (stat("/proc/thread-self/ns/net", &st) != 0)
		return -1;
	*ino = (uint32_t)st.st_ino;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	r = getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len);
	close(fd);
	return r;
}

static int
by_inode(const void *a, const void *b)
{
	uint32_t x = ((const struct ts_sockowner *)a)->inode;
	uint32_t y = ((const struct ts_sockowner *)b)->inode;

	return x < y ? -1 : x > y;
}

int
kev_learn_listeners(struct kev_feed *f, const char *procroot, ts_ns now)
{
	struct ts_sd_socks socks = { 0 };
	struct ts_sockowner *own = NULL, key;
	uint64_t cookie;
	uint32_t ino;
	long tck = sysconf(_SC_CLK_TCK);
	size_t i;
	int n = 0;

	if (kev_this_netns(&cookie, &ino) != 0 || ts_sockdiag_socks(-1, &socks) != 0)
		return -1;
	if (socks.n == 0) {
		ts_sd_socks_free(&socks);
		return 0;
	}
	if ((own = calloc(socks.n, sizeof(*own))) == NULL) {
		ts_sd_socks_free(&socks);
		return -1;
	}
	for (i = 0; i < socks.n; i++)
		own[i].inode = socks.s[i].inode;
	if (ts_sockowner_find(procroot, own, socks.n, NULL) < 0) {
		free(own);
		ts_sd_socks_free(&socks);
		return -1;
	}
	qsort(own, socks.n, sizeof(*own), by_inode);
	for (i = 0; i < socks.n; i++) {
		const struct ts_sd_sock *s = &socks.s[i];
		const struct ts_sockowner *o;
		struct kev_found l;

		memset(&l, 0, sizeof(l));
		l.key.netns = cookie;
		l.key.family = s->l.family;
		l.key.port = s->l.port;
		memcpy(l.key.addr, s->l.addr, sizeof(l.key.addr));
		l.netns_ino = ino;
		l.v6only = s->l.v6only;
		l.cookie = s->cookie;
		l.who.netns = cookie;
		l.who.uid = s->uid;
		key.inode = s->inode;
		o = bsearch(&key, own, socks.n, sizeof(*own), by_inode);
		if (o != NULL && o->proc.pid != 0) {
			l.pid = (uint32_t)o->proc.pid;
			if (tck > 0)
				l.pid_start = o->proc.start *
				    (uint64_t)(TS_NS_PER_SEC / tck);
			if (o->proc.uid != UINT32_MAX)
				l.who.uid = o->proc.uid;
			snprintf(l.who.comm, sizeof(l.who.comm), "%s",
			    o->proc.comm);
			snprintf(l.who.cgroup, sizeof(l.who.cgroup), "%s",
			    o->proc.cgroup);
		}
		kev_feed_learnt(f, &l, now);
		n++;
	}
	free(own);
	ts_sd_socks_free(&socks);
	return n;
}
