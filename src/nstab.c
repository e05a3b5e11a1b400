/*
 * nstab.c - the namespace table (see nstab.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstab.h"

static const enum ts_hc hc_of[TS_NSC__COUNT] = {
#define X(id, name) [TS_NSC_##id] = TS_HC_##id,
	TS_NS_COUNTERS(X)
#undef X
};

static const char *const nsc_names[TS_NSC__COUNT] = {
#define X(id, name) [TS_NSC_##id] = name,
	TS_NS_COUNTERS(X)
#undef X
};

const char *
ts_nstab_counter_name(enum ts_nsc c)
{
	return (unsigned)c < TS_NSC__COUNT ? nsc_names[c] : "?";
}

const char *
ts_ns_state_name(enum ts_ns_state s)
{
	switch (s) {
	case TS_NSS_NEW:	return "new";
	case TS_NSS_OK:		return "ok";
	case TS_NSS_NOACCESS:	return "noaccess";
	case TS_NSS_ERROR:	return "error";
	case TS_NSS_GONE:	return "gone";
	}
	return "?";
}

void
ts_netns_conf_default(struct ts_netns_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = TS_NS_ALL;
	c->max_rows = 256;
	c->per_poll = 64;
	c->ttl = 600 * TS_NS_PER_SEC;
	ts_rate_conf_default(&c->rates);
}

int
ts_netns_conf_parse(struct ts_netns_conf *c, const char *value, char *err,
    size_t errlen)
{
	char buf[TS_NETNS_LIST_MAX * TS_NETNS_NAMELEN], *save = NULL, *t;

	if (strcmp(value, "all") == 0 || strcmp(value, "self") == 0) {
		c->mode = value[0] == 'a' ? TS_NS_ALL : TS_NS_SELF;
		c->nlist = 0;
		return 0;
	}
	if (strlen(value) >= sizeof(buf)) {
		snprintf(err, errlen, "namespaces: the list is too long");
		return -1;
	}
	memcpy(buf, value, strlen(value) + 1);
	c->nlist = 0;
	for (t = strtok_r(buf, ",", &save); t != NULL;
	    t = strtok_r(NULL, ",", &save)) {
		size_t n;

		while (*t == ' ' || *t == '\t')
			t++;
		n = strlen(t);
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			t[--n] = '\0';
		if (n == 0)
			continue;
		if (c->nlist == TS_NETNS_LIST_MAX) {
			snprintf(err, errlen, "namespaces: at most %d names",
			    TS_NETNS_LIST_MAX);
			return -1;
		}
		if (strlen(t) >= TS_NETNS_NAMELEN) {
			snprintf(err, errlen, "namespaces: \"%.20s...\" is "
			    "longer than %d characters", t,
			    TS_NETNS_NAMELEN - 1);
			return -1;
		}
		if (strcmp(t, "all") == 0 || strcmp(t, "self") == 0) {
			snprintf(err, errlen, "namespaces: \"%s\" cannot be "
			    "part of a list", t);
			return -1;
		}
		memcpy(c->list[c->nlist++], t, strlen(t) + 1);
	}
	if (c->nlist == 0) {
		snprintf(err, errlen, "namespaces: give self, all, or names "
		    "and inodes");
		return -1;
	}
	c->mode = TS_NS_LIST;
	return 0;
}

int
ts_netns_conf_wants(const struct ts_netns_conf *c, uint32_t ino,
    const char *ipname, const char *name, int self)
{
	char num[16], link[24];

	if (self || c->mode == TS_NS_ALL)
		return 1;
	if (c->mode == TS_NS_SELF)
		return 0;
	snprintf(num, sizeof(num), "%u", ino);
	snprintf(link, sizeof(link), "net:[%u]", ino);
	for (int i = 0; i < c->nlist; i++)
		if (strcmp(c->list[i], num) == 0 ||
		    strcmp(c->list[i], link) == 0 ||
		    (ipname != NULL && ipname[0] != '\0' &&
		    strcmp(c->list[i], ipname) == 0) ||
		    (name != NULL && name[0] != '\0' &&
		    strcmp(c->list[i], name) == 0))
			return 1;
	return 0;
}

struct ts_nstab *
ts_nstab_new(const struct ts_netns_conf *c, uint32_t self_ino)
{
	struct ts_nstab *t;

	if (c->max_rows == 0 || c->per_poll == 0 ||
	    ts_rate_conf_check(&c->rates) == -1) {
		errno = EINVAL;
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->conf = *c;
	t->self_ino = self_ino;
	if (ts_htab_init(&t->h, c->max_rows,
	    TS_HTAB_KEYOFF(struct ts_ns_row, ino, hlink),
	    sizeof(uint32_t)) == -1) {
		free(t);
		return NULL;
	}
	return t;
}

void
ts_nstab_free(struct ts_nstab *t)
{
	if (t == NULL)
		return;
	while (t->rows != NULL) {
		struct ts_ns_row *r = t->rows;

		t->rows = r->next;
		free(r);
	}
	ts_htab_fini(&t->h);
	free(t);
}

struct ts_ns_row *
ts_nstab_find(const struct ts_nstab *t, uint32_t ino)
{
	struct ts_hlink *l = ts_htab_find(&t->h, &ino);

	return l != NULL ? TS_CONTAINER_OF(l, struct ts_ns_row, hlink) : NULL;
}

/* A row as new: nothing read, counters start again. */
static void
row_start(struct ts_ns_row *r, ts_ns now)
{
	r->cookie = 0;
	r->state = TS_NSS_NEW;
	r->err = 0;
	r->created = r->discont = now;
	r->last_read = r->prev_read = r->gone_since = 0;
	memset(r->v, 0, sizeof(r->v));
	memset(r->present, 0, sizeof(r->present));
	for (int c = 0; c < TS_NSC__COUNT; c++)
		ts_rate_init(&r->rate[c]);
	r->cov_lsn_drops = r->cov_listen_drops = 0;
	r->listeners = r->unlisted = 0;
	r->have = 0;
	r->ld_delta = 0;
}

void
ts_nstab_begin(struct ts_nstab *t)
{
	t->serial++;
	t->found = t->unserved = t->full = 0;
}

struct ts_ns_row *
ts_nstab_seen(struct ts_nstab *t, uint32_t ino, int pid, const char *ipname,
    ts_ns now)
{
	struct ts_ns_row *r = ts_nstab_find(t, ino);

	if (r == NULL) {
		if (t->nrows >= t->conf.max_rows) {
			t->full++;
			return NULL;
		}
		if ((r = calloc(1, sizeof(*r))) == NULL) {
			t->full++;
			return NULL;
		}
		r->ino = ino;
		r->self = ino == t->self_ino;
		row_start(r, now);
		ts_htab_add(&t->h, &r->hlink);
		r->next = t->rows;
		t->rows = r;
		t->nrows++;
		t->made++;
	} else if (r->state == TS_NSS_GONE) {
		/* Found again (a process entered it): same namespace until a
		 * read shows another cookie. */
		r->state = r->have ? TS_NSS_OK : TS_NSS_NEW;
		r->gone_since = 0;
	}
	r->seen = t->serial;
	r->pid = pid;
	snprintf(r->ipname, sizeof(r->ipname), "%s", ipname != NULL ? ipname :
	    "");
	return r;
}

void
ts_nstab_end(struct ts_nstab *t, ts_ns now,
    void (*gone)(void *, const struct ts_ns_row *, int), void *arg)
{
	for (struct ts_ns_row **pp = &t->rows; *pp != NULL;) {
		struct ts_ns_row *r = *pp;

		if (r->seen == t->serial) {
			pp = &r->next;
			continue;
		}
		if (r->state != TS_NSS_GONE) {
			r->state = TS_NSS_GONE;
			r->gone_since = now;
			r->pid = 0;
			if (gone != NULL)
				gone(arg, r, 0);
		}
		if (now - r->gone_since >= t->conf.ttl) {
			if (gone != NULL)
				gone(arg, r, 1);
			*pp = r->next;
			ts_htab_del(&t->h, &r->hlink);
			t->nrows--;
			t->expired++;
			free(r);
			continue;
		}
		pp = &r->next;
	}
}

int
ts_nstab_sample(struct ts_nstab *t, struct ts_ns_row *r, uint64_t cookie,
    const struct ts_hostctr *hc, ts_ns now)
{
	int reused = 0, back = 0;

	if (cookie != 0 && r->cookie != 0 && cookie != r->cookie) {
		row_start(r, now);
		reused = 1;
	}
	if (cookie != 0)
		r->cookie = cookie;
	r->ld_delta = 0;
	for (int c = 0; c < TS_NSC__COUNT; c++) {
		enum ts_hc h = hc_of[c];

		if (r->have && hc->present[h] && r->present[c] &&
		    hc->v[h] < r->v[c])
			back = 1;
	}
	if (back)
		r->discont = now;
	for (int c = 0; c < TS_NSC__COUNT; c++) {
		enum ts_hc h = hc_of[c];

		if (!hc->present[h]) {
			r->present[c] = 0;
			continue;
		}
		if (r->have && r->present[c] && !back) {
			uint64_t d = hc->v[h] - r->v[c];

			ts_rate_add64(&r->rate[c], &t->conf.rates, now, d);
			if (c == TS_NSC_LISTEN_DROPS)
				r->ld_delta = d;
		}
		r->v[c] = hc->v[h];
		r->present[c] = 1;
	}
	r->prev_read = r->have && !back ? r->last_read : 0;
	r->last_read = now;
	r->have = 1;
	r->state = TS_NSS_OK;
	r->err = 0;
	return reused;
}

void
ts_nstab_listeners(struct ts_ns_row *r, uint32_t listeners,
    uint32_t unlisted, uint64_t drop_growth)
{
	r->listeners = listeners;
	r->unlisted = unlisted;
	/* Both sides over the same polls: none at a first read. */
	if (r->prev_read != 0) {
		r->cov_lsn_drops += drop_growth;
		r->cov_listen_drops += r->ld_delta;
	}
}

void
ts_nstab_failed(struct ts_ns_row *r, int e, ts_ns now)
{
	(void)now;
	r->err = e;
	r->state = e == EPERM || e == EACCES ? TS_NSS_NOACCESS : TS_NSS_ERROR;
}
