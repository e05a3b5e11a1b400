/*
 * privs.h - the privilege table: for each of tcpsleuthd's two processes,
 * the capabilities and the system calls beyond @system-service it keeps,
 * when, and for what.  The table is defined once, in privs.c; the capture
 * process and the SNMP process keep what it says (and nothing else), and
 * tests/unit/test_privs checks that doc/security.md's "Privilege table"
 * and contrib/tcpsleuthd.service (CapabilityBoundingSet=,
 * AmbientCapabilities=, SystemCallFilter=) say the same.
 */
#ifndef TS_PRIVS_H
#define TS_PRIVS_H

#include <linux/capability.h>	/* CAP_* */

#include <stddef.h>
#include <stdint.h>

struct ts_conf;

/* .proc */
#define TS_PROC_CAPTURE	0x1
#define TS_PROC_SNMP	0x2
/* .flags */
#define TS_PRIV_START	0x1	/* dropped before serving; else kept */
#define TS_PRIV_ROOT	0x2	/* only when started as root: not the unit's */

struct ts_priv {
	unsigned	 proc;		/* TS_PROC_*, either or both */
	int		 cap;		/* CAP_*, or -1: system calls only */
	const char	*name;		/* "CAP_NET_RAW", or systemd's names */
	unsigned	 flags;
	int		(*needed)(const struct ts_conf *);	/* NULL: always */
	const char	*when;		/* the condition, in words */
};

extern const struct ts_priv ts_privs[];
extern const size_t ts_nprivs;

/*
 * The capabilities (a mask of 1 << CAP_*) a process keeps with this
 * configuration: running (1) after its start, or (0) during it.
 */
uint64_t ts_privs_caps(unsigned proc, int running, const struct ts_conf *,
	    int as_root);
/* "CAP_NET_RAW CAP_BPF" for a mask (for the log); buf of len bytes. */
const char *ts_privs_names(uint64_t caps, char *buf, size_t len);

/*
 * Keep exactly caps (permitted; effective: eff, a subset), none
 * inheritable or ambient, and empty the bounding set when it can (it
 * needs CAP_SETPCAP, which must then be in the effective set now).  With
 * uid/gid >= 0 and different from ours, become them (no supplementary
 * groups) keeping those capabilities.  -1 with why in err.
 */
int	ts_privs_set(uint64_t caps, uint64_t eff, long uid, long gid, char *err,
	    size_t errlen);
/* The process's effective capabilities now (for checks and the log). */
uint64_t ts_privs_effective(void);

#endif
