/*
 * kevload_off.c - the kernel event source in a build without libbpf
 * (configure --disable-kernel-events, or no clang/bpftool/libbpf): always
 * unavailable, saying so.  See kevload.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kevload.h"
#include "kevprogs.h"
#include "log.h"

struct kev {
	struct kev_base	b;	/* first: see kevprogs.h */
};

#define BUILT_WITHOUT	"built without kernel events (configure " \
	"--disable-kernel-events or no libbpf)"

int
kev_precheck(const struct kev_conf *c, char *why, size_t len)
{
	snprintf(why, len, "%s", c->enable == KEV_WANT_NO ?
	    KEV_REASON_OFF : BUILT_WITHOUT);
	return -1;
}

struct kev *
kev_open(const struct kev_conf *c, kev_sink sink, void *arg)
{
	struct kev *k;

	(void)sink;
	(void)arg;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	kev_base_init(&k->b, c);
	if (c->enable == KEV_WANT_NO) {
		snprintf(k->b.reason, sizeof(k->b.reason), KEV_REASON_OFF);
		if (!c->quiet)
			log_info("kernel events: %s", k->b.reason);
	} else {
		snprintf(k->b.reason, sizeof(k->b.reason), BUILT_WITHOUT);
		if (c->enable == KEV_WANT_YES)
			log_warnx("kernel events: unavailable "
			    "(kernel-events = yes): %s", k->b.reason);
		else
			log_info("kernel events: unavailable: %s",
			    k->b.reason);
	}
	return k;
}

void
kev_close(struct kev *k)
{
	free(k);
}

int
kev_fd(const struct kev *k)
{
	(void)k;
	return -1;
}

int
kev_consume(struct kev *k)
{
	(void)k;
	return 0;
}

int
kev_netns_allow(struct kev *k, uint32_t ino, int allow)
{
	(void)k;
	(void)ino;
	(void)allow;
	errno = ENOENT;
	return -1;
}

int
kev_counters(const struct kev *k, struct kev_counters *out)
{
	(void)k;
	memset(out, 0, sizeof(*out));
	return -1;
}
