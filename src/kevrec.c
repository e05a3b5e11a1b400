/*
 * kevrec.c - checking and normalizing the kernel event source's records.
 */
#include "config.h"

#include <sys/socket.h>

#include <string.h>

#include "kevrec.h"

static const char *const type_names[KEV__TYPES] = {
	[KEV_CONNECT_FAIL] = "connect-fail",
	[KEV_CONNECT_ERR] = "connect-error",
	[KEV_LISTEN] = "listen",
	[KEV_UNLISTEN] = "unlisten",
};

const char *
kev_type_name(unsigned type)
{
	return type < KEV__TYPES && type_names[type] != NULL ?
	    type_names[type] : "?";
}

/* NUL-terminate s and replace what a terminal or a MIB string should not
 * show: comm is whatever the process set with prctl(). */
static void
clean_str(char *s, size_t len)
{
	size_t i;

	s[len - 1] = '\0';
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '"' || s[i] == '\\')
			s[i] = '?';
	memset(s + i, 0, len - i);
}

static int
v4mapped(const __u8 *a)
{
	static const __u8 pfx[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };

	return memcmp(a, pfx, sizeof(pfx)) == 0;
}

static void
to_v4(__u8 *a)
{
	if (v4mapped(a))
		memmove(a, a + 12, 4);
	else
		memset(a, 0, 4);	/* unbound: "::" */
	memset(a + 4, 0, 12);
}

int
kev_rec_check(const void *data, size_t len, struct kev_event *out,
    const char **why)
{
	struct kev_event *e = out;

	if (len != sizeof(*e)) {
		*why = "record size is not sizeof(struct kev_event)";
		return -1;
	}
	memcpy(e, data, sizeof(*e));
	if (e->type == 0 || e->type >= KEV__TYPES) {
		*why = "unknown record type";
		return -1;
	}
	if (e->family != AF_INET && e->family != AF_INET6) {
		*why = "address family is neither AF_INET nor AF_INET6";
		return -1;
	}
	if ((e->flags & ~KEV_F__ALL) != 0) {
		*why = "unknown flags";
		return -1;
	}
	if (e->err < 0 || e->err > 4095) {
		*why = "errno out of range";
		return -1;
	}
	clean_str(e->caller.comm, sizeof(e->caller.comm));
	clean_str(e->caller.cgname, sizeof(e->caller.cgname));
	/* A dual-stack socket talking IPv4 (its peer ::ffff:a.b.c.d). */
	if (e->family == AF_INET6 && e->type != KEV_LISTEN &&
	    e->type != KEV_UNLISTEN && v4mapped(e->daddr)) {
		e->family = AF_INET;
		to_v4(e->daddr);
		to_v4(e->saddr);
	}
	if (e->family == AF_INET) {
		memset(e->saddr + 4, 0, 12);
		memset(e->daddr + 4, 0, 12);
	}
	return 0;
}
