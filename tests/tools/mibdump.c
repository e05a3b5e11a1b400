/*
 * mibdump - print what the code knows of TCPSLEUTH-MIB (the tables
 * mibs/mibdefs.awk generated from it), one line per object, table and
 * notification: "OID NAME KIND ACCESS SYNTAX [LIST]", OIDs below the
 * module.  tests/golden/mibdefs.sh compares it with smidump's reading.
 */
#include <stdio.h>

#include "mibdefs.h"

static void
arcs(const unsigned *o, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		printf("%s%u", i ? "." : "", o[i]);
}

static const char *
access_name(unsigned a)
{
	switch (a) {
	case TSM_NOT_ACCESSIBLE: return "not-accessible";
	case TSM_FOR_NOTIFY: return "accessible-for-notify";
	case TSM_READ_ONLY: return "read-only";
	case TSM_READ_WRITE: return "read-write";
	case TSM_READ_CREATE: return "read-create";
	default: return "?";
	}
}

static void
list(const enum tsm_id *ids, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		printf("%s%s", i ? "," : " ", tsm_objects[ids[i]].name);
}

int
main(void)
{
	static const unsigned notifs[] = { TSM_Notifications_OID };

	for (int i = 0; i < TSM_ID__COUNT; i++) {
		const struct tsm_object *o = &tsm_objects[i];

		arcs(o->oid, o->oidlen);
		printf(" %s %s %s %s\n", o->name, o->kind == TSM_SCALAR ?
		    "scalar" : "column", access_name(o->access), o->syntax);
	}
	for (int i = 0; i < TSM_T__COUNT; i++) {
		const struct tsm_table *t = &tsm_tables[i];

		arcs(t->oid, t->oidlen);
		printf(" %s table - -", t->name);
		list(t->index, t->nindex);
		printf("\n");
	}
	for (int i = 0; i < TSM_N__COUNT; i++) {
		const struct tsm_notification *n = &tsm_notifications[i];

		arcs(notifs, TSM_Notifications_OIDLEN);
		printf(".%u %s notification - -", n->arc, n->name);
		list(n->objects, n->nobjects);
		printf("\n");
	}
	return 0;
}
