/*
 * collector.c - the capture thread and the snapshots it publishes.
 */
#include "config.h"

#include <sys/eventfd.h>
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "collector.h"
#include "ifname.h"
#include "kevsnap.h"
#include "log.h"
#include "lsnfail.h"
#include "lsnsnap.h"
#include "sockdiag.h"

struct ts_collector {
	struct ts_collector_conf conf;
	struct ts_steady	 steady;	/* the engine's time */
	struct ts_engine	*e;
	struct kevsrc		*kev;
	struct ts_capture	 caps[TS_COLLECTOR_MAX_IFACES];
	char			 names[TS_COLLECTOR_MAX_IFACES][256];
	int			 ncaps;
	char			*filter;	/* owned copy */
	/* a reload waiting for the thread (under mu) */
	int			 re_pending;
	struct ts_ignore	 re_ignore;
	char			 re_names[TS_COLLECTOR_MAX_IFACES][256];
	int			 re_ncaps;
	char			*re_filter;
	int			 last_state[TS_COLLECTOR_MAX_IFACES];
	pthread_t		 thr;
	int			 started;
	atomic_int		 stop;
	int			 wake_fd;	/* eventfd: stop or reload */
	int			 pub_fd;	/* eventfd: a new snapshot */
	pthread_mutex_t		 mu;
	uint32_t		 netns;	/* our network namespace's inode */
	struct ts_snapshot	*latest;
	uint64_t		 serial;
	struct ts_top		 top;		/* the last bounded view's members */
	int			 follow_warned;	/* kevsrc_follow failed once */
	/* host polling */
	struct ts_hostctr	 hc, hc_prev;
	int			 hc_ok, have_prev;
	char			 hc_err[256];
	struct ts_rate		 hc_rate[TS_HR__COUNT];
	struct ts_listeners	 ls;
	int			 ls_ok;
	ts_ns			 hc_discont;
	/* namespaces and listeners */
	struct ts_lsnpoll	*lp;
	char			 lp_err[256];	/* the last error logged */
	atomic_int		 failed;	/* lost its namespace: ended */
	void			(*chain_event)(void *, const struct ts_event *,
				    const char *);
	void			*chain_arg;
	/* coverage baselines, taken when a capture first runs */
	ts_ns			 cov_since;
	uint64_t		 base_outrsts, base_attfails;
	uint64_t		 base_seen_rsts, base_seen_fails, base_kev_fails;
};

static ts_ns
steady_now(const struct ts_collector *c)
{
	return ts_steady_at(&c->steady, ts_now_mono());
}

static const enum ts_hc hr_ctr[TS_HR__COUNT] = {
#define X(id) TS_HC_##id,
	TS_HOST_RATED(X)
#undef X
};

int
ts_hr_counter(enum ts_hr r)
{
	return (unsigned)r < TS_HR__COUNT ? (int)hr_ctr[r] : -1;
}

void
ts_collector_conf_default(struct ts_collector_conf *cc)
{
	memset(cc, 0, sizeof(*cc));
	ts_engine_conf_default(&cc->engine);
	ts_capture_conf_default(&cc->capture);
	ts_top_conf_default(&cc->top);
	cc->ifaces[0] = "any";
	cc->nifaces = 1;
	cc->publish_interval = TS_NS_PER_SEC / 2;
	cc->poll_interval = TS_NS_PER_SEC;
	cc->reopen_interval = 10 * TS_NS_PER_SEC;
	cc->procroot = "/proc";
	kevsrc_conf_default(&cc->kev);
	cc->namespaces = "all";
	ts_lsnpoll_conf_default(&cc->lsn);
}

static int
row_cmp(const void *x, const void *y)
{
	return ts_epkey_cmp(&((const struct ts_snap_row *)x)->key,
	    &((const struct ts_snap_row *)y)->key);
}

static int
port_cmp(const void *x, const void *y)
{
	const struct ts_snap_row *a = x, *b = y;

	return a->key.port < b->key.port ? -1 : a->key.port > b->key.port;
}

/*
 * A row; ls: this namespace's listeners (own: its netns), or NULL.  A row
 * of another namespace (the kernel's only) is named with it.
 */
static void
fill_row(struct ts_snap_row *s, const struct ts_row *r,
    const struct ts_rate_conf *rc, ts_ns now, const struct ts_listeners *ls,
    uint32_t own)
{
	char ep[TS_EPSTRLEN];

	memset(s, 0, sizeof(*s));
	s->key = r->key;
	s->netns = r->key.netns;
	s->k.kfail = r->kfail;
	memcpy(s->count, r->count, sizeof(s->count));
	memcpy(s->rst_by, r->rst_by, sizeof(s->rst_by));
	s->failures = ts_row_failures(r);
	s->lsn_overflows = r->lsn_overflows;
	for (int w = 0; w < TS_RATE_WINDOWS; w++) {
		uint64_t m = ts_rate_milli(&r->rate, rc, w, now);

		s->rate[w] = m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
	}
	s->peers = (uint32_t)ts_row_peers(r);
	s->created = r->created;
	s->first = r->first;
	s->last = r->last;
	s->ifindex = r->ifindex;
	memcpy(s->ifname, r->ifname, sizeof(s->ifname));
	s->loc = r->loc;
	s->last_cls = r->last_cls;
	s->icmp_type = r->icmp_type;
	s->icmp_code = r->icmp_code;
	s->peer_port = r->peer_port;
	memcpy(s->peer, r->peer, 16);
	memcpy(s->icmp_from, r->icmp_from, 16);
	s->syn_retx = r->syn_retx;
	if (r->key.family == 0)
		snprintf(s->name, sizeof(s->name), "other");
	else if (r->key.netns != own)
		snprintf(s->name, sizeof(s->name), "net:[%u] %s", r->key.netns,
		    ts_epkey_str(&r->key, ep, sizeof(ep)));
	else
		snprintf(s->name, sizeof(s->name), "%s%s%s",
		    r->ifname[0] ? r->ifname : "",
		    r->ifname[0] ? " " : "", ts_epkey_str(&r->key, ep, sizeof(ep)));
	if (r->loc != TS_LOC_LOCAL || ls == NULL || r->key.netns != own)
		s->listen = TS_LISTEN_UNKNOWN;
	else
		s->listen = ts_listeners_has(ls, r->key.family, r->key.addr,
		    r->key.port) ? TS_LISTEN_YES : TS_LISTEN_NO;
}

/* The per-port roll-up from rows sorted by key. */
static int
build_ports(struct ts_snapshot *s)
{
	struct ts_snap_row *byport;
	size_t i, n = 0;

	if (s->nrows == 0)
		return 0;
	if ((byport = malloc(s->nrows * sizeof(*byport))) == NULL ||
	    (s->ports = calloc(s->nrows, sizeof(*s->ports))) == NULL) {
		free(byport);
		return -1;
	}
	memcpy(byport, s->rows, s->nrows * sizeof(*byport));
	qsort(byport, s->nrows, sizeof(*byport), port_cmp);
	for (i = 0; i < s->nrows; i++) {
		struct ts_snap_port *p;

		if (n == 0 || s->ports[n - 1].port != byport[i].key.port) {
			s->ports[n].port = byport[i].key.port;
			n++;
		}
		p = &s->ports[n - 1];
		p->endpoints++;
		p->failures += byport[i].failures;
		for (int c = 0; c < TS_CL__COUNT; c++)
			p->count[c] += byport[i].count[c];
		for (int w = 0; w < TS_RATE_WINDOWS; w++) {
			uint64_t m = (uint64_t)p->rate[w] + byport[i].rate[w];

			p->rate[w] = m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
		}
	}
	s->nports = n;
	free(byport);
	return 0;
}

struct ts_snapshot *
ts_snapshot_build(const struct ts_engine *e, ts_ns now,
    const struct ts_listeners *ls)
{
	const struct ts_rate_conf *rc = &e->conf.eptab.rates;
	const struct ts_classify_stats *cs = ts_classify_stats(e->cl);
	const struct ts_eptab_stats *es = ts_eptab_stats(e->ep);
	const struct ts_row **list;
	struct ts_snapshot *s;
	uint32_t n = ts_eptab_rows(e->ep);

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	list = calloc(n ? n : 1, sizeof(*list));
	s->rows = calloc(n ? n : 1, sizeof(*s->rows));
	if (list == NULL || s->rows == NULL) {
		free(list);
		ts_snapshot_free(s);
		return NULL;
	}
	n = ts_eptab_list(e->ep, list, n);
	for (uint32_t i = 0; i < n; i++)
		fill_row(&s->rows[i], list[i], rc, now, ls,
		    e->conf.eptab.netns);
	free(list);
	s->nrows = n;
	qsort(s->rows, n, sizeof(*s->rows), row_cmp);
	if (build_ports(s) == -1) {
		ts_snapshot_free(s);
		return NULL;
	}
	fill_row(&s->other, ts_eptab_other(e->ep), rc, now, NULL,
	    e->conf.eptab.netns);
	s->wall = now;	/* the wall clock once published */
	s->dec = e->dec;
	s->cls = *cs;
	memcpy(s->failures, e->st.failures, sizeof(s->failures));
	s->flows = ts_classify_flows(e->cl);
	s->pending = ts_classify_pending(e->cl);
	s->first_ts = e->st.first_ts;
	s->last_ts = e->st.last_ts;
	s->duplicates = e->st.duplicates;
	for (int w = 0; w < TS_RATE_WINDOWS; w++) {
		uint64_t m = ts_rate_milli(&e->host_rate, rc, w, now);

		s->windows[w] = rc->window[w];
		s->fail_rate[w] = m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
	}
	s->max_rows = ts_eptab_conf(e->ep)->max_rows;
	s->admissions = es->admissions;
	s->evictions = es->evictions;
	s->expiries = es->expiries;
	s->other_events = es->other_events;
	s->cov_rsts_seen = e->st.rsts_from_host;
	s->cov_fails_seen = e->st.host_attempt_fails;
	return s;
}

/*
 * The engine's events (capture thread): an attempt to a local endpoint
 * that failed while its listener was dropping gets the reason.
 */
static void
on_event(void *arg, const struct ts_event *ev, const char *ifname)
{
	struct ts_collector *c = arg;

	(void)ts_lsnfail_event(c->e, c->lp != NULL ? c->lp->lsn : NULL,
	    c->netns, ev);
	if (c->chain_event != NULL)
		c->chain_event(c->chain_arg, ev, ifname);
}

/* The namespace and listener poller, as configured (namespaces: parsed,
 * and the kernel source's namespaces set from it). */
static struct ts_lsnpoll *
new_lsnpoll(struct ts_collector_conf *cc)
{
	char err[256];

	cc->lsn.procroot = cc->procroot;
	cc->lsn.netns.rates = cc->engine.eptab.rates;
	cc->lsn.lsn.rates = cc->engine.eptab.rates;
	if (cc->namespaces != NULL && ts_netns_conf_parse(&cc->lsn.netns,
	    cc->namespaces, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return NULL;
	}
	cc->namespaces = NULL;		/* not kept: parsed */
	/* The kernel source (opened next) follows the namespaces chosen:
	 * its own alone, or those a discovery serves (follow_namespaces). */
	if (cc->lsn.netns.mode == TS_NS_SELF)
		cc->kev.self_only = 1;
	else if (cc->lsn.netns.mode == TS_NS_LIST)
		cc->kev.kev.netns_filter = 1;
	return ts_lsnpoll_new(&cc->lsn);
}

/* The nsfs inode of the network namespace this process captures in. */
static uint32_t
own_netns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) == -1) {
		log_warn("/proc/self/ns/net (rows are in namespace 0)");
		return 0;
	}
	return (uint32_t)st.st_ino;
}

struct ts_collector *
ts_collector_new(const struct ts_collector_conf *conf)
{
	struct ts_collector *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	ts_steady_init(&c->steady, ts_now_wall(), ts_now_mono());
	c->conf = *conf;
	if (c->conf.nifaces == 0) {
		c->conf.ifaces[0] = "any";
		c->conf.nifaces = 1;
	}
	c->ncaps = c->conf.nifaces;
	for (int i = 0; i < c->ncaps; i++) {
		snprintf(c->names[i], sizeof(c->names[i]), "%s",
		    c->conf.ifaces[i]);
		c->last_state[i] = -1;
	}
	/* The configuration's strings may not outlive a reload: copy. */
	if (conf->capture.filter != NULL &&
	    (c->filter = strdup(conf->capture.filter)) == NULL) {
		free(c);
		return NULL;
	}
	c->conf.capture.filter = c->filter;
	c->conf.capture.steady = &c->steady;
	for (int i = 0; i < TS_COLLECTOR_MAX_IFACES; i++)
		c->conf.ifaces[i] = NULL;
	c->conf.engine.ifname = ts_ifname;
	c->netns = own_netns();
	c->conf.engine.eptab.netns = c->netns;
	c->chain_event = c->conf.engine.on_event;
	c->chain_arg = c->conf.engine.event_arg;
	c->conf.engine.on_event = on_event;
	c->conf.engine.event_arg = c;
	if ((c->e = ts_engine_new(&c->conf.engine)) == NULL ||
	    (c->lp = new_lsnpoll(&c->conf)) == NULL ||
	    (c->kev = kevsrc_open(&c->conf.kev, c->e, &c->steady,
	    c->conf.procroot, steady_now(c))) == NULL) {
		ts_lsnpoll_free(c->lp);
		ts_engine_free(c->e);
		free(c->filter);
		free(c);
		return NULL;
	}
	for (int r = 0; r < TS_HR__COUNT; r++)
		ts_rate_init(&c->hc_rate[r]);
	c->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	c->pub_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->wake_fd == -1 || c->pub_fd == -1) {
		log_warn("eventfd");
		if (c->wake_fd != -1)
			close(c->wake_fd);
		if (c->pub_fd != -1)
			close(c->pub_fd);
		kevsrc_close(c->kev);
		ts_lsnpoll_free(c->lp);
		ts_engine_free(c->e);
		free(c->filter);
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	ts_top_init(&c->top, &c->conf.top);
	return c;
}

const struct kevsrc *
ts_collector_kev(const struct ts_collector *c)
{
	return c->kev;
}

static void
efd_signal(int fd)
{
	uint64_t one = 1;

	/* Fails only when the counter is full: it is readable anyway. */
	(void)!write(fd, &one, sizeof(one));
}

static void
efd_drain(int fd)
{
	uint64_t v;

	(void)!read(fd, &v, sizeof(v));
}

int
ts_collector_notify_fd(const struct ts_collector *c)
{
	return c->pub_fd;
}

void
ts_collector_free(struct ts_collector *c)
{
	if (c == NULL)
		return;
	ts_collector_stop(c);
	for (int i = 0; i < c->ncaps; i++)
		ts_capture_close(&c->caps[i]);
	ts_snapshot_free(c->latest);
	ts_top_free(&c->top);
	ts_listeners_free(&c->ls);
	kevsrc_close(c->kev);
	ts_lsnpoll_free(c->lp);
	ts_engine_free(c->e);
	pthread_mutex_destroy(&c->mu);
	close(c->wake_fd);
	close(c->pub_fd);
	free(c->filter);
	free(c->re_filter);
	free(c);
}

/* Open what is not running; log a state change once, not every retry. */
static void
open_captures(struct ts_collector *c)
{
	for (int i = 0; i < c->ncaps; i++) {
		struct ts_capture *cap = &c->caps[i];

		if (cap->state == TS_CAP_RUNNING)
			continue;
		if (ts_capture_open_live(cap, c->names[i], &c->conf.capture) == 0) {
			log_info("capturing on %s (%s)", c->names[i],
			    ts_dlt_name(cap->dlt));
			if (c->cov_since == 0) {
				c->cov_since = steady_now(c);
				c->base_outrsts = c->hc.v[TS_HC_OUT_RSTS];
				c->base_attfails = c->hc.v[TS_HC_ATTEMPT_FAILS];
				c->base_kev_fails =
				    kevsrc_stats(c->kev)->cov_fails;
			}
		} else if (cap->state != c->last_state[i]) {
			log_warnx("%s%s", cap->err, cap->state ==
			    TS_CAP_PERM_DENIED ? "; serving the kernel counters "
			    "only, retrying" : " (retrying)");
		}
		c->last_state[i] = cap->state;
	}
}

/*
 * Every namespace served, entered in turn on this thread (lsnpoll.h).  A
 * thread that could not get back to its own namespace must do nothing
 * more that depends on it (captures, sock_diag, /proc/thread-self): it
 * ends, and tcpsleuthd exits so that it is started again.
 */
/*
 * With a list in "namespaces", the kernel source follows this process's
 * namespace and those the discovery serves, and stops following one gone
 * (the kernel's map of namespaces followed: kev_netns_allow).
 */
static void
follow_namespaces(struct ts_collector *c)
{
	if (c->conf.lsn.netns.mode != TS_NS_LIST ||
	    kevsrc_state(c->kev) == KEVSRC_DISABLED ||
	    kevsrc_state(c->kev) == KEVSRC_UNAVAILABLE)
		return;
	for (const struct ts_ns_row *r = c->lp->ns->rows; r != NULL; r = r->next)
		if (kevsrc_follow(c->kev, r->ino, r->state != TS_NSS_GONE ||
		    r->ino == c->netns) != 0 && !c->follow_warned) {
			log_warn("kernel events: following namespace %u", r->ino);
			c->follow_warned = 1;
		}
}

static void
poll_listeners(struct ts_collector *c, ts_ns now)
{
	int r;

	if (atomic_load(&c->failed))
		return;
	if ((r = ts_lsnpoll_run(c->lp, now)) == -2) {
		log_warnx("could not return to its own network namespace after "
		    "reading another: the capture thread stops");
		atomic_store(&c->failed, 1);
		atomic_store(&c->stop, 1);
		return;
	}
	if (r == -1 && strcmp(c->lp_err, c->lp->st.err) != 0)
		log_warnx("namespaces: %s", c->lp->st.err);
	else if (r == 0 && c->lp_err[0] != '\0')
		log_info("namespaces: found again");
	snprintf(c->lp_err, sizeof(c->lp_err), "%s", r == -1 ?
	    c->lp->st.err : "");
	if (r == 0)
		follow_namespaces(c);
}

int
ts_collector_failed(const struct ts_collector *c)
{
	return atomic_load(&c->failed);
}

static void
poll_host(struct ts_collector *c, ts_ns now)
{
	char err[256];

	if (ts_hostctr_read(&c->hc, c->conf.procroot, err, sizeof(err)) == 0) {
		/* Any counter going back: the namespace or host was recreated. */
		for (int h = 0; h < TS_HC__COUNT && c->have_prev; h++)
			if (c->hc.present[h] && c->hc_prev.present[h] &&
			    c->hc.v[h] < c->hc_prev.v[h]) {
				if (c->hc_discont == 0 ||
				    now - c->hc_discont > TS_NS_PER_SEC)
					log_warnx("kernel counters went back (%s "
					    "%llu -> %llu): a discontinuity",
					    ts_hostctr_name(h), (unsigned long long)
					    c->hc_prev.v[h], (unsigned long long)
					    c->hc.v[h]);
				c->hc_discont = now;
				/* Coverage compares deltas: start it again. */
				if (c->cov_since != 0) {
					c->cov_since = now;
					c->base_outrsts = c->hc.v[TS_HC_OUT_RSTS];
					c->base_attfails =
					    c->hc.v[TS_HC_ATTEMPT_FAILS];
					c->base_seen_rsts = c->e->st.rsts_from_host;
					c->base_seen_fails =
					    c->e->st.host_attempt_fails;
					c->base_kev_fails =
					    kevsrc_stats(c->kev)->cov_fails;
				}
				break;
			}
		for (int r = 0; r < TS_HR__COUNT; r++) {
			enum ts_hc h = hr_ctr[r];

			/* A counter going back (namespace recreated): new base. */
			if (c->have_prev && c->hc.present[h] &&
			    c->hc_prev.present[h] && c->hc.v[h] >= c->hc_prev.v[h]) {
				uint64_t d = c->hc.v[h] - c->hc_prev.v[h];

				ts_rate_add(&c->hc_rate[r],
				    &c->conf.engine.eptab.rates, now,
				    d > UINT32_MAX ? UINT32_MAX : (uint32_t)d);
			}
		}
		if (!c->hc_ok && c->hc_err[0] != '\0')
			log_info("kernel counters readable again");
		c->hc_prev = c->hc;
		c->have_prev = 1;
		c->hc_ok = 1;
		c->hc_err[0] = '\0';
	} else {
		if (c->hc_ok || c->hc_err[0] == '\0')
			log_warnx("%s", err);
		snprintf(c->hc_err, sizeof(c->hc_err), "%s", err);
		c->hc_ok = 0;
		c->have_prev = 0;
	}
	c->ls_ok = ts_listeners_load(&c->ls) == 0;
	ts_localaddr_load(&c->e->local);
	ts_ifname_flush();
	poll_listeners(c, now);
	/* Callers are kept as long as rows are. */
	kevsrc_expire(c->kev, now - c->conf.engine.eptab.ttl);
}

/*
 * The engine's times are steady; people read the wall clock.  d is how far
 * the wall clock has stepped since the start (0 unless it did).
 */
static void
to_wall(struct ts_snapshot *s, ts_ns d)
{
#define SHIFT(t)	do { if ((t) != 0) (t) += d; } while (0)
	if (d == 0)
		return;
	for (size_t i = 0; i < s->nrows; i++) {
		SHIFT(s->rows[i].created);
		SHIFT(s->rows[i].first);
		SHIFT(s->rows[i].last);
		SHIFT(s->rows[i].k.since);
		SHIFT(s->rows[i].k.listener_stopped);
	}
	for (size_t i = 0; i < s->ncallers; i++) {
		SHIFT(s->callers[i].created);
		SHIFT(s->callers[i].last);
	}
	SHIFT(s->other.created);
	SHIFT(s->other.first);
	SHIFT(s->other.last);
	SHIFT(s->wall);
	SHIFT(s->first_ts);
	SHIFT(s->last_ts);
	SHIFT(s->cov_since);
	SHIFT(s->hc_discont);
#undef SHIFT
	ts_lsnsnap_shift(s, d);
}

/* Add item to the comma-separated list in buf (*off: its length). */
static void
list_add(char *buf, size_t len, size_t *off, const char *item)
{
	*off += (size_t)snprintf(buf + *off, *off < len ? len - *off : 0,
	    "%s%s", *off ? "," : "", item);
	if (*off >= len)
		*off = len - 1;
}

static void
publish(struct ts_collector *c, ts_ns now)
{
	struct ts_snapshot *s, *old;
	int worst = TS_CAP_RUNNING;
	size_t off = 0, off_dlt = 0;
	ts_ns d;

	if ((s = ts_snapshot_build(c->e, now, c->ls_ok ? &c->ls : NULL)) == NULL) {
		log_warnx("cannot allocate a snapshot");
		return;
	}
	s->mono = ts_now_mono();
	if (ts_lsnsnap_fill(s, c->lp, now) == -1)
		log_warnx("cannot allocate the listener tables' snapshot");
	s->lsn_watched = !atomic_load(&c->failed);
	s->other.netns = c->netns;
	if (kevsrc_snapshot(c->kev, s) == -1)
		log_warnx("cannot allocate the callers of a snapshot");
	if (ts_top_build(&c->top, s) == -1)
		log_warnx("cannot allocate the bounded view (tcpsleuthTopTable)");
	for (int i = 0; i < c->ncaps; i++) {
		struct ts_capture *cap = &c->caps[i];
		uint64_t recv, drop;

		if (cap->state == TS_CAP_RUNNING &&
		    ts_capture_stats(cap, &recv, &drop) == 0)
			s->kernel_drops += drop;
		if (cap->state != TS_CAP_RUNNING && worst == TS_CAP_RUNNING) {
			worst = cap->state;
			snprintf(s->cap_error, sizeof(s->cap_error), "%s", cap->err);
		}
		list_add(s->cap_ifaces, sizeof(s->cap_ifaces), &off, c->names[i]);
		list_add(s->cap_linktypes, sizeof(s->cap_linktypes), &off_dlt,
		    cap->state == TS_CAP_RUNNING ? ts_dlt_name(cap->dlt) : "-");
	}
	s->cap_state = worst;
	s->hc_ok = c->hc_ok;
	s->hc = c->hc;
	s->hc_discont = c->hc_discont;
	snprintf(s->hc_err, sizeof(s->hc_err), "%s", c->hc_err);
	for (int r = 0; r < TS_HR__COUNT; r++)
		for (int w = 0; w < TS_RATE_WINDOWS; w++) {
			uint64_t m = ts_rate_milli(&c->hc_rate[r],
			    &c->conf.engine.eptab.rates, w, now);

			s->hc_rate[r][w] = m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
		}
	s->cov_since = c->cov_since;
	s->cov_rsts_seen -= c->base_seen_rsts;
	s->cov_fails_seen -= c->base_seen_fails;
	if (c->cov_since != 0)	/* and what only the kernel source saw */
		s->cov_fails_seen += kevsrc_stats(c->kev)->cov_fails -
		    c->base_kev_fails;
	if (c->cov_since != 0) {
		s->cov_rsts_kernel = c->hc.v[TS_HC_OUT_RSTS] - c->base_outrsts;
		s->cov_fails_kernel = c->hc.v[TS_HC_ATTEMPT_FAILS] - c->base_attfails;
	}
	d = ts_now_wall() - ts_steady_at(&c->steady, s->mono);
	to_wall(s, d);
	s->mono_off = c->steady.off + d;	/* published = steady + d */
	pthread_mutex_lock(&c->mu);
	s->serial = ++c->serial;
	old = c->latest;
	c->latest = s;
	if (old != NULL && old->refs == 0)
		ts_snapshot_free(old);
	else if (old != NULL)
		old->stale = 1;		/* the last reader frees it */
	pthread_mutex_unlock(&c->mu);
	efd_signal(c->pub_fd);
}

struct ts_snapshot *
ts_collector_acquire(struct ts_collector *c)
{
	struct ts_snapshot *s;

	pthread_mutex_lock(&c->mu);
	if ((s = c->latest) != NULL)
		s->refs++;
	pthread_mutex_unlock(&c->mu);
	return s;
}

void
ts_collector_release(struct ts_collector *c, struct ts_snapshot *s)
{
	int gone;

	if (s == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	gone = --s->refs == 0 && s->stale;
	pthread_mutex_unlock(&c->mu);
	if (gone)
		ts_snapshot_free(s);
}

void
ts_collector_reconf(struct ts_collector *c, const struct ts_collector_conf *nc)
{
	char *f = nc->capture.filter != NULL ? strdup(nc->capture.filter) : NULL;

	pthread_mutex_lock(&c->mu);
	c->re_ignore = nc->engine.ignore;
	c->re_ncaps = nc->nifaces > 0 ? nc->nifaces : 1;
	for (int i = 0; i < c->re_ncaps; i++)
		snprintf(c->re_names[i], sizeof(c->re_names[i]), "%s",
		    nc->nifaces > 0 ? nc->ifaces[i] : "any");
	free(c->re_filter);
	c->re_filter = f;
	c->re_pending = 1;
	pthread_mutex_unlock(&c->mu);
	efd_signal(c->wake_fd);
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* In the capture thread: take a pending reload. */
static void
apply_reconf(struct ts_collector *c)
{
	int reopen;

	pthread_mutex_lock(&c->mu);
	if (!c->re_pending) {
		pthread_mutex_unlock(&c->mu);
		return;
	}
	c->re_pending = 0;
	ts_engine_set_ignore(c->e, &c->re_ignore);
	reopen = c->re_ncaps != c->ncaps || !same_str(c->re_filter, c->filter);
	for (int i = 0; i < c->re_ncaps && !reopen; i++)
		reopen = strcmp(c->re_names[i], c->names[i]) != 0;
	if (reopen) {
		for (int i = 0; i < c->ncaps; i++)
			ts_capture_close(&c->caps[i]);
		c->ncaps = c->re_ncaps;
		for (int i = 0; i < c->ncaps; i++) {
			memcpy(c->names[i], c->re_names[i], sizeof(c->names[i]));
			c->last_state[i] = -1;
		}
		free(c->filter);
		c->filter = c->re_filter;
		c->re_filter = NULL;
		c->conf.capture.filter = c->filter;
	}
	pthread_mutex_unlock(&c->mu);
	if (reopen) {
		log_info("interfaces or filter changed: reopening the captures");
		open_captures(c);
	}
	log_info("the reloaded configuration is in effect");
}

/*
 * The capture thread.  It sleeps until packets arrive or a configured
 * timer is due: the host poll, a snapshot when something changed (packets,
 * the poll) and publish-interval has passed since the last, the watchdog's
 * heartbeat, a retry of a failed capture; stop and reload wake it through
 * wake_fd.  Idle, that is one wake-up per poll-interval.
 */
static void *
run(void *arg)
{
	struct ts_collector *c = arg;
	struct pollfd pfd[TS_COLLECTOR_MAX_IFACES + 2];
	ts_ns next_open = 0, next_poll = 0, next_pub = 0, last_pub = 0, t;
	ts_ns kev_next = 0;	/* kevsrc_holdoff(): the ring left alone until */
	int dirty = 1;

	log_set_tag("capture");
	while (!atomic_load(&c->stop)) {
		int n = 0, failed = 0, idx[TS_COLLECTOR_MAX_IFACES] = { 0 };
		ts_ns due, wait;

		apply_reconf(c);
		t = ts_now_mono();
		if (t >= next_poll) {
			poll_host(c, steady_now(c));
			next_poll = t + c->conf.poll_interval;
			dirty = 1;
		}
		if (t >= next_open) {
			open_captures(c);
			next_open = t + c->conf.reopen_interval;
		}
		for (int i = 0; i < c->ncaps; i++)
			if (c->caps[i].state == TS_CAP_RUNNING) {
				pfd[n].fd = ts_capture_fd(&c->caps[i]);
				pfd[n].events = POLLIN;
				idx[n++] = i;
			} else
				failed = 1;
		pfd[n].fd = c->wake_fd;
		pfd[n].events = POLLIN;
		/* -1: ignored (none, or left alone until kev_next) */
		pfd[n + 1].fd = kev_next != 0 ? -1 : kevsrc_fd(c->kev);
		pfd[n + 1].events = POLLIN;
		pfd[n + 1].revents = 0;
		due = next_poll;
		if (kev_next != 0 && kev_next < due)
			due = kev_next;
		if (dirty && next_pub < due)
			due = next_pub;
		if (c->conf.heartbeat > 0 && last_pub + c->conf.heartbeat < due)
			due = last_pub + c->conf.heartbeat;
		if (failed && next_open < due)
			due = next_open;
		wait = due - t;
		if (wait < 0)
			wait = 0;
		/* Rounded up: waking a little early would spin until due. */
		if (poll(pfd, (nfds_t)n + 2, (int)((wait + 999999) / 1000000)) == -1 &&
		    errno != EINTR)
			log_warn("poll");
		if (pfd[n].revents & POLLIN)
			efd_drain(c->wake_fd);
		if ((pfd[n + 1].revents & POLLIN) ||
		    (kev_next != 0 && ts_now_mono() >= kev_next)) {
			int got = kevsrc_consume(c->kev);
			ts_ns now = ts_now_mono(),
			    hold = kevsrc_holdoff(c->kev, got, now);

			if (got > 0)
				dirty = 1;
			kev_next = hold != 0 ? now + hold : 0;
		}
		for (int k = 0; k < n; k++) {
			struct ts_capture *cap = &c->caps[idx[k]];
			int got = ts_capture_dispatch(cap, c->e, -1);

			if (got < 0) {
				log_warnx("%s (reopening)", cap->err);
				ts_capture_close(cap);
				cap->state = TS_CAP_ERROR;
				c->last_state[idx[k]] = TS_CAP_ERROR;
				next_open = t + c->conf.reopen_interval;
				dirty = 1;
			} else if (got > 0)
				dirty = 1;
		}
		ts_engine_tick(c->e, steady_now(c));
		t = ts_now_mono();
		if ((dirty && t >= next_pub) || (c->conf.heartbeat > 0 &&
		    t >= last_pub + c->conf.heartbeat)) {
			publish(c, steady_now(c));
			next_pub = t + c->conf.publish_interval;
			last_pub = t;
			dirty = 0;
		}
	}
	if (atomic_load(&c->failed))	/* the last word: lsnstat.lost */
		publish(c, steady_now(c));
	return NULL;
}

int
ts_collector_start(struct ts_collector *c)
{
	int r;

	/* A first snapshot before anyone asks, with the kernel counters. */
	sigset_t all, old;

	poll_host(c, steady_now(c));
	publish(c, steady_now(c));
	/* Signals go to the SNMP thread, whose wait they interrupt. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&c->thr, NULL, run, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		errno = r;
		return -1;
	}
	c->started = 1;
	return 0;
}

void
ts_collector_stop(struct ts_collector *c)
{
	if (!c->started)
		return;
	atomic_store(&c->stop, 1);
	efd_signal(c->wake_fd);
	pthread_join(c->thr, NULL);
	c->started = 0;
}
