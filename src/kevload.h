/*
 * kevload.h - the kernel event source: loads and attaches the eBPF
 * programs of src/bpf/kev.bpf.c, each one tried on its own (a program the
 * kernel refuses is reported with its errno and the rest run), reads their
 * ring buffer and loss counters.  Built without libbpf
 * (--disable-kernel-events) the same API says "unavailable".
 *
 * Load while privileged (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN);
 * reading needs no privilege afterwards.  Programs are not pinned: they
 * detach when kev_close() runs or the process exits.
 *
 * Use: kev_open() once at start; poll kev_fd() for POLLIN (it is -1 when
 * the source is unavailable) and call kev_consume(), which hands each
 * checked record to the sink; kev_counters() for the loss counters.
 */
#ifndef TS_KEVLOAD_H
#define TS_KEVLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "kevrec.h"

/* The setting kernel-events, in its choices' order (settings.c). */
enum kev_want {
	KEV_WANT_AUTO = 0,	/* auto: run when it can */
	KEV_WANT_YES,		/* yes: say loudly when it cannot run */
	KEV_WANT_NO,		/* kernel-events = no */
};

struct kev_conf {
	int		enable;		/* kernel-events: enum kev_want */
	int		connect_errors;	/* kernel-connect-errors: kev_sys_exit */
	uint32_t	ring_kib;	/* ring buffer, KiB: a power of two, 4..65536 */
	uint32_t	syn_sockets;	/* sockets followed in SYN_SENT at once */
	int		netns_filter;	/* follow only the namespaces allowed
					   with kev_netns_allow() (else all) */
	int		quiet;		/* off: no log line (the caller says
					   why itself) */
};

#define KEV_RING_KIB_MIN	4
#define KEV_RING_KIB_MAX	65536
#define KEV_SYN_SOCKETS_MIN	64
#define KEV_SYN_SOCKETS_MAX	1048576

void		kev_conf_default(struct kev_conf *);
/* NULL when conf is valid, else what is wrong with it (one line). */
const char	*kev_conf_check(const struct kev_conf *);

enum kev_state {
	KEV_ST_UNAVAILABLE = 1,	/* pcap only */
	KEV_ST_PARTIAL,		/* running without some programs */
	KEV_ST_RUNNING,		/* every program wanted is attached */
};
const char	*kev_state_name(enum kev_state);

enum kev_prog_id {
	KEV_P_STATE = 0,	/* sock:inet_sock_set_state: the one needed */
	KEV_P_ERR_REPORT,	/* sock:inet_sk_error_report */
	KEV_P_RST_RECV,		/* tcp:tcp_receive_reset */
	KEV_P_NF_DROP,		/* skb:kfree_skb (NETFILTER_DROP) */
	KEV_P_SYS_EXIT,		/* raw_syscalls:sys_exit (connect errors) */
	KEV__PROGS
};

struct kev_prog_status {
	const char	*name;		/* "state", "error-report", ... */
	const char	*hook;		/* "tp_btf/inet_sock_set_state", ... */
	int		 wanted;	/* 0: turned off by a setting */
	int		 attached;
	int		 err;		/* errno of the load or attach, else 0 */
	const char	*stage;		/* "load" or "attach" when err != 0 */
};

/* The sink gets every record that passed kev_rec_check(). */
typedef void	(*kev_sink)(void *arg, const struct kev_event *);

struct kev;

/*
 * Without loading anything: whether kev_open() may run the programs (the
 * setting, this build, the capabilities held, the kernel's BTF).  0, or -1
 * with why not (one line), for tcpsleuthd -n.
 */
int		 kev_precheck(const struct kev_conf *, char *why, size_t len);

/* Never NULL unless out of memory: an unavailable source is an object
 * whose state says why.  Logs one line per program missing. */
struct kev	*kev_open(const struct kev_conf *, kev_sink, void *arg);
void		 kev_close(struct kev *);

enum kev_state	 kev_state(const struct kev *);
/* One line: why it is unavailable or partial, or what runs. */
const char	*kev_reason(const struct kev *);
const struct kev_prog_status *kev_prog(const struct kev *, unsigned id);

/* The fd to poll for records; -1 when unavailable. */
int		 kev_fd(const struct kev *);
/* Hand every record ready to the sink; the number handed, or -1. */
int		 kev_consume(struct kev *);

struct kev_counters {
	uint64_t	c[KEV__COUNTERS];	/* the programs', enum kev_counter */
	uint64_t	bad_records;		/* failed kev_rec_check() */
};
/* With netns_filter: follow (allow 1) or stop following (0) the network
 * namespace whose inode is ino, at once.  At most KEV_NETNS_MAX; -1 with
 * errno if full or unavailable. */
#define KEV_NETNS_MAX	1024
int		 kev_netns_allow(struct kev *, uint32_t ino, int allow);

/* Sums over CPUs; -1 if unavailable.  Losses: kev_losses(). */
int		 kev_counters(const struct kev *, struct kev_counters *);
uint64_t	 kev_losses(const struct kev_counters *);

#endif
