#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-smoke.sh: every fuzz target through the fixed-seed driver (make check).
set -eu
cd "$TOP"
iterations=${FUZZ_ITERATIONS:-20000}
for f in tests/fuzz/fuzz_*.c; do
	t=${f%.c}
	name=$(basename "$t")
	corpus=tests/fuzz/corpus/${name#fuzz_}
	# not built when its library is missing (FUZZERS_SKIP)
	if [ ! -x "$TOP/$t" ]; then
		printf '%s: not built, skipped\n' "$name"
		continue
	fi
	printf '%s: ' "$name"
	( cd "$TOP/tests/out" && "$TOP/$t" "$TOP/$corpus" "$iterations" )
done
