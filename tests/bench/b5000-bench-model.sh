#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# b5000: how fast the model runs the seed's Test 2 (30 stress guests, 5 min
# settle and 10 samples 30 s apart each: about 5 simulated hours).  Prints
# the wall time and simulated guest-seconds per wall second.  Measures only:
# never fails on a slow machine.
set -u
: "${TOP:?TOP must point at the source tree}"
bench="$TOP/bench/xvmon-bench"
plan="$TOP/bench/plans/seed-test2.ini"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT

[ -x "$bench" ] || { echo "# SKIP $bench is not built"; exit 77; }
cmd="$bench run $plan -o $tmp/out --no-charts -q"
$cmd || { echo "xvmon-bench failed"; exit 1; }

# Simulated guest-seconds: every guest from its creation to the end of the run.
dur=$(sed -n 's/^ *"duration_s": \([0-9.]*\),*$/\1/p' "$tmp/out/summary.json")
gsec=$(awk -F, -v end="$dur" '$2 == "create" { s += end - $1 } END { printf "%.0f", s }' "$tmp/out/events.csv")

if command -v hyperfine >/dev/null 2>&1; then
	hyperfine --warmup 3 --runs 30 --style basic --export-json "$tmp/h.json" "$cmd" >/dev/null 2>&1
	wall=$(sed -n 's/^ *"mean": \([0-9.e-]*\),*$/\1/p' "$tmp/h.json" | head -n 1)
	user=$(sed -n 's/^ *"user": \([0-9.e-]*\),*$/\1/p' "$tmp/h.json" | head -n 1)
	sys=$(sed -n 's/^ *"system": \([0-9.e-]*\),*$/\1/p' "$tmp/h.json" | head -n 1)
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.6f", u + s }')
	how="hyperfine, mean of 30 runs"
else
	runs=10
	start=$(date +%s.%N)
	i=0
	while [ $i -lt $runs ]; do
		$cmd
		i=$((i + 1))
	done
	end=$(date +%s.%N)
	wall=$(awk -v a="$start" -v b="$end" -v n=$runs 'BEGIN { printf "%.6f", (b - a) / n }')
	cpu=""
	how="date loop, mean of $runs runs"
fi

awk -v wall="$wall" -v cpu="$cpu" -v dur="$dur" -v gsec="$gsec" -v how="$how" 'BEGIN {
	printf "seed Test 2 on the model: %.1f simulated hours, %d guest-seconds\n", dur / 3600, gsec
	printf "wall time per run:        %.1f ms (%s; includes fsync of 8 output files)\n", wall * 1000, how
	if (cpu != "")
		printf "CPU time per run:         %.1f ms (user + system)\n", cpu * 1000
	printf "simulated guest-seconds per wall second: %.3g\n", gsec / wall
	if (cpu != "")
		printf "simulated guest-seconds per CPU second:  %.3g\n", gsec / cpu
	printf "simulated seconds per wall second:       %.3g\n", dur / wall
}'
