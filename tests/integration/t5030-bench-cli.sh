#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5030: bad plans are refused with FILE:LINE and nothing is written; usage,
# missing input and unwritable output have their sysexits codes.
set -eu
. "$TOP/tests/integration/bench-lib.sh"

expect() { # expect CODE MESSAGE CMD...: exit code and first stderr line
	code=$1 msg=$2
	shift 2
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$code" ] || fail "$*: exit $rc, expected $code; stderr: $(cat "$tmp/err")"
	[ "$(head -n 1 "$tmp/err")" = "$msg" ] || fail "$*: stderr '$(head -n 1 "$tmp/err")', expected '$msg'"
	printf 'ok: exit %s: %s\n' "$code" "$msg"
}

# (tests/data/bench/test2.ini: a frozen copy of an early seed-test2.ini, so
# the line numbers below stay when the shipped plans change)
bad() { # bad SED-EXPR MESSAGE: the seed Test 2 plan edited by SED-EXPR is refused
	sed "$1" "$TOP/tests/data/bench/test2.ini" >"$tmp/bad.ini"
	expect 65 "xvmon-bench: $tmp/bad.ini:$2" "$BENCH" run "$tmp/bad.ini" -o "$tmp/out-dir"
	[ ! -e "$tmp/out-dir" ] || fail "a rejected plan created its output directory"
}

bad 's/^memory = 48G/memory = -48G/' "11: memory must not be negative: '-48G'"
bad 's/^dom0_floor = 196M/dom0_floor = 700M/' "13: dom0_floor (700 MiB) is above dom0_memory (512 MiB)"
bad 's/^profile = stress/profile = strss/' "33: profile: unknown profile 'strss'"
bad 's/^dbvrtg = 1/dbvrtgg = 1/' "29: unknown profile 'dbvrtgg'"
bad '/^samples = 10/d' "31: [procedure] has no 'samples'"
bad 's/^interval = 30s/interval = 30 seconds/' "37: interval: '30 seconds' is not a duration (unknown unit)"
bad 's/^limit = 30/limit = thirty/' "34: limit: 'thirty' is not a whole number (not a number)"

expect 66 "xvmon-bench: cannot open '$tmp/none.ini': No such file or directory" \
	"$BENCH" run "$tmp/none.ini" -o "$tmp/x"
expect 64 "xvmon-bench: run needs an output directory (-o DIR)" "$BENCH" run "$PLANS/seed-test2.ini"
expect 64 "xvmon-bench: unknown driver 'vmware' (\`xvmon-bench drivers\` lists them)" \
	"$BENCH" run "$PLANS/seed-test2.ini" -o "$tmp/x" --driver vmware
expect 64 "xvmon-bench: --seed: 'abc' is not a whole number" \
	"$BENCH" run "$PLANS/seed-test2.ini" -o "$tmp/x" --seed abc
expect 64 "xvmon-bench: unknown command 'walk'" "$BENCH" walk
expect 64 "xvmon-bench: no command given" "$BENCH"
expect 66 "xvmon-bench: no output directory '$tmp/nothing'" "$BENCH" plot "$tmp/nothing"
mkdir "$tmp/empty"
expect 66 "xvmon-bench: '$tmp/empty' is not a complete xvmon-bench run: cannot open '$tmp/empty/run.done': No such file or directory" \
	"$BENCH" plot "$tmp/empty"
: >"$tmp/file"
expect 73 "xvmon-bench: cannot create output directory '$tmp/file/out': Not a directory" \
	"$BENCH" run "$PLANS/plain-ramp.ini" -o "$tmp/file/out"

"$BENCH" --help | grep -q '^usage: xvmon-bench run PLAN -o DIR' || fail "--help"
[ "$("$BENCH" --version)" = "xvmon-bench $(cat "$TOP/VERSION")" ] || fail "--version"
"$BENCH" drivers | grep -q '^model ' || fail "drivers does not list the model"
echo "ok: --help, --version, drivers"

# quiet when not a terminal: stderr stays empty, the report goes to stdout
"$BENCH" run "$PLANS/plain-ramp.ini" -o "$tmp/quiet" --no-charts >"$tmp/out" 2>"$tmp/err"
[ ! -s "$tmp/err" ] || fail "stderr not empty off a terminal: $(cat "$tmp/err")"
grep -q '^xvmon-bench capacity report: plain-ramp' "$tmp/out" || fail "no report on stdout"
for f in samples.csv guests.csv events.csv bycount.csv footprint.csv summary.json report.txt report.html; do
	[ -s "$tmp/quiet/$f" ] || fail "$f missing"
done
[ -z "$(ls -A "$tmp/quiet" | grep '^\.')" ] || fail "temporary files left: $(ls -A "$tmp/quiet")"
echo "ok: all outputs written, nothing on stderr"
