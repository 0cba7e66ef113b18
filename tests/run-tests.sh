#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-tests.sh: runs unit test binaries and integration scripts, one line each.
# Exit status of a test: 0 pass, 77 skip (its output says why), else fail.
# A passing test may have skipped some of its checks ("# SKIP-PART reason"
# lines); the summary lists every skip and partial skip with its reason.
# Logs go to tests/out/NAME.log; a failing test's log is printed.
set -u
: "${TOP:?TOP must point at the source tree}"
cd "$TOP" || exit 1
out="$TOP/tests/out"
mkdir -p "$out"

# Sanitizer runs: make every report fatal and leaks visible.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=98}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-exitcode=97}"
# Plugins must print in the C locale whatever the caller's environment says;
# tests set their own locale where that is the point.
export LC_ALL=C

pass=0 fail=0 skip=0
failed=""
skipped="$out/.skipped"
: >"$skipped"
for t in "$@"; do
	name=$(basename "$t" .sh)
	log="$out/$name.log"
	case "$t" in
	*.sh) sh "$TOP/$t" >"$log" 2>&1 ;;
	*) "$TOP/$t" >"$log" 2>&1 ;;
	esac
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		if grep -q '^# SKIP-PART' "$log"; then
			printf 'PASS %s (some checks skipped, see below)\n' "$name"
			sed -n "s/^# SKIP-PART */  $name: part skipped: /p" "$log" >>"$skipped"
		else
			printf 'PASS %s\n' "$name"
		fi
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1))
		reason=$(grep -m1 '^# SKIP ' "$log" | sed 's/^# SKIP *//')
		printf 'SKIP %s: %s\n' "$name" "${reason:-no reason given}"
		printf '  %s: skipped: %s\n' "$name" "${reason:-no reason given}" >>"$skipped"
		sed -n "s/^# SKIP-PART */  $name: part skipped: /p" "$log" >>"$skipped"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		printf 'FAIL %s (exit %d)\n' "$name" "$rc"
		sed 's/^/    | /' "$log" | tail -n 60
	fi
done
if [ -s "$skipped" ]; then
	printf '\nChecks that did not run here, and why:\n'
	cat "$skipped"
fi
printf '\n%d passed, %d failed, %d skipped\n' "$pass" "$fail" "$skip"
[ $fail -eq 0 ] || { printf 'failed:%s\n' "$failed"; exit 1; }
