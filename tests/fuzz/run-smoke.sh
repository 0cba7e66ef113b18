#!/bin/sh
# run-smoke.sh: every fuzz target through the fixed-seed driver (make check).
set -eu
cd "$TOP"
iterations=${FUZZ_ITERATIONS:-20000}
for f in tests/fuzz/fuzz_*.c; do
	t=${f%.c}
	name=$(basename "$t")
	corpus=tests/fuzz/corpus/${name#fuzz_}
	printf '%s: ' "$name"
	( cd "$TOP/tests/out" && "$TOP/$t" "$TOP/$corpus" "$iterations" )
done
