/*
 * kevreport.c - the kernel event source in tcpsleuth's reports (see
 * kevreport.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "jsonutil.h"
#include "kevfeed.h"
#include "kevreason.h"
#include "kevreport.h"

int
kevreport_running(const struct kevsrc *ks)
{
	return ks != NULL && (kevsrc_state(ks) == KEVSRC_RUNNING ||
	    kevsrc_state(ks) == KEVSRC_PARTIAL);
}

const char *
kevreport_line(const struct kevsrc *ks, char *buf, size_t len)
{
	struct kev_counters c;

	if (ks == NULL)
		snprintf(buf, len, "none: %s", KEVREPORT_FILE);
	else if (!kevreport_running(ks) ||
	    kev_counters(kevsrc_kev(ks), &c) != 0)
		snprintf(buf, len, "%s: %s", kevsrc_state_name(kevsrc_state(ks)),
		    kevsrc_reason(ks));
	else {
		uint64_t lost = kev_losses(&c) + c.bad_records;

		snprintf(buf, len, "%s: %s; failures %llu, unknown callers "
		    "%llu, losses %llu", kevsrc_state_name(kevsrc_state(ks)),
		    kevsrc_reason(ks),
		    (unsigned long long)kevsrc_stats(ks)->failures,
		    (unsigned long long)kevsrc_stats(ks)->unknown,
		    (unsigned long long)lost);
	}
	return buf;
}

json_t *
kevreport_json(const struct kevsrc *ks)
{
	struct kev_counters c;
	json_t *o;

	if (ks == NULL)
		return json_pack("{s:s,s:s}", "state", "none", "reason",
		    KEVREPORT_FILE);
	o = json_pack("{s:s,s:s}", "state", kevsrc_state_name(kevsrc_state(ks)),
	    "reason", kevsrc_reason(ks));
	if (o == NULL || !kevreport_running(ks) ||
	    kev_counters(kevsrc_kev(ks), &c) != 0)
		return o;
	json_object_set_new(o, "failures", ts_json_u64(kevsrc_stats(ks)->failures));
	json_object_set_new(o, "unknown_callers",
	    ts_json_u64(kevsrc_stats(ks)->unknown));
	json_object_set_new(o, "events", ts_json_u64(c.c[KEV_C_EVENTS]));
	json_object_set_new(o, "ring_full", ts_json_u64(c.c[KEV_C_RING_FULL]));
	json_object_set_new(o, "syn_map_full", ts_json_u64(c.c[KEV_C_SYN_FULL]));
	json_object_set_new(o, "thread_map_full",
	    ts_json_u64(c.c[KEV_C_TID_FULL]));
	json_object_set_new(o, "bad_records", ts_json_u64(c.bad_records));
	return o;
}

static void
errnos(const struct kev_epcallers *ep, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int e = 0; e < KEV_E__COUNT && n < len; e++)
		if (ep->errs[e] != 0)
			n += (size_t)snprintf(buf + n, len - n, "%s%s %llu",
			    n ? ", " : "", kev_errcol_name(e),
			    (unsigned long long)ep->errs[e]);
}

/* "santaba (stopped 12s ago)", "santaba (listening)". */
static void
listener(const struct kev_listener *l, ts_ns now, char *buf, size_t len)
{
	char who[192];

	kev_who_line(&l->who, l->pid, who, sizeof(who));
	if (l->active > 0)
		snprintf(buf, len, "%s (listening)", who);
	else
		snprintf(buf, len, "%s (stopped %llds ago)", who, (long long)
		    ((now > l->stopped ? now - l->stopped : 0) / TS_NS_PER_SEC));
}

const char *
kevreport_cell(const struct kevsrc *ks, const struct ts_row *r,
    enum kevreport_cell which, ts_ns now, char *buf, size_t len)
{
	struct kevsrc_row kr;

	if (!kevreport_running(ks))
		return "-";
	kevsrc_row(ks, &r->key, &kr);
	switch (which) {
	case KEVR_CALLER:
		if (kr.ep == NULL || !kr.ep->has_last)
			return "-";
		kev_who_line(&kr.ep->last_caller.who, kr.ep->last_caller.pid,
		    buf, len);
		return buf;
	case KEVR_ERRNO:
		if (kr.ep == NULL)
			return "-";
		errnos(kr.ep, buf, len);
		return buf;
	case KEVR_LISTENER:
		if (kr.lsn == NULL)
			return "-";
		listener(kr.lsn, now, buf, len);
		return buf;
	}
	return "-";
}

static json_t *
who_json(const struct kev_who *w, uint32_t pid)
{
	struct ts_cg_owner o;
	char line[192];

	ts_cgroup_classify(w->cgroup[0] != '\0' ? w->cgroup : NULL, &o);
	kev_who_line(w, pid, line, sizeof(line));
	return json_pack("{s:i,s:s,s:i,s:s,s:s,s:s}", "pid", (json_int_t)pid,
	    "comm", w->comm, "uid", (json_int_t)w->uid, "cgroup", w->cgroup,
	    "owner", o.kind != TS_CG_NONE ? o.name : "", "line", line);
}

json_t *
kevreport_row_json(const struct kevsrc *ks, const struct ts_row *r)
{
	const struct kev_callrow *top[KEV_CALLERS_MAX];
	struct kevsrc_row kr;
	json_t *o, *errs, *reasons, *callers;
	size_t n;

	if (!kevreport_running(ks))
		return NULL;
	kevsrc_row(ks, &r->key, &kr);
	o = json_object();
	json_object_set_new(o, "kernel_only", ts_json_u64(r->kfail));
	if (kr.ep != NULL) {
		errs = json_object();
		reasons = json_object();
		callers = json_array();
		for (int e = 0; e < KEV_E__COUNT; e++)
			if (kr.ep->errs[e] != 0)
				json_object_set_new(errs, kev_errcol_name(e),
				    ts_json_u64(kr.ep->errs[e]));
		for (int e = 0; e < KEV_R__COUNT; e++)
			if (kr.ep->reasons[e] != 0)
				json_object_set_new(reasons, kev_reason_name(e),
				    ts_json_u64(kr.ep->reasons[e]));
		n = kev_callers_top(kr.ep, top, KEV_CALLERS_MAX);
		for (size_t i = 0; i < n; i++) {
			json_t *c = who_json(&top[i]->who, top[i]->pid);

			json_object_set_new(c, "attempts",
			    ts_json_u64(top[i]->count));
			json_object_set_new(c, "created",
			    ts_json_time(top[i]->created));
			json_object_set_new(c, "last_seen",
			    ts_json_time(top[i]->last));
			json_array_append_new(callers, c);
		}
		json_object_set_new(o, "attempts", ts_json_u64(kr.ep->total));
		json_object_set_new(o, "since", ts_json_time(kr.ep->created));
		json_object_set_new(o, "errno", errs);
		json_object_set_new(o, "reasons", reasons);
		json_object_set_new(o, "callers", callers);
		json_object_set_new(o, "other_callers", ts_json_u64(kr.ep->other));
		json_object_set_new(o, "unknown_callers",
		    ts_json_u64(kr.ep->unknown));
		if (kr.ep->has_last)
			json_object_set_new(o, "last_caller", who_json(
			    &kr.ep->last_caller.who, kr.ep->last_caller.pid));
	}
	if (kr.lsn != NULL) {
		json_t *l = who_json(&kr.lsn->who, kr.lsn->pid);

		json_object_set_new(l, "listening",
		    json_boolean(kr.lsn->active > 0));
		json_object_set_new(l, "stopped", kr.lsn->active > 0 ?
		    json_null() : ts_json_time(kr.lsn->stopped));
		json_object_set_new(o, "last_listener", l);
	}
	return o;
}
