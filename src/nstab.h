/*
 * nstab.h - the namespace table: one row per network namespace served,
 * with its TCP counters, their rates and discontinuity time, and how its
 * listeners' drops compare with its ListenDrops.  A pure core: the poller
 * (lsnpoll.h) finds namespaces and reads them; times are parameters.
 *
 * Identity is the netns cookie (SO_NETNS_COOKIE, never reused; Linux
 * 5.14, else 0 and the inode alone), the index and what people see is the
 * nsfs inode (net:[N]), which the kernel may give to a later namespace: a
 * known inode read with another cookie is a new namespace, and its row
 * starts again (created and discontinuity now).  The counters are the
 * kernel's own (they start at 0 when the namespace is made); one going
 * back is a discontinuity (time kept, no rate from that sample).  A
 * namespace no longer found is marked gone, its counters frozen, and the
 * row dropped ttl later.  At most max_rows rows; namespaces found when it
 * is full are counted, not served.
 */
#ifndef TS_NSTAB_H
#define TS_NSTAB_H

#include <stdint.h>

#include "hostctr.h"
#include "htab.h"
#include "netns.h"
#include "rate.h"

/* The counters served per namespace, from /proc/net/snmp and netstat. */
#define TS_NS_COUNTERS(X)						\
	X(ATTEMPT_FAILS, "AttemptFails")				\
	X(ESTAB_RESETS, "EstabResets")					\
	X(OUT_RSTS, "OutRsts")						\
	X(LISTEN_OVERFLOWS, "ListenOverflows")				\
	X(LISTEN_DROPS, "ListenDrops")
#define X(id, name) TS_NSC_##id,
enum ts_nsc { TS_NS_COUNTERS(X) TS_NSC__COUNT };
#undef X

enum ts_ns_mode {
	TS_NS_ALL,		/* every namespace found (default) */
	TS_NS_SELF,		/* the daemon's own only */
	TS_NS_LIST,		/* its own and those listed */
};

#define TS_NETNS_LIST_MAX	32

struct ts_netns_conf {
	enum ts_ns_mode	mode;		/* "namespaces": self | all | LIST */
	int		nlist;
	char		list[TS_NETNS_LIST_MAX][TS_NETNS_NAMELEN];
	uint32_t	max_rows;	/* "namespaces-max": 1..4096, 256 */
	uint32_t	per_poll;	/* "namespaces-per-poll": 1..4096, 64 */
	ts_ns		ttl;		/* "namespaces-ttl": gone rows, 600 s */
	struct ts_rate_conf rates;
};

void	ts_netns_conf_default(struct ts_netns_conf *);
/* "self", "all", or names and inodes ("web", "docker 3f2a9c1b7d0e",
 * "4026532290", "net:[4026532290]") separated by commas: 0, or -1 and
 * why. */
int	ts_netns_conf_parse(struct ts_netns_conf *, const char *value,
	    char *err, size_t errlen);
/* Whether a namespace with this inode and names is chosen. */
int	ts_netns_conf_wants(const struct ts_netns_conf *, uint32_t ino,
	    const char *ipname, const char *name, int self);

enum ts_ns_state {
	TS_NSS_NEW = 1,		/* not read yet */
	TS_NSS_OK,		/* read at the last try */
	TS_NSS_NOACCESS,	/* could not enter it (EPERM: privileges) */
	TS_NSS_ERROR,		/* other error, in err */
	TS_NSS_GONE,		/* no longer found */
};

enum ts_ns_namesrc {
	TS_NSN_NETNS = 1,	/* an `ip netns` name */
	TS_NSN_HOST,		/* PID 1's namespace: "host" */
	TS_NSN_UNIT,		/* the container or unit of a process inside */
	TS_NSN_PROCESS,		/* "pid N comm" */
	TS_NSN_INODE,		/* nothing better: "net:[N]" */
};

struct ts_ns_row {
	uint32_t	ino;
	uint64_t	cookie;		/* 0: not known */
	char		name[128];
	uint8_t		namesrc;	/* enum ts_ns_namesrc */
	uint8_t		unitkind;	/* TS_NSN_UNIT: its enum ts_cg_kind */
	uint8_t		self;		/* the daemon's own namespace */
	uint8_t		state;		/* enum ts_ns_state */
	int		err;		/* errno of the last failed read */
	int		pid;		/* a process inside (lowest pid), 0: none */
	char		ipname[TS_NETNS_NAMELEN];
	ts_ns		created;	/* first found (or found again, reused) */
	ts_ns		discont;	/* counters' discontinuity time */
	ts_ns		last_read;	/* the last successful read */
	ts_ns		prev_read;	/* the one before it, 0: none */
	ts_ns		gone_since;
	uint64_t	v[TS_NSC__COUNT];
	uint8_t		present[TS_NSC__COUNT];
	struct ts_rate	rate[TS_NSC__COUNT];
	/* Coverage since created: listener drops seen (per-socket growth)
	 * and the namespace's ListenDrops growth over the same polls. */
	uint64_t	cov_lsn_drops, cov_listen_drops;
	uint32_t	listeners, unlisted;	/* at the last read */
	/* private to nstab.c */
	struct ts_hlink	hlink;
	uint64_t	seen;
	uint8_t		have;		/* v[] holds a sample */
	uint64_t	ld_delta;	/* ListenDrops growth at the last read */
	struct ts_ns_row *next;
};

struct ts_nstab {
	struct ts_netns_conf conf;
	struct ts_htab	h;
	struct ts_ns_row *rows;
	uint32_t	nrows;
	uint64_t	serial;
	uint32_t	self_ino;
	uint32_t	found;		/* namespaces found at the last poll */
	uint32_t	unserved;	/* of them not chosen by "namespaces" */
	uint32_t	full;		/* chosen, but no room */
	uint64_t	made, expired;	/* rows made, gone rows dropped */
};

struct ts_nstab *ts_nstab_new(const struct ts_netns_conf *, uint32_t self_ino);
void	ts_nstab_free(struct ts_nstab *);
struct ts_ns_row *ts_nstab_find(const struct ts_nstab *, uint32_t ino);

/* A discovery pass: ts_nstab_begin, then ts_nstab_seen for every
 * namespace served that was found (rows made as needed: NULL when full),
 * then ts_nstab_end, which marks the rest gone and drops expired ones
 * (calling gone(arg, row) for each that goes away or expires). */
void	ts_nstab_begin(struct ts_nstab *);
struct ts_ns_row *ts_nstab_seen(struct ts_nstab *, uint32_t ino, int pid,
	    const char *ipname, ts_ns now);
void	ts_nstab_end(struct ts_nstab *, ts_ns now,
	    void (*gone)(void *, const struct ts_ns_row *, int expired),
	    void *arg);

/*
 * A read of row's namespace at now: its cookie (0: unknown) and counters.
 * Returns 1 if the cookie shows the inode now names another namespace (the
 * row started again: forget its listeners), else 0.
 */
int	ts_nstab_sample(struct ts_nstab *, struct ts_ns_row *, uint64_t cookie,
	    const struct ts_hostctr *, ts_ns now);
/* Listener figures of the same read (after ts_nstab_sample). */
void	ts_nstab_listeners(struct ts_ns_row *, uint32_t listeners,
	    uint32_t unlisted, uint64_t drop_growth);
/* A failed read: errno e. */
void	ts_nstab_failed(struct ts_ns_row *, int e, ts_ns now);

const char *ts_nstab_counter_name(enum ts_nsc);
const char *ts_ns_state_name(enum ts_ns_state);

#endif
