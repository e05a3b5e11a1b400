/*
 * check_snmp.h - shared by check_snmp.c and the files that give it the
 * expected values of one part of TCPSLEUTH-MIB (check_lsn.c: namespaces
 * and listeners): the fixture's clocks, and each part's fixture and
 * expectations by object name.
 */
#ifndef TS_CHECK_SNMP_H
#define TS_CHECK_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "agent_int.h"

#define SEC		TS_NS_PER_SEC
/* 2026-11-21T18:43:51.3Z and its DateAndTime. */
#define T_FIRST		(1795286631LL * SEC + 300000000LL)
/*
 * TimeStamps: T_FIRST was monotonic time 1000 s; sysUpTime was 500 s
 * (50000 centiseconds) at monotonic 900 s; tcpsleuthd started at 950 s.
 */
#define MONO(t)		((t) - (T_FIRST - 1000 * SEC))
#define REF_MONO	(900 * SEC)
#define REF_UP		50000
#define UP(mono)	(REF_UP + ((mono) - REF_MONO) / (SEC / 100))
#define STARTED		(950 * SEC)

/* The value a cell should have: a number, or octets. */
struct want {
	uint64_t	num;
	uint8_t		str[256];
	size_t		slen;
};

/*
 * Namespaces and listeners (check_lsn.c): fill the snapshot's ns, lsn and
 * lgrp arrays; the value of instance in[0..nin-1] of object id (a column
 * of tcpsleuthNsTable, tcpsleuthLsnTable or tcpsleuthLsnGroupTable): 1
 * with it in *w, 0 for no such instance; how many instances the read-only
 * column o has.
 */
void	lsn_fixture(struct ts_snapshot *);
int	lsn_want(enum tsm_id id, const oid *in, size_t nin, struct want *w);
int	lsn_instances(const struct tsm_object *o);
/* Whether o is a column of those tables. */
int	lsn_table(const struct tsm_object *o);
/* The index of the fixture's group i (tcpsleuthLsnGroupTable), in o. */
size_t	lsn_group_index(int i, oid *o);

#endif
