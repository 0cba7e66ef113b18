#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5000: with default model parameters, the seed's plans reproduce the seed's
# findings (section 2.5): plain limit 11, dom0 auto-ballooning from 25-29
# stress guests, stress limit 28-32, clean limit 110-130, allocated/used
# ratio 2.3-2.7 — for several seeds.
set -eu
. "$TOP/tests/integration/bench-lib.sh"

run() { # run PLAN SEED DIR
	"$BENCH" run "$PLANS/$1.ini" --seed "$2" -o "$3" --no-charts -q
}

run plain-ramp 1 "$tmp/plain"
equals "plain: guests that fit without overcommitment" "$(json max_plain_guests "$tmp/plain/summary.json")" 11
equals "plain: guests running at the first creation failure" "$(json first_failure_guests "$tmp/plain/summary.json")" 11
grep -q "cannot create 'plain-012': it needs 4195328 KiB free" "$tmp/plain/events.csv" ||
	fail "the 12th plain guest's failure is not in events.csv"

run clean-ramp 1 "$tmp/clean"
in_range "clean: limit (first creation failure)" "$(json first_failure_guests "$tmp/clean/summary.json")" 110 130

for seed in 1 2 3; do
	run stress-ramp $seed "$tmp/stress$seed"
	s="$tmp/stress$seed/summary.json"
	in_range "stress seed $seed: dom0 auto-ballooning onset" "$(json dom0_balloon_onset_guests "$s")" 25 29
	in_range "stress seed $seed: limit (first creation failure)" "$(json first_failure_guests "$s")" 28 32
	in_range "stress seed $seed: mean allocated/used ratio" "$(json overcommit_ratio_mean "$s")" 2.3 2.7
	equals "stress seed $seed: dom0 ballooned to its floor" "$(json dom0_min_kib "$s")" 200704
done

# The seed's Test 2 itself (one by one up to 30): the same onset and ratio.
run seed-test2 1 "$tmp/test2"
s="$tmp/test2/summary.json"
in_range "test2: dom0 auto-ballooning onset" "$(json dom0_balloon_onset_guests "$s")" 25 29
in_range "test2: mean allocated/used ratio" "$(json overcommit_ratio_mean "$s")" 2.3 2.7
in_range "test2: stress footprint mean (KiB)" "$(json_profile stress footprint_mean_kib "$s")" 1200000 1800000
equals "test2: plain footprint (KiB)" "$(json_profile dbvrtg footprint_p95_kib "$s")" 1048576
