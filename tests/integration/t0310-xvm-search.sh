#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvm-search: "vm host" lines in the order asked, clear messages for names
# not found and hosts that did not answer, sysexits-style exit codes.
. "$TOP/tests/integration/lib.sh"
X=contrib/xvm-search
POOL=$DATA/pool

run $X -i $POOL/healthy.ini db2 web1
[ "$RC" = 0 ] || fail "exit $RC"
[ "$OUT" = "db2 xen-b
web1 xen-a" ] || fail "output: $OUT"
[ -z "$ERR" ] || fail "stderr: $ERR"

run $X -i $POOL/healthy.ini -l batch1
[ "$RC" = 0 ] && [ "$OUT" = "batch1 xen-b 3 paused" ] || fail "-l: $RC $OUT"

# split brain: one line per host; a hung host is named on stderr but does
# not change the exit status when every name was found
run $X -i $POOL/degraded.ini web1
[ "$RC" = 0 ] || fail "exit $RC"
[ "$OUT" = "web1 xen-a
web1 xen-c" ] || fail "output: $OUT"
[ "$ERR" = "xvm-search: host xen-hung: no answer within 1000 ms" ] || fail "stderr: $ERR"

# not found, all hosts answered: 1
run $X -i $POOL/healthy.ini web1 ghost
[ "$RC" = 1 ] || fail "exit $RC"
[ "$OUT" = "web1 xen-a" ] || fail "output: $OUT"
[ "$ERR" = "xvm-search: ghost: not found on any of 2 hosts" ] || fail "stderr: $ERR"

# not found while a host did not answer: 69 (EX_UNAVAILABLE), it may be there
run $X -i $POOL/degraded.ini mail1
[ "$RC" = 69 ] || fail "exit $RC"
[ "$ERR" = "xvm-search: host xen-hung: no answer within 1000 ms
xvm-search: mail1: not found (1 of 4 hosts did not answer)" ] || fail "stderr: $ERR"

# by UUID (sim derives stable UUIDs from names), and one pool only
uuid=$(plugins/check_xen_vm -s sim:$POOL/xen-b.sim -n db2 -v | sed -n 's/^uuid \([^,]*\),.*/\1/p')
run $X -i $POOL/two-pools.ini -p prod web1
[ "$RC" = 0 ] && [ "$OUT" = "web1 xen-a" ] || fail "-p prod: $RC $OUT $ERR"
run $X -i $POOL/healthy.ini "$uuid"
[ "$RC" = 0 ] && [ "$OUT" = "$uuid xen-b" ] || fail "uuid $uuid: $RC $OUT $ERR"

# usage and inventory errors
run $X -i $POOL/healthy.ini
[ "$RC" = 64 ] || fail "no names: exit $RC"
run $X -i $POOL/nope.ini web1
[ "$RC" = 66 ] || fail "missing inventory: exit $RC"
[ "$ERR" = "xvm-search: cannot open '$POOL/nope.ini': No such file or directory" ] || fail "stderr: $ERR"
printf '[pool p]\nparallel = lots\n' >$WORK/bad.ini
run $X -i $WORK/bad.ini web1
[ "$RC" = 65 ] || fail "bad inventory: exit $RC"
[ "$ERR" = "xvm-search: $WORK/bad.ini:2: parallel: 'lots' is not a number from 1 to 4096" ] || fail "stderr: $ERR"
run $X -i $POOL/healthy.ini -p nope web1
[ "$RC" = 64 ] || fail "unknown pool: exit $RC"
run $X -i $POOL/healthy.ini -P 0 web1
[ "$RC" = 64 ] || fail "-P 0: exit $RC"
run env XVMON_INVENTORY=$POOL/healthy.ini $X web2
[ "$RC" = 0 ] && [ "$OUT" = "web2 xen-a" ] || fail "XVMON_INVENTORY: $RC $OUT $ERR"
checks=$((checks + 14))

done_testing
