/*
 * procinfo.c - one process from /proc (see procinfo.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "procinfo.h"

static void
pid_path(char *fn, size_t len, const char *procroot, int pid,
    const char *what)
{
	if (pid == 0)
		snprintf(fn, len, "%s/self/%s", procroot, what);
	else
		snprintf(fn, len, "%s/%d/%s", procroot, pid, what);
}

/* A whole small file, NUL-terminated; its length or -1. */
static ssize_t
slurp(const char *fn, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd;

	if ((fd = open(fn, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((size_t)got < len - 1 &&
	    (n = read(fd, buf + got, len - 1 - (size_t)got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

/* "pid (comm) state ppid ... starttime ...": comm may hold ") ". */
static int
parse_stat(char *s, struct ts_proc *p)
{
	char *open = strchr(s, '('), *close = strrchr(s, ')'), *save = NULL;
	size_t n;
	int field = 2;

	if (open == NULL || close == NULL || close < open)
		return -1;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(p->comm))
		n = sizeof(p->comm) - 1;
	memcpy(p->comm, open + 1, n);
	p->comm[n] = '\0';
	for (char *t = strtok_r(close + 1, " \n", &save); t != NULL;
	    t = strtok_r(NULL, " \n", &save)) {
		if (++field == 22) {
			char *end;

			errno = 0;
			p->start = strtoull(t, &end, 10);
			return errno != 0 || *end != '\0' ? -1 : 0;
		}
	}
	return -1;
}

static void
parse_uid(const char *s, struct ts_proc *p)
{
	const char *u = strstr(s, "\nUid:");
	char *end;
	unsigned long v;

	if (u == NULL)
		return;
	errno = 0;
	v = strtoul(u + 5, &end, 10);
	if (errno == 0 && end != u + 5 && v <= UINT32_MAX)
		p->uid = (uint32_t)v;
}

int
ts_proc_is_pid(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

uint32_t
ts_proc_ns_inode(const char *link, const char *type)
{
	size_t tl = strlen(type);
	unsigned long long v;
	char *end;

	if (strncmp(link, type, tl) != 0 || link[tl] != ':' ||
	    link[tl + 1] != '[' || link[tl + 2] < '0' || link[tl + 2] > '9')
		return 0;
	errno = 0;
	v = strtoull(link + tl + 2, &end, 10);
	if (errno != 0 || strcmp(end, "]") != 0 || v == 0 || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

int
ts_proc_netns(const char *procroot, int pid, uint32_t *ino)
{
	char fn[4096], link[64];
	ssize_t n;

	*ino = 0;
	if (pid < 0) {
		errno = EINVAL;
		return -1;
	}
	pid_path(fn, sizeof(fn), procroot, pid, "ns/net");
	if ((n = readlink(fn, link, sizeof(link) - 1)) < 0)
		return -1;
	link[n] = '\0';
	if ((*ino = ts_proc_ns_inode(link, "net")) == 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
ts_proc_stat(const char *procroot, int pid, struct ts_proc *p)
{
	char fn[4096], buf[4096];

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->uid = UINT32_MAX;
	if (pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	pid_path(fn, sizeof(fn), procroot, pid, "stat");
	if (slurp(fn, buf, sizeof(buf)) < 0)
		return -1;
	if (parse_stat(buf, p) == -1) {
		memset(p->comm, 0, sizeof(p->comm));
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
ts_proc_read(const char *procroot, int pid, struct ts_proc *p)
{
	char fn[4096], buf[4096];

	if (ts_proc_stat(procroot, pid, p) == -1)
		return -1;
	pid_path(fn, sizeof(fn), procroot, pid, "status");
	if (slurp(fn, buf, sizeof(buf)) > 0)
		parse_uid(buf, p);
	(void)ts_cgroup_of_pid(procroot, pid, p->cgroup, sizeof(p->cgroup));
	(void)ts_proc_netns(procroot, pid, &p->netns_ino);
	return 0;
}
