#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-sls options and exit codes (sysexits): usage 64, bad inventory 65,
# no inventory 66, ids that break the schema's singleId pattern refused
# before anything is polled or written, the most serious code of several
# pools, -v output.
. "$TOP/tests/integration/lib.sh"
S=sls/xvmon-sls
POOL=$DATA/pool
[ -x $S ] || skip "sls/xvmon-sls not built (libxml2 missing)"

same() {
	checks=$((checks + 1))
	[ "$1" = "$2" ] || fail "differ:
expected: $1
got:      $2"
}

# status CODE FIRST-STDERR-LINE: the last run's exit status and first line
# on stderr; nothing on stdout
status() {
	same "$1" "$RC"
	same "$2" "$(printf '%s\n' "$ERR" | head -n 1)"
	same "" "$OUT"
}

D=$WORK/feeds && mkdir $D
cp $POOL/*.sim $WORK/

run $S --help
same "0" "$RC"
contains "usage: xvmon-sls [-i INVENTORY] [-p POOL] -o DIR"
contains "75 no host of a pool answered,"
contains "its feeds left unchanged, or the run was out of time (-t)."
run $S --version
same "0" "$RC"
same "xvmon-sls $(cat VERSION) (xvmon)" "$OUT"

run $S -i $POOL/healthy.ini
status 64 "xvmon-sls: no output directory: give one with -o DIR"
run $S -i $POOL/healthy.ini -o $D --format xml
status 64 "xvmon-sls: unknown format 'xml': xsls, legacy or json"
run $S -i $POOL/healthy.ini -o $D -t 10x
status 64 "xvmon-sls: -t takes a duration from 1ms to 1h, like 30 or 500ms: '10x'"
run $S -i $POOL/healthy.ini -o $D -P 0
status 64 "xvmon-sls: -P takes a number from 1 to 4096: '0'"
run $S -i $POOL/healthy.ini -o $D --bogus
status 64 "xvmon-sls: unknown option '--bogus'"
run $S -i $POOL/healthy.ini -o $D extra
status 64 "xvmon-sls: unexpected argument 'extra'"
run $S -i $POOL/healthy.ini -o
status 64 "xvmon-sls: option '-o' needs a value"
run $S -i $POOL/two-pools.ini -o $D -p nope
status 64 "xvmon-sls: no pool 'nope' in $POOL/two-pools.ini"
run $S -i $POOL/two-pools.ini -o $D --id X
status 64 "xvmon-sls: --id names one feed: choose its pool with -p ($POOL/two-pools.ini has 2 pools)"
run $S -i $POOL/healthy.ini -o $D --id 'bad id'
status 64 "xvmon-sls: --id 'bad id' is not a valid SLS id: 1 to 200 letters, digits, '.', '-' or '_'"
run $S -i $WORK/nonexistent.ini -o $D
same "66" "$RC"
printf '[pool p]\n[host h]\npool = q\nsource = xen:\n' >$WORK/bad.ini
run $S -i $WORK/bad.ini -o $D
status 65 "xvmon-sls: $WORK/bad.ini:3: pool: 'q' is not defined (no [pool q] section)"
# XVMON_INVENTORY is the default inventory
XVMON_INVENTORY=$WORK/bad.ini run $S -o $D
same "65" "$RC"

# ids: a pool name that is no SLS id needs sls_id; two pools may not share
# one; both are found before anything is polled or written
printf '[pool my pool]\nvm = web1\n[host xen-a]\npool = my pool\nsource = sim:xen-a.sim\n[pool ok]\nvm = db1\n' >$WORK/ids.ini
run $S -i $WORK/ids.ini -o $D
status 65 "xvmon-sls: pool 'my pool': 'my pool' is not a valid SLS id (1 to 200 letters, digits, '.', '-' or '_'): set sls_id in $WORK/ids.ini"
printf '[pool a]\nsls_id = X\nvm = web1\n[pool b]\nsls_id = X\nvm = db1\n[pool c]\nsls_id = x<y\nvm = db2\n' >$WORK/dup.ini
run $S -i $WORK/dup.ini -o $D
status 65 "xvmon-sls: pools 'a' and 'b' both publish as 'X': give each its own sls_id in $WORK/dup.ini"
run $S -i $WORK/dup.ini -o $D -p c
status 65 "xvmon-sls: pool 'c': 'x<y' is not a valid SLS id (1 to 200 letters, digits, '.', '-' or '_'): set sls_id in $WORK/dup.ini"
same "" "$(ls $D)"
# --id rescues a pool whose name is no id
run $S -i $WORK/ids.ini -o $D -p 'my pool' --id MyPool -q
same "0" "$RC"
same "MyPool.xml MyPool_pm.xml MyPool_vm.xml" "$(cd $D && echo *)"
rm -f $D/*

# several pools: each is exported; the exit status is the most serious
# (an empty pool, 65, outranks a pool whose hosts did not answer, 75)
{
	printf '[pool good]\nvm = web1\n[host xen-a]\npool = good\nsource = sim:xen-a.sim\n'
	printf '[pool dead]\nvm = x\n[host gone]\npool = dead\nsource = sim:/nonexistent/gone.sim\n'
	printf '[pool empty]\n'
} >$WORK/three.ini
run $S -i $WORK/three.ini -o $D -v
same "65" "$RC"
same "xvmon-sls: pool 'dead': no host answered (gone: cannot open '/nonexistent/gone.sim': No such file or directory): feeds left unchanged (--publish-unavailable publishes them as unavailable)
xvmon-sls: pool 'empty' expects no hosts and no VMs: nothing to publish (check $WORK/three.ini)" "$ERR"
same "$D/good_vm.xml: available, availability 100.0%
$D/good_pm.xml: available, availability 100.0%
$D/good.xml: available, availability 100.0%" "$OUT"
run $S -i $WORK/three.ini -o $D -p dead
same "75" "$RC"
run $S -i $WORK/three.ini -o $D -p dead --publish-unavailable -v
same "0" "$RC"
same "xvmon-sls: pool 'dead': no host answered (gone: cannot open '/nonexistent/gone.sim': No such file or directory): publishing it as unavailable" "$ERR"
same "$D/dead_vm.xml: unavailable
$D/dead_pm.xml: unavailable
$D/dead.xml: unavailable" "$OUT"

# -t bounds the whole poll.  A hung host whose own deadline (60 s) is longer
# than -t was never given its time: nothing is measured, the feeds stay as
# they were (75), and the message says what to change.
sed 's/^timeout = 1s$/timeout = 60s/' $POOL/degraded.ini >$WORK/slow.ini
run $S -i $POOL/degraded.ini -o $D
same "0" "$RC"
cp $D/prod.xml $WORK/prod.before
start=$(date +%s)
run $S -i $WORK/slow.ini -o $D -t 1
same "75" "$RC"
checks=$((checks + 1))
[ $(($(date +%s) - start)) -le 10 ] || fail "-t 1 with a hung host took $(($(date +%s) - start)) s"
case "$ERR" in
"xvmon-sls: pool 'prod': 1 of 4 hosts were cut short by -t (xen-hung: no answer within "*"when the check ran out of time): feeds left unchanged") ;;
*) fail "stderr: $ERR" ;;
esac
cmp -s $D/prod.xml $WORK/prod.before || fail "a poll cut short by -t replaced the feeds"
# Within -t, the hung host is down after its own deadline (1 s).
run $S -i $POOL/degraded.ini -o $D -t 5
same "0" "$RC"
contains_file() {
	checks=$((checks + 1))
	grep -q "$1" "$2" || fail "$2 lacks '$1'"
}
contains_file "xen-hung (no answer within 1000 ms" $D/prod_pm.xml

done_testing
