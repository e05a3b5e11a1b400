/*
 * top.c - the bounded view of a snapshot's endpoint rows (top.h says the
 * rule).  One pass over the rows keeps the best `size` candidates in a
 * heap whose root is the one that would go first (O(rows log size)); the
 * kept ones are then sorted by rank.  No allocation per row.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "top.h"

/* A candidate: what the choice and the rank compare, copied. */
struct cand {
	uint64_t	 eff;		/* the rate, plus the margin if incumbent */
	uint64_t	 failures;
	uint32_t	 rate;
	uint32_t	 row;
	int		 incumbent;
	struct ts_top_key k;
};

void
ts_top_conf_default(struct ts_top_conf *c)
{
	c->size = TS_TOP_DEFAULT;
}

int
ts_top_key_cmp(const struct ts_top_key *a, const struct ts_top_key *b)
{
	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	return ts_epkey_cmp(&a->key, &b->key);
}

static int
key_cmp(const void *a, const void *b)
{
	return ts_top_key_cmp(a, b);
}

void
ts_top_init(struct ts_top *t, const struct ts_top_conf *c)
{
	memset(t, 0, sizeof(*t));
	t->size = c->size < 1 ? 1 : c->size > TS_TOP_MAX ? TS_TOP_MAX : c->size;
}

void
ts_top_free(struct ts_top *t)
{
	free(t->members);
	memset(t, 0, sizeof(*t));
}

/* More failures, then the lower namespace and endpoint: < 0 if a first. */
static int
tie_break(const struct cand *a, const struct cand *b)
{
	if (a->failures != b->failures)
		return a->failures > b->failures ? -1 : 1;
	return ts_top_key_cmp(&a->k, &b->k);
}

/* The choice: < 0 if a is chosen before b. */
static int
choice_cmp(const struct cand *a, const struct cand *b)
{
	if (a->eff != b->eff)
		return a->eff > b->eff ? -1 : 1;
	if (a->incumbent != b->incumbent)
		return a->incumbent ? -1 : 1;
	return tie_break(a, b);
}

/* The rank: the rate alone, then the same tie-breaks. */
static int
rank_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->rate != b->rate)
		return a->rate > b->rate ? -1 : 1;
	return tie_break(a, b);
}

/* The heap's root is the kept candidate chosen last. */
static void
sift_down(struct cand *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		struct cand tmp;

		if (l < n && choice_cmp(&h[l], &h[w]) > 0)
			w = l;
		if (r < n && choice_cmp(&h[r], &h[w]) > 0)
			w = r;
		if (w == i)
			return;
		tmp = h[i];
		h[i] = h[w];
		h[w] = tmp;
		i = w;
	}
}

static void
sift_up(struct cand *h, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		struct cand tmp;

		if (choice_cmp(&h[i], &h[p]) <= 0)
			return;
		tmp = h[i];
		h[i] = h[p];
		h[p] = tmp;
		i = p;
	}
}

int
ts_top_build(struct ts_top *t, struct ts_snapshot *s)
{
	struct cand *h;
	size_t n = 0;

	s->top = NULL;
	s->ntop = 0;
	if (t->size == 0)
		return 0;
	if (t->members == NULL &&
	    (t->members = calloc(t->size, sizeof(*t->members))) == NULL)
		return -1;
	if ((h = calloc(t->size, sizeof(*h))) == NULL ||
	    (s->top = calloc(t->size, sizeof(*s->top))) == NULL) {
		free(h);
		return -1;
	}
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ts_snap_row *r = &s->rows[i];
		struct cand c = { .rate = r->rate[0], .failures = r->failures,
		    .row = (uint32_t)i, .k = { .netns = r->netns, .key = r->key } };
		uint64_t m;

		if (c.rate == 0)
			continue;
		c.incumbent = bsearch(&c.k, t->members, t->nmembers,
		    sizeof(*t->members), key_cmp) != NULL;
		m = c.rate / 4 > TS_TOP_MARGIN_MIN ? c.rate / 4 : TS_TOP_MARGIN_MIN;
		c.eff = c.rate + (c.incumbent ? m : 0);
		if (n < t->size) {
			h[n] = c;
			sift_up(h, n++);
		} else if (choice_cmp(&c, &h[0]) < 0) {
			h[0] = c;
			sift_down(h, n, 0);
		}
	}
	qsort(h, n, sizeof(*h), rank_cmp);
	for (size_t i = 0; i < n; i++) {
		s->top[i].row = h[i].row;
		s->top[i].rank = (uint32_t)i + 1;
		t->members[i] = h[i].k;
	}
	s->ntop = n;
	t->nmembers = n;
	qsort(t->members, n, sizeof(*t->members), key_cmp);
	free(h);
	return 0;
}
