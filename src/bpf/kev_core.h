/*
 * kev_core.h - the kernel types src/bpf/kev.bpf.c reads, declared with
 * only the members it uses and preserve_access_index: libbpf relocates
 * every access by name against the running kernel's BTF at load time, so
 * the build needs no vmlinux.h and no kernel headers of the build host.
 * Also the few stable UAPI constants (map types, flags) the programs use.
 */
#ifndef TS_KEV_CORE_H
#define TS_KEV_CORE_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;
typedef __u32 __wsum;
typedef __s32 s32;
typedef __s64 s64;
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

/* UAPI (linux/bpf.h): stable numbers */
enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_RINGBUF = 27,
};
enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};

#define AF_INET		2
#define AF_INET6	10
#define IPPROTO_TCP	6
#define SOCK_STREAM	1
#define PF_KTHREAD	0x00200000

enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT = 2,
	TCP_CLOSE = 7,
	TCP_LISTEN = 10,
};

#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)

struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be32 u6_addr32[4];
	} in6_u;
};

struct ns_common {
	unsigned int inum;
};

struct net {
	struct ns_common ns;
	u64 net_cookie;
};

typedef struct {
	struct net *net;
} possible_net_t;

typedef struct {
	s64 counter;
} atomic64_t;

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_ipv6only: 1;
	possible_net_t skc_net;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
	atomic64_t skc_cookie;
};

struct sk_buff;

struct sk_buff_head {
	struct sk_buff *next;
	struct sk_buff *prev;
	__u32 qlen;
};

struct sock {
	struct sock_common __sk_common;
	struct sk_buff_head sk_error_queue;
	int sk_err;
	int sk_err_soft;
	u16 sk_protocol;
	u16 sk_type;
};

struct inet_sock {
	__be16 inet_sport;	/* kept when CLOSE clears skc_num */
};

struct tcp_sock {
	u32 segs_out;
	u32 total_retrans;
};

struct net_device {
	possible_net_t nd_net;
};

struct sk_buff {
	struct net_device *dev;
	struct sock *sk;
	char cb[48];
};

/* An ICMP error queued on a socket (in the skb's cb). */
struct sock_extended_err {
	__u32 ee_errno;
	__u8 ee_origin;
	__u8 ee_type;
	__u8 ee_code;
};

struct sock_exterr_skb {
	struct sock_extended_err ee;
};

#define SO_EE_ORIGIN_ICMP	2
#define SO_EE_ORIGIN_ICMP6	3

struct file {
	void *private_data;
};

struct socket {
	struct file *file;
	struct sock *sk;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

struct kernfs_node {
	const char *name;
};

struct cgroup {
	struct kernfs_node *kn;
};

struct css_set {
	struct cgroup *dfl_cgrp;
};

struct task_struct {
	unsigned int flags;
	int pid;
	int tgid;
	struct task_struct *group_leader;
	u64 start_boottime;
	struct files_struct *files;
	struct css_set *cgroups;
};

/* Registers at syscall exit, per architecture. */
struct pt_regs {
	unsigned long di;	/* x86_64 */
	unsigned long si;
	unsigned long dx;
	unsigned long orig_ax;
};

struct user_pt_regs {
	u64 regs[31];		/* arm64 */
};

struct pt_regs___arm64 {
	struct user_pt_regs user_regs;
	u64 orig_x0;
	s32 syscallno;
};

#pragma clang attribute pop

enum skb_drop_reason {
	SKB_DROP_REASON_NETFILTER_DROP = 12,	/* this kernel's value; relocated */
};

#endif
