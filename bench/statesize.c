/*
 * statesize - the bytes of state tcpsleuth keeps per followed connection
 * (flow entry, its links, its share of buckets: flowtab.c's layout) and per
 * endpoint row (struct ts_row, its bucket and heap slot; the sketch's
 * candidate for it is private to eptab.c and measured by bench/scan.sh).
 * Prints "flow N" and "row N".
 */
#include <stdio.h>

#include "eptab.h"
#include "flowtab.h"

int
main(void)
{
	printf("flow %zu\n", ts_flowtab_bytes_per_flow());
	printf("row %zu\n", sizeof(struct ts_row) + sizeof(struct ts_hlink *) +
	    sizeof(struct ts_heapent *));
	return 0;
}
