/*
 * sockowner.c - socket inode to process, from procroot/PID/fd (see
 * sockowner.h).  One pass over /proc whatever the number of sockets asked
 * for; each fd costs one readlink.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockowner.h"

static int
by_inode(const void *a, const void *b)
{
	uint32_t x = ((const struct ts_sockowner *)a)->inode;
	uint32_t y = ((const struct ts_sockowner *)b)->inode;

	return x < y ? -1 : x > y;
}

/* "socket:[N]" -> N, else 0. */
static uint32_t
sock_inode(const char *link)
{
	unsigned long v = 0;
	const char *p;

	if (strncmp(link, "socket:[", 8) != 0)
		return 0;
	for (p = link + 8; *p >= '0' && *p <= '9' && v <= UINT32_MAX; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == link + 8 || strcmp(p, "]") != 0 || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

/* Record that pid (whose details are in *p, read on first need) holds w. */
static void
hold(const char *procroot, int pid, struct ts_proc *p, int *have,
    struct ts_sockowner *w)
{
	if (*have == 0)
		*have = ts_proc_read(procroot, pid, p) == 0 ? 1 : -1;
	if (*have < 0)
		return;
	w->holders++;
	if (w->proc.pid == 0 || p->start < w->proc.start ||
	    (p->start == w->proc.start && p->pid < w->proc.pid))
		w->proc = *p;
}

int
ts_sockowner_find(const char *procroot, struct ts_sockowner *w, size_t n,
    struct ts_sockowner_stats *st)
{
	struct ts_sockowner_stats dummy;
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < n; i++) {
		w[i].holders = 0;
		w[i].last = 0;
		memset(&w[i].proc, 0, sizeof(w[i].proc));
	}
	if (n == 0)
		return 0;
	qsort(w, n, sizeof(*w), by_inode);
	if ((d = opendir(procroot)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char fn[4096], link[64];
		struct ts_proc p;
		struct dirent *fe;
		int pid, have = 0, dfd;
		DIR *fd;

		if (!ts_proc_is_pid(de->d_name))
			continue;
		pid = atoi(de->d_name);
		st->procs++;
		snprintf(fn, sizeof(fn), "%s/%s/fd", procroot, de->d_name);
		if ((dfd = open(fn, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
		    (fd = fdopendir(dfd)) == NULL) {
			if (dfd != -1)
				close(dfd);
			st->unreadable += errno != ENOENT;
			continue;
		}
		while ((fe = readdir(fd)) != NULL) {
			struct ts_sockowner key, *w1;
			ssize_t len;

			if (fe->d_name[0] == '.')
				continue;
			len = readlinkat(dirfd(fd), fe->d_name, link,
			    sizeof(link) - 1);
			st->fds++;
			if (len <= 0)
				continue;
			link[len] = '\0';
			if ((key.inode = sock_inode(link)) == 0)
				continue;
			w1 = bsearch(&key, w, n, sizeof(*w), by_inode);
			if (w1 == NULL)
				continue;
			/* An fd twice to one socket (dup) is one holder. */
			if (w1->last == pid)
				continue;
			w1->last = pid;
			hold(procroot, pid, &p, &have, w1);
		}
		closedir(fd);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++)
		found += w[i].proc.pid != 0;
	return found;
}
