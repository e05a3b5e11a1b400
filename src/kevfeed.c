/*
 * kevfeed.c - records to caller rows and listener history (see kevfeed.h).
 */
#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "kevfeed.h"

#define CG_CACHE	256	/* direct-mapped: id % CG_CACHE */

struct cg_entry {
	uint64_t	id;		/* 0: empty */
	char		path[KEV_CGROUP_LEN];	/* "" if not found */
};

struct kev_feed {
	struct kev_feed_conf	 conf;
	struct kev_callers	*callers;
	struct kev_listen	*listen;
	struct cg_entry		 cg[CG_CACHE];
	struct kev_feed_stats	 stats;
};

void
kev_feed_conf_default(struct kev_feed_conf *c, const char *procroot)
{
	memset(c, 0, sizeof(*c));
	kev_callers_conf_default(&c->callers);
	c->listeners = KEV_LISTENERS_DEFAULT;
	if (ts_cgroup2_mount(procroot, c->cgroup_mount,
	    sizeof(c->cgroup_mount)) != 0)
		c->cgroup_mount[0] = '\0';
}

struct kev_feed *
kev_feed_new(const struct kev_feed_conf *conf)
{
	struct kev_feed *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->conf = *conf;
	if ((f->callers = kev_callers_new(&conf->callers)) == NULL ||
	    (f->listen = kev_listen_new(conf->listeners)) == NULL) {
		kev_feed_free(f);
		return NULL;
	}
	return f;
}

void
kev_feed_free(struct kev_feed *f)
{
	if (f == NULL)
		return;
	kev_callers_free(f->callers);
	kev_listen_free(f->listen);
	free(f);
}

/* The path of cgroup id, or "" when it cannot be found (gone). */
static const char *
cg_path(struct kev_feed *f, uint64_t id)
{
	struct cg_entry *c = &f->cg[id % CG_CACHE];

	if (id == 0 || f->conf.cgroup_mount[0] == '\0')
		return "";
	if (c->id != id) {
		f->stats.cgroup_walks++;
		c->id = id;
		if (ts_cgroup_path_of_id(f->conf.cgroup_mount, id, c->path,
		    sizeof(c->path)) != 0)
			c->path[0] = '\0';
	}
	return c->path;
}

void
kev_feed_who(struct kev_feed *f, const struct kev_event *e,
    struct kev_who *w)
{
	const char *p = cg_path(f, e->caller.cgroup_id);

	memset(w, 0, sizeof(*w));
	w->netns = e->netns_cookie;
	w->uid = e->caller.uid;
	memcpy(w->comm, e->caller.comm, sizeof(w->comm));
	w->comm[sizeof(w->comm) - 1] = '\0';
	if (p[0] == '\0' && e->caller.cgname[0] != '\0') {
		/* Gone already (a short-lived scope): its own name. */
		f->stats.cgroup_gone++;
		p = e->caller.cgname;
	}
	/* Cut as snprintf() would, without its cost on every record. */
	memcpy(w->cgroup, p, strnlen(p, sizeof(w->cgroup) - 1));
}

void
kev_event_epkey(const struct kev_event *e, struct kev_epkey *k)
{
	int listener = e->type == KEV_LISTEN || e->type == KEV_UNLISTEN;

	memset(k, 0, sizeof(*k));
	k->netns = e->netns_cookie;
	k->family = e->family == AF_INET ? TS_AF_INET : TS_AF_INET6;
	k->port = listener ? e->sport : e->dport;
	memcpy(k->addr, listener ? e->saddr : e->daddr, sizeof(k->addr));
}

void
kev_feed_event(struct kev_feed *f, const struct kev_event *e, ts_ns when)
{
	struct kev_epkey k;
	struct kev_who w;
	enum kev_reason r;

	kev_event_epkey(e, &k);
	switch (e->type) {
	case KEV_CONNECT_FAIL:
	case KEV_CONNECT_ERR:
		r = kev_reason_of(e);
		f->stats.failures++;
		f->stats.by_reason[r]++;
		if (!kev_in_attemptfails(e))
			f->stats.not_attemptfails++;
		if (e->flags & KEV_F_NOCALLER) {
			f->stats.no_caller++;
			kev_callers_add(f->callers, &k, e->netns_ino, NULL, 0, 0,
			    e->err, r, when);
			break;
		}
		kev_feed_who(f, e, &w);
		kev_callers_add(f->callers, &k, e->netns_ino, &w,
		    e->caller.pid, e->caller.start_ns, e->err, r, when);
		break;
	case KEV_LISTEN:
		if (k.port == 0)
			break;	/* listen() without bind(): no port yet */
		f->stats.listens++;
		kev_feed_who(f, e, &w);
		kev_listen_start(f->listen, &k, e->netns_ino,
		    (e->flags & KEV_F_V6ONLY) != 0, &w, e->caller.pid,
		    e->caller.start_ns, e->sock_cookie, when, 0);
		break;
	case KEV_UNLISTEN:
		if (k.port == 0)
			break;
		f->stats.unlistens++;
		kev_listen_stop(f->listen, &k, e->netns_ino, e->sock_cookie,
		    when);
		break;
	}
}

void
kev_feed_learnt(struct kev_feed *f, const struct kev_found *l, ts_ns now)
{
	f->stats.learnt++;
	kev_listen_start(f->listen, &l->key, l->netns_ino, l->v6only, &l->who,
	    l->pid, l->pid_start, l->cookie, now, 1);
}

struct kev_callers *
kev_feed_callers(struct kev_feed *f)
{
	return f->callers;
}

struct kev_listen *
kev_feed_listen(struct kev_feed *f)
{
	return f->listen;
}

const struct kev_feed_stats *
kev_feed_stats(const struct kev_feed *f)
{
	return &f->stats;
}

int
kev_who_line(const struct kev_who *w, uint32_t pid, char *buf, size_t len)
{
	struct ts_cg_owner o;

	ts_cgroup_classify(w->cgroup[0] != '\0' ? w->cgroup : NULL, &o);
	if (o.kind == TS_CG_NONE || o.name[0] == '\0')
		return snprintf(buf, len, "pid %u %s", pid, w->comm);
	return snprintf(buf, len, "pid %u %s (%s)", pid, w->comm, o.name);
}
