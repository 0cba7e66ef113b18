/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prng.h: pseudo-random numbers identical on every machine (the model's).
 *
 * A run must be reproducible byte for byte from its plan and seed, so the
 * generator is ours (xoshiro256**, seeded through splitmix64) rather than
 * libc's rand(), whose sequence differs between C libraries. */
#ifndef XV_PRNG_H
#define XV_PRNG_H

#include <stdint.h>

struct xv_rng {
	uint64_t s[4];
};

/* One step of splitmix64: advances *state and returns the next value.  Also
 * used on its own to derive independent seeds (one per guest). */
uint64_t xv_rng_splitmix64(uint64_t *state);

/* Seeds the generator; any seed, including 0, gives a usable state. */
void xv_rng_seed(struct xv_rng *rng, uint64_t seed);

uint64_t xv_rng_next(struct xv_rng *rng);

/* Uniform integer in [0, n); n == 0 returns 0.  Unbiased (rejection). */
uint64_t xv_rng_below(struct xv_rng *rng, uint64_t n);

/* Uniform integer in [lo, hi] (inclusive); lo > hi returns lo. */
uint64_t xv_rng_range(struct xv_rng *rng, uint64_t lo, uint64_t hi);

#endif
