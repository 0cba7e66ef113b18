#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_xen_vms: every VM of a host in one check.  Exact status lines and
# perfdata for the filters, the worst-first summary, hostile names in labels,
# guest memory and balloon health, the state file across runs (missing,
# corrupt, unwritable), CPU % from two snapshots.  The scenarios in
# tests/data/vms/ are one host at t0, t1 = t0 + 60 s and t2 = t0 + 200 s.
. "$TOP/tests/integration/lib.sh"
X=plugins/check_xen_vms
P=plugins/check_xen_pool
# nothing a test runs may fall back on /var/lib/xvmon
export XVMON_STATE_DIR="$WORK/default-state"

# --- one snapshot, no state --------------------------------------------------
# Six VMs (dom0 is check_xen_host's): crashed1 is CRITICAL and paused1
# WARNING by default; worst first, then in the host's order.  db1's 7.5 GiB
# Committed_AS of its 8 GiB maximum is floor(7680/8192 * 1000) = 937 tenths:
# 93.7%.  web1 uses 3900M - 1G - 1G = 1852 MiB = 1.8 GiB of 3.8 GiB.
run $X -s sim:$DATA/vms/t0.sim --no-state
expect 2 "XEN VMS CRITICAL - xen07: crashed1 crashed (!!), paused1 paused (!), 6 VMs (1 critical, 1 warning, 4 ok) | vms=6;;;0 vms_ok=4;;;0 vms_warning=1;;;0 vms_critical=1;;;0 vms_unknown=0;;;0 web1_mem=4294967296B;;;0;4294967296 web1_gap=0B;;;0 web2_mem=2147483648B;;;0;4294967296 web2_gap=1073741824B;;;0 db1_mem=8589934592B;;;0;8589934592 db1_gap=0B;;;0 paused1_mem=1073741824B;;;0;1073741824 paused1_gap=0B;;;0 crashed1_mem=536870912B;;;0;536870912 crashed1_gap=0B;;;0 test-scratch_mem=1073741824B;;;0;1073741824 test-scratch_gap=0B;;;0
no guest memory figures from 4 of 6 VMs (crashed1, paused1, web2, ...): 4 publish none (no self-balloon daemon or balloon driver statistics), 0 published figures that cannot be true
crashed1 (id 6, ---sc-, CRITICAL): crashed, memory 512 MiB of 512 MiB max (100.0%), at target 512 MiB
paused1 (id 5, -bp---, WARNING): paused, memory 1 GiB of 1 GiB max (100.0%), at target 1 GiB
web1 (id 1, r-----, OK): running, memory 4 GiB of 4 GiB max (100.0%), at target 4 GiB, guest uses 1.8 GiB of 3.8 GiB, committed 2 GiB of 4 GiB (50.0%), swap used 0 KiB
web2 (id 2, -b----, OK): blocked, memory 2 GiB of 4 GiB max (50.0%), balloon 1 GiB above target 1 GiB
db1 (id 3, r-----, OK): running, memory 8 GiB of 8 GiB max (100.0%), at target 8 GiB, guest uses 7.3 GiB of 7.7 GiB, committed 7.5 GiB of 8 GiB (93.7%), swap used 500 MiB
test-scratch (id 7, r-----, OK): running, memory 1 GiB of 1 GiB max (100.0%), at target 1 GiB"

# --- selection -----------------------------------------------------------------
run $X -s sim:$DATA/vms/t0.sim --no-state --exclude '^test-' --include-state running,blocked
expect_first 0 "XEN VMS OK - xen07: 3 VMs (3 ok) | vms=3;;;0 vms_ok=3;;;0 vms_warning=0;;;0 vms_critical=0;;;0 vms_unknown=0;;;0 web1_mem=4294967296B;;;0;4294967296 web1_gap=0B;;;0 web2_mem=2147483648B;;;0;4294967296 web2_gap=1073741824B;;;0 db1_mem=8589934592B;;;0;8589934592 db1_gap=0B;;;0"
run $X -s sim:$DATA/vms/t0.sim --no-state --include web --exclude-state running --perfdata mem
expect_first 0 "XEN VMS OK - xen07: 1 VM (1 ok) | vms=1;;;0 vms_ok=1;;;0 vms_warning=0;;;0 vms_critical=0;;;0 vms_unknown=0;;;0 web2_mem=2147483648B;;;0;4294967296"
run $X -s sim:$DATA/vms/t0.sim --no-state --include '^nothing$' --perfdata none
expect 0 "XEN VMS OK - xen07: no VMs selected | vms=0;;;0 vms_ok=0;;;0 vms_warning=0;;;0 vms_critical=0;;;0 vms_unknown=0;;;0"
# dom0 only when asked; states overridable
run $X -s sim:$DATA/vms/t0.sim --no-state --dom0 --include '^Domain-0$' --perfdata mem
expect_first 0 "XEN VMS OK - xen07: 1 VM (1 ok) | vms=1;;;0 vms_ok=1;;;0 vms_warning=0;;;0 vms_critical=0;;;0 vms_unknown=0;;;0 Domain-0_mem=4294967296B;;;0;4294967296"
run $X -s sim:$DATA/vms/t0.sim --no-state --crashed WARNING --paused OK --perfdata none
expect_first 1 "XEN VMS WARNING - xen07: crashed1 crashed (!), 6 VMs (1 warning, 5 ok) | vms=6;;;0 vms_ok=5;;;0 vms_warning=1;;;0 vms_critical=0;;;0 vms_unknown=0;;;0"
# memory thresholds per VM: percent of its maximum, as the text prints it
run $X -s sim:$DATA/vms/t0.sim --no-state --include '^web' --mem-warning 60% --mem-critical 99%
expect_first 2 "XEN VMS CRITICAL - xen07: web1 memory 4 GiB of 4 GiB max (100.0%) (!!), 2 VMs (1 critical, 1 ok) | vms=2;;;0 vms_ok=1;;;0 vms_warning=0;;;0 vms_critical=1;;;0 vms_unknown=0;;;0 web1_mem=4294967296B;2576980378;4252017623;0;4294967296 web1_gap=0B;;;0 web2_mem=2147483648B;2576980378;4252017623;0;4294967296 web2_gap=1073741824B;;;0"
# the status line names --names VMs, worst first; the rest are counted
run $X -s sim:$DATA/vms/t0.sim --no-state --names 1 --perfdata none
expect_first 2 "XEN VMS CRITICAL - xen07: crashed1 crashed (!!), 1 more VM with problems (!), 6 VMs (1 critical, 1 warning, 4 ok) | vms=6;;;0 vms_ok=4;;;0 vms_warning=1;;;0 vms_critical=1;;;0 vms_unknown=0;;;0"

# --- hostile names in labels and text -----------------------------------------
# A quote doubles, '=' and '|' become '_' in labels ('/' in text), a byte
# that is not UTF-8 becomes U+FFFD, a space makes the label quoted.
printf '[host]\nname = h\ntotal_memory = 16G\nfree_memory = 8G\ncpus = 4\ndom0_memory = 1G\n[domain o'"'"'hare=x|y]\nid = 1\nstate = running\nmemory = 1G\n[domain caf\351]\nid = 2\nstate = blocked\nmemory = 1G\n[domain sp ace]\nid = 3\nstate = crashed\nmemory = 1G\n[domain g1]\nid = 4\nstate = running\nmemory = 1G\nguest_report = refused\n' >"$WORK/hostile.sim"
run $X -s "sim:$WORK/hostile.sim" --no-state --perfdata mem
expect 2 "XEN VMS CRITICAL - h: sp ace crashed (!!), 4 VMs (1 critical, 3 ok) | vms=4;;;0 vms_ok=3;;;0 vms_warning=0;;;0 vms_critical=1;;;0 vms_unknown=0;;;0 'o''hare_x_y_mem'=1073741824B;;;0;1073741824 'caf�_mem'=1073741824B;;;0;1073741824 'sp ace_mem'=1073741824B;;;0;1073741824 g1_mem=1073741824B;;;0;1073741824
no guest memory figures from 4 of 4 VMs (sp ace, o'hare=x/y, caf�, ...): 3 publish none (no self-balloon daemon or balloon driver statistics), 1 published figures that cannot be true
sp ace (id 3, ---sc-, CRITICAL): crashed, memory 1 GiB of 1 GiB max (100.0%), at target 1 GiB
o'hare=x/y (id 1, r-----, OK): running, memory 1 GiB of 1 GiB max (100.0%), at target 1 GiB
caf� (id 2, -b----, OK): blocked, memory 1 GiB of 1 GiB max (100.0%), at target 1 GiB
g1 (id 4, r-----, OK): running, memory 1 GiB of 1 GiB max (100.0%), at target 1 GiB, guest figures refused (they cannot be true)"
# guest thresholds meet VMs without figures: said per VM with --no-guest-data
run $X -s "sim:$WORK/hostile.sim" --no-state --perfdata none --committed-warning 90% --no-guest-data WARNING --exclude 'sp ace'
expect_first 1 "XEN VMS WARNING - h: o'hare=x/y no guest memory figures (!), caf� no guest memory figures (!), g1 guest figures refused (they cannot be true) (!), 3 VMs (3 warning) | vms=3;;;0 vms_ok=0;;;0 vms_warning=3;;;0 vms_critical=0;;;0 vms_unknown=0;;;0"

# --- guest memory, balloon health and CPU over three runs ----------------------
# One source (the file changes between runs, as a host does) and one state
# file.  Thresholds: gap 512M/1G lasting 2 min, cpu 80/95 %, Committed_AS
# 90% of the maximum, swapping 512 KiB/s and 4 MiB/s.
S="$WORK/host.sim"
OPTS="-s sim:$S --state-dir $WORK/state --exclude ^test- --gap-warning 512M --gap-critical 1G --gap-for 2m --cpu-warning 80 --cpu-critical 95 --committed-warning 90% --swap-warning 512K --swap-critical 4M"
# t0: no state file yet: said, no rate, no alert from the gap (web2 is 1 GiB
# above its target: beyond 512M, not beyond 1G), which starts its clock.
cp $DATA/vms/t0.sim "$S"
run $X $OPTS
expect_first 2 "XEN VMS CRITICAL - xen07: crashed1 crashed (!!), db1 committed 7.5 GiB of 8 GiB (93.7%) (!), paused1 paused (!), first run: rates and durations from the next run on, 5 VMs (1 critical, 2 warning, 2 ok) | vms=5;;;0 vms_ok=2;;;0 vms_warning=2;;;0 vms_critical=1;;;0 vms_unknown=0;;;0 web1_mem=4294967296B;;;0;4294967296 web1_gap=0B;536870912;1073741824;0 web1_used=1941962752B;;;0;4089446400 web1_committed=2147483648B;3865470566;;0 web1_swap_used=0B;;;0;1073741824 web2_mem=2147483648B;;;0;4294967296 web2_gap=1073741824B;536870912;1073741824;0 db1_mem=8589934592B;;;0;8589934592 db1_gap=0B;536870912;1073741824;0 db1_used=7864320000B;;;0;8283750400 db1_committed=8053063680B;7730941133;;0 db1_swap_used=524288000B;;;0;2147483648 paused1_mem=1073741824B;;;0;1073741824 paused1_gap=0B;536870912;1073741824;0 crashed1_mem=536870912B;;;0;536870912 crashed1_gap=0B;536870912;1073741824;0"
contains "web2 (id 2, -b----, OK): blocked, memory 2 GiB of 4 GiB max (50.0%), balloon 1 GiB above target 1 GiB for 0 s (alerts after 2 min)"
state=$(ls "$WORK/state")
case $state in check_xen_vms-*.state) ;; *) fail "state file named '$state'" ;; esac
checks=$((checks + 1))
sed -n 3p "$WORK/state/$state" | grep -q '^fields cpu_ns cpu_wait_ns .* net_tx_packets gap_warning_since gap_critical_since$' ||
	fail "no fields line: $(cat "$WORK/state/$state")"
grep -q '^vm 5945ea19-f640-4d3d-a042-37ed9937397c 2 1700000000000 50000000000 .* 1700000000000 0$' "$WORK/state/$state" ||
	fail "web2's gap start not kept: $(cat "$WORK/state/$state")"
# t1 = t0 + 60 s.  CPU in tenths of a percent of the VM's vCPUs, rounded down:
#   web1  (106 - 100) s / (60 s x 2 vcpus)     =  5.0%
#   web2  (50.6 - 50) s / (60 s x 1 vcpu)      =  1.0%
#   db1   (1216 - 1000) s / (60 s x 4 vcpus)   = 90.0%  > 80: WARNING
# db1 swapping: (130M - 100M) in + (230M - 200M) out = 60 MiB in 60 s
#   = 1048576 B/s > 512K: WARNING.  web2's gap has lasted 60 s < 2 min: OK.
cp $DATA/vms/t1.sim "$S"
run $X $OPTS
expect_first 2 "XEN VMS CRITICAL - xen07: crashed1 crashed (!!), db1 committed 7.5 GiB of 8 GiB (93.7%), cpu 90.0%, swapping 1 MiB/s (!), paused1 paused (!), 5 VMs (1 critical, 2 warning, 2 ok) | vms=5;;;0 vms_ok=2;;;0 vms_warning=2;;;0 vms_critical=1;;;0 vms_unknown=0;;;0 web1_mem=4294967296B;;;0;4294967296 web1_gap=0B;536870912;1073741824;0 web1_cpu=5%;80;95;0 web1_used=1941962752B;;;0;4089446400 web1_committed=2147483648B;3865470566;;0 web1_swap_used=0B;;;0;1073741824 web1_swap_Bps=0;524288;4194304;0 web2_mem=2147483648B;;;0;4294967296 web2_gap=1073741824B;536870912;1073741824;0 web2_cpu=1%;80;95;0 db1_mem=8589934592B;;;0;8589934592 db1_gap=0B;536870912;1073741824;0 db1_cpu=90%;80;95;0 db1_used=7864320000B;;;0;8283750400 db1_committed=8053063680B;7730941133;;0 db1_swap_used=524288000B;;;0;2147483648 db1_swap_Bps=1048576;524288;4194304;0 paused1_mem=1073741824B;;;0;1073741824 paused1_gap=0B;536870912;1073741824;0 paused1_cpu=0%;80;95;0 crashed1_mem=536870912B;;;0;536870912 crashed1_gap=0B;536870912;1073741824;0 crashed1_cpu=0%;80;95;0"
contains "balloon 1 GiB above target 1 GiB for 60 s (alerts after 2 min), no guest memory figures, cpu 1.0%"
# t2 = t0 + 200 s: web2 is still 1 GiB away after 200 s > 2 min: WARNING
# ("3 min": 200 s in whole minutes).  No counter moved: every rate is 0.
cp $DATA/vms/t2.sim "$S"
run $X $OPTS --perfdata gap,cpu
expect_first 2 "XEN VMS CRITICAL - xen07: crashed1 crashed (!!), web2 balloon 1 GiB above target 1 GiB for 3 min (!), db1 committed 7.5 GiB of 8 GiB (93.7%) (!), 1 more VM with problems (!), 5 VMs (1 critical, 3 warning, 1 ok) | vms=5;;;0 vms_ok=1;;;0 vms_warning=3;;;0 vms_critical=1;;;0 vms_unknown=0;;;0 web1_gap=0B;536870912;1073741824;0 web1_cpu=0%;80;95;0 web2_gap=1073741824B;536870912;1073741824;0 web2_cpu=0%;80;95;0 db1_gap=0B;536870912;1073741824;0 db1_cpu=0%;80;95;0 paused1_gap=0B;536870912;1073741824;0 paused1_cpu=0%;80;95;0 crashed1_gap=0B;536870912;1073741824;0 crashed1_cpu=0%;80;95;0"
# the balloon reaches its target: the clock stops
sed 's/^target = 1G$/target = 2G/' $DATA/vms/t2.sim >"$S"
run $X $OPTS --perfdata gap
contains "web2 (id 2, -b----, OK): blocked, memory 2 GiB of 4 GiB max (50.0%), at target 2 GiB, no guest memory figures"
checks=$((checks + 1))
grep -q '^vm 5945ea19-f640-4d3d-a042-37ed9937397c 2 .* 0 0$' "$WORK/state/$state" ||
	fail "web2's gap clock not stopped: $(cat "$WORK/state/$state")"

# a counter that goes down (the domain restarted under the same uuid and id)
# gives no rate rather than a huge one
S2="$WORK/restart.sim"
cp $DATA/vms/t1.sim "$S2"
run $X -s "sim:$S2" --state-dir "$WORK/st2" --include '^db1$' --perfdata cpu
sed -e 's/^time = 1700000060/time = 1700000120/' -e 's/^cpu_time = 1216/cpu_time = 3/' $DATA/vms/t1.sim >"$S2"
run $X -s "sim:$S2" --state-dir "$WORK/st2" --include '^db1$' --perfdata cpu
expect_first 0 "XEN VMS OK - xen07: 1 VM (1 ok) | vms=1;;;0 vms_ok=1;;;0 vms_warning=0;;;0 vms_critical=0;;;0 vms_unknown=0;;;0"
contains "restarted since the last reading (no rates)"

# --- a state file that is not one -----------------------------------------------
# Corrupt: said, no alert, started again, and replaced by a good one.  (A
# long note is clipped in the status line; its whole text leads the long
# output.)
cp $DATA/vms/t1.sim "$S"
f="$WORK/state/$state"
fields=$(sed -n 3p "$f")
printf 'xvmon-state 2\ntime 12\n%s\nvm not-a-uuid 1\n' "$fields" >"$f"
run $X $OPTS --perfdata none
[ "$RC" = 2 ] || fail "corrupt state file: exit $RC: $OUT"
contains "previous state not used ($f:4: a vm line without a UUID (not a state file xvmon wrote; it is started again)): rates and durations start again"
checks=$((checks + 1))
head -n 2 "$f" | tr '\n' ' ' | grep -qx 'xvmon-state 2 time 1700000060000 ' || fail "corrupt state not replaced: $(cat "$f")"
# binary junk, a truncated file, a FIFO in its place
printf 'xvmon-state 2\n\377\376\001junk\000\n' >"$f"
run $X $OPTS --perfdata none
[ "$RC" = 2 ] || fail "junk state file: exit $RC: $OUT"
contains "previous state not used ('$f' has a NUL byte: it is not a text file): rates and durations start again"
printf 'xvmon-state 2\n\377\376\001junk\n' >"$f"
run $X $OPTS --perfdata none
contains "previous state not used ($f:2: a line xvmon does not write (not a state file xvmon wrote; it is started again)): rates and durations start again"
printf 'xvmon-state 2\ntime 1700000000000\n%s\nvm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 1700000000000 100' "$fields" >"$f"
run $X $OPTS --perfdata none
contains "previous state not used ($f:4: a vm line whose counters are not all there (not a state file xvmon wrote; it is started again)): rates and durations start again"
printf 'xvmon-state 1\ntime 1700000000000\n' >"$f"
run $X $OPTS --perfdata none
contains "previous state not used ($f:1: no 'xvmon-state 2' header (not a state file xvmon wrote; it is started again)): rates and durations start again"
rm -f "$f" && mkfifo "$f"
run timeout 5 $X $OPTS --perfdata none
[ "$RC" = 2 ] || fail "FIFO state file: exit $RC: $OUT"
contains "previous state not used (cannot read '$f': it is a FIFO, not a regular file): rates and durations start again"
checks=$((checks + 1))
[ -f "$f" ] && [ ! -p "$f" ] || fail "the FIFO was not replaced by a state file"
# a directory that cannot be made: UNKNOWN, the next run would lose this one
run $X -s sim:$DATA/vms/t0.sim --state-dir /dev/null/x --perfdata none --include '^web1$'
checks=$((checks + 1))
[ "$RC" = 3 ] || fail "unwritable state dir: exit $RC: $OUT"
case $OUT in "XEN VMS UNKNOWN - xen07: cannot create the state directory '/dev/null/x': Not a directory (give --state-dir DIR, or --no-state) (?), previous state not used (cannot open '/dev/null/x/check_xen_vms-"*) ;; *) fail "unwritable state dir: $OUT" ;; esac
# the default directory, from the environment; missing parents are made
run env XVMON_STATE_DIR="$WORK/a/b/c" $X -s sim:$DATA/vms/t0.sim --perfdata none --include '^web1$'
[ "$RC" = 0 ] || fail "default state dir: exit $RC: $OUT"
checks=$((checks + 1))
ls "$WORK/a/b/c"/check_xen_vms-*.state >/dev/null 2>&1 || fail "no state file under \$XVMON_STATE_DIR"
run env -u XVMON_STATE_DIR XDG_STATE_HOME="$WORK/xdg" $X -s sim:$DATA/vms/t0.sim --perfdata none --include '^web1$'
checks=$((checks + 1))
ls "$WORK/xdg/xvmon"/check_xen_vms-*.state >/dev/null 2>&1 || fail "no state file under \$XDG_STATE_HOME/xvmon"
# the key: another selection keeps another file
n=$(ls "$WORK/state" | wc -l)
run $X $OPTS --include web1 --perfdata none
checks=$((checks + 1))
[ "$(ls "$WORK/state" | wc -l)" = $((n + 1)) ] || fail "another selection shares the state file"

# --- CPU within the check: two snapshots --cpu-sample apart -------------------
# (a scenario without a time: the snapshots are stamped when taken)
run $X -s sim:$DATA/healthy.sim --cpu-sample 200ms --perfdata cpu --include '^web1$'
expect_first 0 "XEN VMS OK - xen01: 1 VM (1 ok) | vms=1;;;0 vms_ok=1;;;0 vms_warning=0;;;0 vms_critical=0;;;0 vms_unknown=0;;;0 web1_cpu=0%;;;0"
checks=$((checks + 1))
[ ! -e "$XVMON_STATE_DIR" ] || fail "--cpu-sample alone wrote a state file"

# --- usage --------------------------------------------------------------------
for bad in "--gap-for 2m --no-state --gap-warning 1G|--gap-for needs the state kept between runs: drop --no-state" \
	"--gap-for 2m|--gap-for needs --gap-warning or --gap-critical" \
	"--include (|invalid include pattern '(': Unmatched ( or \\(" \
	"--include-state run,sleeping|invalid include-state 'run,sleeping': 'run' is not running, blocked, paused, shutdown, crashed, dying or none" \
	"--perfdata mem,disk|invalid perfdata group 'disk': use mem, gap, cpu, guest, io, all or none" \
	"--cpu-sample 10s|--cpu-sample 10000 ms does not fit in the 10 s timeout (leave at least a second)" \
	"--gap-for 2x --gap-warning 1G|invalid gap-for '2x': a duration like 90s or 5m (unknown unit)" \
	"--swap-warning 5%|invalid swap warning threshold '5%': this threshold does not take that unit" \
	"--names 1000|invalid names '1000': a number from 0 to 100" \
	"--state-dir /tmp --no-state|--state-dir and --no-state contradict each other"; do
	args=${bad%%|*}
	msg=${bad#*|}
	run $X -s sim:$DATA/vms/t0.sim $args
	expect_first 3 "XEN VMS UNKNOWN - $msg"
done
run $X -s sim:$DATA/nonexistent.sim --no-state
expect 3 "XEN VMS UNKNOWN - cannot open 'tests/data/nonexistent.sim': No such file or directory"

# --- across a pool: check_xen_pool --vms -------------------------------------
# Every host of the pool at once, each VM with the host it runs on: the
# expected mail1 is nowhere (CRITICAL), xen-hung did not answer (UNKNOWN:
# its VMs are not checked), web1 runs on xen-a and xen-c at once (CRITICAL
# by default, --duplicate here; its labels name the host), batch1 is paused.
run $P -i $DATA/pool/degraded.ini --vms --state-dir "$WORK/pstate" --perfdata mem --duplicate WARNING
expect_first 2 "XEN POOL CRITICAL - prod: 1 missing (mail1) (!!), 1 host did not answer (xen-hung) (?), web1@xen-a on 2 hosts at once (!), batch1 paused (!), web1@xen-c on 2 hosts at once (!), first run: rates and durations from the next run on, 9 VMs (3 warning, 6 ok) | vms=9;;;0 vms_ok=6;;;0 vms_warning=3;;;0 vms_critical=0;;;0 vms_unknown=0;;;0 'web1@xen-a_mem'=4294967296B;;;0;4294967296 web2_mem=4294967296B;;;0;4294967296 db1_mem=4294967296B;;;0;4294967296 web3_mem=4294967296B;;;0;4294967296 db2_mem=4294967296B;;;0;4294967296 batch1_mem=4294967296B;;;0;4294967296 web4_mem=4294967296B;;;0;4294967296 rogue1_mem=4294967296B;;;0;4294967296 'web1@xen-c_mem'=4294967296B;;;0;4294967296"
contains "host xen-hung: no answer (no answer within 1000 ms): its VMs are not checked"
contains "mail1: missing (not on any host that answered)"
contains "batch1 on xen-b (id 3, --p---, WARNING): paused, memory 4 GiB of 4 GiB max (100.0%), at target 4 GiB"
contains "web1 on xen-c (id 3, -b----, WARNING): blocked, memory 4 GiB of 4 GiB max (100.0%), at target 4 GiB, on 2 hosts at once"
# the split-brain VM is kept once: the next run reads its own state back
run $P -i $DATA/pool/degraded.ini --vms --state-dir "$WORK/pstate" --perfdata none --duplicate WARNING --include '^web'
run $P -i $DATA/pool/degraded.ini --vms --state-dir "$WORK/pstate" --perfdata none --duplicate WARNING --include '^web'
expect_first 3 "XEN POOL UNKNOWN - prod: 1 host did not answer (xen-hung) (?), web1@xen-a on 2 hosts at once (!), web1@xen-c on 2 hosts at once (!), 5 VMs (2 warning, 3 ok) | vms=5;;;0 vms_ok=3;;;0 vms_warning=2;;;0 vms_critical=0;;;0 vms_unknown=0;;;0"
# An option the chosen mode would ignore is refused (exit 3, the option and
# the mode named), whatever its place on the command line: every per-VM
# option without --vms ...
for o in "--include x" "--exclude x" "--include-state running" "--exclude-state paused" "--dom0" \
	"--paused OK" "--crashed OK" "--shutdown OK" "--mem-warning 1G" "--mem-critical 1G" \
	"--gap-warning 1G" "--gap-critical 1G" "--gap-for 5m --gap-warning 1G" "--committed-warning 90%" \
	"--committed-critical 90%" "--swap-warning 1M" "--swap-critical 1M" "--cpu-warning 90" \
	"--cpu-critical 90" "--no-guest-data WARNING" "--perfdata mem" "--names 2" "--state-dir $WORK/x" \
	"--no-state" "--cpu-sample 1s"; do
	# shellcheck disable=SC2086 # the option and its value are words
	run $P -i $DATA/pool/degraded.ini -p prod $o
	expect_first 3 "XEN POOL UNKNOWN - ${o%% *} is a per-VM option: it needs --vms"
done
run $P --gap-warning 1G -i $DATA/pool/degraded.ini
expect_first 3 "XEN POOL UNKNOWN - --gap-warning is a per-VM option: it needs --vms"
# ... and every option of the pool's availability with it
for o in "-w|99:|-w/--warning" "--warning|99:|-w/--warning" "-c|90:|-c/--critical" \
	"--critical|90:|-c/--critical" "--vm-warning|95:|--vm-warning" "--vm-critical|90:|--vm-critical" \
	"--server-warning|99:|--server-warning" "--server-critical|50:|--server-critical" \
	"--unexpected|OK|--unexpected"; do
	opt=${o%%|*} rest=${o#*|}
	run $P -i $DATA/pool/degraded.ini --vms "$opt" "${rest%%|*}" --gap-warning 1G
	expect_first 3 "XEN POOL UNKNOWN - ${rest#*|} is a pool-availability option: it has no effect with --vms"
	run $P "$opt" "${rest%%|*}" -i $DATA/pool/degraded.ini --vms
	expect_first 3 "XEN POOL UNKNOWN - ${rest#*|} is a pool-availability option: it has no effect with --vms"
done
# what both modes share is accepted with --vms (the pool and its parallelism,
# the split-brain state, the time, verbosity)
run $P -i $DATA/pool/degraded.ini -p prod -P 2 --duplicate WARNING -t 10:UNKNOWN -v --vms --no-state --perfdata none
expect_first 2 "XEN POOL CRITICAL - prod: 1 missing (mail1) (!!), 1 host did not answer (xen-hung) (?), web1@xen-a on 2 hosts at once (!), batch1 paused (!), web1@xen-c on 2 hosts at once (!), 9 VMs (3 warning, 6 ok) | vms=9;;;0 vms_ok=6;;;0 vms_warning=3;;;0 vms_critical=0;;;0 vms_unknown=0;;;0"
run $P -i $DATA/pool/degraded.ini --vms --cpu-sample 1s
expect_first 3 "XEN POOL UNKNOWN - --cpu-sample is for one host (check_xen_vms): a pool's VMs are compared with the previous run"

# --- check_xen_host: the host's CPU, vCPUs per CPU ------------------------------
# Between t0 and t1 every domain used 12 + 6 + 0.6 + 216 + 60 = 294.6 s of
# CPU in 60 s on 8 CPUs: 294.6 / 480 = 61.375% -> 61.3%.  10 guest vCPUs on
# 8 CPUs: 1.25.
cp $DATA/vms/t0.sim "$S"
run $H -s "sim:$S" --state-dir "$WORK/hstate" --vcpu-warning 1 --cpu-warning 50 --cpu-critical 70 -w 1G: -c 512M:
contains "1.25 vcpus per cpu (!), first run: rates and durations from the next run on,"
cp $DATA/vms/t1.sim "$S"
run $H -s "sim:$S" --state-dir "$WORK/hstate" --vcpu-warning 1 --cpu-warning 50 --cpu-critical 70 -w 1G: -c 512M:
expect_first 2 "XEN HOST CRITICAL - xen07: 1 crashed (crashed1) (!!), 1.25 vcpus per cpu (!), cpu 61.3% (!), 1 paused (paused1), free 40 GiB of 64 GiB (62.5%), 7 domains (5 up), overcommit 0.289 | mem_total=68719476736B;;;0 mem_free=42949672960B;1073741824:;536870912:;0;68719476736 mem_free_pct=62.5%;1.5625:;0.78125:;0;100 dom0_mem=4294967296B;;;0;68719476736 domains=7;;;0 domains_running=4;;;0 domains_blocked=1;;;0 domains_paused=1;;;0 domains_shutdown=0;;;0 domains_crashed=1;;;0 domains_dying=0;;;0 overcommit=0.289;;;0 mem_ballooned=2147483648B;;;0 vcpus=10;;;0 vcpu_overcommit=1.25;1;;0 domains_waiting=0;;;0 cpu=61.3%;50;70;0;100"
run $H -s sim:$DATA/healthy.sim --cpu-sample 200ms --cpu-warning 90
contains ", cpu 0.0% | "
contains " cpu=0%;90;;0;100"
run $H -s sim:$DATA/healthy.sim --cpu-sample 200ms --state-dir "$WORK/x"
expect_first 3 "XEN HOST UNKNOWN - --cpu-sample and --state-dir contradict each other: measure within the check or since the previous run"

done_testing
