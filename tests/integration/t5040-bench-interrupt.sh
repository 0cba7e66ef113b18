#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5040: Ctrl-C writes what was measured, marks the run interrupted and exits
# 130; progress appears on a terminal only.
set -eu
. "$TOP/tests/integration/bench-lib.sh"

# A plan that takes the model many seconds: stress guests (whose eaters the
# model follows every second) on a 1 TiB host, ten minutes of settling each,
# until a creation fails or a bound of plan.h stops it.
cat >"$tmp/long.ini" <<'PLAN'
[host]
memory = 1T
dom0_memory = 512M
dom0_floor = 196M
dom0_autoballoon = yes
[profile clean]
image = stress
memory = 4G
[procedure]
kind = ramp
profile = clean
settle = 10m
samples = 2
interval = 30s
PLAN

"$BENCH" run "$tmp/long.ini" -o "$tmp/run" --no-charts -q 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT $pid
rc=0
wait $pid || rc=$?
equals "exit status after SIGINT" "$rc" 130
grep -q '^xvmon-bench: interrupted: writing what was measured so far$' "$tmp/err" ||
	fail "no interruption message: $(cat "$tmp/err")"
equals "summary marks the run" "$(json interrupted "$tmp/run/summary.json")" true
grep -q 'INTERRUPTED' "$tmp/run/report.txt" || fail "report.txt does not say it was interrupted"
grep -q 'class="warn">Interrupted' "$tmp/run/report.html" || fail "report.html does not say it"
grep -q ',interrupted,' "$tmp/run/events.csv" || fail "events.csv has no interrupted event"
rows=$(($(wc -l <"$tmp/run/samples.csv") - 1))
[ "$rows" -ge 4 ] || fail "only $rows samples were written"
echo "ok: $rows samples written before the interruption"
# what was written can be analysed again
if command -v gnuplot >/dev/null 2>&1; then
	"$BENCH" plot "$tmp/run" || fail "plot of an interrupted run"
	echo "ok: interrupted run plots"
fi

# Progress: on a terminal (script(1) gives one) a line with guests, time and
# ETA; none when stderr is a file (checked above: $tmp/err had one line).
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "progress written off a terminal: $(cat "$tmp/err")"
if command -v script >/dev/null 2>&1; then
	script -qec "$BENCH run $PLANS/seed-test2.ini -o $tmp/tty --no-charts -q" /dev/null >"$tmp/tty.out" </dev/null
	grep -q 'guests [0-9]*/30  time [0-9]*:[0-9][0-9]:[0-9][0-9]  ETA [0-9]* s' "$tmp/tty.out" ||
		fail "no progress line on a terminal: $(cat -v "$tmp/tty.out" | head -c 300)"
	echo "ok: progress on a terminal"
else
	echo "# script(1) not installed: the terminal progress check is not run"
fi
