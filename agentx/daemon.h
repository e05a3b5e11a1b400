/*
 * daemon.h - tcpsleuthd's two processes, as tcpsleuthd.c starts them:
 *
 *   the capture process (capproc.c), the one started, the service's main
 *   process (systemd's MAINPID: readiness, the watchdog, SIGHUP, SIGUSR1):
 *   the captures, the collector thread, the configuration and its
 *   reloads, keeping the capabilities of the privilege table (privs.h);
 *
 *   the SNMP process (snmpproc.c), its child: net-snmp and the alarms,
 *   with no capability, as the configured user (or nobody), confined
 *   (sandbox.h) once net-snmp is set up.
 *
 *   tcpsleuthctl's control socket (control.h) is made before the split,
 *   with the start's privileges; the SNMP process holds its descriptor and
 *   serves it from the snapshots; the capture process closes its copy and
 *   removes the file at the end.
 *
 * They share a socketpair (chan.h): snapshots one way, readiness and
 * acknowledgements the other.  Either one ending is seen by the other,
 * which says so in one line and exits, non-zero unless it was a stop.
 */
#ifndef TS_DAEMON_H
#define TS_DAEMON_H

#include <sys/types.h>

#include <signal.h>

#include "conf.h"
#include "control.h"

/* The SNMP process's user when none is configured and tcpsleuthd is root. */
#define TS_SNMP_FALLBACK_USER	"nobody"

struct ts_daemon {
	struct ts_dconf	 running;	/* the configuration in effect */
	const char	*conf_path;	/* for the log */
	int		 foreground;
	int		 as_root;	/* started as root: may change users */
	long		 cap_uid, cap_gid;	/* -1: stay */
	long		 snmp_uid, snmp_gid;	/* -1: stay */
	char		 snmp_user[64];	/* for the log */
	struct ts_control_sock ctl;	/* tcpsleuthctl's: made before the
					   split, served by the SNMP process */
	sigset_t	 sigmask;	/* to restore once the handlers are set */
};

/*
 * Defaults, the file, the command line; then what a start needs (start 1:
 * a start or -n; 0: a reload, which loads no eBPF program).
 */
int	ts_daemon_load(struct ts_dconf *, int start, char *err, size_t errlen);

/* Each process's life; returns its exit status. */
int	ts_capture_main(struct ts_daemon *, int sock, pid_t snmp);
int	ts_snmp_main(struct ts_daemon *, int sock);

#endif
