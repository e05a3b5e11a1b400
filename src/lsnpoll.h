/*
 * lsnpoll.h - one poll of every network namespace served: find the
 * namespaces (netns.h), enter each in turn to read its TCP counters and
 * its listening sockets (nstab.h, lsntab.h), and name the owners of new
 * listeners (sockowner.h, cgroup.h).  Meant for the capture thread, once
 * per poll interval; it enters namespaces on the calling thread only and
 * holds no namespace descriptor between polls.
 *
 * Cost per poll: one readlink per process (discovery), and for each
 * namespace entered two opens, two setns, one netlink dump and two /proc
 * reads.  The daemon's own namespace is read every poll; of the others at
 * most per_poll ("namespaces-per-poll"), in turn, so with more of them each
 * is read every ceil(n / per_poll) polls.  Owners are looked for only when
 * new listeners appear (one pass over /proc/PID/fd for all of them), and
 * unknown ones again after owner_retry.
 */
#ifndef TS_LSNPOLL_H
#define TS_LSNPOLL_H

#include <stdint.h>

#include "lsntab.h"
#include "netns.h"
#include "nstab.h"
#include "sockdiag.h"

struct ts_lsnpoll_conf {
	struct ts_netns_conf netns;
	struct ts_lsntab_conf lsn;
	const char	*procroot;	/* "/proc" */
	const char	*netns_dir;	/* "/run/netns" */
};

struct ts_lsnpoll_stats {
	uint32_t	entered;	/* namespaces read at the last poll */
	uint32_t	failed;		/* reads that failed */
	uint32_t	owners_asked, owners_found;
	ts_ns		took;		/* the last poll, monotonic ns */
	uint64_t	polls;
	char		err[256];	/* the last discovery error, "" */
};

struct ts_lsnpoll {
	struct ts_lsnpoll_conf conf;
	struct ts_nstab	*ns;
	struct ts_lsntab *lsn;
	struct ts_lsnpoll_stats st;
	uint32_t	host_ino;	/* PID 1's namespace */
	int		lost;		/* the thread lost its namespace */
	/* private to lsnpoll.c */
	struct ts_ns_list found;
	struct ts_sd_socks socks;
	struct ts_ns_found *unserved, *unserved_new;	/* by inode */
	size_t		nunserved, nunserved_new, capunserved;
	uint32_t	rr;
};

void	ts_lsnpoll_conf_default(struct ts_lsnpoll_conf *);
struct ts_lsnpoll *ts_lsnpoll_new(const struct ts_lsnpoll_conf *);
void	ts_lsnpoll_free(struct ts_lsnpoll *);
/*
 * One poll at now (the steady clock).  Returns 0; -1 with a reason in
 * st.err if namespaces could not be listed (the tables are kept as they
 * were); -2 if the thread could not return to its own namespace (lost):
 * the caller must stop using this thread.
 */
int	ts_lsnpoll_run(struct ts_lsnpoll *, ts_ns now);

#endif
