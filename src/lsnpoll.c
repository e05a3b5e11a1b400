/*
 * lsnpoll.c - a poll of namespaces and listeners (see lsnpoll.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "clock.h"
#include "hostctr.h"
#include "lsnpoll.h"
#include "procinfo.h"
#include "sockowner.h"

void
ts_lsnpoll_conf_default(struct ts_lsnpoll_conf *c)
{
	memset(c, 0, sizeof(*c));
	ts_netns_conf_default(&c->netns);
	ts_lsntab_conf_default(&c->lsn);
	c->procroot = "/proc";
	c->netns_dir = "/run/netns";
}

/*
 * The host's (initial) namespace: kernel threads live there, so that of
 * kthreadd (pid 2, parent 0) when it is visible, else PID 1's.
 */
static uint32_t
host_netns(const char *procroot)
{
	struct ts_proc pr;
	uint32_t ino = 0;

	if (ts_proc_read(procroot, 2, &pr) == 0 &&
	    strcmp(pr.comm, "kthreadd") == 0 && pr.netns_ino != 0)
		return pr.netns_ino;
	(void)ts_proc_netns(procroot, 1, &ino);
	return ino;
}

struct ts_lsnpoll *
ts_lsnpoll_new(const struct ts_lsnpoll_conf *c)
{
	struct ts_lsnpoll *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->conf = *c;
	p->host_ino = host_netns(c->procroot);
	if ((p->ns = ts_nstab_new(&c->netns, ts_netns_self())) == NULL ||
	    (p->lsn = ts_lsntab_new(&c->lsn)) == NULL) {
		ts_lsnpoll_free(p);
		return NULL;
	}
	return p;
}

void
ts_lsnpoll_free(struct ts_lsnpoll *p)
{
	if (p == NULL)
		return;
	ts_nstab_free(p->ns);
	ts_lsntab_free(p->lsn);
	ts_ns_list_free(&p->found);
	ts_sd_socks_free(&p->socks);
	free(p->unserved);
	free(p->unserved_new);
	free(p);
}

/* --------------------------------------------------------------- naming */

static void
name_row(struct ts_lsnpoll *p, struct ts_ns_row *r)
{
	struct ts_cg_owner o;
	struct ts_proc pr;

	if (r->ipname[0] != '\0') {
		snprintf(r->name, sizeof(r->name), "%s", r->ipname);
		r->namesrc = TS_NSN_NETNS;
		return;
	}
	if (r->ino == p->host_ino) {
		snprintf(r->name, sizeof(r->name), "host");
		r->namesrc = TS_NSN_HOST;
		return;
	}
	if (r->pid > 0 && ts_proc_read(p->conf.procroot, r->pid, &pr) == 0) {
		ts_cgroup_classify(pr.cgroup, &o);
		switch (o.kind) {
		case TS_CG_SERVICE: case TS_CG_SCOPE: case TS_CG_DOCKER:
		case TS_CG_CONTAINERD: case TS_CG_PODMAN: case TS_CG_KUBEPODS:
			snprintf(r->name, sizeof(r->name), "%s", o.name);
			r->namesrc = TS_NSN_UNIT;
			r->unitkind = (uint8_t)o.kind;
			return;
		default:
			snprintf(r->name, sizeof(r->name), "pid %d %s", pr.pid,
			    pr.comm);
			r->namesrc = TS_NSN_PROCESS;
			return;
		}
	}
	snprintf(r->name, sizeof(r->name), "net:[%u]", r->ino);
	r->namesrc = TS_NSN_INODE;
}

/* The pid a name came from is gone or another: name it again. */
static int
stale_name(const struct ts_ns_row *r, int oldpid)
{
	if (r->name[0] == '\0')
		return 1;
	if ((r->ipname[0] != '\0') != (r->namesrc == TS_NSN_NETNS))
		return 1;
	/* Another ip netns name: its inode went to a new namespace. */
	if (r->namesrc == TS_NSN_NETNS && strcmp(r->name, r->ipname) != 0)
		return 1;
	return (r->namesrc == TS_NSN_UNIT || r->namesrc == TS_NSN_PROCESS ||
	    r->namesrc == TS_NSN_INODE) && r->pid != oldpid;
}

static int
by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
found_cmp(const void *a, const void *b)
{
	return by_u32(&((const struct ts_ns_found *)a)->ino,
	    &((const struct ts_ns_found *)b)->ino);
}

static int
unserved_add(struct ts_lsnpoll *p, const struct ts_ns_found *f)
{
	if (p->nunserved_new == p->capunserved) {
		size_t cap = p->capunserved ? p->capunserved * 2 : 64;
		struct ts_ns_found *a = realloc(p->unserved, cap * sizeof(*a));
		struct ts_ns_found *b;

		if (a == NULL)
			return -1;
		p->unserved = a;
		if ((b = realloc(p->unserved_new, cap * sizeof(*b))) == NULL)
			return -1;
		p->unserved_new = b;
		p->capunserved = cap;
	}
	p->unserved_new[p->nunserved_new++] = *f;
	return 0;
}

/*
 * Whether f was found at the last poll and not chosen by "namespaces":
 * the same inode, its lowest pid and ip netns name unchanged (an inode the
 * kernel gave to a new namespace meanwhile is looked at again).
 */
static int
was_unserved(const struct ts_lsnpoll *p, const struct ts_ns_found *f)
{
	const struct ts_ns_found *u;

	u = p->nunserved > 0 ? bsearch(f, p->unserved, p->nunserved,
	    sizeof(*u), found_cmp) : NULL;
	return u != NULL && u->pid == f->pid &&
	    strcmp(u->ipname, f->ipname) == 0;
}

/* Whether "namespaces" chooses f; tmp gets its name. */
static int
wanted(struct ts_lsnpoll *p, const struct ts_ns_found *f,
    struct ts_ns_row *tmp)
{
	memset(tmp, 0, sizeof(*tmp));
	tmp->ino = f->ino;
	tmp->pid = f->pid;
	snprintf(tmp->ipname, sizeof(tmp->ipname), "%s", f->ipname);
	name_row(p, tmp);
	return ts_netns_conf_wants(&p->conf.netns, f->ino, f->ipname,
	    tmp->name, f->ino == p->ns->self_ino);
}

static void
on_gone(void *arg, const struct ts_ns_row *r, int expired)
{
	struct ts_lsnpoll *p = arg;

	if (!expired)
		ts_lsntab_forget(p->lsn, r->ino, r->gone_since);
}

static int
discover(struct ts_lsnpoll *p, ts_ns now)
{
	struct ts_nstab *t = p->ns;
	struct ts_ns_found *swap;

	if (ts_netns_discover(p->conf.procroot, p->conf.netns_dir,
	    &p->found) == -1) {
		snprintf(p->st.err, sizeof(p->st.err), "cannot list %s: %s",
		    p->conf.procroot, strerror(errno));
		return -1;
	}
	p->st.err[0] = '\0';
	p->nunserved_new = 0;
	ts_nstab_begin(t);
	t->found = (uint32_t)p->found.n;
	/* Our own namespace first, whatever /proc showed: with more
	 * namespaces than rows, it is the one that always has a row. */
	if (t->self_ino != 0) {
		const struct ts_ns_found *f = ts_ns_list_find(&p->found,
		    t->self_ino);
		struct ts_ns_row *r = ts_nstab_find(t, t->self_ino);
		int oldpid = r != NULL ? r->pid : 0;

		r = ts_nstab_seen(t, t->self_ino, f != NULL ? f->pid : getpid(),
		    f != NULL ? f->ipname : "", now);
		if (r != NULL && stale_name(r, oldpid))
			name_row(p, r);
	}
	for (size_t i = 0; i < p->found.n; i++) {
		const struct ts_ns_found *f = &p->found.v[i];
		struct ts_ns_row *r = ts_nstab_find(t, f->ino), tmp;
		int oldpid;

		if (f->ino == t->self_ino)
			continue;	/* seen above */
		/*
		 * A listed namespace's inode found again after it went, or
		 * under another ip netns name, may be another namespace's
		 * now: asked again whether "namespaces" chooses it.
		 */
		if (r != NULL && p->conf.netns.mode == TS_NS_LIST && !r->self &&
		    (r->state == TS_NSS_GONE ||
		    strcmp(r->ipname, f->ipname) != 0) &&
		    (was_unserved(p, f) || !wanted(p, f, &tmp))) {
			t->unserved++;
			(void)unserved_add(p, f);
			continue;
		}
		if (r == NULL) {
			if (was_unserved(p, f) || !wanted(p, f, &tmp)) {
				t->unserved++;
				(void)unserved_add(p, f);
				continue;
			}
			if ((r = ts_nstab_seen(t, f->ino, f->pid, f->ipname,
			    now)) == NULL)
				continue;
			memcpy(r->name, tmp.name, sizeof(r->name));
			r->namesrc = tmp.namesrc;
			r->unitkind = tmp.unitkind;
			continue;
		}
		oldpid = r->pid;
		r = ts_nstab_seen(t, f->ino, f->pid, f->ipname, now);
		if (r != NULL && stale_name(r, oldpid))
			name_row(p, r);
	}
	ts_nstab_end(t, now, on_gone, p);
	if (p->nunserved_new > 1)
		qsort(p->unserved_new, p->nunserved_new, sizeof(*p->unserved_new),
		    found_cmp);
	swap = p->unserved;
	p->unserved = p->unserved_new;
	p->unserved_new = swap;
	p->nunserved = p->nunserved_new;
	return 0;
}

/* ---------------------------------------------------------------- reads */

struct inside {
	struct ts_lsnpoll *p;
	uint64_t	cookie;
	struct ts_hostctr hc;
	int		hc_ok;
};

/* Runs inside the namespace: its cookie, counters and listeners. */
static int
read_inside(void *arg)
{
	struct inside *in = arg;
	char root[4096], err[256];
	int fd, r, e;

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	in->cookie = ts_netns_cookie(fd);
	snprintf(root, sizeof(root), "%s/thread-self", in->p->conf.procroot);
	memset(&in->hc, 0, sizeof(in->hc));
	in->hc_ok = ts_hostctr_read(&in->hc, root, err, sizeof(err)) == 0;
	r = ts_sockdiag_socks(fd, &in->p->socks);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

static int
read_ns(struct ts_lsnpoll *p, struct ts_ns_row *r, ts_ns now)
{
	char path[4096];
	struct inside in;
	struct ts_lsn_update u;
	int lost, rc;

	memset(&in, 0, sizeof(in));
	in.p = p;
	if (r->ipname[0] != '\0')
		snprintf(path, sizeof(path), "%s/%s", p->conf.netns_dir,
		    r->ipname);
	else if (r->pid > 0)
		snprintf(path, sizeof(path), "%s/%d/ns/net", p->conf.procroot,
		    r->pid);
	else if (!r->self) {
		ts_nstab_failed(r, ENOENT, now);
		p->st.failed++;
		return 0;
	} else
		snprintf(path, sizeof(path), "%s/thread-self/ns/net",
		    p->conf.procroot);
	rc = ts_netns_run(path, r->ino, read_inside, &in, &lost);
	if (lost) {
		p->lost = 1;
		return -2;
	}
	p->st.entered++;
	if (rc == -1) {
		ts_nstab_failed(r, errno, now);
		p->st.failed++;
		return 0;
	}
	if (ts_nstab_sample(p->ns, r, in.cookie, &in.hc, now)) {
		/* Another namespace with the same inode: a new row. */
		ts_lsntab_forget(p->lsn, r->ino, now);
		name_row(p, r);
	}
	(void)ts_lsntab_update(p->lsn, r->ino, p->socks.s, p->socks.n,
	    r->prev_read, now, &u);
	ts_nstab_listeners(r, u.listeners, u.unlisted, u.drop_growth);
	return 0;
}

static int
by_ino_row(const void *a, const void *b)
{
	const struct ts_ns_row *x = *(struct ts_ns_row *const *)a;
	const struct ts_ns_row *y = *(struct ts_ns_row *const *)b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static int
read_all(struct ts_lsnpoll *p, ts_ns now)
{
	struct ts_ns_row **v, *r;
	size_t n = 0, k;

	if ((v = calloc(p->ns->nrows + 1, sizeof(*v))) == NULL)
		return 0;
	for (r = p->ns->rows; r != NULL; r = r->next) {
		if (r->state == TS_NSS_GONE)
			continue;
		if (r->self) {
			if (read_ns(p, r, now) == -2) {
				free(v);
				return -2;
			}
			continue;
		}
		v[n++] = r;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), by_ino_row);
	k = n < p->conf.netns.per_poll ? n : p->conf.netns.per_poll;
	for (size_t i = 0; i < k; i++)
		if (read_ns(p, v[(p->rr + i) % n], now) == -2) {
			free(v);
			return -2;
		}
	p->rr = n > 0 ? (uint32_t)((p->rr + k) % n) : 0;
	free(v);
	return 0;
}

/* --------------------------------------------------------------- owners */

struct pidstart {
	int		pid;
	uint64_t	start;
};

static int
by_pidstart(const void *a, const void *b)
{
	const struct pidstart *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Owners whose process went away (or whose pid was reused) look again:
 * one stat read per distinct owner. */
static void
check_owners(struct ts_lsnpoll *p)
{
	struct pidstart *v;
	size_t n = 0;

	if (p->lsn->nrows == 0 ||
	    (v = calloc(p->lsn->nrows, sizeof(*v))) == NULL)
		return;
	for (struct ts_lsn_row *r = p->lsn->rows; r != NULL; r = r->next)
		if (r->owner_state == TS_OWN_FOUND) {
			v[n].pid = r->owner.pid;
			v[n++].start = r->owner.start;
		}
	if (n > 1)
		qsort(v, n, sizeof(*v), by_pidstart);
	for (size_t i = 0; i < n; i++) {
		struct ts_proc pr;

		if (i > 0 && by_pidstart(&v[i], &v[i - 1]) == 0)
			continue;
		if (ts_proc_stat(p->conf.procroot, v[i].pid, &pr) == -1 ||
		    pr.start != v[i].start)
			ts_lsntab_owner_gone(p->lsn, v[i].pid, v[i].start);
	}
	free(v);
}

static void
find_owners(struct ts_lsnpoll *p, ts_ns now)
{
	struct ts_lsn_row **rows;
	struct ts_sockowner *w;
	size_t n, max = p->lsn->nrows;

	if (max == 0)
		return;
	rows = calloc(max, sizeof(*rows));
	w = calloc(max, sizeof(*w));
	if (rows == NULL || w == NULL)
		goto out;
	if ((n = ts_lsntab_owner_wanted(p->lsn, rows, max, now)) == 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		w[i].inode = rows[i]->s.inode;
	p->st.owners_asked += (uint32_t)n;
	if (ts_sockowner_find(p->conf.procroot, w, n, NULL) == -1)
		goto out;
	/* w is sorted by inode now (its first member): match rows back. */
	for (size_t i = 0; i < n; i++) {
		uint32_t key = rows[i]->s.inode;
		struct ts_sockowner *f;
		struct ts_lsn_owner o;

		f = bsearch(&key, w, n, sizeof(*w), by_u32);
		if (f == NULL || f->proc.pid == 0) {
			ts_lsntab_set_owner(p->lsn, rows[i], NULL, now);
			continue;
		}
		memset(&o, 0, sizeof(o));
		o.pid = f->proc.pid;
		o.start = f->proc.start;
		o.uid = f->proc.uid;
		o.holders = f->holders;
		memcpy(o.comm, f->proc.comm, sizeof(o.comm));
		ts_cgroup_classify(f->proc.cgroup, &o.unit);
		ts_lsntab_set_owner(p->lsn, rows[i], &o, now);
		p->st.owners_found++;
	}
out:
	free(rows);
	free(w);
}

int
ts_lsnpoll_run(struct ts_lsnpoll *p, ts_ns now)
{
	ts_ns t0 = ts_now_mono();
	int rc = 0;

	if (p->lost)
		return -2;
	p->st.entered = p->st.failed = 0;
	p->st.owners_asked = p->st.owners_found = 0;
	if (discover(p, now) == -1)
		rc = -1;
	else if (read_all(p, now) == -2)
		return -2;
	check_owners(p);
	find_owners(p, now);
	p->st.polls++;
	p->st.took = ts_now_mono() - t0;
	return rc;
}
