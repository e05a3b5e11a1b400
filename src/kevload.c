/*
 * kevload.c - the kernel event source with libbpf: programs chosen by
 * trying them (never by kernel version or BTF listings), the ring buffer
 * reader and the loss counters.  See kevload.h.
 *
 * Loading: all wanted programs at once; if the kernel refuses, each one
 * alone to learn which fail and with what errno, then the ones that loaded
 * together.  Each is attached on its own.  kev_state is the one the others
 * need: without it the source is unavailable.  kev_state hands a socket
 * that fails inside connect() to kev_sys_exit (cfg_sysexit, fixed at load),
 * so when kev_sys_exit cannot attach everything is loaded again without it.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kev.skel.h"
#include "kevload.h"
#include "kevprogs.h"
#include "log.h"

struct kev {
	struct kev_base		 b;	/* first: see kevprogs.h */
	struct kev_bpf		*skel;
	struct ring_buffer	*rb;
	kev_sink		 sink;
	void			*arg;
	uint64_t		 bad;
	uint64_t		*percpu;	/* one counter per possible CPU */
	int			 ncpu;
};

static struct bpf_program *
prog_of(struct kev_bpf *s, unsigned id)
{
	switch (id) {
	case KEV_P_STATE:	return s->progs.kev_state;
	case KEV_P_ERR_REPORT:	return s->progs.kev_err_report;
	case KEV_P_RST_RECV:	return s->progs.kev_rst_recv;
	case KEV_P_NF_DROP:	return s->progs.kev_nf_drop;
	default:		return s->progs.kev_sys_exit;
	}
}

static struct bpf_link **
link_of(struct kev_bpf *s, unsigned id)
{
	switch (id) {
	case KEV_P_STATE:	return &s->links.kev_state;
	case KEV_P_ERR_REPORT:	return &s->links.kev_err_report;
	case KEV_P_RST_RECV:	return &s->links.kev_rst_recv;
	case KEV_P_NF_DROP:	return &s->links.kev_nf_drop;
	default:		return &s->links.kev_sys_exit;
	}
}

/* libbpf's messages, verifier logs included, are for debugging only: what
 * matters is said once per program by this file. */
static int
libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t n;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	log_debug("libbpf: %s", buf);
	return 0;
}

static const char *
errname(int err)
{
	const char *s = strerrorname_np(err);

	return s != NULL ? s : "?";
}

/* Open and load the programs in mask; NULL with *err (positive errno). */
static struct kev_bpf *
load_set(const struct kev_conf *c, unsigned mask, int *err)
{
	struct kev_bpf *s;
	unsigned id;
	int rc;

	if ((s = kev_bpf__open()) == NULL) {
		*err = errno != 0 ? errno : ENOMEM;
		return NULL;
	}
	for (id = 0; id < KEV__PROGS; id++)
		bpf_program__set_autoload(prog_of(s, id), (mask >> id) & 1);
	s->rodata->cfg_sysexit = (mask >> KEV_P_SYS_EXIT) & 1;
	s->rodata->cfg_netns_filter = c->netns_filter != 0;
	if ((rc = bpf_map__set_max_entries(s->maps.events,
	    c->ring_kib * 1024)) != 0 ||
	    (rc = bpf_map__set_max_entries(s->maps.syn_socks,
	    c->syn_sockets)) != 0 ||
	    (rc = bpf_map__set_max_entries(s->maps.netns_allowed,
	    KEV_NETNS_MAX)) != 0 ||
	    (rc = kev_bpf__load(s)) != 0) {
		*err = rc < 0 ? -rc : EINVAL;
		kev_bpf__destroy(s);
		return NULL;
	}
	return s;
}

/* Load what loads; attach each.  0, or -1 when the state program did not
 * come up (k->progs say why). */
static int
load_attach(struct kev *k, const struct kev_conf *c, unsigned wanted)
{
	unsigned id, ok = wanted;
	int err;

	for (;;) {
		k->skel = load_set(c, ok, &err);
		if (k->skel == NULL && ok == wanted) {
			/* Which ones does the kernel refuse? */
			log_debug("kernel events: loading all programs: %s; "
			    "trying each", strerror(err));
			ok = 0;
			for (id = 0; id < KEV__PROGS; id++) {
				struct kev_bpf *one;

				if (!((wanted >> id) & 1))
					continue;
				if ((one = load_set(c, 1u << id, &err)) == NULL) {
					k->b.progs[id].err = err;
					k->b.progs[id].stage = "load";
				} else {
					ok |= 1u << id;
					kev_bpf__destroy(one);
				}
			}
			if (!((ok >> KEV_P_STATE) & 1))
				return -1;	/* the others need it */
			continue;
		}
		if (k->skel == NULL) {	/* loaded alone, not together */
			for (id = 0; id < KEV__PROGS; id++)
				if ((ok >> id) & 1) {
					k->b.progs[id].err = err;
					k->b.progs[id].stage = "load";
				}
			return -1;
		}
		for (id = 0; id < KEV__PROGS; id++) {
			struct bpf_link *l;

			if (!((ok >> id) & 1))
				continue;
			errno = 0;
			if ((l = bpf_program__attach(prog_of(k->skel, id))) ==
			    NULL) {
				k->b.progs[id].err = errno != 0 ? errno : EINVAL;
				k->b.progs[id].stage = "attach";
				continue;
			}
			*link_of(k->skel, id) = l;
			k->b.progs[id].attached = 1;
		}
		if (!k->b.progs[KEV_P_STATE].attached)
			return -1;
		if (((ok >> KEV_P_SYS_EXIT) & 1) &&
		    !k->b.progs[KEV_P_SYS_EXIT].attached) {
			/* kev_state would wait for it: load again without. */
			kev_bpf__destroy(k->skel);
			k->skel = NULL;
			ok &= ~(1u << KEV_P_SYS_EXIT);
			wanted &= ~(1u << KEV_P_SYS_EXIT);
			for (id = 0; id < KEV__PROGS; id++)
				k->b.progs[id].attached = 0;
			continue;
		}
		return 0;
	}
}

/* Why the state program failed, from the capabilities held and the error:
 * not libbpf's guess (its RLIMIT_MEMLOCK hint is wrong on memcg kernels). */
static void
unavailable_reason(struct kev *k)
{
	const struct kev_prog_status *p = &k->b.progs[KEV_P_STATE];
	int err = p->err;
	char why[sizeof(k->b.reason)];

	if ((err == EPERM || err == EACCES) && !kev_privileged(why,
	    sizeof(why)))
		snprintf(k->b.reason, sizeof(k->b.reason), "%s", why);
	else if (err == EPERM)
		snprintf(k->b.reason, sizeof(k->b.reason),
		    "the kernel refused eBPF programs (EPERM) although the "
		    "capabilities are held: lockdown, a security module or a "
		    "seccomp filter");
	else if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		snprintf(k->b.reason, sizeof(k->b.reason),
		    "the kernel has no BTF (/sys/kernel/btf/vmlinux): "
		    "CO-RE programs cannot load (%s)", errname(err));
	else if (err == ENOSYS)
		snprintf(k->b.reason, sizeof(k->b.reason),
		    "the kernel has no bpf(2) (ENOSYS)");
	else
		snprintf(k->b.reason, sizeof(k->b.reason),
		    "program %s (%s) failed to %s: %s (%s)", kev_progdesc[0].name,
		    kev_progdesc[0].hook, p->stage != NULL ? p->stage : "load",
		    strerror(err), errname(err));
}

static void
running_reason(struct kev *k)
{
	size_t off = 0;
	unsigned id, n = 0, want = 0;

	k->b.reason[0] = '\0';
	for (id = 0; id < KEV__PROGS; id++) {
		const struct kev_prog_status *p = &k->b.progs[id];

		want += p->wanted != 0;
		n += p->attached != 0;
		if (p->wanted && !p->attached && off < sizeof(k->b.reason))
			off += (size_t)snprintf(k->b.reason + off,
			    sizeof(k->b.reason) - off, "%s%s (%s)",
			    off == 0 ? "without " : ", ", p->name,
			    errname(p->err));
	}
	k->b.state = n == want ? KEV_ST_RUNNING : KEV_ST_PARTIAL;
	if (off < sizeof(k->b.reason))
		snprintf(k->b.reason + off, sizeof(k->b.reason) - off,
		    "%s%u of %u programs attached%s", off ? ": " : "", n, want,
		    k->b.progs[KEV_P_SYS_EXIT].wanted ? "" :
		    " (kernel-connect-errors = no)");
}

static int
on_record(void *ctx, void *data, size_t len)
{
	struct kev *k = ctx;
	struct kev_event e;
	const char *why;

	if (kev_rec_check(data, len, &e, &why) != 0) {
		if (k->bad++ == 0)
			log_warnx("kernel events: a bad record: %s", why);
		return 0;
	}
	k->sink(k->arg, &e);
	return 0;
}

int
kev_precheck(const struct kev_conf *c, char *why, size_t len)
{
	if (c->enable == KEV_WANT_NO) {
		snprintf(why, len, KEV_REASON_OFF);
		return -1;
	}
	if (!kev_privileged(why, len))
		return -1;
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		snprintf(why, len, "the kernel has no BTF "
		    "(/sys/kernel/btf/vmlinux): CO-RE programs cannot load");
		return -1;
	}
	return 0;
}

struct kev *
kev_open(const struct kev_conf *c, kev_sink sink, void *arg)
{
	struct kev *k;
	unsigned id, wanted = 0;
	int n;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->sink = sink;
	k->arg = arg;
	kev_base_init(&k->b, c);
	for (id = 0; id < KEV__PROGS; id++)
		if (k->b.progs[id].wanted)
			wanted |= 1u << id;
	if (c->enable == KEV_WANT_NO) {
		snprintf(k->b.reason, sizeof(k->b.reason), KEV_REASON_OFF);
		if (!c->quiet)
			log_info("kernel events: %s", k->b.reason);
		return k;
	}
	libbpf_set_print(libbpf_log);
	if (load_attach(k, c, wanted) != 0) {
		if (k->skel != NULL)
			kev_bpf__destroy(k->skel);
		k->skel = NULL;
		for (id = 0; id < KEV__PROGS; id++)
			k->b.progs[id].attached = 0;
		unavailable_reason(k);
	} else if ((n = libbpf_num_possible_cpus()) <= 0 ||
	    (k->percpu = calloc((size_t)n, sizeof(uint64_t))) == NULL ||
	    (k->rb = ring_buffer__new(bpf_map__fd(k->skel->maps.events),
	    on_record, k, NULL)) == NULL) {
		snprintf(k->b.reason, sizeof(k->b.reason),
		    "cannot read the ring buffer: %s", strerror(errno));
		kev_bpf__destroy(k->skel);
		k->skel = NULL;
		for (id = 0; id < KEV__PROGS; id++)
			k->b.progs[id].attached = 0;
	} else {
		k->ncpu = n;
		running_reason(k);
	}
	for (id = 0; id < KEV__PROGS; id++) {
		const struct kev_prog_status *p = &k->b.progs[id];

		if (p->wanted && !p->attached && p->err != 0)
			log_warnx("kernel events: program %s (%s) not %s: "
			    "%s (%s)", p->name, p->hook,
			    strcmp(p->stage, "load") == 0 ? "loaded" :
			    "attached", strerror(p->err), errname(p->err));
	}
	if (k->b.state == KEV_ST_UNAVAILABLE && c->enable == KEV_WANT_YES)
		log_warnx("kernel events: unavailable (kernel-events = yes): "
		    "%s", k->b.reason);
	else
		log_info("kernel events: %s: %s", kev_state_name(k->b.state),
		    k->b.reason);
	return k;
}

void
kev_close(struct kev *k)
{
	if (k == NULL)
		return;
	ring_buffer__free(k->rb);
	if (k->skel != NULL)
		kev_bpf__destroy(k->skel);
	free(k->percpu);
	free(k);
}

int
kev_fd(const struct kev *k)
{
	return k->rb != NULL ? ring_buffer__epoll_fd(k->rb) : -1;
}

int
kev_consume(struct kev *k)
{
	int n;

	if (k->rb == NULL)
		return 0;
	n = ring_buffer__consume(k->rb);
	if (n < 0) {
		errno = -n;
		return -1;
	}
	return n;
}

int
kev_netns_allow(struct kev *k, uint32_t ino, int allow)
{
	uint8_t one = 1;
	int fd;

	if (k->skel == NULL) {
		errno = ENOENT;
		return -1;
	}
	fd = bpf_map__fd(k->skel->maps.netns_allowed);
	if (allow)
		return bpf_map_update_elem(fd, &ino, &one, BPF_ANY) == 0 ? 0 : -1;
	return bpf_map_delete_elem(fd, &ino) == 0 || errno == ENOENT ? 0 : -1;
}

int
kev_counters(const struct kev *k, struct kev_counters *out)
{
	uint32_t i;
	int cpu, fd;

	memset(out, 0, sizeof(*out));
	if (k->skel == NULL)
		return -1;
	fd = bpf_map__fd(k->skel->maps.counters);
	for (i = 0; i < KEV__COUNTERS; i++) {
		if (bpf_map_lookup_elem(fd, &i, k->percpu) != 0)
			return -1;
		for (cpu = 0; cpu < k->ncpu; cpu++)
			out->c[i] += k->percpu[cpu];
	}
	out->bad_records = k->bad;
	return 0;
}
