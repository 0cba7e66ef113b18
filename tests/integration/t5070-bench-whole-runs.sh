#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5070: a run's directory holds one whole run or none.  Killed with SIGKILL
# at any moment, 50 times, `run -o DIR` leaves DIR as it was or complete,
# never a mix, and the next run removes what the killed ones left; a run out
# of memory writes what it measured (exit 71); plot refuses a mixed set.
set -eu
. "$TOP/tests/integration/bench-lib.sh"
NOGNU=/nonexistent/gnuplot

# accepted DIR: plot reads DIR whole (exit 69 only because gnuplot is
# pointed nowhere: the data passed)
accepted() {
	rc=0
	XVMON_GNUPLOT=$NOGNU "$BENCH" plot "$1" >/dev/null 2>"$tmp/plot.err" || rc=$?
	[ "$rc" = 69 ] || fail "plot $1: exit $rc: $(cat "$tmp/plot.err")"
}

# leftovers DIR: temporary run directories and files beside or in it
leftovers() {
	{ ls -A "$(dirname "$1")" | grep '\.run$' || true; ls -A "$1" 2>/dev/null | grep '^\.' || true; } | wc -l
}

# A long run (a ramp of clean guests on a 1 TiB host: seconds) and a short one.
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
D=$tmp/out/run
"$BENCH" run "$PLANS/plain-ramp.ini" -o "$D" --no-charts -q
cp -r "$D" "$tmp/reference"
accepted "$D"

# 50 kills at random moments of a short run (planning, measuring, writing,
# renaming): each time DIR is the previous run or a whole new one
kills=0 replaced=0
for k in $(seq 50); do
	"$BENCH" run "$PLANS/seed-test2.ini" -o "$D" --no-charts -q 2>/dev/null &
	pid=$!
	sleep "$(awk -v s="$k" 'BEGIN { srand(s); printf "%.3f", rand() * 0.25 }')"
	kill -KILL $pid 2>/dev/null && kills=$((kills + 1)) || true
	wait $pid 2>/dev/null || true
	[ -d "$D" ] || fail "kill $k: the output directory is gone"
	if diff -r "$tmp/reference" "$D" >/dev/null; then
		:
	else
		grep -q '"name": "seed-test2"' "$D/summary.json" ||
			fail "kill $k: the output directory is neither the previous run nor the new one"
		replaced=$((replaced + 1))
		rm -rf "$D" && cp -r "$tmp/reference" "$D"
	fi
	accepted "$D"
	[ "$(leftovers "$D")" -le 1 ] || fail "kill $k: temporaries pile up: $(ls -A "$tmp/out")"
done
echo "ok: 50 runs killed ($kills by the signal, $replaced finished first): the directory is always whole"

# the next run removes the temporaries of the killed ones
"$BENCH" run "$PLANS/seed-test2.ini" -o "$D" --no-charts -q
equals "temporaries left after a run" "$(leftovers "$D")" 0
accepted "$D"
grep -q '"name": "seed-test2"' "$D/summary.json" || fail "the new run is not in place"

# a long run killed while it measures: the previous run stays, whole
cp -r "$D" "$tmp/previous"
"$BENCH" run "$tmp/long.ini" -o "$D" --no-charts -q 2>/dev/null &
pid=$!
sleep 1
kill -KILL $pid
wait $pid 2>/dev/null || true
diff -r "$tmp/previous" "$D" >/dev/null || fail "a killed run changed the output directory"
equals "temporary run directories of the killed run" "$(ls -A "$tmp/out" | grep -c '\.run$')" 1
accepted "$D"

# a mixed set, made by hand as a killed run used to leave it, is refused
cp "$tmp/reference/samples.csv" "$D/"
rc=0
"$BENCH" plot "$D" 2>"$tmp/err" || rc=$?
equals "plot of a mixed set" "$rc" 65
grep -q "^xvmon-bench: '$D/samples.csv' does not match $D/run.done (" "$tmp/err" ||
	fail "message: $(cat "$tmp/err")"

# out of memory during a run: what was measured is written, marked, exit 71
if grep -q fsanitize "$TOP/.build-flags" 2>/dev/null; then
	echo "# sanitizer build: address-space limits do not apply, the out-of-memory case is not run"
else
	# Samples are streamed, so a run's memory grows only with its guests
	# (under a kilobyte each): 10 000 small plain guests grow it by about
	# 10 MB.  The address-space limit that runs out within that growth,
	# after the 64 MiB reserve for writing the outputs was taken, depends
	# on the C library: look for it a megabyte at a time.
	cat >"$tmp/many.ini" <<'PLAN'
[host]
memory = 1T
dom0_memory = 512M
dom0_floor = 196M
dom0_autoballoon = yes
[profile plain]
image = plain
memory = 64M
kernel = 8M
resident = 8M
[procedure]
kind = ramp
profile = plain
settle = 1s
samples = 1
interval = 1s
PLAN
	limit=66000 rc=0
	while [ $limit -le 120000 ]; do
		rc=0
		rm -rf "$tmp/oom"
		(ulimit -v $limit && exec "$BENCH" run "$tmp/many.ini" -o "$tmp/oom" --no-charts -q) 2>"$tmp/err" || rc=$?
		[ $rc = 71 ] && break
		limit=$((limit + 1000))
	done
	equals "exit status out of memory (address space limited to $limit KiB)" "$rc" 71
	grep -q '^xvmon-bench: out of memory after [0-9]* samples; writing what was measured$' "$tmp/err" ||
		fail "message: $(cat "$tmp/err")"
	equals "summary says interrupted" "$(json interrupted "$tmp/oom/summary.json")" true
	equals "summary says why" "$(json stop_reason "$tmp/oom/summary.json")" '"out of memory"'
	rows=$(($(wc -l <"$tmp/oom/samples.csv") - 1))
	[ "$rows" -gt 100 ] || fail "only $rows samples kept"
	grep -q 'INTERRUPTED' "$tmp/oom/report.txt" && grep -q '(out of memory)' "$tmp/oom/report.txt" ||
		fail "report.txt does not say why the run stopped"
	accepted "$tmp/oom"
	echo "ok: out of memory after $rows samples: written, marked, plot accepts it"
fi

# a run that reaches a bound (a week of driver time: a day a step) keeps
# its data: exit 65
sed 's/^settle = 10m/settle = 24h/' "$tmp/long.ini" >"$tmp/days.ini"
rc=0
"$BENCH" run "$tmp/days.ini" -o "$tmp/bound" --no-charts -q 2>"$tmp/err" || rc=$?
equals "exit status at a bound" "$rc" 65
grep -q "^xvmon-bench: the run stopped at 6 guests: its driver time passed the limit of 7 days (lower limit, settle, samples or interval); writing what was measured\$" "$tmp/err" ||
	fail "message: $(cat "$tmp/err")"
equals "summary says interrupted" "$(json interrupted "$tmp/bound/summary.json")" true
accepted "$tmp/bound"
echo "ok: a run stopped by a bound is written and marked"
