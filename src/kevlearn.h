/*
 * kevlearn.h - the listeners that were listening before the kernel event
 * source started (its programs only see sockets begin or stop listening):
 * learnt at start from sock_diag, in the calling thread's network
 * namespace, with their owners from /proc/PID/fd (sockowner.h).  Run while
 * still privileged: other users' fd directories need CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH.  A listener whose owner cannot be found is learnt
 * without one.
 */
#ifndef TS_KEVLEARN_H
#define TS_KEVLEARN_H

#include "kevfeed.h"

/* The calling thread's network namespace: its cookie (what the kernel
 * events carry) and its nsfs inode.  0, or -1 with errno. */
int	kev_this_netns(uint64_t *cookie, uint32_t *ino);

/* Feed each listener of this namespace to f as learnt at now; how many,
 * or -1 with errno if sock_diag or procroot cannot be read. */
int	kev_learn_listeners(struct kev_feed *f, const char *procroot,
	    ts_ns now);

#endif
