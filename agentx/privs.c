/*
 * privs.c - the privilege table (privs.h) and keeping exactly what it
 * says.  Capabilities are per thread: a process sets them before it starts
 * a thread, which inherits them.
 */
#include "config.h"

#include <sys/prctl.h>

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "privs.h"
#include "settings.h"

/*
 * The kernel event source (kevsrc.h), which the capture process loads at
 * its start (CAP_BPF, CAP_PERFMON) and reads running (bpf(2)): unless
 * kernel-events is no.
 */
static int
kernel_events(const struct ts_conf *c)
{
	return c->coll.kev.kev.enable != KEV_WANT_NO;
}

/*
 * The capture thread's namespace poll (lsnpoll.h) enters every network
 * namespace served but its own (setns): unless namespaces is self.
 */
static int
other_namespaces(const struct ts_conf *c)
{
	return c->coll.namespaces != NULL &&
	    strcmp(c->coll.namespaces, "self") != 0;
}

static int
standalone(const struct ts_conf *c)
{
	return c->agent.listen != NULL;
}

#define CAP(c)	(c), #c

const struct ts_priv ts_privs[] = {
	{ TS_PROC_CAPTURE, CAP(CAP_NET_RAW), 0, NULL, "always" },
	{ TS_PROC_CAPTURE, CAP(CAP_BPF), TS_PRIV_START, kernel_events,
	  "kernel-events is not no" },
	{ TS_PROC_CAPTURE, CAP(CAP_PERFMON), TS_PRIV_START, kernel_events,
	  "kernel-events is not no" },
	{ TS_PROC_CAPTURE, -1, "bpf", 0, kernel_events,
	  "kernel-events is not no" },
	{ TS_PROC_CAPTURE, CAP(CAP_SYS_ADMIN), 0, other_namespaces,
	  "namespaces is not self" },
	{ TS_PROC_CAPTURE, CAP(CAP_SYS_PTRACE), 0, NULL, "always" },
	{ TS_PROC_CAPTURE, CAP(CAP_DAC_READ_SEARCH), 0, NULL, "always" },
	{ TS_PROC_CAPTURE | TS_PROC_SNMP, CAP(CAP_SETPCAP), TS_PRIV_START,
	  NULL, "always" },
	{ TS_PROC_CAPTURE | TS_PROC_SNMP, CAP(CAP_SETUID),
	  TS_PRIV_START | TS_PRIV_ROOT, NULL, "started as root" },
	{ TS_PROC_CAPTURE | TS_PROC_SNMP, CAP(CAP_SETGID),
	  TS_PRIV_START | TS_PRIV_ROOT, NULL, "started as root" },
	{ TS_PROC_SNMP, CAP(CAP_SYS_ADMIN), TS_PRIV_START, NULL, "always" },
	{ TS_PROC_SNMP, -1, "@mount", TS_PRIV_START, NULL, "always" },
	{ TS_PROC_SNMP, CAP(CAP_NET_BIND_SERVICE), TS_PRIV_START, standalone,
	  "listen is set" },
	{ TS_PROC_CAPTURE | TS_PROC_SNMP, -1, "@system-service", 0, NULL,
	  "always" },
};
const size_t ts_nprivs = sizeof(ts_privs) / sizeof(ts_privs[0]);

uint64_t
ts_privs_caps(unsigned proc, int running, const struct ts_conf *c,
    int as_root)
{
	uint64_t m = 0;

	for (size_t i = 0; i < ts_nprivs; i++) {
		const struct ts_priv *p = &ts_privs[i];

		if (!(p->proc & proc) || p->cap < 0 ||
		    (running && (p->flags & TS_PRIV_START)) ||
		    (!as_root && (p->flags & TS_PRIV_ROOT)) ||
		    (p->needed != NULL && !p->needed(c)))
			continue;
		m |= (uint64_t)1 << p->cap;
	}
	return m;
}

const char *
ts_privs_names(uint64_t caps, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int c = 0; c < 64 && n < len; c++) {
		const char *name;

		if (!(caps & ((uint64_t)1 << c)))
			continue;
		name = capng_capability_to_name((unsigned)c);
		n += (size_t)snprintf(buf + n, len - n, "%sCAP_%s", n ? " " : "",
		    name != NULL ? name : "?");
	}
	if (n == 0)
		snprintf(buf, len, "none");
	/* capng's names are lower case: CAP_net_raw -> CAP_NET_RAW */
	for (char *p = buf; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return buf;
}

/* A set of the process's capabilities now, as a mask. */
static uint64_t
caps_now(capng_type_t which)
{
	uint64_t m = 0;

	capng_get_caps_process();
	for (int c = 0; c <= CAP_LAST_CAP && c < 64; c++)
		if (capng_have_capability(which, (unsigned)c))
			m |= (uint64_t)1 << c;
	return m;
}

uint64_t
ts_privs_effective(void)
{
	return caps_now(CAPNG_EFFECTIVE);
}

static uint64_t
permitted(void)
{
	return caps_now(CAPNG_PERMITTED);
}

#define HAS(m, c)	(((m) >> (c)) & 1)

int
ts_privs_set(uint64_t caps, uint64_t eff, long uid, long gid, char *err,
    size_t errlen)
{
	uint64_t had = permitted(), now = ts_privs_effective();
	int change = uid >= 0 && ((uid_t)uid != geteuid() ||
	    (uid_t)uid != getuid() || (gid >= 0 && ((gid_t)gid != getegid() ||
	    (gid_t)gid != getgid())));

	/* What this process was not given, it cannot keep. */
	caps &= had;
	eff &= caps;
	if (HAS(now, CAP_SETPCAP))	/* nothing to regain through exec */
		for (int c = 0; c < 64; c++)
			if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1 &&
			    errno == EINVAL)
				break;	/* past the kernel's last */
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (change) {
		if (!HAS(now, CAP_SETUID) || !HAS(now, CAP_SETGID)) {
			snprintf(err, errlen, "cannot become uid %ld (needs root, "
			    "or CAP_SETUID and CAP_SETGID)", uid);
			return -1;
		}
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1 ||
		    setgroups(0, NULL) == -1 ||
		    (gid >= 0 && setresgid((gid_t)gid, (gid_t)gid,
		    (gid_t)gid) == -1) ||
		    setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) == -1 ||
		    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1) {
			snprintf(err, errlen, "cannot become uid %ld: %s", uid,
			    strerror(errno));
			return -1;
		}
	}
	capng_clear(CAPNG_SELECT_CAPS);
	for (int c = 0; c < 64; c++) {
		if (HAS(caps, c) && capng_update(CAPNG_ADD, HAS(eff, c) ?
		    CAPNG_PERMITTED | CAPNG_EFFECTIVE : CAPNG_PERMITTED,
		    (unsigned)c) != 0) {
			snprintf(err, errlen, "capability %d unknown", c);
			return -1;
		}
	}
	if (capng_apply(CAPNG_SELECT_CAPS) != 0 || permitted() != caps ||
	    ts_privs_effective() != eff) {
		snprintf(err, errlen, "cannot set the capabilities: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}
