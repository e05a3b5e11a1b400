/*
 * ifname.h - interface names by index, cached (if_indextoname() is a
 * system call).  For one thread; ts_ifname_flush() after interfaces change.
 */
#ifndef TS_IFNAME_H
#define TS_IFNAME_H

#include <stdint.h>

/* Usable as struct ts_engine_conf's ifname callback; arg is unused. */
const char	*ts_ifname(void *arg, uint32_t ifindex);
void		 ts_ifname_flush(void);

#endif
