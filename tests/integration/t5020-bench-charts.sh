#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5020: the charts are real gnuplot PNG and SVG files with labelled axes,
# `plot DIR` renders them again from the CSV files, and a missing gnuplot is
# reported and skipped, not fatal.
set -eu
. "$TOP/tests/integration/bench-lib.sh"

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "# SKIP gnuplot is not installed (apt-get install gnuplot-nox)"
	exit 77
fi

"$BENCH" run "$PLANS/seed-test2.ini" -o "$tmp/run" -q
for c in free used ratio footprint; do
	png="$tmp/run/$c.png" svg="$tmp/run/$c.svg"
	[ "$(od -An -tx1 -N8 "$png" | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$c.png is not a PNG"
	[ "$(wc -c <"$png")" -gt 10000 ] || fail "$c.png is suspiciously small"
	grep -q '<desc>Produced by GNUPLOT' "$svg" || fail "$c.svg was not made by gnuplot"
	grep -q '</svg>' "$svg" || fail "$c.svg is truncated"
	echo "ok: $c.png and $c.svg"
done
# axes with units, legends, the physical memory line of Fig. 7
grep -q 'free memory (MiB)' "$tmp/run/free.svg" || fail "free.svg: no y label with unit"
grep -q 'time (h)' "$tmp/run/free.svg" || fail "free.svg: no x label with unit"
grep -q 'memory (GiB)' "$tmp/run/used.svg" || fail "used.svg: no y label with unit"
grep -q 'physical memory (48 GiB)' "$tmp/run/used.svg" || fail "used.svg: no 48 GiB line"
grep -q 'allocated to guests' "$tmp/run/used.svg" || fail "used.svg: no allocated legend"
grep -q 'allocated / used' "$tmp/run/ratio.svg" || fail "ratio.svg: no legend"
grep -q 'memory per guest (MiB)' "$tmp/run/footprint.svg" || fail "footprint.svg: no y label"
grep -q '"charts": \[' "$tmp/run/summary.json" && grep -q '"free.png"' "$tmp/run/summary.json" ||
	fail "summary.json does not list the charts"
grep -q '<img src="used.svg"' "$tmp/run/report.html" || fail "report.html does not show the charts"
echo "ok: labels, legends, physical line, summary and report list the charts"

# plot DIR renders again from the CSV files
cp "$tmp/run/free.svg" "$tmp/free.svg.before"
rm -f "$tmp"/run/*.png "$tmp"/run/*.svg "$tmp/run/bycount.csv"
"$BENCH" plot "$tmp/run"
for c in free used ratio footprint; do
	[ -s "$tmp/run/$c.png" ] && [ -s "$tmp/run/$c.svg" ] || fail "plot did not render $c"
done
cmp "$tmp/free.svg.before" "$tmp/run/free.svg" || fail "plot DIR drew a different free.svg"
[ -s "$tmp/run/bycount.csv" ] || fail "plot did not rebuild bycount.csv"
ls -a "$tmp/run" | grep -q '\.tmp$' && fail "temporary chart files left behind"
echo "ok: plot DIR re-renders the same charts"

# without gnuplot: the run succeeds and says why there are no charts
XVMON_GNUPLOT=/nonexistent/gnuplot "$BENCH" run "$PLANS/plain-ramp.ini" -o "$tmp/nognu" -q 2>"$tmp/err"
grep -q "xvmon-bench: charts skipped: gnuplot not found ('/nonexistent/gnuplot')" "$tmp/err" ||
	fail "no 'charts skipped' message: $(cat "$tmp/err")"
grep -q 'charts: none (gnuplot is not installed)' "$tmp/nognu/report.txt" || fail "report does not say why"
ls "$tmp/nognu" | grep -q '\.png$' && fail "charts appeared without gnuplot"
rc=0
XVMON_GNUPLOT=/nonexistent/gnuplot "$BENCH" plot "$tmp/nognu" 2>"$tmp/err" || rc=$?
equals "plot without gnuplot exits EX_UNAVAILABLE" "$rc" 69
