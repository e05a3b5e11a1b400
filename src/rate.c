/*
 * rate.c - fixed-bucket sliding windows (the rule is in rate.h).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rate.h"

void
ts_rate_conf_default(struct ts_rate_conf *rc)
{
	rc->window[0] = 60 * TS_NS_PER_SEC;
	rc->window[1] = 300 * TS_NS_PER_SEC;
	rc->window[2] = 900 * TS_NS_PER_SEC;
}

int
ts_rate_conf_check(const struct ts_rate_conf *rc)
{
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		if (rc->window[w] < TS_RATE_BUCKETS ||
		    rc->window[w] % TS_RATE_BUCKETS != 0)
			return -1;
	return 0;
}

static ts_ns
width(const struct ts_rate_conf *rc, int w)
{
	return rc->window[w] / TS_RATE_BUCKETS;
}

/* Floor division: times before 1970 in tests must not round up. */
static int64_t
bucket_of(ts_ns t, ts_ns wd)
{
	return t >= 0 ? t / wd : -((-t + wd - 1) / wd);
}

static uint32_t
slot(int64_t e)
{
	int64_t s = e % TS_RATE_BUCKETS;

	return (uint32_t)(s < 0 ? s + TS_RATE_BUCKETS : s);
}

void
ts_rate_init(struct ts_rate *r)
{
	memset(r, 0, sizeof(*r));
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		r->epoch[w] = INT64_MIN;
}

void
ts_rate_add(struct ts_rate *r, const struct ts_rate_conf *rc, ts_ns t,
    uint32_t n)
{
	if (n == 0)
		return;
	if (r->epoch[0] == INT64_MIN || t < r->first)
		r->first = t;
	for (int w = 0; w < TS_RATE_WINDOWS; w++) {
		ts_ns wd = width(rc, w);
		int64_t e;

		/*
		 * Most events fall in the newest bucket: known without a
		 * division (a storm adds to three or more counters a frame).
		 */
		if (r->epoch[w] != INT64_MIN) {
			ts_ns s = r->epoch[w] * wd;

			if (t >= s && t - s < wd) {
				r->b[w][slot(r->epoch[w])] += n;
				continue;
			}
		}
		e = bucket_of(t, wd);
		if (r->epoch[w] == INT64_MIN ||
		    e - r->epoch[w] >= TS_RATE_BUCKETS) {
			memset(r->b[w], 0, sizeof(r->b[w]));
			r->epoch[w] = e;
		} else if (e > r->epoch[w]) {
			for (int64_t i = r->epoch[w] + 1; i <= e; i++)
				r->b[w][slot(i)] = 0;
			r->epoch[w] = e;
		} else if (r->epoch[w] - e >= TS_RATE_BUCKETS) {
			continue;	/* older than the window */
		}
		r->b[w][slot(e)] += n;
	}
}

void
ts_rate_add64(struct ts_rate *r, const struct ts_rate_conf *rc, ts_ns t,
    uint64_t n)
{
	while (n > 0) {
		uint32_t part = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;

		ts_rate_add(r, rc, t, part);
		n -= part;
	}
}

/* The first bucket of the window ending in now's bucket e. */
static int64_t
first_bucket(int64_t e)
{
	return e - (TS_RATE_BUCKETS - 1);
}

uint64_t
ts_rate_count(const struct ts_rate *r, const struct ts_rate_conf *rc, int w,
    ts_ns now)
{
	int64_t e = bucket_of(now, width(rc, w)), lo, hi;
	uint64_t sum = 0;

	if (r->epoch[w] == INT64_MIN)
		return 0;
	/* Buckets S .. now's, of those still held (the newest 60). */
	lo = first_bucket(e);
	if (lo < first_bucket(r->epoch[w]))
		lo = first_bucket(r->epoch[w]);
	hi = e < r->epoch[w] ? e : r->epoch[w];
	for (int64_t i = lo; i <= hi; i++)
		sum += r->b[w][slot(i)];
	return sum;
}

uint64_t
ts_rate_milli(const struct ts_rate *r, const struct ts_rate_conf *rc, int w,
    ts_ns now)
{
	ts_ns wd = width(rc, w);
	ts_ns from = first_bucket(bucket_of(now, wd)) * wd;	/* S */
	ts_ns min = TS_RATE_MIN_SPAN < rc->window[w] ? TS_RATE_MIN_SPAN :
	    rc->window[w];
	ts_ns span;
	uint64_t n;

	if (r->epoch[w] == INT64_MIN ||
	    (n = ts_rate_count(r, rc, w, now)) == 0)
		return 0;
	if (r->first > from)		/* younger than the window */
		from = r->first;
	span = now - from;
	if (span < min)
		span = min;
	return (uint64_t)llround((double)n * 1e3 * (double)TS_NS_PER_SEC /
	    (double)span);
}
