/*
 * jsonutil.h - JSON pieces shared by the reports: times as UTC strings
 * (null when unknown), rates as milli-events per second keyed by window,
 * unsigned 64-bit counters (jansson's integers are signed: capped).
 */
#ifndef TS_JSONUTIL_H
#define TS_JSONUTIL_H

#include <stdint.h>

#include <jansson.h>

#include "pkt.h"
#include "rate.h"

json_t	*ts_json_time(ts_ns);
/* {"1m": N, "5m": N, "15m": N} (keys name the default windows). */
json_t	*ts_json_rates(const struct ts_rate *, const struct ts_rate_conf *,
	    ts_ns now);
/* The same of rates already computed (a snapshot's), one per window. */
json_t	*ts_json_milli(const uint32_t *milli);
json_t	*ts_json_u64(uint64_t);

#endif
