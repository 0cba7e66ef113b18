#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-reference.sh [RUN_DIR]: copies the bench run `make check-xen` left (build/lab/run/bench-results by
# default) into docs/bench-lab/ as the reference result: the run's files, the trace, the charts, the
# plan, the measure guest's output, the guests' consoles, the host's listings.  The README there is kept.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
R=${1:-$TOP/build/lab/run/bench-results}
D=$TOP/docs/bench-lab
[ -f "$R/bench/run/samples.csv" ] || { echo "no bench run in $R (run make check-xen first)" >&2; exit 66; }
find "$D" -mindepth 1 ! -name README.md -exec rm -rf {} +
cp "$R"/bench/run/*.csv "$R"/bench/trace/*.csv "$R"/bench/run/summary.json "$R"/bench/run/report.txt "$R"/bench/run/report.html "$D/"
cp "$R"/bench/run/*.png "$R"/bench/run/*.svg "$D/" 2>/dev/null || echo "no charts (gnuplot missing on the host?)" >&2
cp "$R/bench/plan.ini" "$R/bench/bench.rc" "$R/bench/bench.err" "$R"/bench/xl-*.txt "$D/"
cp "$R/bench/sched.txt" "$D/" 2>/dev/null || true
grep -a 'xvb-stress' "$R/guest-measure.log" | tr -d '\r' > "$D/measure.txt" || true
mkdir -p "$D/consoles"
for f in "$R"/guest-*.log; do
	[ "$f" = "$R/guest-measure.log" ] && continue
	tr -d '\r' < "$f" > "$D/consoles/$(basename "$f")"
done
ls "$D"
