/*
 * procinfo.h - what /proc says about one process: its start time (with
 * the pid, its identity: pids are reused), comm, uid, cgroup v2 path and
 * network namespace.  The /proc root is a parameter so tests can give a
 * fake one.  Holds nothing open after it returns.
 */
#ifndef TS_PROCINFO_H
#define TS_PROCINFO_H

#include <stdint.h>

struct ts_proc {
	int		pid;
	uint64_t	start;		/* clock ticks after boot: field 22 of
					   /proc/PID/stat */
	uint32_t	uid;		/* real uid ("Uid:" in status), or
					   UINT32_MAX if unknown */
	char		comm[16];	/* as the kernel has it (stat) */
	char		cgroup[256];	/* the "0::" path, "" if unknown */
	uint32_t	netns_ino;	/* net:[N] of ns/net, 0 if unknown (other
					   users' need CAP_SYS_PTRACE) */
};

/*
 * Read procroot/PID/{stat,status,cgroup,ns/net}.  Returns 0 when stat was
 * read (the process exists), even if the other fields stay unknown; -1 with
 * errno (ENOENT: no such process; EINVAL: a bad pid or unreadable stat).
 */
int	ts_proc_read(const char *procroot, int pid, struct ts_proc *);
/* Only procroot/PID/stat: pid, start and comm (the cheap liveness check:
 * the same pid with another start time is another process). */
int	ts_proc_stat(const char *procroot, int pid, struct ts_proc *);
/* Only the network namespace inode of pid (0: this process). */
int	ts_proc_netns(const char *procroot, int pid, uint32_t *ino);
/* Whether a /proc entry's name is a pid (all digits). */
int	ts_proc_is_pid(const char *name);
/* The inode N of a namespace link's text "net:[N]"; 0 if it is not one. */
uint32_t ts_proc_ns_inode(const char *link, const char *type);

#endif
