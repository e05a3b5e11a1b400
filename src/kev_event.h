/*
 * kev_event.h - the records the kernel event source's eBPF programs
 * (src/bpf/kev.bpf.c) write into their ring buffer and counter map, shared
 * by the programs and the userspace reader (src/kevload.c).  Fixed-width
 * fields only, so both sides agree on the layout; the reader checks each
 * record's size and fields before use (src/kevrec.c).
 *
 * Include <linux/types.h> (userspace) or src/bpf/kev_core.h (BPF) first.
 */
#ifndef TS_KEV_EVENT_H
#define TS_KEV_EVENT_H

enum kev_type {
	KEV_CONNECT_FAIL = 1,	/* a socket left SYN_SENT for CLOSE */
	KEV_CONNECT_ERR,	/* connect(2) failed before SYN_SENT */
	KEV_LISTEN,		/* a socket entered TCP_LISTEN */
	KEV_UNLISTEN,		/* a socket left TCP_LISTEN */
	KEV__TYPES
};

/* flags of a record */
#define KEV_F_RST	0x0001	/* a RST reached the socket in SYN_SENT */
#define KEV_F_NFDROP	0x0002	/* this host's netfilter dropped a SYN of it */
#define KEV_F_NOPKT	0x0004	/* no SYN was ever sent (failed in connect) */
#define KEV_F_INFERRED	0x0008	/* err inferred (the syscall's not seen) */
#define KEV_F_NOCALLER	0x0010	/* no record from connect time: caller unknown */
#define KEV_F_ABANDONED	0x0020	/* closed by its owner while in SYN_SENT */
#define KEV_F_KTHREAD	0x0040	/* the caller is a kernel thread */
#define KEV_F_V6ONLY	0x0080	/* listener: IPV6_V6ONLY */
#define KEV_F_ERRREPORT	0x0100	/* inet_sk_error_report saw it */
#define KEV_F_SOFTERR	0x0200	/* err was a soft error (an ICMP that came
				   while connect() held the socket), and its
				   owner closed it: no tcp_done() */
#define KEV_F_ICMP	0x0400	/* an ICMP error reached it: icmp_type/code */
#define KEV_F__ALL	0x07ff

/* The process in whose context a socket was connected or listened. */
struct kev_caller {
	__u64	start_ns;	/* its thread group leader's start, ns since boot */
	__u64	cgroup_id;	/* cgroup v2 id (the directory's inode) */
	__u32	pid;		/* thread group id */
	__u32	tid;
	__u32	uid;
	__u32	pad;
	char	comm[16];	/* the calling thread's */
	char	cgname[64];	/* the cgroup's own name (last part of its
				   path), for when the cgroup is gone */
};

struct kev_event {
	__u64	ts_ns;		/* CLOCK_MONOTONIC, when it happened */
	__u64	connect_ns;	/* CLOCK_MONOTONIC, when SYN_SENT began; 0 unknown */
	__u64	sock_cookie;	/* 0 for KEV_CONNECT_ERR */
	__u64	netns_cookie;
	__u32	netns_ino;	/* what /proc/PID/ns/net shows */
	__u16	type;		/* enum kev_type */
	__u16	flags;		/* KEV_F_* */
	__s32	err;		/* positive errno; 0 none */
	__u16	family;		/* AF_INET, AF_INET6 */
	__u16	sport, dport;	/* host order; a listener's port is sport */
	__u8	icmp_type;	/* with KEV_F_ICMP: the last ICMP error's */
	__u8	icmp_code;
	__u32	syn_retx;	/* SYN retransmissions */
	__u32	nf_drops;	/* SYNs this host's netfilter dropped */
	__u8	saddr[16];	/* IPv4 in the first 4 bytes */
	__u8	daddr[16];
	struct kev_caller caller;
};

/* Indices of the per-CPU counter array. */
enum kev_counter {
	KEV_C_EVENTS = 0,	/* records written to the ring */
	KEV_C_RING_FULL,	/* records lost: no room in the ring (loss) */
	KEV_C_SYN_FULL,		/* SYN_SENT sockets not recorded: map full (loss) */
	KEV_C_TID_FULL,		/* connect() calls not followed: map full (loss) */
	KEV_C_NF_SYN_DROPS,	/* SYNs of recorded sockets netfilter dropped */
	KEV_C_SYSEXIT_SEEN,	/* failed connect() calls the syscall program saw */
	KEV__COUNTERS
};

#endif
