/*
 * kevconf.c - what both builds of the kernel event source share (with
 * libbpf, src/kevload.c; without, src/kevload_off.c): its settings, their
 * defaults and ranges, the names of its states and programs, and their
 * status (struct kev_base, the first member of either's struct kev).
 */
#include "config.h"

#include <linux/capability.h>
#include <sys/syscall.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kevload.h"
#include "kevprogs.h"

void
kev_conf_default(struct kev_conf *c)
{
	c->enable = KEV_WANT_AUTO;
	c->connect_errors = 0;	/* a cost on every syscall: tcpsleuthd.conf(5) */
	c->ring_kib = 256;
	c->syn_sockets = 16384;
	c->netns_filter = 0;
	c->quiet = 0;
}

const char *
kev_conf_check(const struct kev_conf *c)
{
	if (c->enable != KEV_WANT_NO && c->enable != KEV_WANT_YES &&
	    c->enable != KEV_WANT_AUTO)
		return "kernel-events must be yes, no or auto";
	if (c->ring_kib < KEV_RING_KIB_MIN || c->ring_kib > KEV_RING_KIB_MAX ||
	    (c->ring_kib & (c->ring_kib - 1)) != 0)
		return "the kernel event ring size must be a power of two "
		    "from 4 to 65536 KiB";
	if (c->syn_sockets < KEV_SYN_SOCKETS_MIN ||
	    c->syn_sockets > KEV_SYN_SOCKETS_MAX)
		return "the number of SYN_SENT sockets followed must be "
		    "from 64 to 1048576";
	return NULL;
}

const char *
kev_state_name(enum kev_state s)
{
	switch (s) {
	case KEV_ST_RUNNING:
		return "running";
	case KEV_ST_PARTIAL:
		return "partial";
	case KEV_ST_UNAVAILABLE:
		break;
	}
	return "unavailable";
}

const struct kev_progdesc kev_progdesc[KEV__PROGS] = {
	[KEV_P_STATE] = { "state", "tp_btf/inet_sock_set_state" },
	[KEV_P_ERR_REPORT] = { "error-report", "tp_btf/inet_sk_error_report" },
	[KEV_P_RST_RECV] = { "receive-reset", "tp_btf/tcp_receive_reset" },
	[KEV_P_NF_DROP] = { "netfilter-drop", "tp_btf/kfree_skb" },
	[KEV_P_SYS_EXIT] = { "connect-errors", "raw_tp/sys_exit" },
};

uint64_t
kev_losses(const struct kev_counters *c)
{
	return c->c[KEV_C_RING_FULL] + c->c[KEV_C_SYN_FULL] +
	    c->c[KEV_C_TID_FULL];
}

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

static int
have_cap(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

int
kev_privileged(char *why, size_t len)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) != 0)
		memset(d, 0, sizeof(d));
	if (have_cap(d, CAP_SYS_ADMIN) ||
	    (have_cap(d, CAP_BPF) && have_cap(d, CAP_PERFMON))) {
		if (len > 0)
			why[0] = '\0';
		return 1;
	}
	snprintf(why, len, "no privilege to load eBPF programs: they need "
	    "CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; missing:%s%s%s",
	    have_cap(d, CAP_BPF) ? "" : " CAP_BPF",
	    have_cap(d, CAP_PERFMON) ? "" : " CAP_PERFMON",
	    have_cap(d, CAP_SYS_ADMIN) ? "" : " CAP_SYS_ADMIN");
	return 0;
}

void
kev_base_init(struct kev_base *b, const struct kev_conf *c)
{
	unsigned id;

	memset(b, 0, sizeof(*b));
	b->state = KEV_ST_UNAVAILABLE;
	for (id = 0; id < KEV__PROGS; id++) {
		b->progs[id].name = kev_progdesc[id].name;
		b->progs[id].hook = kev_progdesc[id].hook;
		b->progs[id].wanted = c->enable != KEV_WANT_NO &&
		    (id != KEV_P_SYS_EXIT || c->connect_errors);
	}
}

enum kev_state
kev_state(const struct kev *k)
{
	return ((const struct kev_base *)(const void *)k)->state;
}

const char *
kev_reason(const struct kev *k)
{
	return ((const struct kev_base *)(const void *)k)->reason;
}

const struct kev_prog_status *
kev_prog(const struct kev *k, unsigned id)
{
	return id < KEV__PROGS ?
	    &((const struct kev_base *)(const void *)k)->progs[id] : NULL;
}
