/*
 * netns.c - finding and entering network namespaces (see netns.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "procinfo.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE	71
#endif
#ifndef NSFS_MAGIC
#define NSFS_MAGIC	0x6e736673
#endif

static int
push(struct ts_ns_list *l, uint32_t ino, int pid, const char *ipname)
{
	struct ts_ns_found *f;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct ts_ns_found *nv = realloc(l->v, cap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	f->ino = ino;
	f->pid = pid;
	if (ipname != NULL)
		snprintf(f->ipname, sizeof(f->ipname), "%s", ipname);
	return 0;
}

static int
by_ino(const void *a, const void *b)
{
	const struct ts_ns_found *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	/* ip netns entries first, then the lowest pid. */
	if ((x->ipname[0] != '\0') != (y->ipname[0] != '\0'))
		return x->ipname[0] != '\0' ? -1 : 1;
	if (x->ipname[0] != '\0')
		return strcmp(x->ipname, y->ipname);
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The `ip netns` names: nsfs bind mounts in dir. */
static int
scan_dir(const char *dir, struct ts_ns_list *l)
{
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char fn[4096];
		struct statfs sf;
		struct stat st;

		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= TS_NETNS_NAMELEN)
			continue;
		snprintf(fn, sizeof(fn), "%s/%s", dir, de->d_name);
		/* An entry not (or no longer) mounted is a plain file. */
		if (statfs(fn, &sf) == -1 || sf.f_type != NSFS_MAGIC ||
		    stat(fn, &st) == -1 || st.st_ino == 0 ||
		    st.st_ino > UINT32_MAX)
			continue;
		if (push(l, (uint32_t)st.st_ino, 0, de->d_name) == -1) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

int
ts_netns_discover(const char *procroot, const char *netns_dir,
    struct ts_ns_list *l)
{
	struct dirent *de;
	size_t w = 0;
	DIR *d;

	l->n = 0;
	l->procs = l->unreadable = 0;
	if ((d = opendir(procroot)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		uint32_t ino;
		int pid;

		if (!ts_proc_is_pid(de->d_name))
			continue;
		pid = atoi(de->d_name);
		l->procs++;
		if (ts_proc_netns(procroot, pid, &ino) == -1) {
			l->unreadable += errno != ENOENT;
			continue;
		}
		if (push(l, ino, pid, NULL) == -1) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (netns_dir != NULL && scan_dir(netns_dir, l) == -1)
		return -1;
	/* One entry per namespace: its ip netns name, its lowest pid. */
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), by_ino);
	for (size_t r = 0; r < l->n; r++) {
		if (w > 0 && l->v[w - 1].ino == l->v[r].ino) {
			if (l->v[w - 1].pid == 0)
				l->v[w - 1].pid = l->v[r].pid;
			continue;
		}
		l->v[w++] = l->v[r];
	}
	l->n = w;
	return 0;
}

void
ts_ns_list_free(struct ts_ns_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const struct ts_ns_found *
ts_ns_list_find(const struct ts_ns_list *l, uint32_t ino)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].ino == ino)
			return &l->v[mid];
		if (l->v[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint32_t
ts_netns_self(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) == -1 ||
	    st.st_ino > UINT32_MAX)
		return 0;
	return (uint32_t)st.st_ino;
}

int
ts_netns_run(const char *path, uint32_t ino, int (*fn)(void *), void *arg,
    int *lost)
{
	struct stat st;
	int self, fd, r, e;

	*lost = 0;
	if (ino != 0 && ino == ts_netns_self())
		return fn(arg);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || (ino != 0 && st.st_ino != ino)) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	if ((self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) ==
	    -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) == -1) {
		e = errno;
		close(fd);
		close(self);
		errno = e;
		return -1;
	}
	close(fd);
	r = fn(arg);
	e = errno;
	if (setns(self, CLONE_NEWNET) == -1)
		*lost = 1;
	close(self);
	errno = e;
	return r;
}

uint64_t
ts_netns_cookie(int fd)
{
	uint64_t c = 0;
	socklen_t len = sizeof(c);

	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &c, &len) == -1)
		return 0;
	if (len != sizeof(c)) {
		errno = EINVAL;
		return 0;
	}
	return c;
}
