/*
 * bench/scanplan.h - where genscan and synscan put the heavy hitters' attempts
 * among the scan's: total of them, spread evenly over scan attempts
 * skip..scan-1.
 */
#ifndef BENCH_SCANPLAN_H
#define BENCH_SCANPLAN_H

/* After scan attempt i, with done heavy-hitter attempts made: one more? */
static inline int
hh_due(unsigned long i, unsigned long scan, unsigned long skip,
    unsigned long done, unsigned long total)
{
	return i >= skip && done < total &&
	    (unsigned long long)done * (scan - skip) <=
	    (unsigned long long)(i - skip) * total;
}

#endif
