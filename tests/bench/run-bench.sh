#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-bench.sh: runs every tests/bench/b*.sh and prints their figures.
# Benchmarks measure; they never fail the build on a slow machine.  A benchmark
# whose tool is missing says so and is skipped.
set -u
: "${TOP:?TOP must point at the source tree}"
status=0
for b in "$TOP"/tests/bench/b[0-9]*.sh; do
	[ -e "$b" ] || continue
	printf '== %s\n' "$(basename "$b" .sh)"
	sh "$b" || { rc=$?; [ $rc -eq 77 ] || status=1; }
	printf '\n'
done
exit $status
