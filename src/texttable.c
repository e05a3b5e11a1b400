/*
 * texttable.c - text fitted to a width: broken lines and tables whose
 * columns are taken by priority (see texttable.h).
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "texttable.h"

void
ts_out_line(struct ts_out *o, const char *fmt, ...)
{
	char buf[1024];
	const char *p = buf;
	size_t indent = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	while (o->width > indent + 8 && indent + strlen(p) > o->width) {
		size_t room = o->width - indent, cut = 0;

		for (size_t i = 1; i + 1 < room; i++)
			if ((p[i] == ',' || p[i] == ';') && p[i + 1] == ' ')
				cut = i + 1;
		if (cut == 0)
			cut = room;
		fprintf(o->fp, "%*s%.*s\n", (int)indent, "", (int)cut, p);
		o->lines++;
		p += cut;
		while (*p == ' ')
			p++;
		indent = 2;
	}
	fprintf(o->fp, "%*s%s\n", (int)indent, "", p);
	o->lines++;
}

const char *
ts_milli_str(uint64_t milli, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%03llu", (unsigned long long)(milli / 1000),
	    (unsigned long long)(milli % 1000));
	return buf;
}

const char *
ts_window_str(ts_ns w, char *buf, size_t len)
{
	long long s = (long long)((w + TS_NS_PER_SEC / 2) / TS_NS_PER_SEC);

	if (s >= 60 && s % 60 == 0)
		snprintf(buf, len, "%lldm", s / 60);
	else
		snprintf(buf, len, "%llds", s);
	return buf;
}

const char *
ts_idle_str(ts_ns d, char *buf, size_t len)
{
	long long s = d > 0 ? (long long)(d / TS_NS_PER_SEC) : 0;

	if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm", s / 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh", s / 3600);
	else
		snprintf(buf, len, "%lldd", s / 86400);
	return buf;
}

static const char *
head(const struct ts_ttable *t, int c, int longf, char *buf, size_t len)
{
	const struct ts_tcol *col = &t->cols[c];

	if (col->head == NULL)
		return t->cell(t->ctx, NULL, c, longf, buf, len);
	return !longf && col->head_short ? col->head_short : col->head;
}

static const char *
text(const struct ts_ttable *t, const void *row, int c, int longf, char *buf,
    size_t len)
{
	return row == NULL ? head(t, c, longf, buf, len) :
	    t->cell(t->ctx, row, c, longf, buf, len);
}

void
ts_ttable_layout(struct ts_ttable *t, const void *const *rows, size_t n,
    unsigned width)
{
	char buf[TS_TT_CELLLEN];
	size_t used = 0;
	int maxprio = 0;

	if (t->ncols > TS_TT_MAXCOLS)
		t->ncols = TS_TT_MAXCOLS;
	memset(t->on, 0, sizeof(t->on));
	memset(t->longf, 0, sizeof(t->longf));
	for (int c = 0; c < t->ncols; c++) {
		if (t->cols[c].prio > maxprio)
			maxprio = t->cols[c].prio;
		for (int f = 0; f < 2; f++) {
			size_t w = strlen(text(t, NULL, c, f, buf, sizeof(buf)));

			if (w < t->cols[c].minw)
				w = t->cols[c].minw;
			for (size_t i = 0; i < n; i++) {
				size_t l = strlen(text(t, rows[i], c, f, buf,
				    sizeof(buf)));

				if (l > w)
					w = l;
			}
			t->w[c][f] = w;
		}
	}
	for (int p = 0; p <= maxprio; p++)
		for (int c = 0; c < t->ncols; c++) {
			size_t need = t->w[c][0] + (used ? 1 : 0);

			if (t->cols[c].prio != p || (t->off & (1u << c)))
				continue;
			if (width == 0 || p == 0 || used + need <= width) {
				t->on[c] = 1;
				used += need;
			}
		}
	for (int c = 0; c < t->ncols; c++)
		if (t->on[c] && t->cols[c].head_short != NULL && (width == 0 ||
		    used + t->w[c][1] - t->w[c][0] <= width)) {
			used += t->w[c][1] - t->w[c][0];
			t->longf[c] = 1;
		}
	/* Even the first columns too wide: the first column gives way. */
	if (width != 0 && used > width) {
		size_t over = used - width, w = t->w[0][0];

		t->w[0][0] = w > over + 8 ? w - over : 8;
	}
}

void
ts_ttable_line(struct ts_out *o, const struct ts_ttable *t, const void *row)
{
	char line[2048], buf[TS_TT_CELLLEN], cut[TS_TT_CELLLEN];
	size_t len = 0;
	int last = t->ncols - 1;

	while (last > 0 && !t->on[last])
		last--;
	for (int c = 0; c < t->ncols && len < sizeof(line); c++) {
		int f = t->longf[c];
		size_t w = t->w[c][f];
		const char *v = text(t, row, c, f, buf, sizeof(buf));

		if (!t->on[c])
			continue;
		if (strlen(v) > w) {	/* mark what was cut */
			snprintf(cut, sizeof(cut), "%.*s+", (int)w - 1, v);
			v = cut;
		}
		if (c == last && t->cols[c].left[f])
			w = 0;		/* no trailing blanks */
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%*s",
		    len ? " " : "", t->cols[c].left[f] ? -(int)w : (int)w, v);
	}
	fprintf(o->fp, "%s\n", line);
	o->lines++;
}
