#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-sls against hostile input, one case a line (exit status and first
# line on stderr): options, inventories that are garbage, ambiguous, not
# regular files, too large or on a hung file system, VM repositories with
# FIFOs and dangling links, pools whose feed file names collide, output
# directories that are not directories, stale temporaries; -t bounds the
# whole run, reads that block included.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/hang-fs.sh"
S=$TOP/sls/xvmon-sls
# the source schemes this build knows, as every program lists them
SCHEMES=$("$TOP/plugins/check_xen_host" -V | sed 's/.*sources: \(.*\))$/\1/')
POOL=$TOP/$DATA/pool
[ -x "$S" ] || skip "sls/xvmon-sls not built (libxml2 missing)"

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

# checkp CODE 'SHELL PATTERN' CMD...: the same, for a line with a measured part
checkp() {
	code=$1 pattern=$2
	shift 2
	cases=$((cases + 1))
	run "$@"
	first=$(printf '%s\n' "$ERR" | head -n 1)
	[ "$RC" = "$code" ] || fail "case $cases: $*: exit $RC, expected $code; stderr: $ERR"
	case "$first" in
	$pattern) ;;
	*) fail "case $cases: $*: stderr '$first' does not match '$pattern'" ;;
	esac
}

D=$WORK/feeds && mkdir "$D"
cp "$POOL"/*.sim "$WORK/"
I=$POOL/healthy.ini
# inv 'FORMAT' [ARG...]: an inventory in $WORK/i.ini (printf), sims beside it
inv() {
	fmt=$1
	shift
	printf "$fmt" "$@" >"$WORK/i.ini"
}
H='[host xen-a]\npool = %s\nsource = sim:xen-a.sim\n'

# --- options -----------------------------------------------------------------
USE="xvmon-sls: -t takes a duration from 1ms to 1h, like 30 or 500ms"
check 64 "$USE: '0'" "$S" -i "$I" -o "$D" -t 0
check 64 "$USE: '2h'" "$S" -i "$I" -o "$D" -t 2h
check 64 "$USE: '-1'" "$S" -i "$I" -o "$D" -t -1
check 64 "$USE: '1x'" "$S" -i "$I" -o "$D" -t 1x
check 64 "$USE: ''" "$S" -i "$I" -o "$D" -t ''
check 64 "$USE: '99999999999999999999'" "$S" -i "$I" -o "$D" -t 99999999999999999999
check 64 "xvmon-sls: -P takes a number from 1 to 4096: '4097'" "$S" -i "$I" -o "$D" -P 4097
check 64 "xvmon-sls: -P takes a number from 1 to 4096: '-1'" "$S" -i "$I" -o "$D" -P -1
check 64 "xvmon-sls: unknown format 'XML': xsls, legacy or json" "$S" -i "$I" -o "$D" --format XML
TH="xvmon-sls: --thresholds takes three percentages from high to low, like 99,90,50"
check 64 "$TH: '90,99,50'" "$S" -i "$I" -o "$D" --format legacy --thresholds 90,99,50
check 64 "$TH: '99,90'" "$S" -i "$I" -o "$D" --format legacy --thresholds 99,90
check 64 "$TH: '101,90,50'" "$S" -i "$I" -o "$D" --format legacy --thresholds 101,90,50
check 64 "$TH: '99,90,50,10'" "$S" -i "$I" -o "$D" --format legacy --thresholds 99,90,50,10
check 64 "xvmon-sls: --thresholds, --refresh and --validity belong to --format legacy" "$S" -i "$I" -o "$D" --thresholds 99,90,50
check 64 "xvmon-sls: --refresh takes a duration from 1s to 7d, like 300, 5m or 1h: '0'" "$S" -i "$I" -o "$D" --format legacy --refresh 0
check 64 "xvmon-sls: --refresh takes a duration from 1s to 7d, like 300, 5m or 1h: '8d'" "$S" -i "$I" -o "$D" --format legacy --refresh 8d
check 64 "xvmon-sls: --validity must be at least --refresh: an update would expire before the next one" "$S" -i "$I" -o "$D" --format legacy --refresh 5m --validity 1m
ID="is not a valid SLS id: 1 to 200 letters, digits, '.', '-' or '_'"
check 64 "xvmon-sls: --id '' $ID" "$S" -i "$I" -o "$D" --id ''
check 64 "xvmon-sls: --id '../etc/x' $ID" "$S" -i "$I" -o "$D" --id ../etc/x
long=$(printf 'i%.0s' $(seq 201))
check 64 "xvmon-sls: --id '$long' $ID" "$S" -i "$I" -o "$D" --id "$long"
check 64 "xvmon-sls: --id 'a?b' $ID" "$S" -i "$I" -o "$D" --id "a
b"
check 64 "xvmon-sls: --id 'a?[31mb' $ID" "$S" -i "$I" -o "$D" --id "$(printf 'a\033[31mb')"
check 64 "xvmon-sls: unexpected argument 'extra'" "$S" -i "$I" -o "$D" extra
check 64 "xvmon-sls: unknown option '--frobnicate'" "$S" -i "$I" -o "$D" --frobnicate
check 64 "xvmon-sls: option '-t' needs a value" "$S" -i "$I" -o "$D" -t

# --- inventories that are not regular files, or too large ----------------------
mkfifo "$WORK/fifo.ini"
check 66 "xvmon-sls: cannot read '$WORK/fifo.ini': it is a FIFO, not a regular file" "$S" -i "$WORK/fifo.ini" -o "$D"
check 66 "xvmon-sls: cannot read '$WORK': it is a directory, not a regular file" "$S" -i "$WORK" -o "$D"
check 66 "xvmon-sls: cannot read '/dev/zero': it is a character device, not a regular file" "$S" -i /dev/zero -o "$D"
ln -s "$WORK/nothing" "$WORK/dangling.ini"
check 66 "xvmon-sls: cannot open '$WORK/dangling.ini': it is a dangling symbolic link" "$S" -i "$WORK/dangling.ini" -o "$D"
truncate -s 65M "$WORK/huge.ini"
check 65 "xvmon-sls: '$WORK/huge.ini' is 68157440 bytes, over the limit of 67108864" "$S" -i "$WORK/huge.ini" -o "$D"
XVMON_INVENTORY=$WORK/fifo.ini check 66 "xvmon-sls: cannot read '$WORK/fifo.ini': it is a FIFO, not a regular file" "$S" -o "$D"

# --- inventories: garbage and ambiguity ------------------------------------------
inv ''
check 65 "xvmon-sls: $WORK/i.ini:1: no [pool NAME] section" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p]\nvm = a\000b\n'
check 65 "xvmon-sls: $WORK/i.ini:2: NUL byte in file (is it a text file?)" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p]\nvm = a\n  vm = b\n'
check 65 "xvmon-sls: $WORK/i.ini:3: indented line (xvmon files have no continuation lines: remove the leading blanks)" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p]\nvm = "a\n'
check 65 "xvmon-sls: $WORK/i.ini:2: unbalanced double quote in the value of 'vm'" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p] x\nvm = a\n'
check 65 "xvmon-sls: $WORK/i.ini:1: text after the section header" "$S" -i "$WORK/i.ini" -o "$D"
inv "[pool $(printf 'p%.0s' $(seq 60))]\nvm = a\n"
check 65 "xvmon-sls: $WORK/i.ini:1: section name longer than 49 characters" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p]\ncolour = red\n'
check 65 "xvmon-sls: $WORK/i.ini:2: unknown key 'colour' in [pool p]" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p]\nvm = Domain-0\n'
check 65 "xvmon-sls: $WORK/i.ini:2: vm: 'Domain-0' is the control domain of every host, not a VM of the pool" "$S" -i "$WORK/i.ini" -o "$D"
inv "[pool p]\nvm = web1\ntimeout = 0\n$H" p
check 65 "xvmon-sls: $WORK/i.ini:3: timeout: '0' is not a duration from 1ms to 1h, like 5s or 500ms (number out of range)" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p]\nvm = web1\n[host xen-a]\npool = p\nsource = foo:bar\n'
check 78 "xvmon-sls: $WORK/i.ini:5: source: unknown source scheme in 'foo:bar' (this build knows: $SCHEMES)" "$S" -i "$WORK/i.ini" -o "$D"
inv '\357\273\277[pool p]\nvm = web1\n[host xen-a]\npool = p\nsource = sim:xen-a.sim\n'
check 0 "" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p\377]\nvm = web1\n'
check 65 "xvmon-sls: pool 'p$(printf '\377')': 'p$(printf '\377')' is not a valid SLS id (1 to 200 letters, digits, '.', '-' or '_'): set sls_id in $WORK/i.ini" "$S" -i "$WORK/i.ini" -o "$D"
inv '[pool p]\nsls_id = p/../../x\nvm = web1\n'
check 65 "xvmon-sls: pool 'p': 'p/../../x' is not a valid SLS id (1 to 200 letters, digits, '.', '-' or '_'): set sls_id in $WORK/i.ini" "$S" -i "$WORK/i.ini" -o "$D"

# --- feed file names that collide ----------------------------------------------------
inv "[pool X_vm]\nvm = web1\n[pool X]\nvm = db1\n$H" X_vm
check 65 "xvmon-sls: pools 'X_vm' and 'X' both write 'X_vm.xml': give each its own sls_id in $WORK/i.ini" "$S" -i "$WORK/i.ini" -o "$D"
[ -z "$(ls "$D" | grep '^X')" ] || fail "a colliding pool wrote feeds"
check 65 "xvmon-sls: pools 'X_vm' and 'X' both write 'X_vm.json': give each its own sls_id in $WORK/i.ini" "$S" -i "$WORK/i.ini" -o "$D" --format json
inv "[pool X]\nvm = db1\n[pool X_pm]\nvm = web1\n$H" X
check 65 "xvmon-sls: pools 'X' and 'X_pm' both write 'X_pm.xml': give each its own sls_id in $WORK/i.ini" "$S" -i "$WORK/i.ini" -o "$D"
inv "[pool a]\nsls_id = Y\nvm = db1\n[pool b]\nsls_id = Y_vm\nvm = web1\n$H" a
check 65 "xvmon-sls: pools 'a' and 'b' both write 'Y_vm.xml': give each its own sls_id in $WORK/i.ini" "$S" -i "$WORK/i.ini" -o "$D"
inv "[pool a]\nvm = db1\n[pool b]\nsls_id = a_vm\nvm = web1\n[pool c]\nsls_id = a_pm\nvm = web2\n$H" a
check 65 "xvmon-sls: pools 'a' and 'b' both write 'a_vm.xml': give each its own sls_id in $WORK/i.ini" "$S" -i "$WORK/i.ini" -o "$D"
inv "[pool a]\nsls_id = Z\nvm = db1\n[pool b]\nsls_id = Z\nvm = web1\n$H" a
check 65 "xvmon-sls: pools 'a' and 'b' both publish as 'Z': give each its own sls_id in $WORK/i.ini" "$S" -i "$WORK/i.ini" -o "$D"
# one pool of a colliding pair exported alone: nothing collides
inv "[pool X_vm]\nvm = web1\n[pool X]\nvm = db1\n$H" X_vm
check 0 "" "$S" -i "$WORK/i.ini" -o "$D" -p X_vm
same_files() {
	checks=$((checks + 1))
	[ "$(cd "$D" && ls X* | tr '\n' ' ')" = "$1" ] || fail "files: $(ls "$D")"
}
same_files "X_vm.xml X_vm_pm.xml X_vm_vm.xml "
rm -f "$D"/*

# --- VM repositories ------------------------------------------------------------------
R=$WORK/repo && mkdir -p "$R/vm1" "$R/vm2"
printf 'name = "web1"\n' >"$R/vm1/vm.cfg"
mkfifo "$R/vm2/vm.cfg"
printf "[pool p]\nvm_repository = $R\n$H" p >"$WORK/i.ini"
check 66 "xvmon-sls: $WORK/i.ini:2: vm_repository: cannot read '$R/vm2/vm.cfg': it is a FIFO, not a regular file" "$S" -i "$WORK/i.ini" -o "$D"
rm "$R/vm2/vm.cfg" && ln -s /dev/zero "$R/vm2/vm.cfg"
check 66 "xvmon-sls: $WORK/i.ini:2: vm_repository: cannot read '$R/vm2/vm.cfg': it is a character device, not a regular file" "$S" -i "$WORK/i.ini" -o "$D"
rm "$R/vm2/vm.cfg" && ln -s "$R/gone" "$R/vm2/vm.cfg"
check 66 "xvmon-sls: $WORK/i.ini:2: vm_repository: cannot open '$R/vm2/vm.cfg': it is a dangling symbolic link" "$S" -i "$WORK/i.ini" -o "$D"
rm "$R/vm2/vm.cfg" && printf 'name = "web2\n' >"$R/vm2/vm.cfg"
check 65 "xvmon-sls: $WORK/i.ini:2: vm_repository: $R/vm2/vm.cfg:1: the name's closing quote is missing" "$S" -i "$WORK/i.ini" -o "$D"
rm -r "$R/vm2"
mkfifo "$WORK/repofifo"
printf "[pool p]\nvm_repository = $WORK/repofifo\n$H" p >"$WORK/i.ini"
check 66 "xvmon-sls: $WORK/i.ini:2: vm_repository: cannot scan VM repository '$WORK/repofifo': Not a directory" "$S" -i "$WORK/i.ini" -o "$D"

# --- output directories -----------------------------------------------------------------
check 73 "xvmon-sls: output directory '': No such file or directory" "$S" -i "$I" -o ""
check 73 "xvmon-sls: output directory '$WORK/none': No such file or directory" "$S" -i "$I" -o "$WORK/none"
check 73 "xvmon-sls: output directory '$WORK/fifo.ini': not a directory" "$S" -i "$I" -o "$WORK/fifo.ini"
check 73 "xvmon-sls: output directory '/dev/null': not a directory" "$S" -i "$I" -o /dev/null
# a feed name taken by a FIFO: replaced by the rename, never opened
mkfifo "$D/prod_vm.xml"
check 0 "" "$S" -i "$I" -o "$D"
checks=$((checks + 1))
[ -f "$D/prod_vm.xml" ] || fail "the FIFO was not replaced by the feed"
# stale temporaries: a dead writer's are removed, a live writer's, a link
# and a directory with such names are left alone
sh -c 'exit 0' &
dead=$!
wait $dead
: >"$D/.prod.xml.$dead.abcdef.tmp"
: >"$D/.prod.xml.$$.abcdef.tmp"
ln -s /etc/hostname "$D/.other.xml.$dead.abcdef.tmp"
mkdir "$D/.dir.$dead.abcdef.tmp"
check 0 "" "$S" -i "$I" -o "$D"
checks=$((checks + 1))
[ "$(ls -A "$D" | tr '\n' ' ')" = ".dir.$dead.abcdef.tmp .other.xml.$dead.abcdef.tmp .prod.xml.$$.abcdef.tmp prod.xml prod_pm.xml prod_vm.xml " ] ||
	fail "after the sweep: $(ls -A "$D")"
[ -s /etc/hostname ] || [ ! -e /etc/hostname ] || fail "a link was followed"
rm -rf "$D"/.??* "$D"/*

# --- -t bounds the whole run ---------------------------------------------------------------
# a host that hangs: the poll ends a tenth before -t, nothing is published
start=$(date +%s)
checkp 75 "xvmon-sls: pool 'prod': 1 of 4 hosts were cut short by -t (xen-hung: no answer within [0-9]* ms, when the check ran out of time): feeds left unchanged" "$S" -i "$POOL/degraded.ini" -o "$D" -t 1
checks=$((checks + 1))
[ $(($(date +%s) - start)) -le 5 ] || fail "-t 1 with a hung host took $(($(date +%s) - start)) s"
[ "$(ls "$D")" = "" ] || fail "feeds written after a cut poll"
# a hung file system under the inventory, under a VM repository
if hang_fs_start "$WORK/mnt"; then
	M=$WORK/mnt
	start=$(date +%s)
	check 75 "xvmon-sls: out of time (-t 2s) while reading the inventory '$M/hang.ini'" "$S" -i "$M/hang.ini" -o "$D" -t 2
	elapsed=$(($(date +%s) - start))
	checks=$((checks + 1))
	[ "$elapsed" -le 6 ] || fail "-t 2 with a hung inventory took $elapsed s"
	printf "[pool p]\nvm_repository = $M/repo\n$H" p >"$WORK/i.ini"
	check 75 "xvmon-sls: out of time (-t 1500ms) while reading the inventory '$WORK/i.ini'" "$S" -i "$WORK/i.ini" -o "$D" -t 1500ms
	[ "$(ls "$D")" = "" ] || fail "feeds written after the deadline"
	hang_fs_stop
else
	echo "# the hung file system cases are not run"
fi

[ "$cases" -ge 50 ] || fail "only $cases cases"
printf 'ok: %d hostile cases\n' "$cases"
done_testing
