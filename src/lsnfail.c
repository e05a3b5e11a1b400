/*
 * lsnfail.c - failures put down to a dropping listener (see lsnfail.h).
 */
#include "config.h"

#include "lsnfail.h"

int
ts_lsnfail_candidate(const struct ts_event *ev)
{
	return ev->loc == TS_LOC_LOCAL && (ev->cls == TS_CL_TIMEOUT ||
	    (ev->cls == TS_CL_HSRESET && ev->rst_by == TS_BY_SERVICE));
}

enum ts_lsn_verdict
ts_lsnfail_event(struct ts_engine *e, const struct ts_lsntab *t,
    uint32_t netns, const struct ts_event *ev)
{
	enum ts_lsn_verdict v;

	if (t == NULL || !ts_lsnfail_candidate(ev))
		return TS_LSN_NONE;
	v = ts_lsntab_overflow(t, netns, ev->family, ev->svc, ev->svc_port,
	    ev->start != 0 && ev->start <= ev->ts ? ev->start : ev->ts, ev->ts,
	    NULL);
	if (v == TS_LSN_OVERFLOW)
		ts_eptab_lsn_overflow(e->ep, ev);
	return v;
}
