/*
 * seccomp.c - the SNMP process's system call filter (seccomp.h), a
 * classic BPF program built here: the architecture first (a call of
 * another ABI, x32 included, is killed), then each allowed call, the
 * checked ones with their argument tests, then death.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "seccomp.h"

#if defined(__x86_64__) && !defined(__ILP32__)
#define ARCH	AUDIT_ARCH_X86_64
#define X32_BIT	0x40000000u
#elif defined(__aarch64__)
#define ARCH	AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define ARCH	AUDIT_ARCH_I386
#elif defined(__arm__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARCH	AUDIT_ARCH_ARM
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARCH	AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define ARCH	AUDIT_ARCH_S390X
#elif defined(__riscv) && __riscv_xlen == 64
#define ARCH	AUDIT_ARCH_RISCV64
#endif

/* The low 32 bits of argument i (ints, flags). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i)	(offsetof(struct seccomp_data, args[i]))
#else
#define ARG_LO(i)	(offsetof(struct seccomp_data, args[i]) + 4)
#endif

/* Argument checks. */
enum { CK_NONE, CK_SOCKET, CK_NOEXEC, CK_IOCTL, CK_SELF };

/* Calls some architectures lack (the newer *at forms replace them). */
#define OPT(n)	-1
#ifdef __NR_open
#define NR_open __NR_open
#else
#define NR_open OPT(open)
#endif
#ifdef __NR_stat
#define NR_stat __NR_stat
#else
#define NR_stat OPT(stat)
#endif
#ifdef __NR_lstat
#define NR_lstat __NR_lstat
#else
#define NR_lstat OPT(lstat)
#endif
#ifdef __NR_fstat
#define NR_fstat __NR_fstat
#else
#define NR_fstat OPT(fstat)
#endif
#ifdef __NR_newfstatat
#define NR_newfstatat __NR_newfstatat
#else
#define NR_newfstatat OPT(newfstatat)
#endif
#ifdef __NR_access
#define NR_access __NR_access
#else
#define NR_access OPT(access)
#endif
#ifdef __NR_rename
#define NR_rename __NR_rename
#else
#define NR_rename OPT(rename)
#endif
#ifdef __NR_unlink
#define NR_unlink __NR_unlink
#else
#define NR_unlink OPT(unlink)
#endif
#ifdef __NR_mkdir
#define NR_mkdir __NR_mkdir
#else
#define NR_mkdir OPT(mkdir)
#endif
#ifdef __NR_select
#define NR_select __NR_select
#else
#define NR_select OPT(select)
#endif
#ifdef __NR_poll
#define NR_poll __NR_poll
#else
#define NR_poll OPT(poll)
#endif
#ifdef __NR_time
#define NR_time __NR_time
#else
#define NR_time OPT(time)
#endif
#ifdef __NR_mmap2
#define NR_mmap2 __NR_mmap2
#else
#define NR_mmap2 OPT(mmap2)
#endif
#ifdef __NR_accept
#define NR_accept __NR_accept
#else
#define NR_accept OPT(accept)
#endif

#define SC(n)		{ #n, __NR_##n, CK_NONE }
#define SCO(n)		{ #n, NR_##n, CK_NONE }
#define SCK(n, k)	{ #n, __NR_##n, k }

const struct ts_sc ts_seccomp_allowed[] = {
	/* files: the state directory (engine ID and boots), the logs */
	SCO(open), SC(openat), SC(close), SC(read), SC(readv), SC(write),
	SC(writev), SC(pread64), SC(lseek), SCO(fstat), SCO(newfstatat),
	SCO(stat), SCO(lstat), SC(statx), SC(fcntl), SCO(access),
	SC(faccessat), SC(faccessat2), SC(fsync), SCO(rename), SC(renameat),
	SC(renameat2), SCO(unlink), SC(unlinkat), SCO(mkdir), SC(mkdirat),
	SC(umask),
	/* memory, and the snapshots' mappings */
	SC(brk), SCK(mmap, CK_NOEXEC), { "mmap2", NR_mmap2, CK_NOEXEC },
	SC(munmap), SC(mremap), SC(madvise), SCK(mprotect, CK_NOEXEC),
	/* the AgentX socket, the standalone agent, notifications, syslog */
	SCK(socket, CK_SOCKET), SC(connect), SCO(accept), SC(accept4),
	SC(sendto), SC(recvfrom), SC(sendmsg), SC(recvmsg), SC(shutdown),
	SC(getsockname), SC(getpeername), SC(getsockopt), SC(setsockopt),
	SCK(ioctl, CK_IOCTL),
	/* the loop */
	SCO(select), SC(pselect6), SCO(poll), SC(ppoll), SC(clock_gettime),
	SC(clock_getres), SC(gettimeofday), SCO(time), SC(nanosleep),
	SC(clock_nanosleep), SC(futex), SC(getrandom),
	/* signals: its own */
	SC(rt_sigaction), SC(rt_sigprocmask), SC(rt_sigreturn),
	SC(sigaltstack), SC(restart_syscall), SCK(kill, CK_SELF), SCK(tgkill, CK_SELF),
	SCK(tkill, CK_SELF),
	/* who it is, and leaving */
	SC(getpid), SC(gettid), SC(getppid), SC(getuid), SC(geteuid),
	SC(getgid), SC(getegid), SC(uname), SC(sysinfo), SC(exit),
	SC(exit_group),
};
const size_t ts_seccomp_nallowed =
    sizeof(ts_seccomp_allowed) / sizeof(ts_seccomp_allowed[0]);

#ifdef ARCH

#define MAXPROG	1024

struct prog {
	struct sock_filter	f[MAXPROG];
	unsigned		n;
};

static void
emit(struct prog *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (p->n < MAXPROG)
		p->f[p->n] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
	p->n++;
}

#define LD(off)		emit(p, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(off), 0, 0)
#define RET(v)		emit(p, BPF_RET | BPF_K, (v), 0, 0)
/* If A == k, go on; else skip the next n. */
#define IFEQ(k, n)	emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(k), 0, (n))
#define ALLOW		SECCOMP_RET_ALLOW
#define KILL		SECCOMP_RET_KILL_PROCESS
#define FAIL(e)		(SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))

/* A checked call's test; every path returns.  A holds the call's number. */
static void
check(struct prog *p, int kind, pid_t self)
{
	switch (kind) {
	case CK_SOCKET:		/* the families it uses, or EAFNOSUPPORT */
		LD(ARG_LO(0));
		IFEQ(AF_UNIX, 1); RET(ALLOW);
		IFEQ(AF_INET, 1); RET(ALLOW);
		IFEQ(AF_INET6, 1); RET(ALLOW);
		RET(FAIL(EAFNOSUPPORT));
		break;
	case CK_NOEXEC:		/* prot, argument 2, without PROT_EXEC */
		LD(ARG_LO(2));
		emit(p, BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1);
		RET(KILL);
		RET(ALLOW);
		break;
	case CK_IOCTL:		/* FIONREAD and TCGETS, or ENOTTY */
		LD(ARG_LO(1));
		IFEQ(FIONREAD, 1); RET(ALLOW);
		IFEQ(TCGETS, 1); RET(ALLOW);
		RET(FAIL(ENOTTY));
		break;
	case CK_SELF:		/* kill, tgkill, tkill: itself only */
		LD(ARG_LO(0));
		IFEQ((uint32_t)self, 1); RET(ALLOW);
		RET(KILL);
		break;
	}
}

int
ts_seccomp_install(char *err, size_t errlen)
{
	static struct prog prog;
	struct prog *p = &prog;
	struct sock_fprog fp;
	pid_t self = getpid();

	p->n = 0;
	LD(offsetof(struct seccomp_data, arch));
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0);	/* ours: skip the kill */
	RET(KILL);
	LD(offsetof(struct seccomp_data, nr));
#ifdef X32_BIT
	emit(p, BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 0, 1);
	RET(KILL);
#endif
	for (size_t i = 0; i < ts_seccomp_nallowed; i++) {
		const struct ts_sc *c = &ts_seccomp_allowed[i];
		unsigned at;

		if (c->nr < 0)
			continue;
		if (c->check == CK_NONE) {
			IFEQ(c->nr, 1);
			RET(ALLOW);
			continue;
		}
		/*
		 * Not this call: skip its check, whose every path returns (so
		 * A still holds the call's number after the skip).
		 */
		at = p->n;
		IFEQ(c->nr, 0);
		check(p, c->check, self);
		if (at < MAXPROG)
			p->f[at].jf = (uint8_t)(p->n - at - 1);
	}
	RET(KILL);
	if (p->n > MAXPROG) {
		snprintf(err, errlen, "seccomp: the filter is too long");
		return -1;
	}
	fp.len = (unsigned short)p->n;
	fp.filter = p->f;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0) == -1) {
		snprintf(err, errlen, "seccomp: %s", strerror(errno));
		return -1;
	}
	return 0;
}

#else	/* no ARCH */

int
ts_seccomp_install(char *err, size_t errlen)
{
	snprintf(err, errlen, "no seccomp filter for this architecture");
	return 1;
}

#endif
