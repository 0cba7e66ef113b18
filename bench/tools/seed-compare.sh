#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# seed-compare.sh [SEEDS]: the model's figures for the seed's host beside
# the seed's own findings (docs/bench.md), counted as the seed counts them:
# Test 1 in running domains (dom0, the plain dbvrtg000 and the two clean
# guests included), Test 2 in stress guests.  Runs each plan with seeds
# 1..SEEDS (default 10) and prints Markdown: the mean and the range.
set -eu
seeds=${1:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=$top/bench/xvmon-bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

val() { sed -n "s/^ *\"$1\": \([^,]*\),*\$/\1/p" "$2" | head -n 1; }

# stat FILE: "mean (min-max)" of the numbers in FILE ("never" lines counted
# apart), or "never"
stat() {
	awk '$1 == "never" { never++; next } { n++; s += $1; if (n == 1 || $1 < lo) lo = $1; if (n == 1 || $1 > hi) hi = $1 }
		END {
			if (!n) { print "never"; exit }
			printf "%.1f (%s-%s)", s / n, lo, hi
			if (never) printf ", never in %d", never
			printf "\n"
		}' "$1"
}

# Test 1, by running domains: domUs at the event + dom0.
: >"$tmp/t1-onset"; : >"$tmp/t1-floor"; : >"$tmp/t1-fail"; : >"$tmp/t1-swap"; : >"$tmp/t1-max"
: >"$tmp/t1-dom0"; : >"$tmp/t1-wait"
i=1
while [ $i -le "$seeds" ]; do
	"$bench" run "$top/bench/plans/seed-test1.ini" --seed $i -o "$tmp/t1" --no-charts -q >/dev/null
	e=$tmp/t1/events.csv
	awk -F, '$2 == "dom0_balloon" { print $5 + 1; found = 1; exit } END { if (!found) print "never" }' "$e" >>"$tmp/t1-onset"
	# dom0 at its lowest: the domains at its last balloon step
	awk -F, '$2 == "dom0_balloon" { d = $5 + 1 } END { print d ? d : "never" }' "$e" >>"$tmp/t1-floor"
	awk -F, '$2 == "create_failed" { print $5 + 1; found = 1; exit } END { if (!found) print "never" }' "$e" >>"$tmp/t1-fail"
	awk -F, '$2 == "swap_on" { print $5 + 1; found = 1; exit } END { if (!found) print "never" }' "$e" >>"$tmp/t1-swap"
	awk -F, 'NR > 1 { if ($3 + 1 > m) m = $3 + 1 } END { print m }' "$tmp/t1/samples.csv" >>"$tmp/t1-max"
	awk -v k="$(val dom0_min_kib "$tmp/t1/summary.json")" 'BEGIN { printf "%d\n", k / 1024 }' >>"$tmp/t1-dom0"
	i=$((i + 1))
done

# Test 2, by stress guests; and the ramps.
: >"$tmp/t2-onset"; : >"$tmp/t2-fail"; : >"$tmp/t2-ratio"; : >"$tmp/t2-foot"; : >"$tmp/t2-used"
: >"$tmp/sr-fail"; : >"$tmp/sr-swap"; : >"$tmp/sr-safe"
i=1
while [ $i -le "$seeds" ]; do
	"$bench" run "$top/bench/plans/seed-test2.ini" --seed $i -o "$tmp/t2" --no-charts -q >/dev/null
	s=$tmp/t2/summary.json
	o=$(val dom0_balloon_onset_guests "$s"); [ "$o" = null ] && o=never; echo "$o" >>"$tmp/t2-onset"
	f=$(val first_failure_guests "$s"); [ "$f" = null ] && f=never; echo "$f" >>"$tmp/t2-fail"
	val overcommit_ratio_mean "$s" >>"$tmp/t2-ratio"
	awk -F, '$1 == "stress" { printf "%d\n", $4 / 1024 }' "$tmp/t2/footprint.csv" >>"$tmp/t2-foot"
	# used memory with the most stress guests sampled, in GiB
	tail -n 1 "$tmp/t2/bycount.csv" | awk -F, '{ printf "%.1f\n", $5 / 1048576 }' >>"$tmp/t2-used"
	"$bench" run "$top/bench/plans/stress-ramp.ini" --seed $i -o "$tmp/sr" --no-charts -q >/dev/null
	s=$tmp/sr/summary.json
	val first_failure_guests "$s" >>"$tmp/sr-fail"
	w=$(val first_swap_guests "$s"); [ "$w" = null ] && w=never; echo "$w" >>"$tmp/sr-swap"
	val max_safe_guests "$s" >>"$tmp/sr-safe"
	i=$((i + 1))
done
"$bench" run "$top/bench/plans/clean-ramp.ini" -o "$tmp/cr" --no-charts -q >/dev/null
"$bench" run "$top/bench/plans/plain-ramp.ini" -o "$tmp/pr" --no-charts -q >/dev/null

echo "| finding | the seed (section) | the model ($seeds seeds: mean (range)) |"
echo "|---|---|---|"
echo "| **Test 1** (running domains: dom0, dbvrtg000 and 2 clean guests included) | | |"
echo "| dom0 starts auto-ballooning | 27 (2.5.1) | $(stat "$tmp/t1-onset") |"
echo "| dom0 at its lowest | 30, \"minimal\" (2.5.1); 424 MiB at 46 domains (xentop, Fig. 4) | after its last step at $(stat "$tmp/t1-floor") domains; $(stat "$tmp/t1-dom0") MiB |"
echo "| creations fail | from 33 (2.5.1) | $(stat "$tmp/t1-fail") |"
echo "| guests swap | \"minor\" from 33, hot swapping at 45 (2.5.1) | $(stat "$tmp/t1-swap") |"
echo "| most domains running | 46 (xentop; some guests paused by hand) | $(stat "$tmp/t1-max") |"
echo "| **Test 2** (stress guests, the plain dbvrtg000 beside them) | | |"
echo "| dom0 starts auto-ballooning | 27 (2.5.3, Fig. 7) | $(stat "$tmp/t2-onset") |"
echo "| first creation failure | none up to 30 (2.5.3-2.5.4) | $(stat "$tmp/t2-fail") |"
echo "| mean allocated / used, 1-30 guests | 2.5 (Fig. 8) | $(stat "$tmp/t2-ratio") |"
echo "| used memory with the most guests | approaching 48 GB at 30 (Fig. 7) | $(stat "$tmp/t2-used") GiB |"
echo "| stress guest footprint (mean) | ~1.5 GiB implied (47 GiB used by 30) | $(stat "$tmp/t2-foot") MiB |"
echo "| **Ramps** (stress-ramp, clean-ramp, plain-ramp) | | |"
echo "| stress limit (first creation failure) | ~30 (2.5.4) | $(stat "$tmp/sr-fail") |"
echo "| first swap onset | (swapping near the limit, 2.5.1) | $(stat "$tmp/sr-swap") |"
echo "| safe: room for one more, nobody swapping | 20-25 \"optimal\" (3) | $(stat "$tmp/sr-safe") |"
echo "| clean limit | ~120, estimated as 48 GB / 400 MB (2.5.4) | $(val first_failure_guests "$tmp/cr/summary.json") |"
echo "| clean footprint | \"around 400 MB\" (2.5.1); 434176 KiB in xentop (Fig. 4) | $(awk -F, '$1 == "clean" { print $5 }' "$tmp/cr/footprint.csv") KiB (p95) |"
echo "| 4 GB guests without overcommitment | 11 (2.5.3) | $(val max_plain_guests "$tmp/pr/summary.json") (plain-ramp fails at $(val first_failure_guests "$tmp/pr/summary.json")) |"
