#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvm-stop on sim: scenarios: the scenario's state after each action (clean
# shutdown, a guest that ignores it, --force, --destroy, pause/unpause), split
# brain refused unless -H, not found vs hosts that did not answer, exit codes.
. "$TOP/tests/integration/lib.sh"
X=contrib/xvm-stop

setup() {
	cp $DATA/pool/xen-a.sim $DATA/pool/xen-b.sim $DATA/pool/xen-c.sim $DATA/pool/hang.sim $WORK/
	cat >>$WORK/xen-b.sim <<'EOS'

[domain stubborn]
id = 9
state = blocked
memory = 1G
ignore_shutdown = yes
EOS
	cat >$WORK/pool.ini <<'EOS'
[pool prod]
timeout = 2s

[host xen-a]
pool = prod
source = sim:xen-a.sim

[host xen-b]
pool = prod
source = sim:xen-b.sim
EOS
	cat >$WORK/split.ini <<'EOS'
[pool prod]
timeout = 1s

[host xen-a]
pool = prod
source = sim:xen-a.sim

[host xen-c]
pool = prod
source = sim:xen-c.sim

[host xen-hung]
pool = prod
source = sim:hang.sim
EOS
}
setup
state() { # state SIMFILE DOMAIN: the domain's state line, or "absent"
	awk -v d="[domain $2]" '$0 == d {s = 1; next} /^\[/ {s = 0} s && /^state/ {sub(/^state = /, ""); print; f = 1} END {if (!f) print "absent"}' "$1"
}
free_mem() { sed -n 's/^free_memory = //p' "$1"; }

# a clean shutdown: the domain leaves the scenario and its memory returns
[ "$(free_mem $WORK/xen-a.sim)" = 16G ] || fail "setup"
run $X -i $WORK/pool.ini -w 5 web2
[ "$RC" = 0 ] || fail "stop web2: exit $RC $ERR"
case $OUT in "web2: shut down on xen-a in "*" s") ;; *) fail "stop web2: $OUT" ;; esac
[ -z "$ERR" ] || fail "stderr: $ERR"
[ "$(state $WORK/xen-a.sim web2)" = absent ] || fail "web2 still in the scenario"
[ "$(free_mem $WORK/xen-a.sim)" = 20G ] || fail "free memory not returned: $(free_mem $WORK/xen-a.sim)"
checks=$((checks + 4))

# a guest that ignores the shutdown: 75 after the wait, still there
run $X -i $WORK/pool.ini -w 500ms stubborn
[ "$RC" = 75 ] || fail "stubborn: exit $RC"
[ "$ERR" = "xvm-stop: stubborn on xen-b: 'stubborn' did not shut down within 500 ms (-f destroys it)" ] || fail "stderr: $ERR"
[ "$(state $WORK/xen-b.sim stubborn)" = blocked ] || fail "stubborn changed"
# --force: destroyed after the wait
run $X -i $WORK/pool.ini -w 300ms --force stubborn
[ "$RC" = 0 ] && [ "$OUT" = "stubborn: did not shut down within 0.3 s on xen-b; destroyed" ] || fail "--force: $RC $OUT $ERR"
[ "$(state $WORK/xen-b.sim stubborn)" = absent ] || fail "stubborn not destroyed"
checks=$((checks + 4))

# pause, unpause, destroy at once; a paused guest ignores a shutdown
run $X -i $WORK/pool.ini --pause db2
[ "$RC" = 0 ] && [ "$OUT" = "db2: paused on xen-b" ] || fail "--pause: $RC $OUT $ERR"
[ "$(state $WORK/xen-b.sim db2)" = paused ] || fail "db2 state: $(state $WORK/xen-b.sim db2)"
run $X -i $WORK/pool.ini -w 300ms db2
[ "$RC" = 75 ] || fail "paused db2 stopped: $RC"
run $X -i $WORK/pool.ini --unpause db2
[ "$RC" = 0 ] && [ "$(state $WORK/xen-b.sim db2)" = running ] || fail "--unpause: $RC $ERR"
run $X -i $WORK/pool.ini --destroy db2
[ "$RC" = 0 ] && [ "$OUT" = "db2: destroyed on xen-b" ] && [ "$(state $WORK/xen-b.sim db2)" = absent ] ||
	fail "--destroy: $RC $OUT $ERR"
checks=$((checks + 5))

# dry run changes nothing
run $X -i $WORK/pool.ini -n -f -w 10 web1
[ "$RC" = 0 ] && [ "$OUT" = "would shut down web1 on xen-a, waiting 10000 ms, then destroy it" ] || fail "-n: $OUT"
[ "$(state $WORK/xen-a.sim web1)" = running ] || fail "-n changed web1"
checks=$((checks + 2))

# split brain: web1 on xen-a and xen-c; refused, then done on the named host
run $X -i $WORK/split.ini web1
[ "$RC" = 64 ] || fail "split brain: exit $RC"
[ "$ERR" = "xvm-stop: host xen-hung: no answer within 1000 ms
xvm-stop: web1: found on 2 hosts (xen-a, xen-c): split brain; name the host with -H" ] || fail "stderr: $ERR"
[ "$(state $WORK/xen-a.sim web1)" = running ] && [ "$(state $WORK/xen-c.sim web1)" != absent ] || fail "split brain touched"
run $X -i $WORK/split.ini -H xen-c web1
[ "$RC" = 0 ] && [ "$(state $WORK/xen-c.sim web1)" = absent ] && [ "$(state $WORK/xen-a.sim web1)" = running ] ||
	fail "-H xen-c: $RC $OUT $ERR"
checks=$((checks + 4))

# not found: 1 when every host answered, 69 when one did not (it may be there)
run $X -i $WORK/pool.ini ghost
[ "$RC" = 1 ] && [ "$ERR" = "xvm-stop: ghost: not found on any of 2 hosts" ] || fail "ghost: $RC $ERR"
run $X -i $WORK/split.ini ghost
[ "$RC" = 69 ] && [ "$ERR" = "xvm-stop: host xen-hung: no answer within 1000 ms
xvm-stop: ghost: not found (1 of 3 hosts did not answer)" ] || fail "ghost, hung host: $RC $ERR"
checks=$((checks + 2))

# hostile names never reach a shell; Domain-0 is refused
run $X -i $WORK/pool.ini 'x;touch pwned'
[ "$RC" = 1 ] && [ ! -e pwned ] && [ ! -e $WORK/pwned ] || fail "hostile name: $RC"
run $X -i $WORK/pool.ini -H xen-a --destroy Domain-0
[ "$RC" = 64 ] || fail "Domain-0: exit $RC $ERR"
[ "$ERR" = "xvm-stop: cannot destroy Domain-0 on xen-a: sim:$WORK/xen-a.sim: refusing to act on domain 0 (Domain-0)" ] || fail "Domain-0: $ERR"
checks=$((checks + 2))

# usage
run $X -i $WORK/pool.ini
[ "$RC" = 64 ] || fail "no name: $RC"
run $X -i $WORK/pool.ini a b
[ "$RC" = 64 ] || fail "two names: $RC"
run $X -i $WORK/pool.ini --pause --destroy web1
[ "$RC" = 64 ] || fail "two actions: $RC"
run $X -i $WORK/pool.ini -w forever web1
[ "$RC" = 64 ] && [ "$(printf '%s\n' "$ERR" | head -1)" = "xvm-stop: -w takes a duration like 30, 500ms or 2m (got 'forever')" ] || fail "-w: $RC $ERR"
run $X -i $WORK/pool.ini -H nope web1
[ "$RC" = 64 ] && [ "$ERR" = "xvm-stop: no host 'nope' in $WORK/pool.ini" ] || fail "-H nope: $RC $ERR"
checks=$((checks + 5))
done_testing
