/*
 * netns.h - this host's network namespaces: finding them and entering
 * them, never keeping one alive.
 *
 * Found from every process's procroot/PID/ns/net and from the bind mounts
 * of `ip netns` in netns_dir (/run/netns), which may hold no process.  A
 * namespace is entered for a moment by ts_netns_run(): its file is opened
 * afresh, checked to be the namespace wanted (by inode: a pid can be
 * reused), setns(2) on the calling thread only, the work done, setns back,
 * every descriptor closed.  Nothing is held between polls, so a deleted
 * namespace goes away.  Needs CAP_SYS_ADMIN (setns) and, for other users'
 * processes, CAP_SYS_PTRACE (opening their ns/net); without them only the
 * caller's own namespace can be read (EPERM for the others).
 * Inside, procfs files must be read through /proc/thread-self/net: /proc/self
 * resolves through the thread-group leader, which stays where it was.
 */
#ifndef TS_NETNS_H
#define TS_NETNS_H

#include <stddef.h>
#include <stdint.h>

#define TS_NETNS_NAMELEN	64

struct ts_ns_found {
	uint32_t	ino;		/* nsfs inode: net:[N] */
	int		pid;		/* the lowest pid inside, 0: none */
	char		ipname[TS_NETNS_NAMELEN];	/* `ip netns` name */
};

struct ts_ns_list {
	struct ts_ns_found *v;
	size_t		 n, cap;
	uint32_t	 procs;		/* processes looked at */
	uint32_t	 unreadable;	/* whose ns/net we could not read */
};

/*
 * Replace the list (zeroed before its first use) with the namespaces seen
 * now, sorted by inode.  -1 with
 * errno only if procroot cannot be listed or memory runs out; a missing
 * netns_dir is no error.
 */
int	ts_netns_discover(const char *procroot, const char *netns_dir,
	    struct ts_ns_list *);
void	ts_ns_list_free(struct ts_ns_list *);
const struct ts_ns_found *ts_ns_list_find(const struct ts_ns_list *,
	    uint32_t ino);

/* The calling thread's network namespace inode (0 if unknown). */
uint32_t ts_netns_self(void);

/*
 * Run fn(arg) inside the namespace at path (a /run/netns entry or a
 * /proc/PID/ns/net), which must be namespace ino (0: whatever it is; and
 * when ino is the caller's own, fn runs where it is).  Returns fn's value,
 * or -1 with errno: EPERM (no CAP_SYS_ADMIN, or another user's process),
 * ESTALE (path is now another namespace), ENOENT (it is gone).  If the
 * thread could not get back to its own namespace, *lost is set: the caller
 * must not go on using this thread for anything namespace-bound.
 */
int	ts_netns_run(const char *path, uint32_t ino, int (*fn)(void *),
	    void *arg, int *lost);

/* The netns cookie of socket fd (SO_NETNS_COOKIE, Linux 5.14); 0 with
 * errno (ENOPROTOOPT on older kernels) if there is none. */
uint64_t ts_netns_cookie(int fd);

#endif
