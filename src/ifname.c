/*
 * ifname.c - a small direct-mapped cache of interface names.
 */
#include "config.h"

#include <net/if.h>
#include <string.h>

#include "ifname.h"

#define IFCACHE	64

static struct {
	uint32_t	idx;
	char		name[IF_NAMESIZE];
} cache[IFCACHE];

const char *
ts_ifname(void *arg, uint32_t ifindex)
{
	uint32_t slot = ifindex % IFCACHE;

	(void)arg;
	if (cache[slot].idx != ifindex) {
		if (if_indextoname(ifindex, cache[slot].name) == NULL)
			return NULL;
		cache[slot].idx = ifindex;
	}
	return cache[slot].name;
}

void
ts_ifname_flush(void)
{
	memset(cache, 0, sizeof(cache));
}
