/*
 * hll.c - HyperLogLog (Flajolet et al. 2007) with the small-range
 * correction; 64-bit hashes need no large-range correction.
 */
#include "config.h"

#include <math.h>

#include "hll.h"

void
ts_hll_add(struct ts_hll *h, uint64_t hash)
{
	uint32_t idx = (uint32_t)(hash >> 56);
	uint64_t w = hash << 8;
	uint8_t rho = w == 0 ? 57 : (uint8_t)(__builtin_clzll(w) + 1);

	if (rho > h->reg[idx])
		h->reg[idx] = rho;
}

uint64_t
ts_hll_estimate(const struct ts_hll *h)
{
	const double m = TS_HLL_REGS;
	const double alpha = 0.7213 / (1.0 + 1.079 / m);
	double sum = 0, e;
	int zeros = 0;

	for (int i = 0; i < TS_HLL_REGS; i++) {
		sum += ldexp(1.0, -h->reg[i]);
		zeros += h->reg[i] == 0;
	}
	e = alpha * m * m / sum;
	if (e <= 2.5 * m && zeros > 0)
		e = m * log(m / zeros);
	return (uint64_t)llround(e);
}
