#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The sudoers snippet (contrib/sudoers/xvmon) and the NRPE commands
# (contrib/nrpe/xvmon.cfg): the commands run and their arguments are ones the
# plugins accept; visudo accepts the snippet; and the real sudo, given the
# snippet in a private mount namespace (the machine's /etc/sudoers.d is not
# touched), lets the nagios user run the NRPE commands and the Icinga 2
# sudo commands with every argument they pass, and refuses arguments that
# would make root read a file the caller names.
. "$TOP/tests/integration/lib.sh"
PLUGINS=$TOP/plugins
SIM=sim:$TOP/$DATA/healthy.sim
# check_xen_vms keeps state: never in the machine's /var/lib/xvmon
export XVMON_STATE_DIR="$WORK/state"

# nrpe_args NAME: the arguments of command[NAME] after the plugin's path
nrpe_args() {
	sed -n "s|^command\[$1\]=/usr/bin/sudo -n @PLUGINDIR@/[a-z_]* ||p" contrib/nrpe/xvmon.cfg | sed 's/\$ARG1\$/web1/'
}
nrpe_commands=$(sed -n 's/^command\[\([a-z_]*\)\]=.*/\1/p' contrib/nrpe/xvmon.cfg)
[ -n "$nrpe_commands" ] || fail "no command in contrib/nrpe/xvmon.cfg"
for c in $nrpe_commands; do
	checks=$((checks + 1))
	grep -q "^command\[$c\]=/usr/bin/sudo -n @PLUGINDIR@/$c " contrib/nrpe/xvmon.cfg ||
		fail "NRPE command $c does not run @PLUGINDIR@/$c through sudo -n"
	# shellcheck disable=SC2046 # the arguments are words
	run $PLUGINS/$c $(nrpe_args $c) -s $SIM
	checks=$((checks + 1))
	[ "$RC" = 0 ] || fail "NRPE command $c on healthy.sim: exit $RC: $OUT"
done

# check_xen_vms' NRPE command on a host whose VMs have problems, twice
# (tests/data/vms: t1 is t0 + 60 s), as NRPE would run it every minute: the
# first run keeps the counters, the second computes rates from them.  db1's
# Committed_AS is 93.7% of its maximum (t0150 derives it): WARNING above
# 90%.  After 60 s test-scratch used 60 s of CPU on its one vCPU: 100%,
# above 95%.  web2's balloon is 1 GiB above its target, above 256M but not
# yet for 5 minutes: OK.
cp $DATA/vms/t0.sim $WORK/host.sim
# shellcheck disable=SC2046 # the arguments are words
run $PLUGINS/check_xen_vms $(nrpe_args check_xen_vms) -s sim:$WORK/host.sim
first=$(printf '%s\n' "$OUT" | head -n 1)
checks=$((checks + 1))
[ "$RC" = 2 ] && [ "${first%% | *}" = "XEN VMS CRITICAL - xen07: crashed1 crashed (!!), db1 committed 7.5 GiB of 8 GiB (93.7%) (!), paused1 paused (!), first run: rates and durations from the next run on, 6 VMs (1 critical, 2 warning, 3 ok)" ] ||
	fail "NRPE command check_xen_vms, first run: exit $RC: $first"
cp $DATA/vms/t1.sim $WORK/host.sim
# shellcheck disable=SC2046
run $PLUGINS/check_xen_vms $(nrpe_args check_xen_vms) -s sim:$WORK/host.sim --names 5
first=$(printf '%s\n' "$OUT" | head -n 1)
checks=$((checks + 1))
[ "$RC" = 2 ] && [ "${first%% | *}" = "XEN VMS CRITICAL - xen07: crashed1 crashed (!!), db1 committed 7.5 GiB of 8 GiB (93.7%) (!), paused1 paused (!), test-scratch cpu 100.0% (!), 6 VMs (1 critical, 3 warning, 2 ok)" ] ||
	fail "NRPE command check_xen_vms, second run: exit $RC: $first"
contains "web2 (id 2, -b----, OK): blocked, memory 2 GiB of 4 GiB max (50.0%), balloon 1 GiB above target 1 GiB for 60 s (alerts after 5 min)"

# The argument lists Icinga 2 builds from the declared defaults (sorted as
# Icinga sorts them), and the ones t0200 builds with every variable set.
icinga_host='--crashed CRITICAL --paused OK --shutdown WARNING -c 5%: -s xen: -t 10:CRITICAL -w 10%:'
icinga_host_all='--crashed WARNING --dom0-critical 128M: --dom0-warning 256M: --domains-critical 40 --domains-warning 20 --overcommit-critical 3 --overcommit-warning 2 --paused WARNING --shutdown OK -c 4G: -s xen: -t 20:UNKNOWN -vv -w 30%:'
icinga_vm='--crashed CRITICAL --dying CRITICAL --missing CRITICAL --paused WARNING --shutdown CRITICAL -n web1 -s xen: -t 10:CRITICAL'
icinga_vm_all='--crashed WARNING --dying WARNING --gap-critical 2G --gap-warning 1G --missing UNKNOWN --paused CRITICAL --shutdown WARNING -c 6G -n web1 -s xen: -t 10:CRITICAL -v -w 5G'
icinga_vm_uuid='-u 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a04 -s xen: -vvv --gap-warning 1'
icinga_capacity='--committed 380M --image clean --max-guests 1000 --seeds 5 --step 10m --toolstack libxl --vcpus 2 -c 1: -m 4G -s xen: -t 10:CRITICAL -w 2:'
icinga_capacity_all='--committed 300M --dom0-floor 256M --image plain --max-guests 500 --maxmem 4G --minmem 256M --no-autoballoon --seeds 3 --step 5m --toolstack xend --vcpus 1 -c 1: -m 4G -s xen: -t 20:UNKNOWN -vv -w 2:'
for args in "$icinga_capacity" "$icinga_capacity_all"; do
	# shellcheck disable=SC2086
	run $PLUGINS/check_xen_capacity $(printf '%s' "$args" | sed "s|-s xen:|-s sim:$TOP/$DATA/capacity/cap-a.sim|")
	checks=$((checks + 1))
	[ "$RC" -le 2 ] || fail "check_xen_capacity $args: exit $RC: $OUT"
done
icinga_host_cpu='--cpu-critical 98 --cpu-sample 200ms --cpu-warning 90 --vcpu-critical 8 --vcpu-warning 1 -s xen: -t 10:CRITICAL'
icinga_vms='--crashed CRITICAL --names 3 --no-guest-data OK --no-state --paused WARNING --shutdown CRITICAL -s xen: -t 10:CRITICAL'
icinga_vms_all='--committed-critical 200% --committed-warning 90% --cpu-critical 99 --cpu-sample 200ms --cpu-warning 80 --crashed WARNING --dom0 --exclude ^test- --exclude ^nothing$ --exclude-state dying --gap-critical 2G --gap-for 1m --gap-warning 512M --include ^web --include-state running,blocked,paused,none --mem-critical 100% --mem-warning 99% --names 2 --no-guest-data WARNING --paused CRITICAL --perfdata all --shutdown WARNING --swap-critical 1G --swap-warning 1M -s xen: -t 10:CRITICAL -vv'
for args in "$icinga_host" "$icinga_host_all" "$icinga_host_cpu"; do
	# shellcheck disable=SC2086
	run $PLUGINS/check_xen_host $(printf '%s' "$args" | sed "s|-s xen:|-s $SIM|")
	checks=$((checks + 1))
	[ "$RC" -le 2 ] || fail "check_xen_host $args: exit $RC: $OUT"
done
for args in "$icinga_vms" "$icinga_vms_all"; do
	# shellcheck disable=SC2086
	run $PLUGINS/check_xen_vms $(printf '%s' "$args" | sed "s|-s xen:|-s $SIM|")
	checks=$((checks + 1))
	[ "$RC" -le 2 ] || fail "check_xen_vms $args: exit $RC: $OUT"
done

command -v visudo >/dev/null || skip "sudo is not installed (Debian package sudo): sudoers snippet not checked"
S=$WORK/sudoers.d
mkdir -m 755 $S
sed "s|@PLUGINDIR@|$PLUGINS|g; s|@BINDIR@|$TOP/contrib|g" contrib/sudoers/xvmon >$S/xvmon
chmod 440 $S/xvmon
run visudo -cf $S/xvmon
checks=$((checks + 1))
[ "$RC" = 0 ] || fail "visudo rejects the snippet: $OUT $ERR"

[ "$(id -u)" = 0 ] || skip "not root: the snippet cannot be tried in a private mount namespace"
id nagios >/dev/null 2>&1 || skip "no nagios user (Debian packages nagios4-core or icinga2 create it)"
command -v unshare >/dev/null || skip "unshare is missing (util-linux)"
unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"

# In a private mount namespace our snippet is /etc/sudoers.d; every case
# prints "ALLOWED" or "REFUSED" for the arguments of one plugin.
cat >$WORK/cases <<CASES
check_xen_host	ALLOWED	$(nrpe_args check_xen_host)
check_xen_vm	ALLOWED	$(nrpe_args check_xen_vm)
check_xen_vms	ALLOWED	$(nrpe_args check_xen_vms)
check_xen_host	ALLOWED	$icinga_host
check_xen_host	ALLOWED	$icinga_host_all
check_xen_vm	ALLOWED	$icinga_vm
check_xen_vm	ALLOWED	$icinga_vm_all
check_xen_vm	ALLOWED	$icinga_vm_uuid
check_xen_host	ALLOWED	$icinga_host_cpu
check_xen_vms	ALLOWED	$icinga_vms
check_xen_vms	ALLOWED	$icinga_vms_all
check_xen_vms	ALLOWED	
check_xen_host	REFUSED	--cpu-warning 90 --state-dir /etc
check_xen_vms	REFUSED	--state-dir /etc
check_xen_vms	REFUSED	-s sim:/etc/shadow
check_xen_vms	REFUSED	--include x -s sim:/etc/shadow
check_xen_vms	REFUSED	--include ../../etc
check_xen_vms	REFUSED	--include a/b
check_xen_vms	REFUSED	-s libvirt:qemu:///system
check_xen_host	ALLOWED	
check_xen_host	REFUSED	-s sim:/etc/shadow
check_xen_host	REFUSED	-w 10%: -s sim:/etc/shadow
check_xen_host	REFUSED	-ssim:/etc/shadow
check_xen_host	REFUSED	--sou=sim:/etc/shadow
check_xen_host	REFUSED	--source sim:x
check_xen_host	REFUSED	-w 10%:-s
check_xen_vm	REFUSED	-n web1 -s sim:x
check_xen_vm	REFUSED	-n ../../etc/shadow
check_xen_vm	REFUSED	-n web1 -s xen: -s sim:x
check_xen_capacity	ALLOWED	$icinga_capacity
check_xen_capacity	ALLOWED	$icinga_capacity_all
check_xen_capacity	REFUSED	-m 4G -i /etc/shadow
check_xen_capacity	REFUSED	-m 4G -s sim:/etc/shadow
check_xen_capacity	REFUSED	-m 4G --image ../../etc/shadow
check_xen_capacity	REFUSED	-m 4G --toolstack=xend
check_xen_capacity	REFUSED	-m 4G --step 10m -s sim:x
check_xen_pool	REFUSED	-i /etc/shadow
$TOP/contrib/xvmon-snapshot	ALLOWED	-t 11 --wire 2
$TOP/contrib/xvmon-snapshot	REFUSED	-t 11 --wire 2 sim:/etc/shadow
$TOP/contrib/xvmon-snapshot	REFUSED	-t 11 --wire 2 --act destroy --domain web1
$TOP/contrib/xvmon-snapshot	REFUSED	--json sim:/etc/shadow
CASES
cat >$WORK/try.sh <<'TRY'
mount --bind "$1" /etc/sudoers.d || exit 2
while IFS='	' read -r plugin want args; do
	# shellcheck disable=SC2086 # the arguments are words
	case $plugin in /*) path=$plugin ;; *) path=$2/$plugin ;; esac
	if runuser -u nagios -- sudo -n -l "$path" $args >/dev/null 2>&1; then got=ALLOWED; else got=REFUSED; fi
	printf '%s\t%s\t%s\t%s\n' "$got" "$want" "$plugin" "$args"
done <"$3"
TRY
run unshare -m sh $WORK/try.sh $S $PLUGINS $WORK/cases
[ "$RC" = 0 ] || fail "could not try the snippet: $OUT $ERR"
n=0
while IFS='	' read -r got want plugin args; do
	n=$((n + 1))
	checks=$((checks + 1))
	[ "$got" = "$want" ] || fail "sudo with the snippet: $plugin $args: $got, expected $want"
done <<EOF
$OUT
EOF
[ $n = "$(wc -l <$WORK/cases)" ] || fail "only $n of the sudo cases ran: $OUT"

done_testing
