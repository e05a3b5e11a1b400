/*
 * eptab.c - bounded per-endpoint aggregation with Space-Saving admission.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "eptab.h"

/* A Space-Saving counter for an endpoint that has no row. */
struct ts_cand {
	struct ts_epkey	 key;
	uint64_t	 err;		/* count may overstate by this much */
	ts_ns		 first;
	struct ts_hlink	 hlink;
	struct ts_heapent hent;		/* key: count */
};

/*
 * Peers are hashed with a fixed key: a skewed estimate is all an attacker
 * could get, and reports stay reproducible.
 */
static const struct ts_sipkey peer_key = { 0x7463707365757468ULL, 0x7065657273ULL };

struct ts_eptab {
	struct ts_eptab_conf	conf;
	struct ts_eptab_stats	st;
	struct ts_row		*rows;		/* max_rows */
	struct ts_row		*free_rows;	/* through lru_next */
	struct ts_htab		 rowh;
	struct ts_heap		 rowheap;	/* weakest row first */
	struct ts_row		 lru;		/* sentinel: next is idlest */
	struct ts_row		 other;
	struct ts_cand		*cands;
	uint32_t		 ncands;
	struct ts_htab		 candh;
	struct ts_heap		 candheap;	/* smallest count first */
	uint32_t		 nrows;
};

void
ts_eptab_conf_default(struct ts_eptab_conf *conf)
{
	conf->max_rows = 1024;
	conf->sketch_size = 0;
	conf->ttl = 3600 * TS_NS_PER_SEC;
	conf->expire_when_full = 0;
	conf->netns = 0;
	ts_rate_conf_default(&conf->rates);
}

struct ts_eptab *
ts_eptab_new(const struct ts_eptab_conf *conf)
{
	struct ts_eptab *t;
	uint32_t nc;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->conf = *conf;
	if (t->conf.max_rows == 0)
		t->conf.max_rows = 1;
	if (t->conf.sketch_size == 0)
		t->conf.sketch_size = t->conf.max_rows;
	nc = t->conf.sketch_size;
	t->rows = calloc(t->conf.max_rows, sizeof(*t->rows));
	t->cands = calloc(nc, sizeof(*t->cands));
	if (t->rows == NULL || t->cands == NULL ||
	    ts_htab_init(&t->rowh, t->conf.max_rows,
	    TS_HTAB_KEYOFF(struct ts_row, key, hlink),
	    sizeof(struct ts_epkey)) == -1 ||
	    ts_htab_init(&t->candh, nc,
	    TS_HTAB_KEYOFF(struct ts_cand, key, hlink),
	    sizeof(struct ts_epkey)) == -1 ||
	    ts_heap_init(&t->rowheap, t->conf.max_rows) == -1 ||
	    ts_heap_init(&t->candheap, nc) == -1) {
		ts_eptab_free(t);
		return NULL;
	}
	for (uint32_t i = 0; i < t->conf.max_rows; i++) {
		t->rows[i].lru_next = t->free_rows;
		t->free_rows = &t->rows[i];
	}
	t->lru.lru_next = t->lru.lru_prev = &t->lru;
	return t;
}

void
ts_eptab_free(struct ts_eptab *t)
{
	if (t == NULL)
		return;
	ts_htab_fini(&t->rowh);
	ts_htab_fini(&t->candh);
	ts_heap_fini(&t->rowheap);
	ts_heap_fini(&t->candheap);
	free(t->rows);
	free(t->cands);
	free(t);
}

int
ts_v6_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

int
ts_epkey_cmp(const struct ts_epkey *a, const struct ts_epkey *b)
{
	int c;

	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, 16)) != 0)
		return c;
	if (a->scope != b->scope)
		return a->scope < b->scope ? -1 : 1;
	return a->port < b->port ? -1 : a->port > b->port;
}

void
ts_epkey_of_event(struct ts_epkey *k, const struct ts_event *ev)
{
	memset(k, 0, sizeof(*k));
	k->family = ev->family;
	k->port = ev->svc_port;
	memcpy(k->addr, ev->svc, 16);
	if (ev->family == TS_AF_INET6 && ts_v6_linklocal(ev->svc))
		k->scope = ev->ifindex;
}

static int
is_failure(uint8_t cls)
{
	return cls < TS_CL__FAILURES;
}

uint64_t
ts_row_failures(const struct ts_row *r)
{
	uint64_t n = r->kfail;

	for (int c = 0; c < TS_CL__FAILURES; c++)
		n += r->count[c];
	return n;
}

uint64_t
ts_row_peers(const struct ts_row *r)
{
	return ts_hll_estimate(&r->peers);
}

static void
lru_unlink(struct ts_row *r)
{
	r->lru_prev->lru_next = r->lru_next;
	r->lru_next->lru_prev = r->lru_prev;
}

static void
lru_append(struct ts_eptab *t, struct ts_row *r)
{
	r->lru_prev = t->lru.lru_prev;
	r->lru_next = &t->lru;
	t->lru.lru_prev->lru_next = r;
	t->lru.lru_prev = r;
}

/* Count a row's events in "other" so totals survive its removal. */
static void
fold_into_other(struct ts_eptab *t, const struct ts_row *r)
{
	for (int c = 0; c < TS_CL__COUNT; c++)
		t->other.count[c] += r->count[c];
	for (int i = 0; i < 3; i++)
		t->other.rst_by[i] += r->rst_by[i];
	t->other.syn_retx += r->syn_retx;
	t->other.kfail += r->kfail;
	t->other.lsn_overflows += r->lsn_overflows;
}

static void
row_remove(struct ts_eptab *t, struct ts_row *r)
{
	fold_into_other(t, r);
	ts_htab_del(&t->rowh, &r->hlink);
	ts_heap_remove(&t->rowheap, &r->hent);
	lru_unlink(r);
	r->lru_next = t->free_rows;
	t->free_rows = r;
	t->nrows--;
}

static struct ts_row *
row_admit(struct ts_eptab *t, const struct ts_epkey *k, uint64_t score,
    ts_ns first, ts_ns now)
{
	struct ts_row *r = t->free_rows;

	t->free_rows = r->lru_next;
	memset(r, 0, sizeof(*r));
	r->key = *k;
	r->admit_score = score;
	r->created = now;
	r->first = first;
	ts_rate_init(&r->rate);
	ts_htab_add(&t->rowh, &r->hlink);
	r->hent.key = score;
	ts_heap_push(&t->rowheap, &r->hent);
	lru_append(t, r);
	t->nrows++;
	t->st.admissions++;
	return r;
}

static struct ts_cand *
cand_find(struct ts_eptab *t, const struct ts_epkey *k)
{
	struct ts_hlink *l = ts_htab_find(&t->candh, k);

	return l == NULL ? NULL : TS_CONTAINER_OF(l, struct ts_cand, hlink);
}

static void
cand_remove(struct ts_eptab *t, struct ts_cand *c)
{
	struct ts_cand *last = &t->cands[--t->ncands];

	ts_htab_del(&t->candh, &c->hlink);
	ts_heap_remove(&t->candheap, &c->hent);
	if (c != last) {	/* keep the array dense: move the last one in */
		ts_htab_del(&t->candh, &last->hlink);
		ts_heap_remove(&t->candheap, &last->hent);
		*c = *last;
		ts_htab_add(&t->candh, &c->hlink);
		ts_heap_push(&t->candheap, &c->hent);
	}
}

/* Space-Saving update: count one failure for k; returns its counter. */
static struct ts_cand *
cand_count(struct ts_eptab *t, const struct ts_epkey *k, ts_ns now)
{
	struct ts_cand *c = cand_find(t, k);
	struct ts_heapent *min;

	if (c != NULL) {
		c->hent.key++;
		ts_heap_update(&t->candheap, &c->hent);
		return c;
	}
	if (t->ncands < t->conf.sketch_size) {
		c = &t->cands[t->ncands++];
		memset(c, 0, sizeof(*c));
		c->key = *k;
		c->first = now;
		c->hent.key = 1;
		ts_htab_add(&t->candh, &c->hlink);
		ts_heap_push(&t->candheap, &c->hent);
		return c;
	}
	/* Replace the smallest counter; the newcomer inherits its count. */
	min = ts_heap_min(&t->candheap);
	c = TS_CONTAINER_OF(min, struct ts_cand, hent);
	ts_htab_del(&t->candh, &c->hlink);
	c->key = *k;
	c->err = c->hent.key;
	c->first = now;
	c->hent.key++;
	ts_htab_add(&t->candh, &c->hlink);
	ts_heap_update(&t->candheap, &c->hent);
	return c;
}

/* Expire the idlest row if idle for the TTL; 1 if it did. */
static int
expire_one(struct ts_eptab *t, ts_ns now)
{
	struct ts_row *r = t->lru.lru_next;

	if (r == &t->lru || r->last + t->conf.ttl > now)
		return 0;
	row_remove(t, r);
	t->st.expiries++;
	return 1;
}

/*
 * A failure's peer on r, before its rate is counted: the row's last peer,
 * and one more for its distinct peers.  Adding to HyperLogLog is
 * idempotent, so a peer equal to the last one (added with it: a row whose
 * rate has an event has added its last peer) skips the hash, exactly.
 */
static inline void
add_peer(struct ts_row *r, const uint8_t *peer)
{
	if (r->rate.epoch[0] != INT64_MIN && memcmp(r->peer, peer, 16) == 0)
		return;
	memcpy(r->peer, peer, 16);
	ts_hll_add(&r->peers, ts_siphash(&peer_key, peer, 16));
}

static void
account(struct ts_eptab *t, struct ts_row *r, const struct ts_event *ev,
    const char *ifname)
{
	r->count[ev->cls]++;
	if (ev->rst_by != TS_BY_NONE)
		r->rst_by[ev->rst_by]++;
	if (!is_failure(ev->cls))
		return;
	r->syn_retx += ev->syn_retx;
	if (r->first == 0 || ev->ts < r->first)
		r->first = ev->ts;
	if (ev->ts > r->last)
		r->last = ev->ts;
	r->last_cls = ev->cls;
	r->peer_port = ev->peer_port;
	add_peer(r, ev->peer);
	if (ev->cls == TS_CL_UNREACH) {
		r->icmp_type = ev->icmp_type;
		r->icmp_code = ev->icmp_code;
		memcpy(r->icmp_from, ev->icmp_from, 16);
	}
	if (r->loc == TS_LOC_UNKNOWN)
		r->loc = ev->loc;
	if (ev->ifindex != 0 || ifname != NULL) {
		r->ifindex = ev->ifindex;
		if (ifname != NULL && r->ifname[0] == '\0')
			strncpy(r->ifname, ifname, sizeof(r->ifname) - 1);
	}
	ts_rate_add(&r->rate, &t->conf.rates, ev->ts, 1);
}

/*
 * The row of k, or one admitted for it (failure: a failure, which may
 * earn a row); NULL: its event goes to "other".
 */
static inline __attribute__((always_inline)) struct ts_row *
row_for(struct ts_eptab *t, const struct ts_epkey *k, int failure, ts_ns ts)
{
	struct ts_hlink *l;
	struct ts_cand *c;
	struct ts_heapent *weak;
	uint64_t sure;

	if ((l = ts_htab_find(&t->rowh, k)) != NULL)
		return TS_CONTAINER_OF(l, struct ts_row, hlink);
	if (!failure)
		return NULL;	/* unsolicited resets never earn a row */
	if (t->nrows < t->conf.max_rows || expire_one(t, ts))
		return row_admit(t, k, 0, ts, ts);
	c = cand_count(t, k, ts);
	sure = c->hent.key - c->err;
	weak = ts_heap_min(&t->rowheap);
	if (weak != NULL && sure > weak->key) {
		ts_ns first = c->first;

		cand_remove(t, c);
		row_remove(t, TS_CONTAINER_OF(weak, struct ts_row, hent));
		t->st.evictions++;
		return row_admit(t, k, sure, first, ts);
	}
	return NULL;
}

static struct ts_row *
other_row(struct ts_eptab *t, ts_ns ts)
{
	if (t->st.other_events++ == 0) {
		t->other.created = ts;
		ts_rate_init(&t->other.rate);
	}
	return &t->other;
}

/* A failure on row r: its score, and it is the most recent. */
static void
touch(struct ts_eptab *t, struct ts_row *r, ts_ns ts)
{
	r->hent.key++;
	ts_heap_update(&t->rowheap, &r->hent);
	lru_unlink(r);
	lru_append(t, r);
	if (ts > r->last)
		r->last = ts;
}

void
ts_eptab_event(struct ts_eptab *t, const struct ts_event *ev,
    const char *ifname)
{
	struct ts_epkey k;
	struct ts_row *r;

	t->st.events++;
	ts_epkey_of_event(&k, ev);
	k.netns = t->conf.netns;
	if ((r = row_for(t, &k, is_failure(ev->cls), ev->ts)) == NULL) {
		account(t, other_row(t, ev->ts), ev, NULL);
		return;
	}
	account(t, r, ev, ifname);
	if (is_failure(ev->cls)) {
		r->hent.key++;
		ts_heap_update(&t->rowheap, &r->hent);
	}
	lru_unlink(r);
	lru_append(t, r);
	if (ev->ts > r->last)
		r->last = ev->ts;
}

void
ts_eptab_kfail(struct ts_eptab *t, const struct ts_epkey *k, ts_ns ts,
    uint8_t loc, const uint8_t *peer, uint16_t peer_port)
{
	struct ts_epkey key = *k;
	struct ts_row *r;

	key.pad = 0;
	t->st.events++;
	if ((r = row_for(t, &key, 1, ts)) == NULL)
		r = other_row(t, ts);
	r->kfail++;
	if (r->first == 0 || ts < r->first)
		r->first = ts;
	if (r->loc == TS_LOC_UNKNOWN)
		r->loc = loc;
	r->peer_port = peer_port;
	add_peer(r, peer);
	ts_rate_add(&r->rate, &t->conf.rates, ts, 1);
	if (r == &t->other) {
		if (ts > r->last)
			r->last = ts;
		return;
	}
	touch(t, r, ts);
}

uint32_t
ts_eptab_forget_netns(struct ts_eptab *t, uint32_t netns)
{
	struct ts_row *r = t->lru.lru_next, *next;
	uint32_t n = 0;

	for (; r != &t->lru; r = next) {
		next = r->lru_next;
		if (r->key.netns != netns)
			continue;
		row_remove(t, r);
		t->st.expiries++;
		n++;
	}
	return n;
}

void
ts_eptab_lsn_overflow(struct ts_eptab *t, const struct ts_event *ev)
{
	struct ts_epkey k;
	struct ts_hlink *l;

	ts_epkey_of_event(&k, ev);
	k.netns = t->conf.netns;	/* the capture's */
	if ((l = ts_htab_find(&t->rowh, &k)) != NULL)
		TS_CONTAINER_OF(l, struct ts_row, hlink)->lsn_overflows++;
	else
		t->other.lsn_overflows++;
}

void
ts_eptab_tick(struct ts_eptab *t, ts_ns now)
{
	if (t->conf.expire_when_full)
		return;			/* expire_one() when room is needed */
	while (expire_one(t, now))
		;
}

uint32_t
ts_eptab_rows(const struct ts_eptab *t)
{
	return t->nrows;
}

uint32_t
ts_eptab_list(const struct ts_eptab *t, const struct ts_row **out, uint32_t n)
{
	uint32_t i = 0;

	for (const struct ts_row *r = t->lru.lru_next; r != &t->lru && i < n;
	    r = r->lru_next)
		out[i++] = r;
	return i;
}

const struct ts_row *
ts_eptab_find(const struct ts_eptab *t, const struct ts_epkey *k)
{
	struct ts_hlink *l = ts_htab_find(&t->rowh, k);

	return l == NULL ? NULL : TS_CONTAINER_OF(l, struct ts_row, hlink);
}

const struct ts_row *
ts_eptab_other(const struct ts_eptab *t)
{
	return &t->other;
}

const struct ts_eptab_stats *
ts_eptab_stats(const struct ts_eptab *t)
{
	return &t->st;
}

const struct ts_eptab_conf *
ts_eptab_conf(const struct ts_eptab *t)
{
	return &t->conf;
}
