/*
 * sandbox.c - confining the SNMP process (sandbox.h).
 *
 * The root: after unshare(CLONE_NEWNS) (and every mount made private, so
 * nothing propagates back), a tmpfs is mounted on /tmp of the new
 * namespace; each kept directory is bound onto its own path inside it,
 * from a descriptor opened before (a source under /tmp is reachable only
 * so), and made nosuid, nodev, noexec and, unless rw, read-only, keeping
 * whatever flags the original mount has (in a user namespace they are
 * locked).  A kept symbolic link (/dev/log -> /run/systemd/journal/dev-log)
 * becomes the same link, and the directory of what it points to is bound.
 * A kept file that is not a directory (a socket) is kept by binding its
 * directory, so a socket made again there (snmpd, syslogd restarting) is
 * seen.  The tmpfs is then made read-only and becomes the root
 * (pivot_root), the old root detached.
 */
#include "config.h"

#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privs.h"
#include "sandbox.h"
#include "seccomp.h"

#define BASE	"/tmp"		/* where the new root is built */

int
ts_sandbox_keep(struct ts_sandbox *sb, const char *path, int rw)
{
	if (sb->nkeep >= TS_SANDBOX_PATHS || path == NULL || path[0] != '/')
		return -1;
	sb->keep[sb->nkeep].path = path;
	sb->keep[sb->nkeep].rw = rw;
	sb->nkeep++;
	return 0;
}

/* A directory to bind: where it is (target) and a descriptor of it. */
struct bind {
	char	target[PATH_MAX];
	int	fd;
	int	rw;
};

/* A link to make: at path, pointing to to. */
struct link {
	char	path[PATH_MAX];
	char	to[PATH_MAX];
};

struct plan {
	struct bind	b[TS_SANDBOX_PATHS];
	int		nb;
	struct link	l[TS_SANDBOX_PATHS];
	int		nl;
};

static void
plan_bind(struct plan *pl, const char *dir, int rw)
{
	int fd;

	for (int i = 0; i < pl->nb; i++)
		if (strcmp(pl->b[i].target, dir) == 0) {
			pl->b[i].rw |= rw;
			return;
		}
	if (pl->nb >= TS_SANDBOX_PATHS || strlen(dir) >= PATH_MAX ||
	    (fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	snprintf(pl->b[pl->nb].target, PATH_MAX, "%s", dir);
	pl->b[pl->nb].fd = fd;
	pl->b[pl->nb].rw = rw;
	pl->nb++;
}

/*
 * What each kept path needs bound or linked; a missing one is left out.
 * A path that is not where it leads (a symbolic link in it) becomes a
 * link to where it leads, which is kept instead.
 */
static void
plan_make(const struct ts_sandbox *sb, struct plan *pl)
{
	memset(pl, 0, sizeof(*pl));
	for (int i = 0; i < sb->nkeep; i++) {
		const char *p = sb->keep[i].path;
		char real[PATH_MAX], dir[PATH_MAX];
		struct stat st;

		if (realpath(p, real) == NULL || stat(real, &st) == -1)
			continue;
		if (strcmp(real, p) != 0 && pl->nl < TS_SANDBOX_PATHS &&
		    strlen(p) < PATH_MAX) {
			snprintf(pl->l[pl->nl].path, PATH_MAX, "%s", p);
			snprintf(pl->l[pl->nl].to, PATH_MAX, "%s", real);
			pl->nl++;
		}
		if (S_ISDIR(st.st_mode))
			plan_bind(pl, real, sb->keep[i].rw);
		else {
			snprintf(dir, sizeof(dir), "%s", real);
			plan_bind(pl, dirname(dir), sb->keep[i].rw);
		}
	}
}

static void
plan_free(struct plan *pl)
{
	for (int i = 0; i < pl->nb; i++)
		close(pl->b[i].fd);
	pl->nb = 0;
}

/* mkdir -p BASE/path (path absolute). */
static int
mkdirs(const char *path)
{
	char buf[PATH_MAX + sizeof(BASE)];

	if ((size_t)snprintf(buf, sizeof(buf), BASE "%s", path) >= sizeof(buf))
		return -1;
	for (char *s = buf + sizeof(BASE); ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return -1;
		if ((*s = c) == '\0')
			break;
	}
	return 0;
}

/* MS_* flags a mount has that a remount must keep (statvfs's ST_*). */
static unsigned long
kept_flags(const char *path)
{
	struct statvfs v;
	unsigned long f = 0;

	if (statvfs(path, &v) == -1)
		return 0;
	if (v.f_flag & ST_RDONLY)
		f |= MS_RDONLY;
	if (v.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (v.f_flag & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (v.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	return f;
}

static int
bind_one(const struct bind *b, char *why, size_t len)
{
	char src[64], dst[PATH_MAX + sizeof(BASE)];
	unsigned long f = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV |
	    MS_NOEXEC;

	snprintf(src, sizeof(src), "/proc/self/fd/%d", b->fd);
	snprintf(dst, sizeof(dst), BASE "%s", b->target);
	if (mkdirs(b->target) == -1 ||
	    mount(src, dst, NULL, MS_BIND | MS_REC, NULL) == -1) {
		snprintf(why, len, "binding %s: %s", b->target, strerror(errno));
		return -1;
	}
	f |= kept_flags(dst);
	if (!b->rw)
		f |= MS_RDONLY;
	if (mount(NULL, dst, NULL, f, NULL) == -1) {
		snprintf(why, len, "remounting %s: %s", b->target,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd == -1)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A mount namespace: with CAP_SYS_ADMIN, else inside a user namespace. */
static int
new_namespace(struct ts_sandbox *sb, char *why, size_t len)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int e, r, dumpable;

	if (unshare(CLONE_NEWNS) == 0) {
		snprintf(sb->root, sizeof(sb->root), "a mount namespace");
		return 0;
	}
	e = errno;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1) {
		snprintf(why, len, "no private root: a mount namespace needs "
		    "CAP_SYS_ADMIN (%s), and a user namespace cannot be made "
		    "(%s)", strerror(e), strerror(errno));
		return -1;
	}
	/*
	 * Its /proc/self files are root's while it is not dumpable (it
	 * changed users): dumpable for as long as it writes its maps.
	 */
	dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	r = write_file("/proc/self/uid_map", map) == -1 ||
	    write_file("/proc/self/setgroups", "deny") == -1 ||
	    (snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)gid,
	    (unsigned)gid), write_file("/proc/self/gid_map", map)) == -1;
	e = errno;
	prctl(PR_SET_DUMPABLE, dumpable == 1, 0, 0, 0);
	if (r) {
		snprintf(why, len, "no private root: mapping uid %u in a user "
		    "namespace: %s", (unsigned)uid, strerror(e));
		return -2;
	}
	snprintf(sb->root, sizeof(sb->root), "user and mount namespaces");
	return 0;
}

static int
make_root(struct ts_sandbox *sb, char *why, size_t len)
{
	struct plan pl;
	int r;

	/* Its own mount table, private: nothing it mounts leaks out. */
	if ((r = new_namespace(sb, why, len)) != 0)
		return r;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1) {
		snprintf(why, len, "making the mounts private: %s",
		    strerror(errno));
		return -2;
	}
	plan_make(sb, &pl);
	if (mount("tcpsleuthd", BASE, "tmpfs", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, "mode=0755,size=64k,nr_inodes=256") == -1) {
		snprintf(why, len, "a tmpfs on " BASE ": %s", strerror(errno));
		plan_free(&pl);
		return -2;
	}
	/* Parents before children, so a child bound in a parent shows. */
	for (int i = 0; i < pl.nb; i++)
		for (int j = i + 1; j < pl.nb; j++)
			if (strlen(pl.b[j].target) < strlen(pl.b[i].target)) {
				struct bind t = pl.b[i];

				pl.b[i] = pl.b[j];
				pl.b[j] = t;
			}
	for (int i = 0; i < pl.nb; i++)
		if (bind_one(&pl.b[i], why, len) == -1) {
			plan_free(&pl);
			return -2;
		}
	plan_free(&pl);
	for (int i = 0; i < pl.nl; i++) {
		char at[PATH_MAX + sizeof(BASE)], dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%s", pl.l[i].path);
		snprintf(at, sizeof(at), BASE "%s", pl.l[i].path);
		if (mkdirs(dirname(dir)) == -1 || (symlink(pl.l[i].to, at) == -1 &&
		    errno != EEXIST)) {
			snprintf(why, len, "linking %s: %s", pl.l[i].path,
			    strerror(errno));
			return -2;
		}
	}
	if (mount(NULL, BASE, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, NULL) == -1 ||
	    chdir(BASE) == -1 ||
	    syscall(SYS_pivot_root, ".", ".") == -1 ||
	    umount2(".", MNT_DETACH) == -1 || chdir("/") == -1) {
		snprintf(why, len, "entering the new root: %s", strerror(errno));
		return -2;
	}
	return 0;
}

int
ts_sandbox_enter(struct ts_sandbox *sb, char *why, size_t len)
{
	char err[256];
	int r, noroot = 0;

	why[0] = '\0';
	/* CAP_SYS_ADMIN, if kept permitted, for the mount namespace. */
	(void)ts_privs_set((uint64_t)-1, (uint64_t)1 << CAP_SYS_ADMIN, -1, -1,
	    err, sizeof(err));
	if ((r = make_root(sb, why, len)) == -2)
		return -1;
	if (r == -1) {
		snprintf(sb->root, sizeof(sb->root), "the host's");
		noroot = 1;
	}
	if (ts_privs_set(0, 0, -1, -1, err, sizeof(err)) == -1) {
		snprintf(why, len, "dropping every capability: %s", err);
		return -1;
	}
	/* No process of its user may ptrace it or read it through /proc. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(why, len, "not dumpable, no_new_privs: %s",
		    strerror(errno));
		return -1;
	}
	if ((r = ts_seccomp_install(err, sizeof(err))) == -1) {
		snprintf(why, len, "%s", err);
		return -1;
	}
	if (r == 1 && !noroot)
		snprintf(why, len, "%s", err);
	return noroot || r == 1 ? 1 : 0;
}
