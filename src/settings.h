/*
 * settings.h - every setting of tcpsleuthd and tcpsleuth, defined once.
 *
 * ts_settings[] (settings.c) is the one table: each row gives a setting's
 * name, type, range, default, where it lands in struct ts_conf, which
 * programs take it, whether a reload applies it, and its help.  Everything
 * else is made from it: both programs' long options and usage text (here),
 * the tcpsleuthd.conf parser (agentx/conf.c makes libConfuse's options from
 * the rows and hands every value to ts_settings_set()), the list of what a
 * reload leaves for the next start, and the tests that check the man pages
 * and that the file and the command line take the same values
 * (tests/unit/test_settings.c, test_conf.c).  A value always arrives as
 * text, from a command line, a file or the table's default, and goes
 * through the same parser, so one setting cannot have two ranges.
 *
 * Strings a setting points to belong to where the value came from (argv,
 * the parsed file, the table): keep that alive as long as the settings.
 */
#ifndef TS_SETTINGS_H
#define TS_SETTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agent.h"
#include "alarm.h"
#include "collector.h"

/* Where every setting lands: tcpsleuthd's whole configuration. */
struct ts_conf {
	struct ts_collector_conf coll;	/* capture, engine, intervals */
	struct ts_agent_conf	 agent;	/* SNMP, alarms */
	const char		*pidfile;
	const char		*user;	/* run as; NULL: stay */
};

enum ts_stype {
	TS_T_BOOL,	/* yes|no (true|false, on|off) -> int */
	TS_T_UINT,	/* integer min..max -> unsigned field, times .scale */
	TS_T_SECS,	/* decimal seconds min..max -> ts_ns */
	TS_T_RATE,	/* events per second min..max -> uint32_t thousandths */
	TS_T_CHOICE,	/* one word of .choices ("1|5|15") -> int, its index */
	TS_T_STR,	/* text -> const char *; "" unsets */
	TS_T_STRS,	/* up to .items texts -> const char *[], count at .off2 */
	TS_T_PORTS,	/* up to .items ports -> uint16_t[], count at .off2 */
	TS_T_NETS,	/* up to .items address[/prefix] -> struct ts_ignore */
	TS_T_WINDOWS,	/* three seconds, each min..max -> struct ts_rate_conf */
};

/* .flags */
#define TS_CLI		0x01	/* tcpsleuth(1) takes it */
#define TS_DAEMON	0x02	/* tcpsleuthd: command line and file */
#define TS_BOTH		(TS_CLI | TS_DAEMON)
#define TS_RESTART	0x04	/* a reload leaves it to the next start */
#define TS_PART		0x08	/* no option of its own: a field of its
				   section's compound (--alarm-port P:R:C:H) */

/* .base */
#define TS_AT_CONF	0	/* in struct ts_conf */
#define TS_AT_PORT	1	/* in an alarm-port entry (agent.alarm.ports[]) */

struct ts_setting {	/* (in an order without padding) */
	const char	*name;		/* long option; the file's name at top level */
	const char	*section;	/* NULL, or the file section it is in */
	const char	*key;		/* its name there; NULL: the section's title */
	const char	*def;		/* default, as on a command line; NULL: none */
	const char	*choices;	/* TS_T_CHOICE */
	const char	*arg;		/* the value in the usage: "N", "SECONDS" */
	const char	*help;
	/* More than syntax and range (a user exists, a filter compiles). */
	int		(*check)(const char *value, char *err, size_t errlen);
	double		 min, max;	/* numbers (each item of a list) */
	double		 scale;		/* TS_T_UINT: stored times this (0: 1) */
	size_t		 off, size;	/* where it lands */
	size_t		 off2;		/* lists: where the count (int) lands */
	enum ts_stype	 type;
	unsigned	 items;		/* lists: at most this many */
	unsigned	 flags;
	int		 base;
};

/* A section of the file: alarm { }, alarm-port "7211" { }, v3-user "u" { }. */
#define TS_SEC_TITLE	0x01	/* has a title (the row with key NULL) */
#define TS_SEC_MULTI	0x02	/* repeatable, one per title */
struct ts_section {
	const char	*name;
	unsigned	 flags;
};

extern const struct ts_setting	ts_settings[];
extern const size_t		ts_nsettings;
extern const struct ts_section	ts_sections[];
extern const size_t		ts_nsections;

#define TS_SETTINGS_MAX	128	/* rows, at most */

const struct ts_setting *ts_setting_find(const char *name);
/* The row written as key in section (NULL: top level; key NULL: title). */
const struct ts_setting *ts_setting_in(const char *section, const char *key);
const struct ts_section *ts_section_find(const char *name);
size_t	ts_setting_index(const struct ts_setting *);
/* Lists: several values (a file's { a, b }, a repeated option). */
int	ts_setting_is_list(const struct ts_setting *);
/* The rows of a multi section after its title (its parts), in order. */
size_t	ts_setting_parts(const char *section, const struct ts_setting **out,
	    size_t max);

/* The settings being put together: defaults, a file, a command line. */
enum { TS_LV_DEFAULT, TS_LV_FILE, TS_LV_ARGS };
struct ts_settings {
	struct ts_conf	c;
	uint8_t		level[TS_SETTINGS_MAX];	/* who set each row last */
	uint8_t		nitems[TS_SETTINGS_MAX]; /* list items at that level */
	uint8_t		port_level[TS_ALARM_MAX_PORTS];
	uint8_t		port_given[TS_ALARM_MAX_PORTS]; /* bit: part row */
};

/*
 * Each component's defaults (the core's: tcpsleuthd adds
 * ts_agent_conf_default()), then every row's default.
 */
void	ts_settings_init(struct ts_settings *);
/* Every row's default, over what st->c holds. */
void	ts_settings_defaults(struct ts_settings *);
/*
 * One value, or one item of a list (idx 0 starts the list over), at a
 * level; entry is the alarm-port entry for TS_AT_PORT rows.  Returns 0, or
 * -1 with why (without the setting's name) in err.
 */
int	ts_settings_set(struct ts_settings *, const struct ts_setting *,
	    int entry, const char *value, unsigned idx, int level, char *err,
	    size_t errlen);
/*
 * The entry of a multi section (alarm-port) titled value: a new one, or
 * the one a lower level made for the same port.  Returns its index, or -1
 * with why in err (given twice at this level: "port 7211 given twice").
 */
int	ts_settings_entry(struct ts_settings *, const struct ts_setting *title,
	    const char *value, int level, char *err, size_t errlen);
/*
 * A command-line value: lists split at commas (a setting's first value at
 * this level starts its list over, the next ones add to it); a multi
 * section's title row takes TITLE:PART:PART... in table order.
 */
int	ts_settings_arg(struct ts_settings *, const struct ts_setting *,
	    const char *value, int level, char *err, size_t errlen);
/*
 * After each source: defaults that follow other settings (a clear rate
 * half the raise rate, a port's hold the alarm's) and checks across
 * settings.  -1 with why in err and the row (and alarm-port entry, else
 * -1) at fault in *bad, *bad_entry.
 */
int	ts_settings_finish(struct ts_settings *, const struct ts_setting **bad,
	    int *bad_entry, char *err, size_t errlen);
/* Whether a row holds the same value in two configurations. */
int	ts_setting_same(const struct ts_setting *, const struct ts_conf *,
	    const struct ts_conf *);

/* Text for usage and man pages: "1 to 16777216", "1, 5 or 15", "". */
void	ts_setting_range(const struct ts_setting *, char *buf, size_t len);

/* Command lines: a program's short names for settings (-i, -x, -t...). */
struct ts_shortopt {
	int		 ch;
	const char	*name;
};
#define TS_OPT_SETTING	1000	/* getopt_long's value: this + row index */
/*
 * own (ending in a zero entry) followed by a long option for each of
 * prog's settings; malloc'd, NULL on failure.
 */
struct option *ts_settings_longopts(unsigned prog, const struct option *own);
/* The setting a getopt_long value stands for (short or long), or NULL. */
const struct ts_setting *ts_settings_opt(int ch, const struct ts_shortopt *);
/* The usage lines of prog's settings. */
void	ts_settings_usage(FILE *, unsigned prog, const struct ts_shortopt *);

/* Checks the table uses, for tests. */
int	ts_check_transport(const char *value, char *err, size_t errlen);

#endif
