#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5010: the same plan and seed give the same files byte for byte; another
# seed gives other numbers but the same conclusions.
set -eu
. "$TOP/tests/integration/bench-lib.sh"

files="samples.csv guests.csv events.csv bycount.csv footprint.csv summary.json report.txt report.html"
"$BENCH" run "$PLANS/seed-test2.ini" -o "$tmp/a" --no-charts -q
"$BENCH" run "$PLANS/seed-test2.ini" -o "$tmp/b" --no-charts -q --seed 1
for f in $files; do
	cmp "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between two runs with seed 1"
done
echo "ok: seed 1 twice: identical $files"

"$BENCH" run "$PLANS/seed-test2.ini" -o "$tmp/c" --no-charts -q --seed 2
for f in samples.csv guests.csv events.csv; do
	if cmp -s "$tmp/a/$f" "$tmp/c/$f"; then
		fail "$f is the same for seeds 1 and 2"
	fi
done
echo "ok: seed 2 gives different samples.csv, guests.csv, events.csv"
equals "summary names its seed" "$(json seed "$tmp/c/summary.json")" 2
# the same conclusions: what the laws fix whatever the draws (t5000 says why)
for d in a c; do
	s="$tmp/$d/summary.json"
	equals "run $d: without overcommitment" "$(json max_plain_guests "$s")" 11
	in_range "run $d: first creation failure" "$(json first_failure_guests "$s")" 11 105
	in_range "run $d: mean allocated/used ratio" "$(json overcommit_ratio_mean "$s")" 1 9
	in_range "run $d: dom0's lowest (KiB)" "$(json dom0_min_kib "$s")" 200704 524288
done

# The same for the groups procedure, whose group sizes are drawn at random.
"$BENCH" run "$PLANS/seed-test1.ini" -o "$tmp/t1a" --no-charts -q
"$BENCH" run "$PLANS/seed-test1.ini" -o "$tmp/t1b" --no-charts -q
cmp "$tmp/t1a/samples.csv" "$tmp/t1b/samples.csv" || fail "Test 1 samples differ with the same seed"
echo "ok: Test 1 reproducible"

# Numbers are written in the C locale whatever the environment says.
if locale -a 2>/dev/null | grep -qi '^de_DE.utf-\{0,1\}8$'; then
	LC_ALL=de_DE.UTF-8 "$BENCH" run "$PLANS/seed-test2.ini" -o "$tmp/de" --no-charts -q
	for f in $files; do
		cmp "$tmp/a/$f" "$tmp/de/$f" || fail "$f differs under LC_ALL=de_DE.UTF-8"
	done
	echo "ok: de_DE locale: identical files"
else
	echo "# no de_DE.UTF-8 locale here: the locale comparison is not run"
fi
head -n 2 "$tmp/a/bycount.csv" | tail -n 1 | grep -Eq '^0,10,[0-9]+,[0-9]+,[0-9]+,[0-9]+,50321636,[0-9]+(\.[0-9]+)?,0$' ||
	fail "bycount.csv row 0 is not plain C-locale numbers: $(sed -n 2p "$tmp/a/bycount.csv")"
echo "ok: C-locale numbers in bycount.csv"
