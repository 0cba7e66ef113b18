# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh: helpers for integration tests (sourced).  A test runs from the top
# of the source tree with `set -eu`; it exits 0 when every expectation held,
# 77 (after "# SKIP reason") when a tool it needs is missing, 1 otherwise.
set -eu
: "${TOP:?TOP must point at the source tree}"
cd "$TOP"
DATA=tests/data
H=plugins/check_xen_host
V=plugins/check_xen_vm
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xvmon-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT
checks=0

skip() {
	printf '# SKIP %s\n' "$*"
	exit 77
}

# skip_part REASON: some of this test's checks cannot run here (say which,
# and how to make them run); the others go on.  make check lists the reasons.
skip_part() {
	printf '# SKIP-PART %s\n' "$*"
}

# xsls_schema: sets XSD to the public XSLS schema ($XSLS_SCHEMA), or to
# nothing after saying that schema validation is skipped
xsls_schema() {
	XSD=${XSLS_SCHEMA:-}
	if [ -z "$XSD" ] || [ ! -f "$XSD" ]; then
		skip_part "validation against the public XSLS schema: no schema${XSD:+ at $XSD} (not part of xvmon; point XSLS_SCHEMA=/path/to/xsls_schema.xsd at it)"
		XSD=
	fi
}

fail() {
	printf 'FAIL: %s\n' "$*"
	exit 1
}

# run CMD...: runs a command, keeping stdout in $OUT, stderr in $ERR, status in $RC.
run() {
	set +e
	"$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	set -e
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
	LAST="$*"
}

# expect RC TEXT: the last command exited RC and printed exactly TEXT, and
# nothing on stderr (Nagios ignores stderr; our plugins never use it).
expect() {
	checks=$((checks + 1))
	[ "$RC" = "$1" ] || fail "$LAST: exit $RC, expected $1; stdout: $OUT"
	[ "$OUT" = "$2" ] || fail "$LAST: stdout differs:
expected: $2
got:      $OUT"
	[ -z "$ERR" ] || fail "$LAST: wrote to stderr: $ERR"
}

# expect_first RC LINE: like expect, for the first line of stdout only.
expect_first() {
	checks=$((checks + 1))
	[ "$RC" = "$1" ] || fail "$LAST: exit $RC, expected $1; stdout: $OUT"
	first=$(printf '%s\n' "$OUT" | head -n 1)
	[ "$first" = "$2" ] || fail "$LAST: first line differs:
expected: $2
got:      $first"
	[ -z "$ERR" ] || fail "$LAST: wrote to stderr: $ERR"
}

# contains TEXT: the last stdout contains TEXT.
contains() {
	checks=$((checks + 1))
	case "$OUT" in
	*"$1"*) ;;
	*) fail "$LAST: stdout lacks '$1': $OUT" ;;
	esac
}

done_testing() {
	printf 'ok: %d checks\n' "$checks"
}
