/*
 * setopt.c - command lines made from the table of settings: getopt_long's
 * options for a program's settings, the setting an option stands for, and
 * the usage lines; and a setting's parser for a program's own option.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optparse.h"
#include "settings.h"

struct option *
ts_settings_longopts(unsigned prog, const struct option *own)
{
	struct option *o;
	size_t n = 0, k;

	while (own[n].name != NULL)
		n++;
	if ((o = calloc(n + ts_nsettings + 1, sizeof(*o))) == NULL)
		return NULL;
	memcpy(o, own, n * sizeof(*o));
	k = n;
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];

		if (!(s->flags & prog) || (s->flags & TS_PART))
			continue;
		o[k].name = s->name;
		o[k].has_arg = s->type == TS_T_BOOL ? optional_argument :
		    required_argument;
		o[k].val = TS_OPT_SETTING + (int)i;
		k++;
	}
	return o;
}

const struct ts_setting *
ts_settings_opt(int ch, const struct ts_shortopt *shorts)
{
	if (ch >= TS_OPT_SETTING && ch < TS_OPT_SETTING + (int)ts_nsettings)
		return &ts_settings[ch - TS_OPT_SETTING];
	for (; shorts != NULL && shorts->ch != 0; shorts++)
		if (shorts->ch == ch)
			return ts_setting_find(shorts->name);
	return NULL;
}

/* left, then text from column 30, folded at 79 columns. */
static void
wrap(FILE *fp, const char *left, const char *text)
{
	size_t col = strlen(left);

	fputs(left, fp);
	while (*text != '\0') {
		size_t n = strlen(text);

		if (col >= 30) {
			fputc('\n', fp);
			col = 0;
		}
		fprintf(fp, "%*s", (int)(30 - col), "");
		if (n > 49) {	/* the last space that fits */
			n = 49;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0)
				n = strcspn(text, " ");
		}
		fprintf(fp, "%.*s", (int)n, text);
		text += n;
		while (*text == ' ')
			text++;
		col = 80;
	}
	fputc('\n', fp);
}

void
ts_settings_usage(FILE *fp, unsigned prog, const struct ts_shortopt *shorts)
{
	for (size_t i = 0; i < ts_nsettings; i++) {
		const struct ts_setting *s = &ts_settings[i];
		char left[64], sh[8] = "    ", r[64], extra[128] = "", text[256];
		const struct ts_shortopt *so;

		if (!(s->flags & prog) || (s->flags & TS_PART))
			continue;
		for (so = shorts; so != NULL && so->ch != 0; so++)
			if (strcmp(so->name, s->name) == 0)
				snprintf(sh, sizeof(sh), "-%c, ", so->ch);
		snprintf(left, sizeof(left), "  %s--%s%s%s", sh, s->name,
		    s->arg != NULL ? " " : "", s->arg != NULL ? s->arg : "");
		ts_setting_range(s, r, sizeof(r));
		if (s->type == TS_T_BOOL)
			r[0] = '\0';
		if (r[0] != '\0' || s->def != NULL)
			snprintf(extra, sizeof(extra), " (%s%s%s%s)", r,
			    r[0] != '\0' && s->def != NULL ? "; " : "",
			    s->def != NULL ? "default " : "",
			    s->def != NULL ? s->def : "");
		snprintf(text, sizeof(text), "%s%s", s->help, extra);
		wrap(fp, left, text);
	}
}

/* The rate windows the way the "windows" setting takes them (settings.c). */
void
ts_opt_windows(const char *opt, const char *s, struct ts_rate_conf *rc)
{
	static struct ts_settings st;	/* static: large, and usage exits */
	const struct ts_setting *bad;
	char err[160];
	int entry;

	ts_settings_init(&st);
	if (ts_settings_arg(&st, ts_setting_find("windows"), s, TS_LV_ARGS, err,
	    sizeof(err)) == -1 || ts_settings_finish(&st, &bad, &entry, err,
	    sizeof(err)) == -1)
		ts_bad_option("%s: %s", opt, err);
	*rc = st.c.coll.engine.eptab.rates;
}
