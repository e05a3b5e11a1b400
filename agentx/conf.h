/*
 * conf.h - tcpsleuthd.conf (tcpsleuthd.conf(5)), read with libConfuse.
 * The options libConfuse knows are made from the table of settings
 * (src/settings.c) and every value goes through the table's parser, so
 * the file takes what the command line takes.  Every error names the file
 * and the line of what is wrong.
 */
#ifndef TS_CONF_H
#define TS_CONF_H

#include <stddef.h>

#include "settings.h"

#define TS_CONF_DEFAULT	SYSCONFDIR "/tcpsleuthd.conf"

struct ts_dconf {
	struct ts_settings	 set;	/* set.c: the configuration */
	void			*cfg;	/* the parsed file: owns its strings */
};

/* tcpsleuthd's defaults (the agent's included). */
void	ts_dconf_default(struct ts_dconf *);
/*
 * Read a file (path) or a buffer (text, named path in messages) over what
 * dc holds, then ts_settings_finish().  Returns 0, or -1 with
 * "FILE:LINE: why" in err (dc is then half read: load into a copy).
 */
int	ts_dconf_load(struct ts_dconf *, const char *path, const char *text,
	    char *err, size_t errlen);
void	ts_dconf_free(struct ts_dconf *);

#endif
