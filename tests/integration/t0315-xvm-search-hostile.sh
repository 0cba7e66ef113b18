#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvm-search against hostile input, one case a line (exit status and first
# line on stderr): options, inventories that are garbage, not regular files
# or on a hung file system, VM repositories with FIFOs, hostile names; -t
# bounds the whole run, a reader that never reads the answer included.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/hang-fs.sh"
X=$TOP/contrib/xvm-search
# the source schemes this build knows, as every program lists them
SCHEMES=$("$TOP/plugins/check_xen_host" -V | sed 's/.*sources: \(.*\))$/\1/')
POOL=$TOP/$DATA/pool
I=$POOL/healthy.ini

cases=0
# check CODE 'FIRST STDERR LINE' CMD...
check() {
	code=$1 msg=$2
	shift 2
	cases=$((cases + 1))
	run "$@"
	first=$(printf '%s\n' "$ERR" | head -n 1)
	[ "$RC" = "$code" ] || fail "case $cases: $*: exit $RC, expected $code ($msg); stderr: $ERR"
	[ "$first" = "$msg" ] || fail "case $cases: $*: stderr
got:      $first
expected: $msg"
}
cp "$POOL"/*.sim "$WORK/"
inv() {
	fmt=$1
	shift
	printf "$fmt" "$@" >"$WORK/i.ini"
}
H='[host xen-a]\npool = %s\nsource = sim:xen-a.sim\n'

# --- options --------------------------------------------------------------------
T="xvm-search: -t takes a duration from 1ms to 1h, like 5 or 500ms"
check 64 "$T: '0'" "$X" -i "$I" -t 0 web1
check 64 "$T: '2h'" "$X" -i "$I" -t 2h web1
check 64 "$T: 'soon'" "$X" -i "$I" -t soon web1
check 64 "$T: '-5'" "$X" -i "$I" -t -5 web1
check 64 "xvm-search: -P takes a number from 1 to 4096: '0'" "$X" -i "$I" -P 0 web1
check 64 "xvm-search: -P takes a number from 1 to 4096: '5000'" "$X" -i "$I" -P 5000 web1
check 64 "xvm-search: -P takes a number from 1 to 4096: '1e3'" "$X" -i "$I" -P 1e3 web1
check 64 "xvm-search: unknown option '--frobnicate'" "$X" -i "$I" --frobnicate web1
check 64 "xvm-search: option '-i' needs a value" "$X" -i
check 64 "xvm-search: name at least one VM" "$X" -i "$I"
check 64 "xvm-search: no pool 'nope' in $I" "$X" -i "$I" -p nope web1
check 64 "xvm-search: no pool 'a?b' in $I" "$X" -i "$I" -p "$(printf 'a\033b')" web1

# --- inventories ------------------------------------------------------------------
mkfifo "$WORK/fifo.ini"
check 66 "xvm-search: cannot read '$WORK/fifo.ini': it is a FIFO, not a regular file" "$X" -i "$WORK/fifo.ini" web1
check 66 "xvm-search: cannot read '$WORK': it is a directory, not a regular file" "$X" -i "$WORK" web1
check 66 "xvm-search: cannot read '/dev/zero': it is a character device, not a regular file" "$X" -i /dev/zero web1
ln -s "$WORK/gone" "$WORK/dangling.ini"
check 66 "xvm-search: cannot open '$WORK/dangling.ini': it is a dangling symbolic link" "$X" -i "$WORK/dangling.ini" web1
truncate -s 65M "$WORK/huge.ini"
check 65 "xvm-search: '$WORK/huge.ini' is 68157440 bytes, over the limit of 67108864" "$X" -i "$WORK/huge.ini" web1
XVMON_INVENTORY=$WORK/fifo.ini check 66 "xvm-search: cannot read '$WORK/fifo.ini': it is a FIFO, not a regular file" "$X" web1
inv ''
check 65 "xvm-search: $WORK/i.ini:1: no [pool NAME] section" "$X" -i "$WORK/i.ini" web1
inv '[pool p]\n\tvm = web1\n'
check 65 "xvm-search: $WORK/i.ini:2: indented line (xvmon files have no continuation lines: remove the leading blanks)" "$X" -i "$WORK/i.ini" web1
inv '[pool p]\nvm = web1\000\n'
check 65 "xvm-search: $WORK/i.ini:2: NUL byte in file (is it a text file?)" "$X" -i "$WORK/i.ini" web1
inv "[pool p]\nparallel = 0\n$H" p
check 65 "xvm-search: $WORK/i.ini:2: parallel: '0' is not a number from 1 to 4096" "$X" -i "$WORK/i.ini" web1
inv '[pool p]\n[host h]\npool = p\nsource = sim:\n'
check 78 "xvm-search: $WORK/i.ini:4: source: sim: needs a scenario file, as in sim:tests/data/healthy.sim" "$X" -i "$WORK/i.ini" web1
inv '[pool p]\n[host h]\npool = p\nsource = gopher:x\n'
check 78 "xvm-search: $WORK/i.ini:4: source: unknown source scheme in 'gopher:x' (this build knows: $SCHEMES)" "$X" -i "$WORK/i.ini" web1
inv "\357\273\277[pool p]\n$H" p
check 0 "" "$X" -i "$WORK/i.ini" web1
R=$WORK/repo && mkdir -p "$R/vm1"
mkfifo "$R/vm1/vm.cfg"
inv "[pool p]\nvm_repository = $R\n$H" p
check 66 "xvm-search: $WORK/i.ini:2: vm_repository: cannot read '$R/vm1/vm.cfg': it is a FIFO, not a regular file" "$X" -i "$WORK/i.ini" web1
rm "$R/vm1/vm.cfg" && ln -s /dev/urandom "$R/vm1/vm.cfg"
check 66 "xvm-search: $WORK/i.ini:2: vm_repository: cannot read '$R/vm1/vm.cfg': it is a character device, not a regular file" "$X" -i "$WORK/i.ini" web1

# --- names ----------------------------------------------------------------------------
check 1 "xvm-search: : not found on any of 2 hosts" "$X" -i "$I" ""
check 1 "xvm-search: ghost?[2J: not found on any of 2 hosts" "$X" -i "$I" "$(printf 'ghost\033[2J')"
check 1 "xvm-search: web1?web2: not found on any of 2 hosts" "$X" -i "$I" "web1
web2"
check 1 "xvm-search: $(printf 'x%.0s' $(seq 5000)): not found on any of 2 hosts" "$X" -i "$I" "$(printf 'x%.0s' $(seq 5000))"
check 1 "xvm-search: *: not found on any of 2 hosts" "$X" -i "$I" '*'
check 1 "xvm-search: web%: not found on any of 2 hosts" "$X" -i "$I" 'web%'
uuid=$("$TOP/plugins/check_xen_vm" -s "sim:$POOL/xen-b.sim" -n db2 -v | sed -n 's/^uuid \([^,]*\),.*/\1/p')
UUID=$(printf '%s' "$uuid" | tr a-f A-F)
check 0 "" "$X" -i "$I" "$UUID"
checks=$((checks + 1))
[ "$OUT" = "$UUID xen-b" ] || fail "a UUID in capitals: $OUT"
check 1 "xvm-search: -web1: not found on any of 2 hosts" "$X" -i "$I" -- -web1 web1

# --- -t bounds the whole run ---------------------------------------------------------------
start=$(date +%s)
run "$X" -i "$POOL/degraded.ini" -t 1 mail1
cases=$((cases + 1))
[ "$RC" = 69 ] || fail "a hung host cut short: exit $RC: $ERR"
case "$ERR" in
"xvm-search: host xen-hung: no answer within "*" ms, when the check ran out of time
xvm-search: mail1: not found (1 of 4 hosts did not answer)") ;;
*) fail "a hung host cut short: $ERR" ;;
esac
checks=$((checks + 1))
[ $(($(date +%s) - start)) -le 5 ] || fail "-t 1 with a hung host took too long"
# a reader that never reads: the answer cannot be written, -t ends the run
names=$(for i in $(seq 12000); do printf 'web1 '; done)
rm -f "$WORK/rc"
start=$(date +%s)
{ rc=0; "$X" -i "$I" -t 2 $names 2>"$WORK/err" || rc=$?; echo $rc >"$WORK/rc"; } | sleep 8
cases=$((cases + 1))
[ "$(cat "$WORK/rc")" = 75 ] || fail "a stalled reader: exit $(cat "$WORK/rc"): $(cat "$WORK/err")"
[ "$(cat "$WORK/err")" = "xvm-search: out of time (-t 2s) while writing the answer" ] ||
	fail "a stalled reader: $(cat "$WORK/err")"
# a hung file system under the inventory and under a VM repository
if hang_fs_start "$WORK/mnt"; then
	M=$WORK/mnt
	start=$(date +%s)
	check 75 "xvm-search: out of time (-t 2s) while reading the inventory '$M/hang.ini'" "$X" -i "$M/hang.ini" -t 2 web1
	checks=$((checks + 1))
	[ $(($(date +%s) - start)) -le 6 ] || fail "-t 2 with a hung inventory took too long"
	inv "[pool p]\nvm_repository = $M/repo\n$H" p
	check 75 "xvm-search: out of time (-t 1500ms) while reading the inventory '$WORK/i.ini'" "$X" -i "$WORK/i.ini" -t 1500ms web1
	hang_fs_stop
else
	echo "# the hung file system cases are not run"
fi

[ "$cases" -ge 30 ] || fail "only $cases cases"
printf 'ok: %d hostile cases\n' "$cases"
done_testing
