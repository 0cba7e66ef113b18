#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvm-create on sim: scenarios: placement by headroom, the VM created paused,
# hooks run in order with NAME HOST MAC (recorded by the hooks themselves),
# then started; post-install hooks after the delay; a failing hook stops the
# sequence and says where; unsafe hook directories refused; names with shell
# metacharacters never reach a shell; --dry-run changes nothing.
. "$TOP/tests/integration/lib.sh"
X=contrib/xvm-create
umask 022

cp $DATA/pool/xen-a.sim $DATA/pool/xen-b.sim $DATA/pool/hang.sim $WORK/
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
sed 's/^\[host xen-b\]/[host xen-hung]/; s/xen-b.sim/hang.sim/' $WORK/pool.ini >$WORK/hung.ini
section() { awk -v d="[domain $2]" '$0 == d {s = 1; print; next} /^\[/ {s = 0} s && NF' "$1"; }
free_mem() { sed -n 's/^free_memory = //p' "$1"; }

# hooks that record their argv, one per line, and what the VM's state was
H=$WORK/hooks
mkdir -p $H/post-install.d
for hook in 10-landb 20-quattor post-install.d/10-prepare; do
	cat >$H/$hook <<EOS
#!/bin/sh
{ printf '%s' "\$(basename "\$0")"; for a in "\$@"; do printf ' [%s]' "\$a"; done; echo; } >>$WORK/hook.log
EOS
	chmod 755 $H/$hook
done
printf 'not a hook\n' >$H/README            # not executable: passed over
printf '#!/bin/sh\nexit 9\n' >$H/30-bad.sh && chmod 755 $H/30-bad.sh   # name with a dot: passed over (run-parts)

cat >$WORK/web9.cfg <<'EOS'
# a new guest
name = "web9"
memory = 2048
maxmem = 4096
vcpus = 2
vif = [ 'bridge=xenbr0', 'mac=00:16:3e:0a:0b:0c,bridge=xenbr1' ]
EOS

# the dry run: the plan, nothing changed; xen-a has the most headroom
# (xen-b: 16 GiB free; xen-a: see its scenario)
cp $WORK/xen-a.sim $WORK/xen-a.before; cp $WORK/xen-b.sim $WORK/xen-b.before
run $X -i $WORK/pool.ini --hooks $H --post-install-delay 1s -n $WORK/web9.cfg
[ "$RC" = 0 ] || fail "dry run: exit $RC $ERR"
[ "$OUT" = "create web9 (memory 2 GiB) from $WORK/web9.cfg on xen-a, paused (headroom after it: 14.0 GiB)
hook $H/10-landb web9 xen-a (generated) 00:16:3e:0a:0b:0c
hook $H/20-quattor web9 xen-a (generated) 00:16:3e:0a:0b:0c
unpause web9 on xen-a
after 1 s: hook $H/post-install.d/10-prepare web9 xen-a (generated) 00:16:3e:0a:0b:0c" ] || fail "plan: $OUT"
cmp -s $WORK/xen-b.sim $WORK/xen-b.before && cmp -s $WORK/xen-a.sim $WORK/xen-a.before || fail "dry run changed a scenario"
[ ! -e $WORK/hook.log ] || fail "dry run ran hooks"
checks=$((checks + 3))

# the real run
run $X -i $WORK/pool.ini --hooks $H --post-install-delay 1s $WORK/web9.cfg
[ "$RC" = 0 ] || fail "create: exit $RC $ERR"
mac=$(sed -n 's/^mac = \(00:16:3e:[0-7].:..:..\)$/\1/p' $WORK/xen-a.sim | head -1)
[ -n "$mac" ] || fail "no generated MAC in the scenario"
[ "$OUT" = "web9: created on xen-a (domain 4), paused; MAC $mac 00:16:3e:0a:0b:0c
web9: registered (2 hooks)
web9: started on xen-a
web9: post-install done (1 hooks)" ] || fail "create output: $OUT"
[ "$(cat $WORK/hook.log)" = "10-landb [web9] [xen-a] [$mac] [00:16:3e:0a:0b:0c]
20-quattor [web9] [xen-a] [$mac] [00:16:3e:0a:0b:0c]
10-prepare [web9] [xen-a] [$mac] [00:16:3e:0a:0b:0c]" ] || fail "hooks: $(cat $WORK/hook.log)"
[ "$(section $WORK/xen-a.sim web9)" = "[domain web9]
id = 4
state = running
memory = 2G
maxmem = 4G
vcpus = 2
mac = $mac
mac = 00:16:3e:0a:0b:0c" ] || fail "scenario: $(section $WORK/xen-a.sim web9)"
cmp -s $WORK/xen-b.sim $WORK/xen-b.before || fail "xen-b changed"
checks=$((checks + 5))

# the same name again: refused, wherever it runs
run $X -i $WORK/pool.ini $WORK/web9.cfg
[ "$RC" = 73 ] && [ "$ERR" = "xvm-create: web9: a VM of that name already runs on xen-a" ] || fail "again: $RC $ERR"
checks=$((checks + 1))

# a failing hook stops the sequence, says where, leaves the VM paused
rm -f $WORK/hook.log
printf '#!/bin/sh\necho quattor is down >&2\nexit 3\n' >$H/20-quattor
printf 'name = "web10"\nmemory = 1024\nvif = [ "bridge=xenbr0" ]\n' >$WORK/web10.cfg
run $X -i $WORK/pool.ini --hooks $H -H xen-b --post-install-delay 0 $WORK/web10.cfg
[ "$RC" = 69 ] || fail "failing hook: exit $RC"
[ "$ERR" = "quattor is down
xvm-create: hook '$H/20-quattor' failed (exit 3); 1 of 2 registration hooks had run; web10 stays created and paused on xen-b" ] ||
	fail "failing hook: $ERR"
[ "$(sed -n '/^\[domain web10\]/,$p' $WORK/xen-b.sim | sed -n 's/^state = //p')" = paused ] || fail "web10 not left paused"
[ "$(wc -l <$WORK/hook.log)" = 1 ] || fail "hooks after the failure ran: $(cat $WORK/hook.log)"
checks=$((checks + 3))

# no host with room: 69, nothing created
printf 'name = "huge"\nmemory = 409600\n' >$WORK/huge.cfg
cp $WORK/xen-a.sim $WORK/xen-a.before
run $X -i $WORK/pool.ini $WORK/huge.cfg
[ "$RC" = 69 ] || fail "no room: exit $RC"
case $ERR in "xvm-create: huge: no host has room for 400 GiB (+1 MiB overhead); the most any can make free is "*) ;;
*) fail "no room: $ERR" ;; esac
cmp -s $WORK/xen-a.sim $WORK/xen-a.before || fail "no room: a scenario changed"
# dom0 may balloon: --dom0-floor counts dom0's memory above the floor
printf 'name = "big"\nmemory = 15360\n' >$WORK/big.cfg
run $X -i $WORK/pool.ini -H xen-a -n $WORK/big.cfg
[ "$RC" = 69 ] || fail "15 GiB on xen-a (14 GiB free) without dom0 ballooning: $RC $OUT"
run $X -i $WORK/pool.ini -H xen-a --dom0-floor 512M -n $WORK/big.cfg
[ "$RC" = 0 ] || fail "--dom0-floor: $RC $ERR"
checks=$((checks + 4))

# a host did not answer: the name may be in use there: refused
run $X -i $WORK/hung.ini -H xen-a $WORK/huge.cfg
[ "$RC" = 69 ] || fail "hung host: exit $RC"
[ "$ERR" = "xvm-create: host xen-hung: no answer within 2000 ms
xvm-create: huge: 1 of 2 hosts did not answer: the name may be in use there; not creating it" ] || fail "hung: $ERR"
checks=$((checks + 1))

# hostile: shell metacharacters in the name reach the hooks as one argument
rm -f $WORK/hook.log
printf '#!/bin/sh\nexit 0\n' >$H/20-quattor
cat >$WORK/evil.cfg <<'EOS'
name = "x;touch pw;$(touch pw2)`touch pw3`&a|b>c"
memory = 256
vif = [ "bridge=xenbr0" ]
EOS
cd $WORK
run $TOP/$X -i $WORK/pool.ini --hooks $H -H xen-a --post-install-delay 0 $WORK/evil.cfg
cd $TOP
[ "$RC" = 0 ] || fail "hostile name: $RC $ERR"
[ ! -e $WORK/pw ] && [ ! -e $WORK/pw2 ] && [ ! -e $WORK/pw3 ] && [ ! -e $WORK/c ] && [ ! -e pw ] ||
	fail "a name reached a shell"
head -1 $WORK/hook.log | grep -qxF '10-landb [x;touch pw;$(touch pw2)`touch pw3`&a|b>c] [xen-a] '"[$(sed -n '/^\[domain x;touch/,$p' $WORK/xen-a.sim | sed -n 's/^mac = //p')]" ||
	fail "hostile argv: $(cat $WORK/hook.log)"
checks=$((checks + 3))

# unsafe hooks: group/world-writable directory or hook, before anything is done
chmod g+w $H
run $X -i $WORK/pool.ini --hooks $H $WORK/web9.cfg
[ "$RC" = 78 ] && [ "$ERR" = "xvm-create: hooks directory '$H' is group-writable (mode 0775): refusing to run hooks others can change" ] ||
	fail "group-writable dir: $RC $ERR"
chmod 755 $H; chmod o+w $H/10-landb
run $X -i $WORK/pool.ini --hooks $H $WORK/web9.cfg
[ "$RC" = 78 ] && [ "$ERR" = "xvm-create: hook '$H/10-landb' is world-writable (mode 0757): refusing to run hooks others can change" ] ||
	fail "world-writable hook: $RC $ERR"
chmod 755 $H/10-landb; chmod o+w $H/post-install.d
run $X -i $WORK/pool.ini --hooks $H $WORK/web9.cfg
[ "$RC" = 78 ] || fail "world-writable post-install.d: $RC $ERR"
chmod 755 $H/post-install.d
run $X -i $WORK/pool.ini --hooks $WORK/nohooks $WORK/web9.cfg
[ "$RC" = 66 ] && [ "$ERR" = "xvm-create: cannot use hooks directory '$WORK/nohooks': No such file or directory" ] ||
	fail "missing hooks dir: $RC $ERR"
checks=$((checks + 4))

# bad configurations and usage
printf 'memory = 512\n' >$WORK/noname.cfg
run $X -i $WORK/pool.ini $WORK/noname.cfg
[ "$RC" = 65 ] && [ "$ERR" = "xvm-create: $WORK/noname.cfg: no name = \"...\" setting" ] || fail "no name: $RC $ERR"
printf 'name = "a"\nmemory = 512\n' >$WORK/novif.cfg
run $X -i $WORK/pool.ini --hooks $H $WORK/novif.cfg
[ "$RC" = 65 ] || fail "hooks without a vif: $RC $ERR"
run $X -i $WORK/pool.ini $WORK/missing.cfg
[ "$RC" = 66 ] || fail "missing config: $RC"
run $X -i $WORK/pool.ini /dev/null
[ "$RC" = 66 ] || fail "/dev/null: $RC $ERR"
run $X -i $WORK/pool.ini
[ "$RC" = 64 ] || fail "no config: $RC"
run $X -i $WORK/pool.ini --dom0-floor lots $WORK/web9.cfg
[ "$RC" = 64 ] || fail "--dom0-floor lots: $RC"
run $X -i $WORK/pool.ini -H nope $WORK/novif.cfg
[ "$RC" = 64 ] || fail "-H nope: $RC $ERR"
checks=$((checks + 7))
done_testing
