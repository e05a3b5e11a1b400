/*
 * conf.h - tcpsleuthd.conf (tcpsleuthd.conf(5)), read with libConfuse.
 * Every error names the file and line.  The result is a complete set of
 * settings; the command line is applied on top by the caller.
 */
#ifndef TS_CONF_H
#define TS_CONF_H

#include <stddef.h>

#include "agent.h"
#include "collector.h"

#define TS_CONF_DEFAULT	SYSCONFDIR "/tcpsleuthd.conf"

struct ts_dconf {
	struct ts_collector_conf coll;
	struct ts_agent_conf	 agent;
	char			*pidfile;
	char			*user;		/* run as; NULL: stay */
	void			*cfg;		/* owns the strings above */
	char			*ifaces[TS_COLLECTOR_MAX_IFACES];
};

/* Defaults only (no file). */
void	ts_dconf_default(struct ts_dconf *);
/*
 * Read a file (path) or a buffer (text, named path in messages) over the
 * defaults.  Returns 0, or -1 with "FILE:LINE: why" in err.
 */
int	ts_dconf_load(struct ts_dconf *, const char *path, const char *text,
	    char *err, size_t errlen);
void	ts_dconf_free(struct ts_dconf *);

#endif
