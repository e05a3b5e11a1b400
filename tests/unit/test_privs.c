/*
 * test_privs.c - the privilege table is one fact: agentx/privs.c defines
 * it; doc/security.md's "Privilege table" lists exactly its rows (process,
 * what is kept, while, needed when), its list of the SNMP process's
 * system calls is agentx/seccomp.c's, and contrib/tcpsleuthd.service
 * grants exactly the union (CapabilityBoundingSet=, AmbientCapabilities=:
 * every capability but those only a root start uses; SystemCallFilter=:
 * every system call group).  And what each process keeps follows the
 * configuration.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privs.h"
#include "seccomp.h"
#include "settings.h"
#include "tap.h"

static const char *
proc_name(unsigned p)
{
	return p == (TS_PROC_CAPTURE | TS_PROC_SNMP) ? "both" :
	    p == TS_PROC_CAPTURE ? "capture" : "snmp";
}

/* Cell i (0-based) of a markdown table row, trimmed, into out. */
static int
cell(const char *line, int i, char *out, size_t len)
{
	const char *p = line;

	for (int k = 0; k <= i; k++)
		if ((p = strchr(p, '|')) == NULL)
			return -1;
		else
			p++;
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "|\n");

	while (n > 0 && p[n - 1] == ' ')
		n--;
	snprintf(out, len, "%.*s", (int)n, p);
	return 0;
}

static void
test_doc(void)
{
	char *doc = tap_srcfile("doc/security.md"), *sec, *end, *line;
	int rows = 0, found[64] = { 0 };

	ok(doc != NULL, "doc/security.md is there");
	if (doc == NULL)
		return;
	sec = strstr(doc, "\n## Privilege table");
	ok(sec != NULL, "doc/security.md has a section \"Privilege table\"");
	if (sec == NULL) {
		free(doc);
		return;
	}
	if ((end = strstr(sec + 1, "\n## ")) != NULL)
		*end = '\0';
	for (line = sec; (line = strchr(line, '\n')) != NULL; ) {
		char proc[32], keeps[64], when[32], need[128];
		size_t i;

		line++;
		if (strncmp(line, "| capture |", 11) != 0 &&
		    strncmp(line, "| snmp |", 8) != 0 &&
		    strncmp(line, "| both |", 8) != 0)
			continue;
		rows++;
		cell(line, 0, proc, sizeof(proc));
		cell(line, 1, keeps, sizeof(keeps));
		cell(line, 2, when, sizeof(when));
		cell(line, 3, need, sizeof(need));
		for (i = 0; i < ts_nprivs; i++) {
			const struct ts_priv *p = &ts_privs[i];

			if (strcmp(proc, proc_name(p->proc)) == 0 &&
			    strcmp(keeps, p->name) == 0 &&
			    strcmp(when, p->flags & TS_PRIV_START ? "start" :
			    "running") == 0 && strcmp(need, p->when) == 0)
				break;
		}
		if (!ok(i < ts_nprivs, "the document's row %s / %s / %s / %s "
		    "is the code's", proc, keeps, when, need))
			continue;
		found[i]++;
	}
	for (size_t i = 0; i < ts_nprivs; i++)
		if (found[i] != 1)
			ok(0, "the code's row %s / %s is in the document %d times",
			    proc_name(ts_privs[i].proc), ts_privs[i].name, found[i]);
	is_u(rows, ts_nprivs, "the document lists each of the %zu rows once",
	    ts_nprivs);

	/* The SNMP process's system calls, in backquotes after that line. */
	{
		char *list = strstr(sec, "System calls the SNMP process may make");
		char *para_end = list != NULL ? strstr(list, "\n\n") : NULL;
		size_t listed = 0, missing = 0;

		ok(list != NULL, "the document lists the SNMP process's system calls");
		if (list != NULL) {
			if (para_end != NULL)
				*para_end = '\0';
			for (size_t i = 0; i < ts_seccomp_nallowed; i++) {
				char q[64];

				snprintf(q, sizeof(q), "`%s`", ts_seccomp_allowed[i].name);
				if (strstr(list, q) == NULL) {
					ok(0, "%s is missing from the list", q);
					missing++;
				}
			}
			/* The names follow the first colon. */
			for (char *p = strchr(list, ':'); p != NULL &&
			    (p = strchr(p, '`')) != NULL; p++) {
				char *e = strchr(p + 1, '`');
				size_t i;

				if (e == NULL)
					break;
				for (i = 0; i < ts_seccomp_nallowed; i++)
					if (strlen(ts_seccomp_allowed[i].name) ==
					    (size_t)(e - p - 1) &&
					    strncmp(ts_seccomp_allowed[i].name, p + 1,
					    (size_t)(e - p - 1)) == 0)
						break;
				if (i == ts_seccomp_nallowed)
					ok(0, "%.*s is listed but not allowed",
					    (int)(e - p + 1), p);
				else
					listed++;
				p = e;
			}
			ok(missing == 0 && listed == ts_seccomp_nallowed,
			    "...exactly agentx/seccomp.c's %zu", ts_seccomp_nallowed);
		}
	}
	free(doc);
}

/* The unit's words for key (all its lines), space-separated, in words. */
static int
unit_has_exactly(const char *unit, const char *key, const char **want,
    size_t nwant)
{
	char words[64][64];
	size_t n = 0, klen = strlen(key);
	int okay = 1;

	for (const char *l = unit; l != NULL && *l != '\0';
	    l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p;

		if (strncmp(l, key, klen) != 0 || l[klen] != '=')
			continue;
		p = l + klen + 1;
		while (*p != '\0' && *p != '\n') {
			size_t w = strcspn(p, " \n");

			if (w > 0 && n < 64)
				snprintf(words[n++], sizeof(words[0]), "%.*s",
				    (int)w, p);
			p += w;
			while (*p == ' ')
				p++;
		}
	}
	for (size_t i = 0; i < nwant; i++) {
		size_t j;

		for (j = 0; j < n && strcmp(words[j], want[i]) != 0; j++)
			;
		if (j == n) {
			printf("#   %s lacks %s\n", key, want[i]);
			okay = 0;
		}
	}
	for (size_t j = 0; j < n; j++) {
		size_t i;

		for (i = 0; i < nwant && strcmp(words[j], want[i]) != 0; i++)
			;
		if (i == nwant) {
			printf("#   %s grants %s, which no row keeps\n", key,
			    words[j]);
			okay = 0;
		}
	}
	return okay;
}

static void
test_unit(void)
{
	char *unit = tap_srcfile("contrib/tcpsleuthd.service");
	const char *caps[64], *calls[64];
	size_t ncaps = 0, ncalls = 0;

	ok(unit != NULL, "contrib/tcpsleuthd.service is there");
	if (unit == NULL)
		return;
	for (size_t i = 0; i < ts_nprivs; i++) {
		const struct ts_priv *p = &ts_privs[i];
		const char **set = p->cap >= 0 ? caps : calls;
		size_t *n = p->cap >= 0 ? &ncaps : &ncalls, j;

		if (p->flags & TS_PRIV_ROOT)
			continue;	/* the unit starts as its User= */
		for (j = 0; j < *n && strcmp(set[j], p->name) != 0; j++)
			;
		if (j == *n)
			set[(*n)++] = p->name;
	}
	ok(unit_has_exactly(unit, "CapabilityBoundingSet", caps, ncaps),
	    "the unit's CapabilityBoundingSet= is the table's %zu capabilities",
	    ncaps);
	ok(unit_has_exactly(unit, "AmbientCapabilities", caps, ncaps),
	    "...and so is its AmbientCapabilities=");
	ok(unit_has_exactly(unit, "SystemCallFilter", calls, ncalls),
	    "its SystemCallFilter= is the table's %zu groups and calls", ncalls);
	free(unit);
}

static void
test_sets(void)
{
	struct ts_settings st;
	/* The capture, its listeners' owners, entering other namespaces. */
	uint64_t own = (uint64_t)1 << CAP_NET_RAW |
	    (uint64_t)1 << CAP_SYS_PTRACE | (uint64_t)1 << CAP_DAC_READ_SEARCH;
	uint64_t raw = own | (uint64_t)1 << CAP_SYS_ADMIN;
	/* Loading the kernel event source. */
	uint64_t kev = (uint64_t)1 << CAP_BPF | (uint64_t)1 << CAP_PERFMON;

	ts_settings_init(&st);
	ts_settings_defaults(&st);
	is_u(ts_privs_caps(TS_PROC_CAPTURE, 1, &st.c, 1), raw,
	    "the capture process, running: CAP_NET_RAW, the listeners' "
	    "CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, CAP_SYS_ADMIN (namespaces "
	    "all; the kernel event source's CAP_BPF and CAP_PERFMON gone)");
	st.c.coll.namespaces = "self";
	is_u(ts_privs_caps(TS_PROC_CAPTURE, 1, &st.c, 1), own,
	    "...namespaces self: no CAP_SYS_ADMIN");
	st.c.coll.namespaces = "web,4026532290";
	is_u(ts_privs_caps(TS_PROC_CAPTURE, 1, &st.c, 1), raw,
	    "...a list of namespaces: CAP_SYS_ADMIN");
	st.c.coll.namespaces = "all";
	is_u(ts_privs_caps(TS_PROC_SNMP, 1, &st.c, 1), 0,
	    "...and none of them is the SNMP process's");
	is_u(ts_privs_caps(TS_PROC_CAPTURE, 0, &st.c, 1), raw | kev |
	    (uint64_t)1 << CAP_SETPCAP | (uint64_t)1 << CAP_SETUID |
	    (uint64_t)1 << CAP_SETGID, "...starting as root: and to load the "
	    "kernel event source (kernel-events auto), change users and empty "
	    "the bounding set");
	is_u(ts_privs_caps(TS_PROC_CAPTURE, 0, &st.c, 0), raw | kev |
	    (uint64_t)1 << CAP_SETPCAP, "...starting as its user: no setuid");
	st.c.coll.kev.kev.enable = KEV_WANT_YES;
	is_u(ts_privs_caps(TS_PROC_CAPTURE, 0, &st.c, 0), raw | kev |
	    (uint64_t)1 << CAP_SETPCAP, "...kernel-events yes: the same");
	is_u(ts_privs_caps(TS_PROC_CAPTURE, 1, &st.c, 0), raw,
	    "...and running without CAP_BPF and CAP_PERFMON");
	st.c.coll.kev.kev.enable = KEV_WANT_NO;
	is_u(ts_privs_caps(TS_PROC_CAPTURE, 0, &st.c, 0), raw |
	    (uint64_t)1 << CAP_SETPCAP, "...kernel-events no: no CAP_BPF nor "
	    "CAP_PERFMON at the start either");
	is_u(ts_privs_caps(TS_PROC_SNMP, 0, &st.c, 0) & kev, 0,
	    "the SNMP process never has CAP_BPF nor CAP_PERFMON");
	st.c.coll.kev.kev.enable = KEV_WANT_AUTO;
	is_u(ts_privs_caps(TS_PROC_SNMP, 1, &st.c, 1), 0,
	    "the SNMP process, running: nothing");
	is_u(ts_privs_caps(TS_PROC_SNMP, 0, &st.c, 0),
	    (uint64_t)1 << CAP_SYS_ADMIN | (uint64_t)1 << CAP_SETPCAP,
	    "...starting, a subagent: its mount namespace, the bounding set");
	st.c.agent.listen = "udp:127.0.0.1:161";
	is_u(ts_privs_caps(TS_PROC_SNMP, 0, &st.c, 0),
	    (uint64_t)1 << CAP_SYS_ADMIN | (uint64_t)1 << CAP_SETPCAP |
	    (uint64_t)1 << CAP_NET_BIND_SERVICE,
	    "...a standalone agent: and its port");
}

int
main(void)
{
	test_doc();
	test_unit();
	test_sets();
	return tap_done();
}
