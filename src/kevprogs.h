/*
 * kevprogs.h - the kernel event source's programs by name and hook, for
 * both builds of the loader, and the part of their state they share
 * (private to src/kev*.c).
 */
#ifndef TS_KEVPROGS_H
#define TS_KEVPROGS_H

#include "kevload.h"

struct kev_progdesc {
	const char	*name;
	const char	*hook;
};

extern const struct kev_progdesc kev_progdesc[KEV__PROGS];

/* The first member of both loaders' struct kev: what kevconf.c reports. */
struct kev_base {
	enum kev_state		state;
	char			reason[320];
	struct kev_prog_status	progs[KEV__PROGS];
};

#define KEV_REASON_OFF	"off (kernel-events = no)"

/* 1 when the capabilities to load are held; else 0 with the reason
 * ("no privilege to load eBPF programs: ... missing: CAP_BPF ..."). */
int	kev_privileged(char *why, size_t len);

/* Name each program; wanted as the settings say. */
void	kev_base_init(struct kev_base *, const struct kev_conf *);

#endif
