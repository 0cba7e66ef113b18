#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every perfdata item of every plugin, on every fixture, parsed by the real
# Icinga 2: its GraphiteWriter parses each item into a number and sends it to
# a listener here.  Undefined ratios (a pool without VMs) are left out of the
# perfdata, so nothing is ever "U": Icinga must log no "Can't convert" and no
# "Ignoring invalid perfdata", and every label the plugin printed must arrive.
. "$TOP/tests/integration/lib.sh"
command -v icinga2 >/dev/null || skip "icinga2 is not installed (Debian package icinga2-bin)"
command -v python3 >/dev/null || skip "python3 is needed for the Graphite listener"
P=plugins/check_xen_pool

I=$WORK/icinga2
mkdir -p $I/data $I/log $I/cache $I/spool $I/run
consts="-DDataDir=$I/data -DLogDir=$I/log -DCacheDir=$I/cache -DSpoolDir=$I/spool
 -DInitRunDir=$I/run -DRunAsUser=$(id -un) -DRunAsGroup=$(id -gn)"

# A pool with no VMs (undefined VM ratio) and one whose hosts all fail (no
# figures at all) besides the repository's inventories.
printf '[pool novms]\n[host h1]\npool = novms\nsource = sim:%s\n' "$TOP/$DATA/healthy.sim" >$WORK/novms.ini
printf '[pool dead]\nvm = x\n[host gone]\npool = dead\nsource = sim:/nonexistent/gone.sim\n' >$WORK/dead.ini

# The listener: accepts connections on a free port, appends what it receives.
python3 - "$WORK/graphite.port" "$WORK/graphite.txt" <<'PY' &
import socket, sys, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
out = open(sys.argv[2], "ab", buffering=0)
def serve(c):
    while True:
        d = c.recv(65536)
        if not d:
            break
        out.write(d)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
listener=$!
trap 'kill $listener ${daemon:-} 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
i=0
while [ ! -s $WORK/graphite.port ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat $WORK/graphite.port)

# One service per plugin and fixture: NAME|COMMAND ARGS (tab-free)
services=$WORK/services
: >$services
for f in $DATA/*.sim; do
	n=$(basename $f .sim)
	echo "host-$n|$TOP/plugins/check_xen_host -s sim:$TOP/$f" >>$services
done
echo "host-thresholds|$TOP/plugins/check_xen_host -s sim:$TOP/$DATA/seed-48g.sim -w 1G: -c 512M: --dom0-warning 10% --overcommit-warning 2 --overcommit-critical 3 --domains-warning 40" >>$services
for fv in healthy:web1 healthy:db1 paused:batch1 crashed:broken1 crashed:missing-vm; do
	f=${fv%%:*} vm=${fv#*:}
	echo "vm-$f-$vm|$TOP/plugins/check_xen_vm -s sim:$TOP/$DATA/$f.sim -n $vm -w 90% --gap-warning 1" >>$services
done
C=$TOP/plugins/check_xen_capacity
for args in "cap-a|-m 4G --image plain" "cap-a|-m 4G" "cap-a|-m 1G --image stress" "cap-b|-m 2G --toolstack xend --dom0-floor 512M"; do
	f=${args%%|*} a=${args#*|}
	echo "capacity-$f-$(echo "$a" | tr -dc 'a-z0-9' | cut -c1-24)|$C -s sim:$TOP/$DATA/capacity/$f.sim $a" >>$services
done
echo "capacity-pool|$C -i $TOP/$DATA/capacity/pool.ini -m 2G --image plain" >>$services
# every VM in one check, with every perfdata group: rates from two snapshots
# 200 ms apart (the VM scenario without its time), guest figures, the pool's
# VMs, the host's CPU; and hostile names (checked for parse errors only: their
# labels reach Graphite escaped)
sed '/^time = /d' $DATA/vms/t1.sim >$WORK/vms.sim
printf '[host]\nname = h\ntotal_memory = 16G\nfree_memory = 8G\ncpus = 4\ndom0_memory = 1G\n[domain o'"'"'hare=x|y]\nid = 1\nstate = running\nmemory = 1G\n[domain caf\351 \303\274 sp ace]\nid = 2\nstate = blocked\nmemory = 1G\n[domain q"uo\\te]\nid = 3\nstate = running\nmemory = 1G\nguest_total = 900M\nguest_free = 100M\nguest_cached = 100M\nguest_committed = 2G\n' >$WORK/hostile.sim
echo "host-cpu|$TOP/plugins/check_xen_host -s sim:$TOP/$DATA/healthy.sim --cpu-sample 200ms --cpu-warning 90 --vcpu-warning 1" >>$services
echo "vms-rates|$TOP/plugins/check_xen_vms -s sim:$WORK/vms.sim --perfdata all --cpu-sample 200ms --gap-warning 512M --committed-warning 90% --swap-warning 1M --cpu-warning 80 --mem-warning 90%" >>$services
echo "vms-t0|$TOP/plugins/check_xen_vms -s sim:$TOP/$DATA/vms/t0.sim --perfdata all --no-state --dom0" >>$services
echo "vms-pool|$TOP/$P -i $TOP/$DATA/pool/healthy.ini --vms --perfdata all --no-state --gap-critical 10%" >>$services
echo "vms-hostile|$TOP/plugins/check_xen_vms -s sim:$WORK/hostile.sim --perfdata all --no-state" >>$services
for inv in $DATA/pool/*.ini $WORK/novms.ini $WORK/dead.ini; do
	n=$(basename $inv .ini)
	pools=$(grep -o '^\[pool [^]]*\]' $inv | sed 's/^\[pool \(.*\)\]$/\1/')
	for p in $pools; do
		echo "pool-$n-$p|$TOP/$P -i $inv -p $p" >>$services
	done
done

{
	cat <<CONF
include <itl>
object CheckerComponent "checker" { }
object GraphiteWriter "graphite" {
  host = "127.0.0.1"
  port = $port
  enable_send_thresholds = true
}
object Host "xen" { check_command = "dummy" }
CONF
	while IFS='|' read -r name cmd; do
		printf 'object CheckCommand "%s" { command = [ ' "$name"
		for w in $cmd; do printf '"%s", ' "$w"; done
		printf '] }\n'
		printf 'object Service "%s" { host_name = "xen"; check_command = "%s"; check_interval = 1s }\n' "$name" "$name"
	done <$services
} >$I/icinga2.conf

# The canary proves the detector: its "U%" must be refused, loudly.
printf '#!/bin/sh\necho "CANARY OK | canary=U%%;;;0;100"\n' >$WORK/canary
chmod +x $WORK/canary
cat >>$I/icinga2.conf <<CONF
object CheckCommand "canary" { command = [ "$WORK/canary" ] }
object Service "canary" { host_name = "xen"; check_command = "canary"; check_interval = 1s }
CONF

run icinga2 daemon -C -c $I/icinga2.conf $consts
[ "$RC" = 0 ] || fail "icinga2 rejects the configuration: $OUT $ERR"

# what each plugin prints, run here once: the labels Graphite must receive
: >$WORK/expected
while IFS='|' read -r name cmd; do
	$cmd 2>/dev/null | head -n 1 | sed -n 's/^[^|]*| //p' | tr ' ' '\n' | sed -n "s/^\([^=]*\)=.*/$name \1/p" >>$WORK/expected
done <$services
# labels Graphite escapes: this service is checked for parse errors only
grep -v '^vms-hostile ' $WORK/expected >$WORK/expected.tmp && mv $WORK/expected.tmp $WORK/expected
total=$(cut -d' ' -f1 $WORK/expected | sort -u | wc -l)

icinga2 daemon -c $I/icinga2.conf $consts >$I/daemon.log 2>&1 &
daemon=$!
# wait until every service with perfdata has sent something
i=0
while [ $i -lt 120 ]; do
	got=$(sed -n 's/^icinga2\.xen\.services\.\([^.]*\)\..*/\1/p' $WORK/graphite.txt 2>/dev/null | sort -u | wc -l)
	[ "$got" -ge "$total" ] && break
	sleep 0.5
	i=$((i + 1))
done
sleep 1
kill $daemon
wait $daemon 2>/dev/null || true
[ $i -lt 120 ] || fail "only $got of $total services reached Graphite in 60 s: $(tail -n 20 $I/daemon.log)"

checks=$((checks + 2))
grep -q "Ignoring invalid perfdata for checkable 'xen!canary'" $I/daemon.log ||
	fail "the canary's U% was not refused: the test cannot see parse errors"
if grep -E "Can't convert|Ignoring invalid perfdata" $I/daemon.log | grep -v "xen!canary"; then
	fail "icinga2 could not parse some perfdata (above)"
fi

# Every label each plugin printed arrived as a number.
while read -r name l; do
	checks=$((checks + 1))
	grep -q "^icinga2\.xen\.services\.$name\.$name\.perfdata\.$l\.value [-0-9.e+]* " $WORK/graphite.txt ||
		fail "$name: perfdata '$l' did not reach Graphite as a number"
done <$WORK/expected
echo "# $total services with perfdata, $(wc -l <$WORK/expected) items, every one parsed"
done_testing
