/*
 * sockowner.h - which process holds a socket: a scan of procroot/PID/fd
 * for "socket:[INODE]" links.  A socket held by several processes (a
 * forking server, a socket-activated service and pid 1) is owned by the
 * holder that started first, and the holders are counted.  Processes whose
 * fd directory cannot be read (other users' without CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH, or other PID namespaces') are not seen.  Holds
 * nothing open after it returns.
 */
#ifndef TS_SOCKOWNER_H
#define TS_SOCKOWNER_H

#include <stddef.h>
#include <stdint.h>

#include "procinfo.h"

struct ts_sockowner {
	uint32_t	inode;		/* in: socket inode */
	uint32_t	holders;	/* out: processes with an fd to it */
	struct ts_proc	proc;		/* out: the first started of them
					   (proc.pid 0: none found) */
	int		last;		/* private: the last holder counted */
};

struct ts_sockowner_stats {
	uint32_t	procs;		/* processes looked at */
	uint32_t	unreadable;	/* whose fd directory we could not read */
	uint64_t	fds;		/* fd links read */
};

/*
 * Look for the n sockets (any order; sorted here) among every process's
 * fds.  Returns how many were found, or -1 with errno if procroot cannot be
 * listed.  st may be NULL.
 */
int	ts_sockowner_find(const char *procroot, struct ts_sockowner *, size_t n,
	    struct ts_sockowner_stats *st);

#endif
