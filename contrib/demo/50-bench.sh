#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# 50-bench.sh: the seed's Test 2 (30 stress guests, about 5 simulated hours)
# on the model, then its capacity report.
set -eu
: "${TOP:?TOP must point at the source tree}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== xvmon-bench: seed Test 2 on the model (bench/plans/seed-test2.ini)"
"$TOP/bench/xvmon-bench" run "$TOP/bench/plans/seed-test2.ini" -o "$out" -q --no-charts
sed -n '/^Capacity/,/^Per-guest/p' "$out/report.txt" | sed '$d'
echo "(bench/xvmon-bench run bench/plans/seed-test2.ini -o DIR keeps the CSV files,"
echo " the full report and the charts; docs/bench.md explains them)"
