/*
 * hostctr.c - parsing /proc/net/snmp and /proc/net/netstat.  Each section
 * is a pair of lines, "Sec: Name Name ..." and "Sec: 1 2 ...", matched by
 * name so a kernel that adds or reorders fields is read right.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostctr.h"

static const struct {
	const char	*sec, *name;
} ctrs[TS_HC__COUNT] = {
#define X(id, sec, name) { sec, name },
	TS_HOSTCTRS(X)
#undef X
};

const char *
ts_hostctr_name(enum ts_hc c)
{
	return (unsigned)c < TS_HC__COUNT ? ctrs[c].name : "?";
}

#define MAXFIELDS	512

/* Split a line in place at spaces; returns the number of fields. */
static int
split(char *line, char **f, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t\n", &save); t != NULL && n < max;
	    t = strtok_r(NULL, " \t\n", &save))
		f[n++] = t;
	return n;
}

/* One section's header and value lines: record the counters it names. */
static int
take(struct ts_hostctr *hc, char *hdr, char *val)
{
	static char *hf[MAXFIELDS], *vf[MAXFIELDS];
	int nh = split(hdr, hf, MAXFIELDS), nv = split(val, vf, MAXFIELDS);
	int found = 0;
	size_t seclen;

	if (nh < 2 || nh != nv || strcmp(hf[0], vf[0]) != 0)
		return 0;
	seclen = strlen(hf[0]);
	if (seclen == 0 || hf[0][seclen - 1] != ':')
		return 0;
	for (int c = 0; c < TS_HC__COUNT; c++) {
		if (strlen(ctrs[c].sec) != seclen - 1 ||
		    strncmp(ctrs[c].sec, hf[0], seclen - 1) != 0)
			continue;
		for (int i = 1; i < nh; i++) {
			char *end;
			unsigned long long v;

			if (strcmp(hf[i], ctrs[c].name) != 0)
				continue;
			errno = 0;
			v = strtoull(vf[i], &end, 10);
			if (errno == 0 && *end == '\0' && vf[i][0] != '-') {
				hc->v[c] = v;
				hc->present[c] = 1;
				found++;
			}
			break;
		}
	}
	return found;
}

static int
read_file(struct ts_hostctr *hc, const char *path)
{
	char hdr[8192], val[8192];
	FILE *fp = fopen(path, "r");
	int found = 0;

	if (fp == NULL)
		return -1;
	while (fgets(hdr, sizeof(hdr), fp) != NULL &&
	    fgets(val, sizeof(val), fp) != NULL)
		found += take(hc, hdr, val);
	fclose(fp);
	return found;
}

int
ts_hostctr_read(struct ts_hostctr *hc, const char *procroot, char *err,
    size_t errlen)
{
	char path[512];
	int a, b;

	memset(hc, 0, sizeof(*hc));
	snprintf(path, sizeof(path), "%s/net/snmp", procroot);
	a = read_file(hc, path);
	snprintf(path, sizeof(path), "%s/net/netstat", procroot);
	b = read_file(hc, path);
	if (a <= 0 && b <= 0) {
		snprintf(err, errlen, "%s/net/snmp and %s/net/netstat: %s",
		    procroot, procroot, a < 0 && b < 0 ? strerror(errno) :
		    "no Tcp or TcpExt counters found");
		return -1;
	}
	return 0;
}
