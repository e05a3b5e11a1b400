/*
 * alarm.h - threshold alarms on failure rates, evaluated on snapshots.
 *
 * An endpoint (or the host's AttemptFails rate, or a listening address and
 * port's drops rate) goes "high" when its rate
 * has stayed above the raise threshold for the hold-down time, and back to
 * "normal" when it falls below the (lower) clear threshold: hysteresis,
 * so a rate hovering at the threshold does not flap.  Thresholds are a
 * global default with per-port overrides.  When more endpoints cross in
 * one evaluation than the storm limit (a scan), one summary is reported
 * instead; a token bucket caps notifications per second, and what it
 * holds back is summarised when it refills.  Pure: time is a parameter.
 */
#ifndef TS_ALARM_H
#define TS_ALARM_H

#include <stdint.h>

#include "snapshot.h"

#define TS_ALARM_MAX_PORTS	256

struct ts_threshold {
	uint32_t	raise;		/* milli-events/s; 0: no alarm */
	uint32_t	clear;		/* below this it clears */
	ts_ns		hold;		/* above raise this long first */
};

struct ts_alarm_conf {
	struct ts_threshold	endpoint;	/* default for every endpoint */
	struct {
		uint16_t		port;
		struct ts_threshold	t;
	}			ports[TS_ALARM_MAX_PORTS];
	int			nports;
	struct ts_threshold	host;		/* AttemptFails rate */
	struct ts_threshold	listener;	/* a listener's drop rate */
	int			window;		/* 0, 1, 2: the 1/5/15-min rate */
	uint32_t		storm;		/* more crossings at once: summary */
	uint32_t		per_sec;	/* notifications per second */
	uint32_t		burst;		/* ... and in a burst */
	uint32_t		max_alarms;	/* alarm table bound */
	int			drops;		/* alarm when kernel drops rise */
	uint32_t		coverage_min;	/* per mille; 0: off */
	uint64_t		coverage_sample; /* kernel events needed first */
};

enum ts_alarm_kind {
	TS_AL_ENDPOINT = 1,
	TS_AL_HOST,
	TS_AL_DROPS,
	TS_AL_COVERAGE,
	TS_AL_LISTENER,		/* a listener group dropping (snap->lgrp) */
};

struct ts_alarm {
	uint32_t	id;		/* the alarm table's index */
	uint8_t		kind;		/* enum ts_alarm_kind */
	uint8_t		active;		/* raised (else pending hold-down) */
	uint32_t	netns;		/* endpoint and listener alarms */
	struct ts_epkey	key;		/* ... their address and port */
	char		name[192];
	uint32_t	ifindex;
	char		ifname[IF_NAMESIZE];
	uint32_t	rate, threshold;
	uint64_t	value;		/* drops, coverage per mille */
	uint32_t	backlog, queue;	/* a listener's, when last evaluated */
	char		owner[192];	/* ... and its owner */
	ts_ns		since_wall;	/* raised at */
	ts_ns		since_mono;	/* ... on the monotonic clock */
	ts_ns		pending_mono;	/* above raise since */
};

enum ts_alarm_ev {
	TS_ALEV_RAISE = 1,
	TS_ALEV_CLEAR,
	TS_ALEV_SUMMARY,	/* count alarms not reported one by one */
};

struct ts_alarm_event {
	uint8_t			type;		/* enum ts_alarm_ev */
	const struct ts_alarm	*alarm;		/* RAISE, CLEAR */
	uint32_t		count;		/* SUMMARY */
	uint32_t		threshold;	/* SUMMARY: the default one */
};

typedef void (*ts_alarm_sink)(void *arg, const struct ts_alarm_event *);

struct ts_alarms;

void	ts_alarm_conf_default(struct ts_alarm_conf *);
/* Thresholds for a port (its override, else the default). */
const struct ts_threshold *ts_alarm_threshold(const struct ts_alarm_conf *,
	    uint16_t port);
struct ts_alarms *ts_alarms_new(const struct ts_alarm_conf *);
void	ts_alarms_free(struct ts_alarms *);
/* New thresholds (a reload); alarms in progress are kept. */
void	ts_alarms_reconf(struct ts_alarms *, const struct ts_alarm_conf *);
/* Evaluate a snapshot at monotonic time now; report through sink. */
void	ts_alarms_eval(struct ts_alarms *, const struct ts_snapshot *,
	    ts_ns now, ts_alarm_sink, void *arg);
/* Active alarms, sorted by id; returns how many (at most n). */
uint32_t ts_alarms_list(const struct ts_alarms *, const struct ts_alarm **,
	    uint32_t n);
uint32_t ts_alarms_active(const struct ts_alarms *);

#endif
