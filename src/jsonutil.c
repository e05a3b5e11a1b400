/*
 * jsonutil.c - JSON pieces shared by the reports (see jsonutil.h).
 */
#include "config.h"

#include "addr.h"
#include "jsonutil.h"

static const char *const win_names[TS_RATE_WINDOWS] = { "1m", "5m", "15m" };

json_t *
ts_json_time(ts_ns t)
{
	char buf[TS_TIMESTRLEN];

	return t > 0 ? json_string(ts_time_str(t, buf, sizeof(buf))) :
	    json_null();
}

json_t *
ts_json_milli(const uint32_t *milli)
{
	json_t *o = json_object();

	for (int w = 0; w < TS_RATE_WINDOWS; w++)
		json_object_set_new(o, win_names[w], json_integer(milli[w]));
	return o;
}

json_t *
ts_json_rates(const struct ts_rate *rt, const struct ts_rate_conf *rc,
    ts_ns now)
{
	uint32_t m[TS_RATE_WINDOWS];

	for (int w = 0; w < TS_RATE_WINDOWS; w++) {
		uint64_t v = ts_rate_milli(rt, rc, w, now);

		m[w] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	}
	return ts_json_milli(m);
}

json_t *
ts_json_u64(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX :
	    (json_int_t)v);
}
