/*
 * decode_result.c - how a layer decoder ends: a frame counted as skipped
 * or malformed under a reason, and the reasons' names.  The layers
 * (decode_link.c -> decode_ip.c -> decode_l4.c) call down only, and all
 * of them call this file.
 */
#include "config.h"

#include "decode_int.h"

enum ts_dec_result
ts_dec_skip(struct ts_dec *d, enum ts_skip why)
{
	d->st->skipped[why]++;
	d->res = TS_DEC_SKIP;
	d->reason = (int)why;
	return TS_DEC_SKIP;
}

enum ts_dec_result
ts_dec_bad(struct ts_dec *d, enum ts_malformed why)
{
	d->st->malformed[why]++;
	d->res = TS_DEC_MALFORMED;
	d->reason = (int)why;
	return TS_DEC_MALFORMED;
}

enum ts_dec_result
ts_dec_short(struct ts_dec *d, const struct ts_cur *c, enum ts_malformed why)
{
	if (ts_cur_snapped(c))
		return ts_dec_skip(d, TS_SKIP_SNAPPED);
	return ts_dec_bad(d, why);
}

#define X(id, name, desc) name,
static const char *const skip_names[] = { TS_SKIP_REASONS(X) };
static const char *const mal_names[] = { TS_MAL_REASONS(X) };
#undef X
#define X(id, name, desc) desc,
static const char *const mal_descs[] = { TS_MAL_REASONS(X) };
#undef X

const char *
ts_skip_name(enum ts_skip s)
{
	return (unsigned)s < TS_SKIP__COUNT ? skip_names[s] : "?";
}

const char *
ts_mal_name(enum ts_malformed m)
{
	return (unsigned)m < TS_MAL__COUNT ? mal_names[m] : "?";
}

const char *
ts_mal_desc(enum ts_malformed m)
{
	return (unsigned)m < TS_MAL__COUNT ? mal_descs[m] : "?";
}

uint64_t
ts_decode_malformed_total(const struct ts_decode_stats *st)
{
	uint64_t n = 0;

	for (int i = 0; i < TS_MAL__COUNT; i++)
		n += st->malformed[i];
	return n;
}
