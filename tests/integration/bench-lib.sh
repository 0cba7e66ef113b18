# SPDX-License-Identifier: GPL-3.0-or-later
# bench-lib.sh: helpers for the xvmon-bench integration tests (sourced).
: "${TOP:?TOP must point at the source tree}"
BENCH="$TOP/bench/xvmon-bench"
PLANS="$TOP/bench/plans"
export XVMON_BENCH_PLOT_DIR="$TOP/bench/plot"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	printf 'FAIL: %s\n' "$*"
	exit 1
}

# json KEY FILE: the value of the first "KEY": VALUE line (numbers, null, true).
json() {
	sed -n "s/^ *\"$1\": \(.*\)\$/\1/p" "$2" | head -n 1 | sed 's/,$//'
}

# in_range NAME VALUE LO HI: fails unless LO <= VALUE <= HI (decimals allowed).
in_range() {
	awk -v v="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(v != "null" && v + 0 == v && v >= lo && v <= hi) }' ||
		fail "$1 = $2, expected $3..$4"
	printf 'ok: %s = %s (%s..%s)\n' "$1" "$2" "$3" "$4"
}

# equals NAME VALUE EXPECTED
equals() {
	[ "$2" = "$3" ] || fail "$1 = '$2', expected '$3'"
	printf 'ok: %s = %s\n' "$1" "$2"
}

# json_profile NAME KEY FILE: KEY of the "profiles" entry whose name is NAME.
json_profile() {
	awk -v name="\"$1\"," -v key="\"$2\":" '
		$1 == "\"name\":" { here = ($2 == name) }
		here && $1 == key { v = $2; sub(/,$/, "", v); print v; exit }' "$3"
}
