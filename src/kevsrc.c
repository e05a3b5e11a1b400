/*
 * kevsrc.c - the kernel event source beside a capture engine (see
 * kevsrc.h).
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dlist.h"
#include "htab.h"
#include "kevfeed.h"
#include "kevlearn.h"
#include "kevreason.h"
#include "kevsrc.h"
#include "localaddr.h"
#include "log.h"

/*
 * Rows are keyed by a namespace's inode (what the MIB shows), the cores
 * by its cookie (its identity: an inode is reused after the namespace is
 * gone).  The cookie of each inode seen last, at most NSMAP of them (the
 * least recently seen goes).
 */
#define NSMAP	4096

struct nsent {
	uint32_t	 ino;
	uint64_t	 cookie;
	struct ts_hlink	 hlink;
	struct ts_dlink	 lru;
};

struct kevsrc {
	struct kevsrc_conf	 conf;
	struct kev		*kev;
	struct kev_feed		*feed;
	struct ts_engine	*e;
	const struct ts_steady	*clock;
	uint32_t		 own_ino;
	char			 pre_reason[320];	/* the precheck said no */
	struct kevsrc_stats	 st;
	ts_ns			 last_consume;	/* kevsrc_holdoff() */
	struct nsent		*ns;
	uint32_t		 nns;
	struct ts_htab		 nsh;
	struct ts_dlink		 nslru;
};

void
kevsrc_conf_default(struct kevsrc_conf *c)
{
	memset(c, 0, sizeof(*c));
	kev_conf_default(&c->kev);
	kev_callers_conf_default(&c->callers);
	c->listeners = KEV_LISTENERS_DEFAULT;
}

const char *
kevsrc_conf_check(const struct kevsrc_conf *c)
{
	const char *why = kev_conf_check(&c->kev);

	return why != NULL ? why : kev_callers_conf_check(&c->callers);
}

/*
 * A namespace's inode and cookie.  An inode seen before with another
 * cookie: that namespace is gone and a new one took its inode (the kernel
 * gives the lowest free one), so the rows of the old one go.
 */
static void
ns_learn(struct kevsrc *ks, uint32_t ino, uint64_t cookie)
{
	struct ts_hlink *l = ts_htab_find(&ks->nsh, &ino);
	struct nsent *n;

	if (l != NULL) {
		n = TS_CONTAINER_OF(l, struct nsent, hlink);
		if (n->cookie != cookie && ino != ks->own_ino) {
			uint32_t gone = ts_eptab_forget_netns(ks->e->ep, ino);

			log_debug("kernel events: namespace net:[%u] is another "
			    "one now: %u rows of the old one expire", ino, gone);
		}
		n->cookie = cookie;
		ts_dlist_touch(&ks->nslru, &n->lru);
		return;
	}
	if (ks->nns < NSMAP)
		n = &ks->ns[ks->nns++];
	else {
		n = TS_CONTAINER_OF(ts_dlist_last(&ks->nslru), struct nsent,
		    lru);
		ts_htab_del(&ks->nsh, &n->hlink);
	}
	n->ino = ino;
	n->cookie = cookie;
	ts_htab_add(&ks->nsh, &n->hlink);
	ts_dlist_touch(&ks->nslru, &n->lru);
}

static int
ns_cookie(const struct kevsrc *ks, uint32_t ino, uint64_t *cookie)
{
	struct ts_hlink *l = ts_htab_find(&ks->nsh, &ino);

	if (l == NULL)
		return -1;
	*cookie = TS_CONTAINER_OF(l, struct nsent, hlink)->cookie;
	return 0;
}

static uint8_t
ts_family(uint16_t af)
{
	return af == AF_INET ? TS_AF_INET : TS_AF_INET6;
}

/* Where a kernel-only failure went: a service of its namespace, or not. */
static uint8_t
kfail_loc(const struct kevsrc *ks, const struct kev_event *ev, uint8_t fam)
{
	size_t n = fam == TS_AF_INET ? 4 : 16;

	if (ts_addr_is_loopback(fam, ev->daddr) ||
	    memcmp(ev->daddr, ev->saddr, n) == 0)
		return TS_LOC_LOCAL;
	if (ev->netns_ino == ks->own_ino &&
	    ts_localaddr_is_local(&ks->e->local, fam, ev->daddr))
		return TS_LOC_LOCAL;
	return TS_LOC_REMOTE;
}

static void
on_record(void *arg, const struct kev_event *ev)
{
	struct kevsrc *ks = arg;
	ts_ns when = ts_steady_at(ks->clock, (ts_ns)ev->ts_ns);
	int fail = ev->type == KEV_CONNECT_FAIL || ev->type == KEV_CONNECT_ERR;
	uint8_t fam = ts_family(ev->family);
	struct ts_epkey k;

	if (ks->conf.self_only && ev->netns_ino != ks->own_ino)
		return;
	ns_learn(ks, ev->netns_ino, ev->netns_cookie);
	if (fail && ts_ignore_match(&ks->e->conf.ignore, fam, ev->daddr,
	    ev->dport, ev->saddr)) {
		ks->st.ignored++;
		return;
	}
	kev_feed_event(ks->feed, ev, when);
	if (!fail)
		return;
	ks->st.failures++;
	if (ev->flags & KEV_F_NOCALLER)
		ks->st.unknown++;
	if (ev->netns_ino == ks->own_ino && !kev_pcap_unseen(ev))
		return;		/* the capture counts it */
	memset(&k, 0, sizeof(k));
	k.family = fam;
	k.port = ev->dport;
	memcpy(k.addr, ev->daddr, sizeof(k.addr));
	k.netns = ev->netns_ino;
	ts_eptab_kfail(ks->e->ep, &k, when, kfail_loc(ks, ev, fam), ev->saddr,
	    ev->sport);
	ks->st.kernel_only++;
	if (ev->netns_ino == ks->own_ino && kev_in_attemptfails(ev))
		ks->st.cov_fails++;
}

struct kevsrc *
kevsrc_open(const struct kevsrc_conf *conf, struct ts_engine *e,
    const struct ts_steady *clock, const char *procroot, ts_ns now)
{
	struct kev_feed_conf fc;
	struct kevsrc *ks;
	uint64_t cookie;
	uint32_t ino;

	if ((ks = calloc(1, sizeof(*ks))) == NULL)
		return NULL;
	ks->conf = *conf;
	ks->e = e;
	ks->clock = clock;
	ks->own_ino = e->conf.eptab.netns;
	if (conf->self_only)
		ks->conf.kev.netns_filter = 1;
	if (conf->precheck && conf->kev.enable == KEV_WANT_AUTO &&
	    kev_precheck(&conf->kev, ks->pre_reason,
	    sizeof(ks->pre_reason)) == -1) {
		ks->conf.kev.enable = KEV_WANT_NO;	/* not tried */
		ks->conf.kev.quiet = 1;
		log_info("kernel events: unavailable: %s", ks->pre_reason);
	}
	kev_feed_conf_default(&fc, procroot);
	fc.callers = conf->callers;
	/* Endpoints followed: the table's rows, and as many again waiting
	 * for theirs (a timeout the kernel gives up on before the capture). */
	fc.callers.max_endpoints = e->conf.eptab.max_rows <
	    KEV_CALLERS_TOTAL_MAX / 2 ? 2 * e->conf.eptab.max_rows :
	    KEV_CALLERS_TOTAL_MAX;
	fc.listeners = conf->listeners;
	ts_dlist_init(&ks->nslru);
	if ((ks->ns = calloc(NSMAP, sizeof(*ks->ns))) == NULL ||
	    ts_htab_init(&ks->nsh, NSMAP, TS_HTAB_KEYOFF(struct nsent, ino,
	    hlink), sizeof(uint32_t)) != 0 ||
	    (ks->feed = kev_feed_new(&fc)) == NULL ||
	    (ks->kev = kev_open(&ks->conf.kev, on_record, ks)) == NULL) {
		kevsrc_close(ks);
		return NULL;
	}
	if (kev_state(ks->kev) == KEV_ST_UNAVAILABLE)
		return ks;
	if (kev_this_netns(&cookie, &ino) == 0)
		ns_learn(ks, ino, cookie);
	if ((conf->self_only || conf->kev.netns_filter) &&
	    kevsrc_follow(ks, ks->own_ino, 1) != 0)
		log_warn("kernel events: following this network namespace");
	if (kev_learn_listeners(ks->feed, procroot, now) < 0)
		log_warn("kernel events: learning the listeners at start");
	return ks;
}

void
kevsrc_close(struct kevsrc *ks)
{
	if (ks == NULL)
		return;
	kev_close(ks->kev);
	kev_feed_free(ks->feed);
	ts_htab_fini(&ks->nsh);
	free(ks->ns);
	free(ks);
}

enum kevsrc_state
kevsrc_state(const struct kevsrc *ks)
{
	if (ks->pre_reason[0] != '\0')
		return KEVSRC_UNAVAILABLE;
	if (ks->conf.kev.enable == KEV_WANT_NO)
		return KEVSRC_DISABLED;
	switch (kev_state(ks->kev)) {
	case KEV_ST_RUNNING:	return KEVSRC_RUNNING;
	case KEV_ST_PARTIAL:	return KEVSRC_PARTIAL;
	default:		return KEVSRC_UNAVAILABLE;
	}
}

const char *
kevsrc_reason(const struct kevsrc *ks)
{
	return ks->pre_reason[0] != '\0' ? ks->pre_reason : kev_reason(ks->kev);
}

const struct kev *
kevsrc_kev(const struct kevsrc *ks)
{
	return ks->kev;
}

uint32_t
kevsrc_netns(const struct kevsrc *ks)
{
	return ks->own_ino;
}

const struct kevsrc_stats *
kevsrc_stats(const struct kevsrc *ks)
{
	return &ks->st;
}

int
kevsrc_follow(struct kevsrc *ks, uint32_t ino, int on)
{
	return kev_netns_allow(ks->kev, ino, on);
}

int
kevsrc_fd(const struct kevsrc *ks)
{
	return kev_fd(ks->kev);
}

int
kevsrc_consume(struct kevsrc *ks)
{
	return kev_consume(ks->kev);
}

ts_ns
kevsrc_holdoff_for(uint32_t ring_kib, int n, ts_ns dt)
{
	/* A record's place in the ring: its 8-byte header, 8-byte aligned. */
	uint64_t rec = (sizeof(struct kev_event) + 8 + 7) & ~(uint64_t)7;
	uint64_t eighth = (uint64_t)ring_kib * 1024 / rec / 8, t;

	if (n <= 0 || (uint64_t)n >= eighth || dt <= 0)
		return 0;
	if (dt >= KEVSRC_HOLDOFF)
		return KEVSRC_HOLDOFF;
	/* n came in dt: an eighth of the ring comes in dt * eighth / n. */
	t = (uint64_t)dt * eighth / (uint64_t)n;
	return t >= (uint64_t)KEVSRC_HOLDOFF ? KEVSRC_HOLDOFF : (ts_ns)t;
}

ts_ns
kevsrc_holdoff(struct kevsrc *ks, int n, ts_ns now)
{
	ts_ns dt = ks->last_consume != 0 ? now - ks->last_consume :
	    KEVSRC_HOLDOFF;

	ks->last_consume = now;
	return kevsrc_holdoff_for(ks->conf.kev.ring_kib, n, dt);
}

void
kevsrc_expire(struct kevsrc *ks, ts_ns before)
{
	kev_callers_expire(kev_feed_callers(ks->feed), before);
}

void
kevsrc_row(const struct kevsrc *ks, const struct ts_epkey *k,
    struct kevsrc_row *out)
{
	struct kev_epkey key;

	memset(out, 0, sizeof(*out));
	memset(&key, 0, sizeof(key));
	if (k->family == 0 || ns_cookie(ks, k->netns, &key.netns) != 0)
		return;
	key.family = k->family;
	key.port = k->port;
	memcpy(key.addr, k->addr, sizeof(key.addr));
	out->ep = kev_callers_get(kev_feed_callers(ks->feed), &key);
	out->lsn = kev_listen_last(kev_feed_listen(ks->feed), &key);
}

ts_ns
kevsrc_boot_to_wall(uint64_t boot_ns)
{
	if (boot_ns == 0)
		return 0;
	return ts_now_wall() - (ts_clock(CLOCK_BOOTTIME) - (ts_ns)boot_ns);
}
