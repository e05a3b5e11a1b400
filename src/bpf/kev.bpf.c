/*
 * kev.bpf.c - the kernel event source: who made each TCP connection
 * attempt of this host that failed, and why, in every network namespace.
 *
 * Programs (each loaded and attached on its own by src/kevload.c; any of
 * them may be missing, kev_state is the one the others need):
 *   kev_state       tp_btf sock:inet_sock_set_state.  CLOSE->SYN_SENT (in
 *                   connect(2), process context): record the caller under
 *                   the socket cookie.  SYN_SENT->CLOSE: one
 *                   KEV_CONNECT_FAIL with the errno, joined with that
 *                   record.  Entering/leaving LISTEN: KEV_LISTEN/UNLISTEN.
 *   kev_err_report  tp_btf sock:inet_sk_error_report: the errno of a
 *                   recorded socket (before its CLOSE).
 *   kev_rst_recv    tp_btf tcp:tcp_receive_reset: a RST reached it (refused
 *                   by a RST, not by an ICMP port unreachable).
 *   kev_nf_drop     tp_btf skb:kfree_skb, reason NETFILTER_DROP only: a SYN
 *                   of a recorded socket dropped by this host's netfilter.
 *   kev_sys_exit    raw_tp sys_exit, connect(2) failures only: errors that
 *                   change no socket state (no route, EADDRNOTAVAIL before
 *                   the port search, EPERM/EACCES from local policy), and
 *                   the true errno of a socket that failed inside connect().
 *
 * Records go to one ring buffer; what cannot be recorded is counted in a
 * per-CPU counter array (enum kev_counter), never dropped silently.  With
 * cfg_netns_filter, only sockets of the namespaces in netns_allowed are
 * followed (setting namespaces; the tests' own namespace).
 */
#include "kev_core.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

#include "kev_event.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before loading: whether kev_sys_exit is attached,
 * and whether only the namespaces in netns_allowed are followed. */
const volatile bool cfg_sysexit = false;
const volatile bool cfg_netns_filter = false;

#define E_PERM		1
#define E_INTR		4
#define E_BADF		9
#define E_AGAIN		11
#define E_FAULT		14
#define E_INVAL		22
#define E_NOTSOCK	88
#define E_AFNOSUPPORT	97
#define E_ADDRNOTAVAIL	99
#define E_ISCONN	106
#define E_ALREADY	114
#define E_INPROGRESS	115
#define E_MAXUSER	511	/* above: kernel-internal restart codes */

/* A socket in SYN_SENT, from its connect(). */
struct syn_rec {
	struct kev_caller caller;
	__u64	connect_ns;
	__s32	err;		/* from inet_sk_error_report: hard or soft */
	__u32	flags;		/* KEV_F_* */
	__u32	nf_drops;
	__u8	icmp_type, icmp_code;
	__u16	pad;
};

/* A thread inside connect(2) whose socket reached SYN_SENT. */
struct tid_rec {
	__u64	sk;		/* the socket, and its cookie (pointers are reused) */
	__u64	cookie;
	__u32	pending;	/* ev failed in connect(), awaits the errno */
	__u32	pad;
	struct kev_event ev;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);	/* set by the loader */
	__type(key, __u64);		/* socket cookie */
	__type(value, struct syn_rec);
} syn_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);		/* pid_tgid */
	__type(value, struct tid_rec);
} connecting SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);	/* set by the loader */
	__type(key, __u32);		/* netns inode */
	__type(value, __u8);
} netns_allowed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);	/* set by the loader */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KEV__COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void
count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);

	if (v != NULL)
		*v += 1;
}

static __always_inline void
fill_caller(struct kev_caller *c, __u16 *flags)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();

	c->pid = (__u32)(id >> 32);
	c->tid = (__u32)id;
	c->uid = (__u32)bpf_get_current_uid_gid();
	c->cgroup_id = bpf_get_current_cgroup_id();
	c->start_ns = BPF_CORE_READ(t, group_leader, start_boottime);
	bpf_get_current_comm(c->comm, sizeof(c->comm));
	bpf_probe_read_kernel_str(c->cgname, sizeof(c->cgname),
	    BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, name));
	if (BPF_CORE_READ(t, flags) & PF_KTHREAD)
		*flags |= KEV_F_KTHREAD;
}

/* Addresses, ports and namespace of sk into e (probe reads: works for
 * any socket pointer, trusted or not). */
static __always_inline void
fill_sock(struct kev_event *e, const struct sock *sk)
{
	struct net *net = BPF_CORE_READ(sk, __sk_common.skc_net.net);
	const struct sock_common *c = &sk->__sk_common;
	__be32 a;

	e->family = BPF_CORE_READ(c, skc_family);
	/* Not skc_num: CLOSE gives the port back (and zeroes it) before the
	 * tracepoint; inet_sport stays, and is 0 if no port was found. */
	e->sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	e->dport = bpf_ntohs(BPF_CORE_READ(c, skc_dport));
	if (e->family == AF_INET6) {
		bpf_core_read(e->saddr, sizeof(e->saddr), &c->skc_v6_rcv_saddr);
		bpf_core_read(e->daddr, sizeof(e->daddr), &c->skc_v6_daddr);
	} else {
		a = BPF_CORE_READ(c, skc_rcv_saddr);
		__builtin_memcpy(e->saddr, &a, sizeof(a));
		a = BPF_CORE_READ(c, skc_daddr);
		__builtin_memcpy(e->daddr, &a, sizeof(a));
	}
	e->netns_ino = BPF_CORE_READ(net, ns.inum);
	e->netns_cookie = BPF_CORE_READ(net, net_cookie);
}

/* Whether sk's network namespace is followed (cfg_netns_filter). */
static __always_inline bool
netns_ok(const struct sock *sk)
{
	__u32 ino;

	if (!cfg_netns_filter)
		return true;
	ino = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	return bpf_map_lookup_elem(&netns_allowed, &ino) != NULL;
}

static __always_inline bool
is_tcp(const struct sock *sk)
{
	return BPF_CORE_READ(sk, sk_protocol) == IPPROTO_TCP;
}

static __always_inline __u64
cookie_of(const struct sock *sk)
{
	/* Assigned by bpf_get_socket_cookie() at SYN_SENT; 0 if never. */
	return (__u64)BPF_CORE_READ(sk, __sk_common.skc_cookie.counter);
}

static __always_inline void
emit(const struct kev_event *src)
{
	struct kev_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (e == NULL) {
		count(KEV_C_RING_FULL);
		return;
	}
	__builtin_memcpy(e, src, sizeof(*e));
	bpf_ringbuf_submit(e, 0);
	count(KEV_C_EVENTS);
}

static __always_inline void
on_syn_sent(const struct sock *sk)
{
	struct syn_rec r;
	__u16 fl = 0;
	__u64 ck = bpf_get_socket_cookie((void *)sk);
	long rc;

	__builtin_memset(&r, 0, sizeof(r));
	fill_caller(&r.caller, &fl);
	r.flags = fl;
	r.connect_ns = bpf_ktime_get_ns();
	rc = bpf_map_update_elem(&syn_socks, &ck, &r, BPF_NOEXIST);
	if (rc != 0 && rc != -17 /* EEXIST */)
		count(KEV_C_SYN_FULL);
	if (cfg_sysexit) {
		__u64 id = bpf_get_current_pid_tgid();
		struct tid_rec *t;
		static const struct tid_rec zero;

		if (bpf_map_update_elem(&connecting, &id, &zero, BPF_ANY) != 0) {
			count(KEV_C_TID_FULL);
			return;
		}
		t = bpf_map_lookup_elem(&connecting, &id);
		if (t != NULL) {
			t->sk = (__u64)sk;
			t->cookie = ck;
		}
	}
}

static __always_inline void
on_syn_done(const struct sock *sk, int newstate)
{
	__u64 ck = cookie_of(sk);
	struct syn_rec *r = bpf_map_lookup_elem(&syn_socks, &ck);
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	struct kev_event ev;
	struct tid_rec *t = NULL;
	__u64 id;

	if (newstate != TCP_CLOSE) {
		/* Connected (or simultaneous open): not a failure. */
		if (r != NULL) {
			id = ((__u64)r->caller.pid << 32) | r->caller.tid;
			t = bpf_map_lookup_elem(&connecting, &id);
			if (t != NULL && t->cookie == ck && !t->pending)
				bpf_map_delete_elem(&connecting, &id);
			bpf_map_delete_elem(&syn_socks, &ck);
		}
		return;
	}
	__builtin_memset(&ev, 0, sizeof(ev));
	ev.type = KEV_CONNECT_FAIL;
	ev.ts_ns = bpf_ktime_get_ns();
	ev.sock_cookie = ck;
	fill_sock(&ev, sk);
	ev.err = BPF_CORE_READ(sk, sk_err);
	ev.syn_retx = BPF_CORE_READ(tp, total_retrans);
	if (r != NULL) {
		ev.caller = r->caller;
		ev.connect_ns = r->connect_ns;
		ev.flags = (__u16)r->flags;
		ev.nf_drops = r->nf_drops;
		ev.icmp_type = r->icmp_type;
		ev.icmp_code = r->icmp_code;
		if (ev.err == 0 && r->err != 0)
			ev.err = r->err;
		bpf_map_delete_elem(&syn_socks, &ck);
	} else {
		ev.flags |= KEV_F_NOCALLER;
	}
	if (ev.err == 0)
		ev.err = BPF_CORE_READ(sk, sk_err_soft);
	if (ev.err != 0 && BPF_CORE_READ(sk, sk_err) == 0)
		ev.flags |= KEV_F_SOFTERR;	/* closed by its owner */
	if (ev.err == 0) {
		id = bpf_get_current_pid_tgid();
		if (BPF_CORE_READ(tp, segs_out) == 0 && r != NULL &&
		    (__u32)id == r->caller.tid) {
			/* Failed inside connect(): no SYN left (EADDRNOTAVAIL
			 * when the port search failed). */
			ev.flags |= KEV_F_NOPKT;
			if (cfg_sysexit) {
				t = bpf_map_lookup_elem(&connecting, &id);
				if (t != NULL && t->cookie == ck) {
					t->ev = ev;
					t->pending = 1;
					return;	/* kev_sys_exit has the errno */
				}
			}
			ev.flags |= KEV_F_INFERRED;
			if (ev.sport == 0)
				ev.err = E_ADDRNOTAVAIL;
		} else {
			ev.flags |= KEV_F_ABANDONED;
		}
	}
	emit(&ev);
}

static __always_inline void
on_listen(const struct sock *sk, __u16 type)
{
	struct kev_event ev;

	__builtin_memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.ts_ns = bpf_ktime_get_ns();
	ev.sock_cookie = bpf_get_socket_cookie((void *)sk);
	fill_sock(&ev, sk);
	fill_caller(&ev.caller, &ev.flags);
	if (ev.family == AF_INET6 &&
	    BPF_CORE_READ_BITFIELD_PROBED(&sk->__sk_common, skc_ipv6only))
		ev.flags |= KEV_F_V6ONLY;
	emit(&ev);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(kev_state, const struct sock *sk, const int oldstate,
    const int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP || !netns_ok(sk))
		return 0;
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT)
		on_syn_sent(sk);
	else if (oldstate == TCP_SYN_SENT)
		on_syn_done(sk, newstate);
	else if (newstate == TCP_LISTEN)
		on_listen(sk, KEV_LISTEN);
	else if (oldstate == TCP_LISTEN && newstate == TCP_CLOSE)
		on_listen(sk, KEV_UNLISTEN);	/* not a child leaving it */
	return 0;
}

SEC("tp_btf/inet_sk_error_report")
int BPF_PROG(kev_err_report, const struct sock *sk)
{
	struct sock_exterr_skb *x;
	struct sk_buff *q;
	struct syn_rec *r;
	__u64 ck;
	int err;

	if (sk->sk_protocol != IPPROTO_TCP ||
	    sk->__sk_common.skc_state != TCP_SYN_SENT)
		return 0;
	ck = cookie_of(sk);
	r = bpf_map_lookup_elem(&syn_socks, &ck);
	if (r == NULL)
		return 0;
	/* An ICMP error that comes while connect() holds the socket is
	 * reported before it is stored as a soft error (which SO_ERROR then
	 * reads and clears): its errno is in the error queue's newest entry,
	 * with the ICMP type and code. */
	err = sk->sk_err;
	if (err == 0)
		err = sk->sk_err_soft;
	if (BPF_CORE_READ(sk, sk_error_queue.qlen) > 0 &&
	    (q = BPF_CORE_READ(sk, sk_error_queue.prev)) != NULL) {
		x = (struct sock_exterr_skb *)(void *)q->cb;
		switch (BPF_CORE_READ(x, ee.ee_origin)) {
		case SO_EE_ORIGIN_ICMP:
		case SO_EE_ORIGIN_ICMP6:
			r->icmp_type = BPF_CORE_READ(x, ee.ee_type);
			r->icmp_code = BPF_CORE_READ(x, ee.ee_code);
			__sync_fetch_and_or(&r->flags, KEV_F_ICMP);
			if (err == 0)
				err = (int)BPF_CORE_READ(x, ee.ee_errno);
		}
	}
	if (err != 0)
		r->err = err;
	__sync_fetch_and_or(&r->flags, KEV_F_ERRREPORT);
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(kev_rst_recv, struct sock *sk)
{
	struct syn_rec *r;
	__u64 ck;

	if (sk->__sk_common.skc_state != TCP_SYN_SENT)
		return 0;
	ck = cookie_of(sk);
	r = bpf_map_lookup_elem(&syn_socks, &ck);
	if (r != NULL)
		__sync_fetch_and_or(&r->flags, KEV_F_RST);
	return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(kev_nf_drop, struct sk_buff *skb, void *location,
    enum skb_drop_reason reason)
{
	struct net_device *dev;
	struct syn_rec *r;
	struct sock *sk;
	__u64 ck;

	/* Every dropped packet passes here (each refused SYN is a NO_SOCKET
	 * drop): the reason first, from the context, with no memory read. */
	if (reason != bpf_core_enum_value(enum skb_drop_reason,
	    SKB_DROP_REASON_NETFILTER_DROP))
		return 0;
	sk = BPF_CORE_READ(skb, sk);
	if (sk == NULL || !is_tcp(sk) ||
	    BPF_CORE_READ(sk, __sk_common.skc_state) != TCP_SYN_SENT)
		return 0;
	/* Only the socket's own namespace's netfilter: a packet handed to
	 * another namespace may still point at its sender. */
	dev = BPF_CORE_READ(skb, dev);
	if (dev != NULL && BPF_CORE_READ(dev, nd_net.net) !=
	    BPF_CORE_READ(sk, __sk_common.skc_net.net))
		return 0;
	ck = cookie_of(sk);
	r = bpf_map_lookup_elem(&syn_socks, &ck);
	if (r == NULL)
		return 0;
	__sync_fetch_and_or(&r->flags, KEV_F_NFDROP);
	__sync_fetch_and_add(&r->nf_drops, 1);
	count(KEV_C_NF_SYN_DROPS);
	return 0;
}

#if defined(__TARGET_ARCH_x86)
#define NR_CONNECT	42
#define SYSCALL_NR(r)	BPF_CORE_READ((r), orig_ax)
#define SYSCALL_ARG1(r)	BPF_CORE_READ((r), di)
#define SYSCALL_ARG2(r)	BPF_CORE_READ((r), si)
#define SYSCALL_ARG3(r)	BPF_CORE_READ((r), dx)
#elif defined(__TARGET_ARCH_arm64)
#define NR_CONNECT	203
#define ARM64(r)	((struct pt_regs___arm64 *)(r))
#define SYSCALL_NR(r)	BPF_CORE_READ(ARM64(r), syscallno)
#define SYSCALL_ARG1(r)	BPF_CORE_READ(ARM64(r), orig_x0)
#define SYSCALL_ARG2(r)	BPF_CORE_READ(ARM64(r), user_regs.regs[1])
#define SYSCALL_ARG3(r)	BPF_CORE_READ(ARM64(r), user_regs.regs[2])
#else
#error "kev.bpf.c: connect(2) is not known on this architecture"
#endif

/* The TCP socket behind fd of the current task, or NULL. */
static __always_inline struct sock *
sock_of_fd(int fd)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds, *f = NULL;
	struct socket *so;
	struct sock *sk;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) != 0 || f == NULL)
		return NULL;
	so = BPF_CORE_READ(f, private_data);
	if (so == NULL || BPF_CORE_READ(so, file) != f)
		return NULL;	/* not a socket's file */
	sk = BPF_CORE_READ(so, sk);
	if (sk == NULL || !is_tcp(sk) ||
	    BPF_CORE_READ(sk, sk_type) != SOCK_STREAM)
		return NULL;
	return sk;
}

struct sockaddr_in46 {
	__u16	family;
	__be16	port;
	union {
		__be32	v4;
		struct {
			__u32	flowinfo;
			__u8	v6[16];
		};
	};
};

SEC("raw_tp/sys_exit")
int BPF_PROG(kev_sys_exit, struct pt_regs *regs, long ret)
{
	struct sockaddr_in46 sa;
	struct kev_event ev;
	struct tid_rec *t;
	struct sock *sk;
	struct net *net;
	__u64 id, alen;
	int err;

	/* Every syscall of the host exits here: most succeed. */
	if (ret >= 0 || ret < -E_MAXUSER)
		return 0;
	if (SYSCALL_NR(regs) != NR_CONNECT)
		return 0;
	count(KEV_C_SYSEXIT_SEEN);
	err = (int)-ret;
	sk = sock_of_fd((int)SYSCALL_ARG1(regs));
	if (sk == NULL || !netns_ok(sk))
		return 0;
	id = bpf_get_current_pid_tgid();
	t = bpf_map_lookup_elem(&connecting, &id);
	if (t != NULL) {
		bool mine = t->sk == (__u64)sk && t->cookie == cookie_of(sk);

		if (mine && t->pending) {
			/* It failed inside connect(): the errno is this. */
			t->ev.err = err;
			emit(&t->ev);
		}
		bpf_map_delete_elem(&connecting, &id);
		if (mine)
			return 0;	/* reported by kev_state */
	}
	switch (err) {
	case E_INPROGRESS: case E_ALREADY: case E_ISCONN: case E_INTR:
	case E_AGAIN: case E_BADF: case E_NOTSOCK: case E_FAULT: case E_INVAL:
	case E_AFNOSUPPORT:
		return 0;	/* not a failed attempt */
	}
	__builtin_memset(&ev, 0, sizeof(ev));
	__builtin_memset(&sa, 0, sizeof(sa));
	alen = SYSCALL_ARG3(regs);
	if (alen > sizeof(sa))
		alen = sizeof(sa);
	if (alen < 8 || bpf_probe_read_user(&sa, alen & 0x1f,
	    (void *)SYSCALL_ARG2(regs)) != 0)
		return 0;
	ev.type = KEV_CONNECT_ERR;
	ev.ts_ns = bpf_ktime_get_ns();
	ev.err = err;
	ev.flags = KEV_F_NOPKT;
	ev.family = sa.family;
	ev.dport = bpf_ntohs(sa.port);
	if (sa.family == AF_INET)
		__builtin_memcpy(ev.daddr, &sa.v4, 4);
	else if (sa.family == AF_INET6)
		__builtin_memcpy(ev.daddr, sa.v6, 16);
	else
		return 0;
	net = BPF_CORE_READ(sk, __sk_common.skc_net.net);
	ev.netns_ino = BPF_CORE_READ(net, ns.inum);
	ev.netns_cookie = BPF_CORE_READ(net, net_cookie);
	fill_caller(&ev.caller, &ev.flags);
	emit(&ev);
	return 0;
}
