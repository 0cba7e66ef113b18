#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_xen_pool on sim: pools: exact status line, long output, perfdata and
# exit code for OK, WARNING, CRITICAL and UNKNOWN.  poll_time varies from run
# to run and is checked for its form only.
. "$TOP/tests/integration/lib.sh"
P=plugins/check_xen_pool
POOL=$DATA/pool

# run_pool ARGS...: like run, with poll_time=N.NNNs replaced by poll_time=Ts.
run_pool() {
	run "$@"
	case "$OUT" in
	*poll_time=*s\;\;\;0*) ;;
	*) fail "$LAST: no poll_time perfdata: $OUT" ;;
	esac
	OUT=$(printf '%s\n' "$OUT" | sed 's/poll_time=[0-9.]*s/poll_time=Ts/')
}

# OK: every expected VM up, both hosts answered.
run_pool $P -i $POOL/healthy.ini
expect 0 "XEN POOL OK - prod: availability 100.0%, 5/5 VMs up, 2/2 hosts answered | availability=100%;100:;90:;0;100 vm_ratio=100%;;;0;100 server_ratio=100%;;;0;100 hosts=2;;;0 hosts_reachable=2;;;0 hosts_down=0;;;0 vms=5;;;0 vms_up=5;;;0 vms_missing=0;;;0 vms_not_up=0;;;0 vms_duplicate=0;;;0 vms_unexpected=0;;;0 poll_time=Ts;;;0"

# WARNING: the same pool with one more VM expected than runs: 5/6 up,
# availability 2*(5/6)*1/(5/6+1) = 90.9%.
sed 's/^vm = db2$/vm = db2\nvm = db3/' $POOL/healthy.ini >$WORK/warn.ini
cp $POOL/xen-a.sim $POOL/xen-b.sim $WORK/
run_pool $P -i $WORK/warn.ini
expect 1 "XEN POOL WARNING - prod: availability 90.9% (!), 5/6 VMs up, 2/2 hosts answered, 1 missing (db3) | availability=90.9%;100:;90:;0;100 vm_ratio=83.3%;;;0;100 server_ratio=100%;;;0;100 hosts=2;;;0 hosts_reachable=2;;;0 hosts_down=0;;;0 vms=6;;;0 vms_up=5;;;0 vms_missing=1;;;0 vms_not_up=0;;;0 vms_duplicate=0;;;0 vms_unexpected=0;;;0 poll_time=Ts;;;0
vm db3 missing: seen on no host"

# CRITICAL: a hung host (timed out), a paused VM, a missing VM, a VM on two
# hosts and one nobody expected; 6/8 VMs, 3/4 hosts: 75%.
run_pool $P -i $POOL/degraded.ini
expect 2 "XEN POOL CRITICAL - prod: availability 75.0% (!!), 1 on several hosts (web1) (!!), 1 unexpected (rogue1) (!), 6/8 VMs up, 3/4 hosts answered, 1 host down (xen-hung), 1 missing (mail1), 1 not up (batch1) | availability=75%;100:;90:;0;100 vm_ratio=75%;;;0;100 server_ratio=75%;;;0;100 hosts=4;;;0 hosts_reachable=3;;;0 hosts_down=1;;;0 vms=8;;;0 vms_up=6;;;0 vms_missing=1;;;0 vms_not_up=1;;;0 vms_duplicate=1;;;0 vms_unexpected=1;;;0 poll_time=Ts;;;0
host xen-hung down: no answer within 1000 ms
vm mail1 missing: seen on no host that answered (it may run on one that did not)
vm batch1 not up: paused on xen-b
vm web1 on several hosts: xen-a (running), xen-c (blocked)
vm rogue1 unexpected: running on xen-c"

# The same pool with the admin's thresholds: duplicates and strangers OK,
# availability warning below 80, VM ratio critical below 50.
run_pool $P -i $POOL/degraded.ini -w 80: -c 50: --duplicate OK --unexpected OK --vm-critical 50:
expect_first 1 "XEN POOL WARNING - prod: availability 75.0% (!), 6/8 VMs up, 3/4 hosts answered, 1 host down (xen-hung), 1 missing (mail1), 1 not up (batch1), 1 on several hosts (web1), 1 unexpected (rogue1) | availability=75%;80:;50:;0;100 vm_ratio=75%;;50:;0;100 server_ratio=75%;;;0;100 hosts=4;;;0 hosts_reachable=3;;;0 hosts_down=1;;;0 vms=8;;;0 vms_up=6;;;0 vms_missing=1;;;0 vms_not_up=1;;;0 vms_duplicate=1;;;0 vms_unexpected=1;;;0 poll_time=Ts;;;0"

# A hung host under the check's own -t: its deadline is cut to fit, and the
# check answers before its alarm.  The host was not given its own 60 s, so
# nothing was measured: the state is -t's STATE (CRITICAL by default), the
# ratios are left out of the perfdata.
sed 's/^timeout = 1s$/timeout = 60s/' $POOL/degraded.ini >$WORK/slow.ini
cp $POOL/*.sim $WORK/
run_pool $P -i $WORK/slow.ini -t 1
expect_first 2 "XEN POOL CRITICAL - prod: availability not measured: 1 of 4 hosts unanswered when the check ran out of time (raise -t above their timeout) (!!), 1 on several hosts (web1) (!!), 1 unexpected (rogue1) (!), 1 host not asked (xen-hung), 1 missing (mail1), 1 not up (batch1) | hosts=4;;;0 hosts_reachable=3;;;0 hosts_down=0;;;0 vms=8;;;0 poll_time=Ts;;;0"
contains "host xen-hung not asked: no answer within"
contains "when the check ran out of time"
run_pool $P -i $WORK/slow.ini -t 1:UNKNOWN --duplicate OK --unexpected OK
expect_first 3 "XEN POOL UNKNOWN - prod: availability not measured: 1 of 4 hosts unanswered when the check ran out of time (raise -t above their timeout) (?), 1 host not asked (xen-hung), 1 missing (mail1), 1 not up (batch1), 1 on several hosts (web1), 1 unexpected (rogue1) | hosts=4;;;0 hosts_reachable=3;;;0 hosts_down=0;;;0 vms=8;;;0 poll_time=Ts;;;0"

# CRITICAL: the seed pool's VMs come from a repository; none of them runs.
run_pool $P -i $POOL/two-pools.ini -p seed
expect 2 "XEN POOL CRITICAL - seed: availability 0.0% (!!), 0/4 VMs up, 1/1 hosts answered, 4 missing (12_dbvrtg001, 15_dbvrtg002, 22_dbvrtg004, ...) | availability=0%;100:;90:;0;100 vm_ratio=0%;;;0;100 server_ratio=100%;;;0;100 hosts=1;;;0 hosts_reachable=1;;;0 hosts_down=0;;;0 vms=4;;;0 vms_up=0;;;0 vms_missing=4;;;0 vms_not_up=0;;;0 vms_duplicate=0;;;0 vms_unexpected=0;;;0 poll_time=Ts;;;0
vm 12_dbvrtg001 missing: seen on no host
vm 15_dbvrtg002 missing: seen on no host
vm 22_dbvrtg004 missing: seen on no host
vm builder missing: seen on no host"

# No expected VMs: the VM ratio is undefined (U) and availability is the
# server ratio; every VM up is one nobody expected.
grep -v '^vm = ' $POOL/healthy.ini >$WORK/novms.ini
run_pool $P -i $WORK/novms.ini --unexpected OK
expect_first 0 "XEN POOL OK - prod: availability 100.0%, 0/0 VMs up, 2/2 hosts answered, 5 unexpected (db1, db2, web1, ...) | availability=100%;100:;90:;0;100 server_ratio=100%;;;0;100 hosts=2;;;0 hosts_reachable=2;;;0 hosts_down=0;;;0 vms=0;;;0 vms_up=0;;;0 vms_missing=0;;;0 vms_not_up=0;;;0 vms_duplicate=0;;;0 vms_unexpected=5;;;0 poll_time=Ts;;;0"

# UNKNOWN: an empty pool, several pools and no -p, an unknown pool, a bad
# inventory, no inventory at all.
printf '[pool empty]\n' >$WORK/empty.ini
run $P -i $WORK/empty.ini
expect 3 "XEN POOL UNKNOWN - empty: the pool expects no hosts and no VMs: nothing to measure (check the inventory)"
run $P -i $POOL/two-pools.ini
expect 3 "XEN POOL UNKNOWN - $POOL/two-pools.ini defines 2 pools (prod, seed): choose one with -p"
run $P -i $POOL/two-pools.ini -p nope
expect 3 "XEN POOL UNKNOWN - no pool 'nope' in $POOL/two-pools.ini (pools: prod, seed)"
printf '[pool p]\n[host h]\npool = q\nsource = xen:\n' >$WORK/bad.ini
run $P -i $WORK/bad.ini
expect 3 "XEN POOL UNKNOWN - $WORK/bad.ini:3: pool: 'q' is not defined (no [pool q] section)"
run $P
expect_first 3 "XEN POOL UNKNOWN - no inventory: give one with -i FILE"
run $P -i $POOL/healthy.ini -w 10x
expect_first 3 "XEN POOL UNKNOWN - invalid warning threshold '10x': unknown unit (use %, B, K, M, G or T)"

done_testing
