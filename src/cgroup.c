/*
 * cgroup.c - cgroup v2 mount, paths and owners (see cgroup.h).  The
 * classifier is a pure function of the path; the rest read /proc and the
 * cgroup2 tree and hold no descriptor after they return.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"

static void
zero_out(char *out, size_t len)
{
	if (len > 0)
		out[0] = '\0';
}

static int
copy_out(char *out, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (len == 0 || n >= len) {
		zero_out(out, len);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out, s, n + 1);
	return 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void
unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r != '\0'; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
		    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 +
			    (r[3] - '0'));
			r += 3;
		} else
			*w++ = *r;
	}
	*w = '\0';
}

int
ts_cgroup2_mount(const char *procroot, char *out, size_t len)
{
	char fn[4096], *line = NULL, best[4096] = "";
	size_t cap = 0;
	int found = 0;	/* 1: a cgroup2 mount, 2: one of its root */
	FILE *fp;

	zero_out(out, len);
	snprintf(fn, sizeof(fn), "%s/self/mountinfo", procroot);
	if ((fp = fopen(fn, "re")) == NULL)
		return -1;
	while (getline(&line, &cap, fp) > 0) {
		char *f[6], *save = NULL, *t, *fstype = NULL;
		int n = 0;

		for (t = strtok_r(line, " \n", &save); t != NULL && n < 6;
		    t = n < 6 ? strtok_r(NULL, " \n", &save) : NULL)
			f[n++] = t;
		if (n < 6)
			continue;
		/* Optional fields up to "-", then the filesystem type. */
		while ((t = strtok_r(NULL, " \n", &save)) != NULL)
			if (strcmp(t, "-") == 0) {
				fstype = strtok_r(NULL, " \n", &save);
				break;
			}
		if (fstype == NULL || strcmp(fstype, "cgroup2") != 0)
			continue;
		if (found == 2 || (found == 1 && strcmp(f[3], "/") != 0))
			continue;
		if (strlen(f[4]) >= sizeof(best))
			continue;
		memcpy(best, f[4], strlen(f[4]) + 1);
		found = strcmp(f[3], "/") == 0 ? 2 : 1;
	}
	free(line);
	fclose(fp);
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	unescape(best);
	return copy_out(out, len, best);
}

int
ts_cgroup_of_pid(const char *procroot, int pid, char *path, size_t len)
{
	char fn[4096], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = -1, err = ENOENT;
	FILE *fp;

	zero_out(path, len);
	if (pid < 0) {
		errno = EINVAL;
		return -1;
	}
	if (pid == 0)
		snprintf(fn, sizeof(fn), "%s/self/cgroup", procroot);
	else
		snprintf(fn, sizeof(fn), "%s/%d/cgroup", procroot, pid);
	if ((fp = fopen(fn, "re")) == NULL)
		return -1;
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		r = copy_out(path, len, line + 3);
		err = errno;
		break;
	}
	free(line);
	fclose(fp);
	if (r == -1)
		errno = err;
	return r;
}

/* The cgroup id of dfd/name: its file handle, else its inode. */
static int
id_of(int dfd, const char *name, uint64_t *id)
{
	union {
		struct file_handle	fh;
		char			buf[sizeof(struct file_handle) + 128];
	} h;
	struct stat st;
	int mnt;

	h.fh.handle_bytes = 128;
	if (name_to_handle_at(dfd, name, &h.fh, &mnt, 0) == 0 &&
	    h.fh.handle_bytes == sizeof(*id)) {
		memcpy(id, h.fh.f_handle, sizeof(*id));
		return 0;
	}
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	*id = (uint64_t)st.st_ino;
	return 0;
}

/* Search the directory dfd (whose path is path[0..plen)) and below. */
static int
walk(int dfd, uint64_t id, char *path, size_t len, size_t plen, int depth)
{
	DIR *d;
	struct dirent *de;
	int r = 1;	/* 1: not found here */

	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return 1;
	}
	while (r == 1 && (de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		uint64_t got;
		int sub;

		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (plen + 1 + nl >= len) {
			r = -1;
			errno = ENAMETOOLONG;
			break;
		}
		path[plen] = '/';
		memcpy(path + plen + 1, de->d_name, nl + 1);
		if (id_of(dirfd(d), de->d_name, &got) == 0 && got == id)
			r = 0;
		else if (depth + 1 < TS_CGROUP_MAXDEPTH &&
		    (sub = openat(dirfd(d), de->d_name,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) != -1)
			r = walk(sub, id, path, len, plen + 1 + nl, depth + 1);
		if (r == 1)
			path[plen] = '\0';
	}
	closedir(d);
	return r;
}

int
ts_cgroup_path_of_id(const char *mount, uint64_t id, char *path,
    size_t len)
{
	uint64_t got;
	int dfd, r;

	zero_out(path, len);
	if (len < 2) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (id_of(AT_FDCWD, mount, &got) == -1)
		return -1;
	if (got == id)
		return copy_out(path, len, "/");
	if ((dfd = open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = walk(dfd, id, path, len, 0, 0);
	if (r == 0)
		return 0;
	zero_out(path, len);
	if (r == 1)
		errno = ENOENT;
	return -1;
}

/* ------------------------------------------------------------ classify */

#define SHORT_ID	12

static int
has_suffix(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	return n >= m && memcmp(s + n - m, suf, m) == 0;
}

static int
has_prefix(const char *s, size_t n, const char *pre)
{
	size_t m = strlen(pre);

	return n >= m && memcmp(s, pre, m) == 0;
}

/* A container id: at least SHORT_ID lower-case hex digits. */
static int
is_id(const char *s, size_t n)
{
	if (n < SHORT_ID)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

/* "PRE<id>SUF" with a container id: where the id starts, else NULL. */
static const char *
id_between(const char *s, size_t n, const char *pre, const char *suf)
{
	size_t a = strlen(pre), b = strlen(suf);

	if (!has_prefix(s, n, pre) || !has_suffix(s, n, suf) || n < a + b ||
	    !is_id(s + a, n - a - b))
		return NULL;
	return s + a;
}

/* The container id of one component under a pod, else NULL. */
static const char *
runtime_id(const char *s, size_t n)
{
	static const char *const pre[] = {
		"docker-", "cri-containerd-", "crio-", "libpod-",
	};
	const char *id;

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if ((id = id_between(s, n, pre[i], ".scope")) != NULL)
			return id;
	return is_id(s, n) ? s : NULL;	/* cgroupfs: the bare id */
}

/* A pod's uid from "kubepods[-QOS]-pod<uid>.slice" or "pod<uid>". */
static int
pod_uid(const char *s, size_t n, int cgroupfs, char *uid, size_t len)
{
	const char *u = NULL;
	size_t un = 0;

	if (!cgroupfs && has_prefix(s, n, "kubepods") &&
	    has_suffix(s, n, ".slice")) {
		for (size_t i = n - strlen(".slice"); i >= 4 && u == NULL; i--)
			if (memcmp(s + i - 4, "-pod", 4) == 0) {
				u = s + i;
				un = n - strlen(".slice") - i;
			}
	} else if (cgroupfs && has_prefix(s, n, "pod")) {
		u = s + 3;
		un = n - 3;
	}
	if (u == NULL || un == 0 || un >= len)
		return 0;
	for (size_t i = 0; i < un; i++) {
		char c = u[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    c == '-' || c == '_'))
			return 0;
		uid[i] = c == '_' ? '-' : c;	/* systemd escapes '-' */
	}
	uid[un] = '\0';
	return 1;
}

struct comp {
	const char	*s;
	size_t		 n;
};

#define MAXCOMP	64

/* name = [word ' '] a [' ' b] */
static void
set(struct ts_cg_owner *o, enum ts_cg_kind k, const char *word,
    const char *a, size_t an, const char *b, size_t bn)
{
	o->kind = k;
	snprintf(o->name, sizeof(o->name), "%s%s%.*s%s%.*s",
	    word != NULL ? word : "", word != NULL ? " " : "", (int)an, a,
	    b != NULL ? " " : "", (int)bn, b != NULL ? b : "");
}

void
ts_cgroup_classify(const char *path, struct ts_cg_owner *o)
{
	struct comp c[MAXCOMP];
	int nc = 0, kube = -1;
	char uid[64];
	const char *p, *id;

	memset(o, 0, sizeof(*o));
	if (path == NULL)
		return;
	for (p = path; *p != '\0' && nc < MAXCOMP;) {
		size_t n = strcspn(p, "/");

		if (n > 0) {
			c[nc].s = p;
			c[nc++].n = n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (nc == 0)
		return;		/* the root cgroup */

	/* Kubernetes: a pod (systemd or cgroupfs driver), then its container. */
	for (int i = 0; i < nc; i++) {
		if ((c[i].n == 8 && memcmp(c[i].s, "kubepods", 8) == 0) ||
		    (c[i].n == 14 && memcmp(c[i].s, "kubepods.slice", 14) == 0))
			kube = i;
		if (pod_uid(c[i].s, c[i].n, 0, uid, sizeof(uid)) ||
		    (kube >= 0 && i > kube &&
		    pod_uid(c[i].s, c[i].n, 1, uid, sizeof(uid)))) {
			if (i + 1 < nc &&
			    (id = runtime_id(c[i + 1].s, c[i + 1].n)) != NULL)
				set(o, TS_CG_KUBEPODS, "pod", uid,
				    strlen(uid), id, SHORT_ID);
			else
				set(o, TS_CG_KUBEPODS, "pod", uid,
				    strlen(uid), NULL, 0);
			return;
		}
	}

	/* Otherwise the innermost container or unit. */
	for (int i = nc - 1; i >= 0; i--) {
		const char *s = c[i].s;
		size_t n = c[i].n;

		if ((id = id_between(s, n, "docker-", ".scope")) != NULL ||
		    (i > 0 && c[i - 1].n == 6 &&
		    memcmp(c[i - 1].s, "docker", 6) == 0 && is_id(s, n) &&
		    (id = s) != NULL)) {
			set(o, TS_CG_DOCKER, "docker", id, SHORT_ID, NULL, 0);
			return;
		}
		if ((id = id_between(s, n, "cri-containerd-", ".scope")) !=
		    NULL) {
			set(o, TS_CG_CONTAINERD, "containerd", id, SHORT_ID,
			    NULL, 0);
			return;
		}
		if ((id = id_between(s, n, "libpod-", ".scope")) != NULL ||
		    (id = id_between(s, n, "libpod-", "")) != NULL) {
			set(o, TS_CG_PODMAN, "podman", id, SHORT_ID, NULL, 0);
			return;
		}
		if (has_suffix(s, n, ".service") && n > 8) {
			set(o, TS_CG_SERVICE, NULL, s, n, NULL, 0);
			return;
		}
		if (has_suffix(s, n, ".scope") && n > 6) {
			set(o, TS_CG_SCOPE, NULL, s, n, NULL, 0);
			return;
		}
		if (has_suffix(s, n, ".slice") && n > 6) {
			set(o, TS_CG_SLICE, NULL, s, n, NULL, 0);
			return;
		}
	}

	/* Something else: its path, the innermost end if it is too long. */
	{
		size_t n = strlen(path), room = sizeof(o->name) - 1;

		o->kind = TS_CG_OTHER;
		if (n <= room)
			memcpy(o->name, path, n + 1);
		else
			snprintf(o->name, sizeof(o->name), "...%s",
			    path + n - (room - 3));
	}
}

const char *
ts_cgroup_kind_name(enum ts_cg_kind k)
{
	static const char *const names[] = {
		[TS_CG_NONE] = "none", [TS_CG_SERVICE] = "service",
		[TS_CG_SCOPE] = "scope", [TS_CG_SLICE] = "slice",
		[TS_CG_DOCKER] = "docker", [TS_CG_CONTAINERD] = "containerd",
		[TS_CG_PODMAN] = "podman", [TS_CG_KUBEPODS] = "kubepods",
		[TS_CG_OTHER] = "other",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] :
	    "?";
}
