/*
 * kevrec.h - checks one record read from the kernel event source's ring
 * buffer before anything uses it: its size, type, family, flags and errno
 * in range, strings NUL-terminated and printable, and an IPv4-mapped IPv6
 * connection made IPv4 (what a capture shows).  Pure.
 */
#ifndef TS_KEVREC_H
#define TS_KEVREC_H

#include <linux/types.h>
#include <stddef.h>

#include "kev_event.h"

/* 0 with the checked record in out, or -1 with what is wrong in *why. */
int	kev_rec_check(const void *data, size_t len, struct kev_event *out,
	    const char **why);

/* "connect-fail", "connect-error", "listen", "unlisten" */
const char *kev_type_name(unsigned type);

#endif
