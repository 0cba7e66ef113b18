/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prng.c: xoshiro256** with a splitmix64 seeder (both public-domain designs
 * by Blackman and Vigna), written out here so runs do not depend on libc. */
#include "prng.h"

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t xv_rng_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void xv_rng_seed(struct xv_rng *rng, uint64_t seed)
{
	/* splitmix64 never yields four zero words in a row, so the all-zero
	 * state xoshiro cannot leave is never produced. */
	for (int i = 0; i < 4; i++)
		rng->s[i] = xv_rng_splitmix64(&seed);
}

uint64_t xv_rng_next(struct xv_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint64_t xv_rng_below(struct xv_rng *rng, uint64_t n)
{
	uint64_t x, limit;

	if (n == 0)
		return 0;
	/* Reject the top partial block so every residue is equally likely. */
	limit = UINT64_MAX - UINT64_MAX % n;
	do
		x = xv_rng_next(rng);
	while (x >= limit);
	return x % n;
}

uint64_t xv_rng_range(struct xv_rng *rng, uint64_t lo, uint64_t hi)
{
	if (lo >= hi)
		return lo;
	if (hi - lo == UINT64_MAX)
		return xv_rng_next(rng);
	return lo + xv_rng_below(rng, hi - lo + 1);
}
