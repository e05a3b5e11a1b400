/*
 * ctlproto.c - tcpsleuthctl's request lines (see ctlproto.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlproto.h"

#define X(id, name, help) [TS_VIEW_##id] = { name, help },
static const struct {
	const char	*name, *help;
} views[TS_VIEW__COUNT] = { TS_CTL_VIEWS(X) };
#undef X

const char *
ts_ctl_view_name(enum ts_view_id v)
{
	return (unsigned)v < TS_VIEW__COUNT ? views[v].name : "?";
}

const char *
ts_ctl_view_help(enum ts_view_id v)
{
	return (unsigned)v < TS_VIEW__COUNT ? views[v].help : "";
}

/* "endpoints, capture or alarms" */
static void
view_list(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int v = 0; v < TS_VIEW__COUNT && n < len; v++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", v == 0 ? "" :
		    v + 1 == TS_VIEW__COUNT ? " or " : ", ", views[v].name);
}

int
ts_ctl_view_find(const char *name, enum ts_view_id *out, char *err,
    size_t errlen)
{
	size_t len = strlen(name);
	int found = -1, n = 0;
	char list[256];

	for (int v = 0; v < TS_VIEW__COUNT; v++) {
		if (strcmp(views[v].name, name) == 0) {
			*out = (enum ts_view_id)v;
			return 0;
		}
		if (len > 0 && strncmp(views[v].name, name, len) == 0) {
			found = v;
			n++;
		}
	}
	if (n == 1) {
		*out = (enum ts_view_id)found;
		return 0;
	}
	view_list(list, sizeof(list));
	snprintf(err, errlen, "%s view \"%.64s\": give %s", n > 1 ?
	    "ambiguous" : "no", name, list);
	return -1;
}

void
ts_ctl_req_default(struct ts_ctl_req *r, int json)
{
	memset(r, 0, sizeof(*r));
	r->view = TS_VIEW_ENDPOINTS;
	r->json = json;
	r->top = json ? 0 : TS_REPORT_TOP;
	r->sort = TS_SORT_COUNT;
}

int
ts_ctl_req_format(const struct ts_ctl_req *r, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s show %s format=%s width=%u top=%u "
	    "sort=%s\n", TS_CTL_MAGIC, ts_ctl_view_name(r->view),
	    r->json ? "json" : "text", r->width, r->top,
	    ts_sort_name(r->sort));

	return n < 0 || (size_t)n >= len || (size_t)n > TS_CTL_REQMAX ? -1 : 0;
}

/* A number 0..max, all of v; -1 if not. */
static int
number(const char *v, unsigned max, unsigned *out)
{
	unsigned long l;
	char *end;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	l = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || l > max)
		return -1;
	*out = (unsigned)l;
	return 0;
}

/* One KEY=VALUE; -1 with why.  *top_set: top was given. */
static int
option(struct ts_ctl_req *r, char *kv, int *top_set, char *err,
    size_t errlen)
{
	char *v = strchr(kv, '=');

	if (v == NULL) {
		snprintf(err, errlen, "\"%.64s\": give KEY=VALUE (format, "
		    "width, top, sort)", kv);
		return -1;
	}
	*v++ = '\0';
	if (strcmp(kv, "format") == 0) {
		if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0) {
			snprintf(err, errlen, "format \"%.64s\": give text or "
			    "json", v);
			return -1;
		}
		r->json = strcmp(v, "json") == 0;
	} else if (strcmp(kv, "width") == 0) {
		if (number(v, TS_CTL_WIDTHMAX, &r->width) == -1) {
			snprintf(err, errlen, "width \"%.64s\": give 0 to %d",
			    v, TS_CTL_WIDTHMAX);
			return -1;
		}
	} else if (strcmp(kv, "top") == 0) {
		if (number(v, TS_CTL_TOPMAX, &r->top) == -1) {
			snprintf(err, errlen, "top \"%.64s\": give 0 to %d", v,
			    TS_CTL_TOPMAX);
			return -1;
		}
		*top_set = 1;
	} else if (strcmp(kv, "sort") == 0) {
		if (ts_sort_parse(v, &r->sort) == -1) {
			snprintf(err, errlen, "sort \"%.64s\": give count, "
			    "rate, last or name", v);
			return -1;
		}
	} else {
		snprintf(err, errlen, "unknown option \"%.64s\" (format, "
		    "width, top, sort)", kv);
		return -1;
	}
	return 0;
}

int
ts_ctl_req_parse(const char *line, struct ts_ctl_req *r, char *err,
    size_t errlen)
{
	char buf[TS_CTL_REQMAX + 1], *p, *tok;
	size_t len = strlen(line);
	int top_set = 0;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len >= TS_CTL_REQMAX) {
		snprintf(err, errlen, "a request of %d bytes at most",
		    TS_CTL_REQMAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] >
		    0x7e) {
			snprintf(err, errlen, "byte %zu of the request is not "
			    "printable ASCII", i + 1);
			return -1;
		}
	memcpy(buf, line, len);
	buf[len] = '\0';
	p = buf;
	ts_ctl_req_default(r, 0);
	if ((tok = strsep(&p, " ")) == NULL || strcmp(tok, TS_CTL_MAGIC) != 0) {
		snprintf(err, errlen, "not a request of protocol %s (\"%.32s\")",
		    TS_CTL_MAGIC, tok != NULL ? tok : "");
		return -1;
	}
	if ((tok = strsep(&p, " ")) == NULL || strcmp(tok, "show") != 0) {
		snprintf(err, errlen, "unknown command \"%.32s\": give show",
		    tok != NULL ? tok : "");
		return -1;
	}
	if ((tok = strsep(&p, " ")) == NULL || *tok == '\0') {
		snprintf(err, errlen, "show what? give a view");
		return -1;
	}
	if (ts_ctl_view_find(tok, &r->view, err, errlen) == -1)
		return -1;
	while ((tok = strsep(&p, " ")) != NULL)
		if (*tok != '\0' && option(r, tok, &top_set, err, errlen) == -1)
			return -1;
	if (!top_set)
		r->top = r->json ? 0 : TS_REPORT_TOP;
	return 0;
}
