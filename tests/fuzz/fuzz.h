/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz.h: a fuzz target is LLVMFuzzerTestOneInput(); it must never crash,
 * leak or trip a sanitizer, and it aborts when a property it checks fails.
 * The same file links with libFuzzer (make fuzz, clang) or with driver.c, a
 * deterministic mutation loop that make check runs as a smoke test. */
#ifndef XV_FUZZ_H
#define XV_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property does not hold: say which, and abort so the fuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                            \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__,    \
				__LINE__, #cond);                                    \
			abort();                                                     \
		}                                                                    \
	} while (0)

#endif
