/*
 * test_top.c - the bounded view (src/top.c): the rows with the highest
 * 1-minute rate, only failing ones, ranked by rate with the documented
 * tie-breaks; hysteresis at the boundary (an incumbent stays until beaten
 * by more than a quarter, and at least 0.05/s), against a brute-force
 * reference on a large random table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "tap.h"
#include "top.h"

#define NS	4026531840u

static struct ts_snapshot *
snap(size_t n)
{
	struct ts_snapshot *s = calloc(1, sizeof(*s));

	s->rows = calloc(n ? n : 1, sizeof(*s->rows));
	s->nrows = n;
	for (size_t i = 0; i < n; i++) {
		struct ts_snap_row *r = &s->rows[i];

		r->netns = NS;
		r->key.family = TS_AF_INET;
		r->key.addr[0] = 10;
		r->key.addr[2] = (uint8_t)(i >> 8);
		r->key.addr[3] = (uint8_t)i;
		r->key.port = 7000;
		r->failures = 100;
	}
	return s;
}

static void
snap_free(struct ts_snapshot *s)
{
	free(s->rows);
	free(s->top);
	free(s);
}

/* The view built on s: "row:rank ..." in rank order. */
static const char *
view(struct ts_top *t, struct ts_snapshot *s)
{
	static char buf[4096];
	size_t n = 0;

	free(s->top);
	if (ts_top_build(t, s) == -1)
		return "(no memory)";
	buf[0] = '\0';
	for (size_t i = 0; i < s->ntop && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%u:%u",
		    i ? " " : "", s->top[i].row, s->top[i].rank);
	return buf;
}

static int
streq(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	printf("#   got \"%s\", want \"%s\"\n", a, b);
	return 0;
}

static void
test_choice(void)
{
	struct ts_top_conf c = { .size = 3 };
	struct ts_top t;
	struct ts_snapshot *s = snap(6);
	static const uint32_t rates[6] = { 500, 0, 3000, 2000, 0, 1000 };

	for (int i = 0; i < 6; i++)
		s->rows[i].rate[0] = rates[i];
	ts_top_init(&t, &c);
	ok(streq(view(&t, s), "2:1 3:2 5:3"), "the 3 highest 1-minute rates, "
	    "ranked 1 (highest) to 3");
	ts_top_free(&t);
	c.size = 10;
	ts_top_init(&t, &c);
	ok(streq(view(&t, s), "2:1 3:2 5:3 0:4"), "a view larger than the "
	    "failing rows holds only rows failing now (rate above 0)");
	for (int i = 0; i < 6; i++)
		s->rows[i].rate[0] = 0;
	ok(streq(view(&t, s), "") && s->ntop == 0, "nothing failing: an empty view");
	ts_top_free(&t);
	snap_free(s);

	c.size = 0;
	ts_top_init(&t, &c);
	is_u(t.size, 1, "a size of 0 is taken as 1");
	c.size = TS_TOP_MAX + 5;
	ts_top_init(&t, &c);
	is_u(t.size, TS_TOP_MAX, "a size above %u is taken as %u", TS_TOP_MAX,
	    TS_TOP_MAX);
}

static void
test_ties(void)
{
	struct ts_top_conf c = { .size = 2 };
	struct ts_top t;
	struct ts_snapshot *s = snap(4);

	for (int i = 0; i < 4; i++)
		s->rows[i].rate[0] = 1000;
	s->rows[3].failures = 200;
	ts_top_init(&t, &c);
	ok(streq(view(&t, s), "3:1 0:2"), "equal rates: more failures first, then "
	    "the lower address");
	ts_top_free(&t);
	s->rows[3].failures = 100;
	s->rows[0].netns = NS + 1;
	ts_top_init(&t, &c);
	ok(streq(view(&t, s), "1:1 2:2"), "...then the lower namespace");
	ts_top_free(&t);
	snap_free(s);
}

static void
test_hysteresis(void)
{
	struct ts_top_conf c = { .size = 1 };
	struct ts_top t;
	struct ts_snapshot *s = snap(2);

	ts_top_init(&t, &c);
	s->rows[0].rate[0] = 1000;
	s->rows[1].rate[0] = 900;
	ok(streq(view(&t, s), "0:1"), "A (1/s) is in the view of 1, B (0.9/s) not");
	s->rows[1].rate[0] = 1250;
	ok(streq(view(&t, s), "0:1"), "B at 1.25/s, a quarter above A, does not "
	    "take A's place");
	s->rows[1].rate[0] = 1251;
	ok(streq(view(&t, s), "1:1"), "B at 1.251/s does");
	s->rows[0].rate[0] = 1500;
	ok(streq(view(&t, s), "1:1"), "then A at 1.5/s does not take it back");
	s->rows[1].rate[0] = 0;
	ok(streq(view(&t, s), "0:1"), "an incumbent whose rate falls to 0 leaves "
	    "at once");
	ts_top_free(&t);

	ts_top_init(&t, &c);
	s->rows[0].rate[0] = 100;
	s->rows[1].rate[0] = 10;
	view(&t, s);
	s->rows[1].rate[0] = 150;
	ok(streq(view(&t, s), "0:1"), "at low rates the margin is 0.05/s: B at "
	    "0.15/s does not displace A at 0.1/s");
	s->rows[1].rate[0] = 151;
	ok(streq(view(&t, s), "1:1"), "...B at 0.151/s does");
	ts_top_free(&t);

	/* Ranks follow the rate; the membership does not move. */
	c.size = 2;
	ts_top_init(&t, &c);
	s->rows[0].rate[0] = 1000;
	s->rows[1].rate[0] = 900;
	ok(streq(view(&t, s), "0:1 1:2"), "two members, ranked by rate");
	s->rows[0].rate[0] = 900;
	s->rows[1].rate[0] = 1000;
	ok(streq(view(&t, s), "1:1 0:2"), "their rates swap: so do their ranks, "
	    "the members stay");
	ts_top_free(&t);
	snap_free(s);
}

/*
 * Two endpoints failing at about 1/s, each reading within 10% of it
 * from one snapshot to the next, compete for a view of 1: by rate alone
 * the member would change often; with the margin, never.
 */
static void
test_flapping(void)
{
	struct ts_top_conf c = { .size = 1 };
	struct ts_top t;
	struct ts_snapshot *s = snap(2);
	uint32_t prev = UINT32_MAX;
	int changes = 0, leader_changes = 0, lead = -1;

	srand(7);
	ts_top_init(&t, &c);
	for (int k = 0; k < 200; k++) {
		for (int i = 0; i < 2; i++)
			s->rows[i].rate[0] = 900 + (uint32_t)(rand() % 201);
		if (s->rows[0].rate[0] != s->rows[1].rate[0] &&
		    (s->rows[0].rate[0] > s->rows[1].rate[0] ? 0 : 1) != lead) {
			leader_changes += lead != -1;
			lead = s->rows[0].rate[0] > s->rows[1].rate[0] ? 0 : 1;
		}
		view(&t, s);
		if (s->ntop != 1)
			break;
		changes += prev != UINT32_MAX && s->top[0].row != prev;
		prev = s->top[0].row;
	}
	ok(changes == 0 && leader_changes > 20, "two endpoints at 1/s +- 10%% "
	    "over 200 snapshots: the view's member never changes (the higher "
	    "rate changed hands %d times)", leader_changes);
	ts_top_free(&t);
	snap_free(s);
}

/* Reference: the first view (no incumbents) is a plain sort. */
static const struct ts_snapshot *ref_s;

static int
ref_cmp(const void *x, const void *y)
{
	const struct ts_snap_row *a = &ref_s->rows[*(const uint32_t *)x];
	const struct ts_snap_row *b = &ref_s->rows[*(const uint32_t *)y];

	if (a->rate[0] != b->rate[0])
		return a->rate[0] > b->rate[0] ? -1 : 1;
	if (a->failures != b->failures)
		return a->failures > b->failures ? -1 : 1;
	return ts_epkey_cmp(&a->key, &b->key);
}

static void
test_reference(void)
{
	struct ts_top_conf c = { .size = 1000 };
	struct ts_top t;
	struct ts_snapshot *s = snap(20000);
	uint32_t *idx = calloc(20000, sizeof(*idx));
	size_t n = 0;
	int bad = 0;

	srand(11);
	for (size_t i = 0; i < s->nrows; i++) {
		s->rows[i].rate[0] = rand() % 4 == 0 ? 0 : (uint32_t)(rand() % 5000);
		s->rows[i].failures = (uint64_t)(rand() % 3);
		s->rows[i].key.port = (uint16_t)(rand() % 4);
		if (s->rows[i].rate[0] > 0)
			idx[n++] = (uint32_t)i;
	}
	ref_s = s;
	qsort(idx, n, sizeof(*idx), ref_cmp);
	ts_top_init(&t, &c);
	view(&t, s);
	for (size_t i = 0; i < 1000 && i < s->ntop; i++)
		if (s->top[i].row != idx[i] || s->top[i].rank != i + 1)
			bad++;
	ok(s->ntop == 1000 && bad == 0, "20000 rows, a view of 1000: the first "
	    "1000 of a plain sort by rate, failures and key (%d differ)", bad);
	ts_top_free(&t);
	free(idx);
	snap_free(s);
}

int
main(void)
{
	test_choice();
	test_ties();
	test_hysteresis();
	test_flapping();
	test_reference();
	return tap_done();
}
