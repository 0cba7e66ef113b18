#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# rate-scan.sh [SEEDS] [RATES]: what the seed's figures say about its eater's
# write rate, which nobody measured (docs/bench.md).  Runs the seed plans
# with the stress profile's write_rate at each of RATES (MiB per
# CPU-second; default "40 60 80 100 120"), seeds 1..SEEDS (default 10), and
# prints Markdown: per rate, the means of Test 2's dom0 onset and allocated /
# used, the runs of Test 2 with a failed creation, the stress guest's mean
# footprint, the stress limit and Test 1's dom0 onset and first failure (in
# running domains).  The rate that matches the seed is read off this table;
# it is no default of the model.
set -eu
seeds=${1:-10}
rates=${2:-40 60 80 100 120}
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=$top/bench/xvmon-bench
set_key=$top/bench/tools/plan-set.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

val() { sed -n "s/^ *\"$1\": \([^,]*\),*\$/\1/p" "$2" | head -n 1; }
run() { # run PLAN SEED OUT
	"$bench" run "$1" --seed "$2" -o "$3" --no-charts -q >/dev/null 2>"$tmp/err" ||
		{ echo "run failed: $1 seed $2" >&2; cat "$tmp/err" >&2; exit 1; }
}

echo "| write_rate (MiB/s) | Test 2: dom0 onset | Test 2: runs with a failure by 30 | Test 2: allocated / used | stress footprint (MiB) | stress limit | Test 1: dom0 onset (domains) | Test 1: first failure (domains) |"
echo "|---|---|---|---|---|---|---|---|"
for r in $rates; do
	for p in seed-test1 seed-test2 stress-ramp; do
		sh "$set_key" "$top/bench/plans/$p.ini" "profile stress" write_rate "${r}M" >"$tmp/$p.ini"
	done
	: >"$tmp/rows"
	i=1
	while [ $i -le "$seeds" ]; do
		run "$tmp/seed-test2.ini" $i "$tmp/t2"
		run "$tmp/stress-ramp.ini" $i "$tmp/sr"
		run "$tmp/seed-test1.ini" $i "$tmp/t1"
		foot=$(awk -F, '$1 == "stress" { print $4 }' "$tmp/t2/footprint.csv")
		t1=$(awk -F, '$2 == "dom0_balloon" && !o { o = $5 + 1 } $2 == "create_failed" && !f { f = $5 + 1 }
			END { print (o ? o : "null"), (f ? f : "null") }' "$tmp/t1/events.csv")
		echo "$(val dom0_balloon_onset_guests "$tmp/t2/summary.json") $(val first_failure_guests "$tmp/t2/summary.json") $(val overcommit_ratio_mean "$tmp/t2/summary.json") $foot $(val first_failure_guests "$tmp/sr/summary.json") $t1" >>"$tmp/rows"
		i=$((i + 1))
	done
	awk -v r="$r" -v n="$seeds" '
		function m(sum, k, never) { return k ? sprintf("%.1f", sum / k) (never ? sprintf(" (never in %d)", never) : "") : "never" }
		{ if ($1 == "null") on++; else { o += $1; ok++ }
		  if ($2 != "null") fail++
		  ra += $3; fo += $4; l += $5
		  if ($6 == "null") t1n++; else { t1o += $6; t1k++ }
		  if ($7 == "null") t1fn++; else { t1f += $7; t1fk++ } }
		END { printf "| %s | %s | %d of %d | %.2f | %.0f | %.1f | %s | %s |\n", r, m(o, ok, on), fail, n,
			ra / n, fo / n / 1024, l / n, m(t1o, t1k, t1n), m(t1f, t1fk, t1fn) }' "$tmp/rows"
done
