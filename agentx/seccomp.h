/*
 * seccomp.h - the SNMP process's system call filter: an allow-list of what
 * net-snmp's agent, tcpsleuthd's loop, the snapshots (memfd, SCM_RIGHTS)
 * and logging need once the process is confined.  Anything else kills the
 * process (SECCOMP_RET_KILL_PROCESS: the capture process sees it die of
 * SIGSYS, says so and exits, and systemd restarts both), but for a few
 * calls whose refusal a caller handles and that tell nothing: socket() of
 * another family fails with EAFNOSUPPORT, ioctl() other than FIONREAD and
 * TCGETS with ENOTTY (so no TIOCSTI into a terminal).  mmap() and
 * mprotect() never make memory executable; kill() and its kin reach only
 * the process itself.
 */
#ifndef TS_SECCOMP_H
#define TS_SECCOMP_H

#include <stddef.h>

/* The allowed system calls' names (for the documentation's test). */
struct ts_sc {
	const char	*name;
	int		 nr;		/* -1: not on this architecture */
	int		 check;		/* an argument check (seccomp.h) */
};
extern const struct ts_sc ts_seccomp_allowed[];
extern const size_t ts_seccomp_nallowed;

/*
 * Install the filter on the calling process (no_new_privs must be set, or
 * CAP_SYS_ADMIN held).  -1 with why in err; 1 when this architecture has
 * no filter (said, not fatal).
 */
int	ts_seccomp_install(char *err, size_t errlen);

#endif
