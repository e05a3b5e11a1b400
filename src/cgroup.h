/*
 * cgroup.h - cgroup v2 paths: where the cgroup2 hierarchy is mounted, a
 * process's cgroup, the path of a cgroup id (what eBPF's
 * bpf_get_current_cgroup_id() returns), and who a path belongs to: the
 * innermost systemd unit, or a container (docker, containerd, podman,
 * kubepods).  Only cgroup v2 ("0::" in /proc/PID/cgroup); hybrid layouts
 * (cgroup2 at /sys/fs/cgroup/unified) work the same.  The /proc root is a
 * parameter so tests can give a fake one.  Every function returns 0, or -1
 * with errno set; outputs are always NUL-terminated, even on failure.
 */
#ifndef TS_CGROUP_H
#define TS_CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* Where cgroup2 is mounted (its root "/" preferred), from
 * procroot/self/mountinfo; ENOENT if it is not mounted. */
int	ts_cgroup2_mount(const char *procroot, char *out, size_t len);
/* The cgroup2 path ("/system.slice/cron.service") of pid (0: this
 * process), from the "0::" line of procroot/PID/cgroup; ENOENT if there is
 * none (a pure cgroup v1 host), ESRCH-like errors from open if pid is gone. */
int	ts_cgroup_of_pid(const char *procroot, int pid, char *path, size_t len);
/* The path, relative to mount and starting with "/", of the cgroup whose
 * id is id (its inode, the 8 bytes of its file handle): a walk of the tree,
 * at most TS_CGROUP_MAXDEPTH deep; ENOENT if no cgroup has that id. */
#define TS_CGROUP_MAXDEPTH	32
int	ts_cgroup_path_of_id(const char *mount, uint64_t id, char *path,
	    size_t len);

enum ts_cg_kind {
	TS_CG_NONE,		/* no path, or the root cgroup */
	TS_CG_SERVICE,		/* name: "cron.service" */
	TS_CG_SCOPE,		/* "session-3.scope" */
	TS_CG_SLICE,		/* "user-1000.slice" */
	TS_CG_DOCKER,		/* "docker 3f2a9c1b7d0e" (the short id) */
	TS_CG_CONTAINERD,	/* "containerd 3f2a9c1b7d0e" */
	TS_CG_PODMAN,		/* "podman 3f2a9c1b7d0e" */
	TS_CG_KUBEPODS,		/* "pod UID 3f2a9c1b7d0e", or "pod UID" */
	TS_CG_OTHER,		/* anything else: the path's last part */
};

struct ts_cg_owner {
	enum ts_cg_kind	kind;
	char		name[128];
};

/* Who the cgroup path belongs to (never fails; TS_CG_NONE for NULL). */
void	ts_cgroup_classify(const char *path, struct ts_cg_owner *);
/* "service", "docker", ...: the kind as a word. */
const char *ts_cgroup_kind_name(enum ts_cg_kind);

#endif
