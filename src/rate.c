/*
 * rate.c - fixed-bucket sliding windows.
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
	int64_t s = e % TS_RATE_SLOTS;

	return (uint32_t)(s < 0 ? s + TS_RATE_SLOTS : s);
}

void
ts_rate_init(struct ts_rate *r, ts_ns now)
{
	memset(r, 0, sizeof(*r));
	r->start = now;
	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		r->epoch[w] = INT64_MIN;
}

void
ts_rate_add(struct ts_rate *r, const struct ts_rate_conf *rc, ts_ns t,
    uint32_t n)
{
	for (int w = 0; w < TS_RATE_WINDOWS; w++) {
		int64_t e = bucket_of(t, width(rc, w));

		if (r->epoch[w] == INT64_MIN ||
		    e - r->epoch[w] >= TS_RATE_SLOTS) {
			memset(r->b[w], 0, sizeof(r->b[w]));
			r->epoch[w] = e;
		} else if (e > r->epoch[w]) {
			for (int64_t i = r->epoch[w] + 1; i <= e; i++)
				r->b[w][slot(i)] = 0;
			r->epoch[w] = e;
		} else if (r->epoch[w] - e >= TS_RATE_SLOTS) {
			continue;	/* older than the window */
		}
		r->b[w][slot(e)] += n;
	}
}

uint64_t
ts_rate_count(const struct ts_rate *r, const struct ts_rate_conf *rc, int w,
    ts_ns now)
{
	int64_t e = bucket_of(now, width(rc, w)), lo, hi;
	uint64_t sum = 0;

	if (r->epoch[w] == INT64_MIN)
		return 0;
	/* The last TS_RATE_BUCKETS whole buckets, not the one filling now. */
	lo = e - TS_RATE_BUCKETS;
	if (lo < r->epoch[w] - TS_RATE_BUCKETS)
		lo = r->epoch[w] - TS_RATE_BUCKETS;
	hi = e - 1 < r->epoch[w] ? e - 1 : r->epoch[w];
	for (int64_t i = lo; i <= hi; i++)
		sum += r->b[w][slot(i)];
	return sum;
}

uint64_t
ts_rate_milli(const struct ts_rate *r, const struct ts_rate_conf *rc, int w,
    ts_ns now)
{
	ts_ns wd = width(rc, w);
	ts_ns end = bucket_of(now, wd) * wd;	/* the last bucket boundary */
	ts_ns span = rc->window[w];
	uint64_t n;

	if (end - r->start < span)		/* younger than the window */
		span = end - r->start;
	if (span < wd)				/* but at least one bucket */
		span = wd;
	if (span <= 0 || (n = ts_rate_count(r, rc, w, now)) == 0)
		return 0;
	return (uint64_t)llround((double)n * 1e3 * (double)TS_NS_PER_SEC /
	    (double)span);
}
