/*
 * sandbox.h - confining the SNMP process once net-snmp is set up: a
 * private mount namespace whose root is a small read-only tmpfs holding
 * only the paths it is given, each at its own place (bind mounts, read-only
 * unless asked otherwise), then no capability (bounding and ambient sets
 * included), not dumpable (no process of its user may ptrace it or read
 * it through /proc), no_new_privs and the seccomp filter (seccomp.h).
 *
 * The mount namespace is made with CAP_SYS_ADMIN if the process holds it
 * (permitted), else in a user namespace of its own (its uid and gid mapped
 * to themselves); when neither can be made the process goes on without a
 * private root and the caller is told why (everything else still holds).
 */
#ifndef TS_SANDBOX_H
#define TS_SANDBOX_H

#include <stddef.h>

#define TS_SANDBOX_PATHS	8

struct ts_sandbox {
	struct {
		const char	*path;	/* absolute; a directory or a file */
		int		 rw;
	}		 keep[TS_SANDBOX_PATHS];
	int		 nkeep;
	char		 root[64];	/* how the root was made, for the log */
};

/*
 * Keep path (and, for /dev/log and other symbolic links, what it points
 * to) visible.  0, or -1 when the list is full.
 */
int	ts_sandbox_keep(struct ts_sandbox *, const char *path, int rw);
/*
 * Enter it (the calling process must be single-threaded).  0; 1 when
 * there is no private root (why says why); -1 with why when a step that
 * must hold failed (the process must then exit).
 */
int	ts_sandbox_enter(struct ts_sandbox *, char *why, size_t len);

#endif
