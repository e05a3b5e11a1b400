/*
 * ctlproto.h - what tcpsleuthctl and tcpsleuthd's control socket say to
 * each other (tcpsleuthctl(8) PROTOCOL).  A client connects, writes one
 * request line and reads one JSON document, then the daemon closes:
 *
 *   request = "tcpsleuthctl/1 show " VIEW *(" " KEY "=" VALUE) LF
 *             (at most TS_CTL_REQMAX bytes, the LF included)
 *   KEY     = format (text|json), width (columns; 0: no limit),
 *             top (rows; 0: all), sort (count|rate|last|name)
 *   reply   = {"protocol":1,"view":VIEW,"text":"..."}
 *           | {"protocol":1,"view":VIEW,"json":{...}}
 *           | {"protocol":1,"error":"what was wrong"}
 *
 * The views' names are here (the client completes abbreviations, as
 * relayctl does); what each shows is src/views.c's.  Pure: parsing and
 * formatting only.
 */
#ifndef TS_CTLPROTO_H
#define TS_CTLPROTO_H

#include <stddef.h>

#include "report.h"

#define TS_CTL_VERSION	1
#define TS_CTL_MAGIC	"tcpsleuthctl/1"
#define TS_CTL_SOCKET	"/run/tcpsleuthd/control"	/* control-socket */
#define TS_CTL_REQMAX	512		/* a request line, its LF included */
#define TS_CTL_WIDTHMAX	100000
#define TS_CTL_TOPMAX	16777216

/* The views, in the order usage lists them. */
#define TS_CTL_VIEWS(X)							\
	X(ENDPOINTS, "endpoints", "the failing endpoints with the totals (as tcpsleuth shows them)") \
	X(CAPTURE, "capture", "the capture, its coverage and the kernel's TCP counters") \
	X(ALARMS, "alarms", "the alarms raised")
#define X(id, name, help) TS_VIEW_##id,
enum ts_view_id { TS_CTL_VIEWS(X) TS_VIEW__COUNT };
#undef X

struct ts_ctl_req {
	enum ts_view_id	 view;
	int		 json;		/* format=json */
	unsigned	 width;		/* text: columns; 0: no limit */
	unsigned	 top;		/* rows; 0: all */
	enum ts_sort	 sort;
};

const char *ts_ctl_view_name(enum ts_view_id);
const char *ts_ctl_view_help(enum ts_view_id);
/* A view by its name or a prefix of one name only; -1 with why in err. */
int	ts_ctl_view_find(const char *name, enum ts_view_id *, char *err,
	    size_t errlen);
/* The defaults: text, no width limit, 20 rows (JSON: all), by count. */
void	ts_ctl_req_default(struct ts_ctl_req *, int json);
/* The request line of req, LF included; -1 if it does not fit. */
int	ts_ctl_req_format(const struct ts_ctl_req *, char *buf, size_t len);
/*
 * One request line (its LF removed or not) into req; -1 with a one-line
 * reason in err that names what is wrong.
 */
int	ts_ctl_req_parse(const char *line, struct ts_ctl_req *, char *err,
	    size_t errlen);

#endif
