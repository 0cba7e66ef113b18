#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/icinga2/xvmon.conf in the real Icinga 2: every plugin has a
# CheckCommand; the configuration check accepts the file with every custom
# variable set; a running daemon executes every CheckCommand (the sudo
# variants and the pool check included), passes each variable as the right
# argument, and gets the expected states and perfdata; a service that sets
# nothing but the source gets exactly what the plugin prints on its own (the
# defaults declared as vars are the plugins' own).
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/icinga-lib.sh"

CONF=$TOP/contrib/icinga2/xvmon.conf
I=$WORK/icinga2
mkdir -p $I/perf

# every plugin of the tree has a CheckCommand
for p in plugins/check_*; do
	case $p in *.c | *.o | *.d) continue ;; esac
	[ -x "$p" ] || continue
	checks=$((checks + 1))
	grep -q "command = \[ PluginDir + \"/${p#plugins/}\" \]" $CONF ||
		fail "${p#plugins/} has no CheckCommand in contrib/icinga2/xvmon.conf"
done

SIM="sim:$TOP/$DATA/healthy.sim"
INV=$TOP/$DATA/pool/healthy.ini
CAP="sim:$TOP/$DATA/capacity/cap-a.sim"
CAPINV=$TOP/$DATA/capacity/pool.ini
UUID=4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a04
cat >$I/services.conf <<CONF
object Host "xen01" {
  check_command = "dummy"
  enable_active_checks = false
  vars.xvmon_source = "$SIM"
}
template Service "fast" {
  host_name = "xen01"
  check_interval = 1s
  retry_interval = 1s
  max_check_attempts = 1
}
/* every variable of every command set, to values the plugins accept */
object Service "host-all" {
  import "fast"
  check_command = "xen_host"
  vars.xvmon_host_warning = "30%:"
  vars.xvmon_host_critical = "4G:"
  vars.xvmon_host_dom0_warning = "256M:"
  vars.xvmon_host_dom0_critical = "128M:"
  vars.xvmon_host_overcommit_warning = "2"
  vars.xvmon_host_overcommit_critical = "3"
  vars.xvmon_host_domains_warning = "20"
  vars.xvmon_host_domains_critical = "40"
  vars.xvmon_host_crashed_state = "WARNING"
  vars.xvmon_host_shutdown_state = "OK"
  vars.xvmon_host_paused_state = "WARNING"
  vars.xvmon_timeout = "20:UNKNOWN"
  vars.xvmon_verbose = 2
}
object Service "vm-all" {
  import "fast"
  check_command = "xen_vm"
  vars.xvmon_vm_name = "web1"
  vars.xvmon_vm_warning = "5G"
  vars.xvmon_vm_critical = "6G"
  vars.xvmon_vm_gap_warning = "1G"
  vars.xvmon_vm_gap_critical = "2G"
  vars.xvmon_vm_paused_state = "CRITICAL"
  vars.xvmon_vm_crashed_state = "WARNING"
  vars.xvmon_vm_dying_state = "WARNING"
  vars.xvmon_vm_shutdown_state = "WARNING"
  vars.xvmon_vm_missing_state = "UNKNOWN"
  vars.xvmon_verbose = true
}
object Service "vm-uuid" {
  import "fast"
  check_command = "xen_vm"
  vars.xvmon_vm_uuid = "$UUID"
  vars.xvmon_vm_gap_warning = "1"
  vars.xvmon_verbose = 3
}
object Service "pool-all" {
  import "fast"
  check_command = "xen_pool"
  vars.xvmon_pool_inventory = "$INV"
  vars.xvmon_pool_name = "prod"
  vars.xvmon_pool_warning = "99:"
  vars.xvmon_pool_critical = "95:"
  vars.xvmon_pool_vm_warning = "95:"
  vars.xvmon_pool_vm_critical = "90:"
  vars.xvmon_pool_server_warning = "99:"
  vars.xvmon_pool_server_critical = "50:"
  vars.xvmon_pool_duplicate_state = "WARNING"
  vars.xvmon_pool_unexpected_state = "OK"
  vars.xvmon_pool_parallel = 8
}
object Service "capacity-all" {
  import "fast"
  check_command = "xen_capacity"
  vars.xvmon_source = "$CAP"
  vars.xvmon_capacity_memory = "4G"
  vars.xvmon_capacity_maxmem = "4G"
  vars.xvmon_capacity_image = "plain"
  vars.xvmon_capacity_vcpus = 1
  vars.xvmon_capacity_committed = "300M"
  vars.xvmon_capacity_minmem = "256M"
  vars.xvmon_capacity_toolstack = "libxl"
  vars.xvmon_capacity_dom0_floor = "256M"
  vars.xvmon_capacity_no_autoballoon = false
  vars.xvmon_capacity_step = "5m"
  vars.xvmon_capacity_seeds = 3
  vars.xvmon_capacity_max_guests = 500
  vars.xvmon_capacity_warning = "2:"
  vars.xvmon_capacity_critical = "1:"
}
object Service "capacity-pool" {
  import "fast"
  check_command = "xen_capacity"
  vars.xvmon_source = "xen:"
  vars.xvmon_capacity_inventory = "$CAPINV"
  vars.xvmon_capacity_pool = "lab"
  vars.xvmon_capacity_memory = "2G"
  vars.xvmon_capacity_image = "plain"
  vars.xvmon_capacity_toolstack = "xend"
  vars.xvmon_capacity_dom0_floor = "512M"
}
object Service "host-cpu" {
  import "fast"
  check_command = "xen_host"
  vars.xvmon_host_vcpu_warning = "1"
  vars.xvmon_host_vcpu_critical = "8"
  vars.xvmon_host_cpu_warning = "90"
  vars.xvmon_host_cpu_critical = "98"
  vars.xvmon_cpu_sample = "200ms"
}
object Service "vms-all" {
  import "fast"
  check_command = "xen_vms"
  vars.xvmon_source = "sim:$I/vms.sim"
  vars.xvmon_vms_include = [ "^(web|db|batch|test-)", "^nothing\$\$" ]  // Icinga writes a literal \$ as \$\$
  vars.xvmon_vms_exclude = [ "^test-", "^nothing\$\$" ]
  vars.xvmon_vms_include_state = "running,blocked,paused,none"
  vars.xvmon_vms_exclude_state = "dying"
  vars.xvmon_vms_dom0 = true
  vars.xvmon_vms_paused_state = "CRITICAL"
  vars.xvmon_vms_crashed_state = "WARNING"
  vars.xvmon_vms_shutdown_state = "WARNING"
  vars.xvmon_vms_mem_warning = "99%"
  vars.xvmon_vms_mem_critical = "100%"
  vars.xvmon_vms_gap_warning = "512M"
  vars.xvmon_vms_gap_critical = "2G"
  vars.xvmon_vms_gap_for = "1m"
  vars.xvmon_vms_committed_warning = "90%"
  vars.xvmon_vms_committed_critical = "200%"
  vars.xvmon_vms_swap_warning = "1M"
  vars.xvmon_vms_swap_critical = "1G"
  vars.xvmon_vms_cpu_warning = "80"
  vars.xvmon_vms_cpu_critical = "99"
  vars.xvmon_vms_no_guest_data_state = "WARNING"
  vars.xvmon_vms_perfdata = "all"
  vars.xvmon_vms_names = 2
  vars.xvmon_cpu_sample = "200ms"
  vars.xvmon_state_dir = "$I/state-vms"
}
object Service "vms-hostile" {
  import "fast"
  check_command = "xen_vms"
  vars.xvmon_source = "sim:$I/hostile.sim"
  vars.xvmon_vms_perfdata = "all"
  vars.xvmon_vms_no_state = true
}
object Service "pool-vms" {
  import "fast"
  check_command = "xen_pool_vms"
  vars.xvmon_pool_inventory = "$INV"
  vars.xvmon_pool_duplicate_state = "WARNING"
  vars.xvmon_pool_parallel = 4
  vars.xvmon_state_dir = "$I/state-pool"
  vars.xvmon_vms_gap_warning = "1G"
  vars.xvmon_vms_gap_for = "1m"
}
/* nothing but what the plugin cannot guess (the state directory: not the
 * machine's) */
object Service "vms-default" {
  import "fast"
  check_command = "xen_vms"
  vars.xvmon_state_dir = "$I/state-default"
}
object Service "host-default" {
  import "fast"
  check_command = "xen_host"
}
object Service "vm-default" {
  import "fast"
  check_command = "xen_vm"
  vars.xvmon_vm_name = "web1"
}
object Service "pool-default" {
  import "fast"
  check_command = "xen_pool"
  vars.xvmon_pool_inventory = "$INV"
}
object Service "capacity-default" {
  import "fast"
  check_command = "xen_capacity"
  vars.xvmon_source = "$CAP"
  vars.xvmon_capacity_memory = "4G"
}
CONF
if command -v sudo >/dev/null && [ "$(id -u)" = 0 ]; then
	cat >>$I/services.conf <<CONF
object Service "host-sudo" {
  import "fast"
  check_command = "xen_host_sudo"
}
object Service "vm-sudo" {
  import "fast"
  check_command = "xen_vm_sudo"
  vars.xvmon_vm_name = "db1"
}
object Service "capacity-sudo" {
  import "fast"
  check_command = "xen_capacity_sudo"
  vars.xvmon_source = "$CAP"
  vars.xvmon_capacity_memory = "4G"
  vars.xvmon_capacity_image = "plain"
}
CONF
	cat >>$I/services.conf <<CONF
object Service "vms-sudo" {
  import "fast"
  check_command = "xen_vms_sudo"
  vars.xvmon_vms_no_state = true
}
CONF
	services=19
else
	printf '# SKIP-PART xen_host_sudo, xen_vm_sudo, xen_vms_sudo and xen_capacity_sudo not run: they need sudo installed and the test run as root\n'
	services=15
fi

# every variable the definitions read is set above
for v in $(grep -o '\$xvmon_[a-z0-9_]*\$' $CONF | tr -d '$' | sort -u); do
	checks=$((checks + 1))
	grep -q "vars\.$v = " $I/services.conf || fail "the test sets no value for $v: add it to a service above"
done

cat >$I/icinga2.conf <<CONF
include <itl>
include <plugins>
const PluginDir = "$TOP/plugins"
include "$CONF"
include "$I/services.conf"

object CheckerComponent "checker" { }
object FileLogger "commands" {
  path = "$I/commands.log"
  severity = "notice"
}
object PerfdataWriter "perf" {
  service_perfdata_path = "$I/perf/service.perf"
  service_temp_path = "$I/perf/service.tmp"
  host_perfdata_path = "$I/perf/host.perf"
  host_temp_path = "$I/perf/host.tmp"
  service_format_template = "$ICINGA_PERF_TEMPLATE"
  rotation_interval = 1s
}
CONF
# the VM scenario without its time: two snapshots 200 ms apart give rates
sed '/^time = /d' $DATA/vms/t1.sim >$I/vms.sim
# names with a quote, '=', '|', a space, a Latin-1 byte, UTF-8, a backslash
printf '[host]\nname = h\ntotal_memory = 16G\nfree_memory = 8G\ncpus = 4\ndom0_memory = 1G\n[domain o'"'"'hare=x|y]\nid = 1\nstate = running\nmemory = 1G\n[domain caf\351 \303\274 sp ace]\nid = 2\nstate = blocked\nmemory = 1G\n[domain q"uo\\te]\nid = 3\nstate = running\nmemory = 1G\nguest_total = 900M\nguest_free = 100M\nguest_cached = 100M\nguest_committed = 2G\nswap_total = 1G\nswap_used = 1M\n' >$I/hostile.sim

# shellcheck disable=SC2046 # the constants are words
run icinga2 daemon -C -c $I/icinga2.conf $(icinga_consts $I)
[ "$RC" = 0 ] || fail "icinga2 rejects the configuration: $OUT $ERR"
contains "Instantiated $services Services."
contains "Finished validating the configuration file(s)."
# shellcheck disable=SC2046
run icinga2 object list --type CheckCommand --name 'xen_*' $(icinga_consts $I)
for c in xen_host xen_vm xen_pool xen_vms xen_pool_vms xen_host_sudo xen_vm_sudo xen_vms_sudo xen_capacity xen_capacity_sudo; do
	contains "Object '$c' of type 'CheckCommand'"
done

icinga_start $I
seen() { cat $I/perf/service.perf* 2>/dev/null | grep -c "^SERVICEDESC::$1	" || true; }
all_seen() {
	for s in $(sed -n 's/^object Service "\([^"]*\)".*/\1/p' $I/services.conf); do
		[ "$(seen $s)" -gt 0 ] || return 1
	done
}
i=0
while [ $i -lt 80 ] && ! all_seen; do
	sleep 0.5
	i=$((i + 1))
done
# Read the results before stopping: at shutdown Icinga rotates its last
# perfdata file and may reuse the name of one written in the same second.
cat $I/perf/service.perf* >$I/results 2>/dev/null || true
icinga_stop
[ $i -lt 80 ] || fail "icinga2 did not run every check in 40 s: $(tail -n 20 $I/daemon.log)"

# line SERVICE: its first result, the long output joined with " // "
line() { icinga_results $I/results | grep "^SERVICEDESC::$1	" | head -n 1; }
# cmd SERVICE: the command line Icinga ran for it, as its log quotes it
cmd() {
	OUT=$(grep -m1 "Running command .*$1" $I/commands.log || true)
	LAST="command line of $2"
	[ -n "$OUT" ] || fail "no command line for $2 in the log"
}
# the arguments of a run of each plugin, found by a value only it has
cmd "'-w' '30%:'" host-all
for a in "'-s' '$SIM'" "'-c' '4G:'" "'--dom0-warning' '256M:'" "'--dom0-critical' '128M:'" \
	"'--overcommit-warning' '2'" "'--overcommit-critical' '3'" "'--domains-warning' '20'" \
	"'--domains-critical' '40'" "'--crashed' 'WARNING'" "'--shutdown' 'OK'" "'--paused' 'WARNING'" \
	"'-t' '20:UNKNOWN'" "'-vv'"; do
	contains "$a"
done
cmd "'--missing' 'UNKNOWN'" vm-all
for a in "'-w' '5G'" "'-c' '6G'" "'--gap-warning' '1G'" "'--gap-critical' '2G'" \
	"'-n' 'web1'" "'--paused' 'CRITICAL'" "'--crashed' 'WARNING'" "'--dying' 'WARNING'" "'--shutdown' 'WARNING'" \
	"'-v'"; do
	contains "$a"
done
cmd "'-u' '$UUID'" vm-uuid
contains "'-vvv'"
cmd "'-p' 'prod'" pool-all
for a in "'-i' '$INV'" "'-w' '99:'" "'-c' '95:'" "'--vm-warning' '95:'" "'--vm-critical' '90:'" \
	"'--server-warning' '99:'" "'--server-critical' '50:'" "'--duplicate' 'WARNING'" \
	"'--unexpected' 'OK'" "'-P' '8'" "'-t' '10:CRITICAL'"; do
	contains "$a"
done
cmd "'--max-guests' '500'" capacity-all
for a in "'-s' '$CAP'" "'-m' '4G'" "'--maxmem' '4G'" "'--image' 'plain'" "'--vcpus' '1'" \
	"'--committed' '300M'" "'--minmem' '256M'" "'--toolstack' 'libxl'" "'--dom0-floor' '256M'" \
	"'--step' '5m'" "'--seeds' '3'" "'-w' '2:'" "'-c' '1:'" "'-t' '10:CRITICAL'"; do
	contains "$a"
done
! printf '%s' "$OUT" | grep -q no-autoballoon || fail "--no-autoballoon passed while its variable is false"
cmd "'-i' '$CAPINV'" capacity-pool
for a in "'-p' 'lab'" "'-m' '2G'" "'--toolstack' 'xend'" "'--dom0-floor' '512M'" "'-s' 'xen:'"; do
	contains "$a"
done
cmd "'--names' '2'" vms-all
for a in "'-s' 'sim:$I/vms.sim'" "'--include' '^(web|db|batch|test-)' '--include' '^nothing\$'" \
	"'--exclude' '^test-' '--exclude' '^nothing\$'" "'--include-state' 'running,blocked,paused,none'" \
	"'--exclude-state' 'dying'" "'--dom0'" "'--paused' 'CRITICAL'" "'--crashed' 'WARNING'" "'--shutdown' 'WARNING'" \
	"'--mem-warning' '99%'" "'--mem-critical' '100%'" "'--gap-warning' '512M'" "'--gap-critical' '2G'" \
	"'--gap-for' '1m'" "'--committed-warning' '90%'" "'--committed-critical' '200%'" "'--swap-warning' '1M'" \
	"'--swap-critical' '1G'" "'--cpu-warning' '80'" "'--cpu-critical' '99'" "'--no-guest-data' 'WARNING'" \
	"'--perfdata' 'all'" "'--cpu-sample' '200ms'" "'--state-dir' '$I/state-vms'" "'-t' '10:CRITICAL'"; do
	contains "$a"
done
cmd "'--no-state'" vms-hostile
cmd "'$TOP/plugins/check_xen_pool' '--vms'" pool-vms
for a in "'-i' '$INV'" "'--duplicate' 'WARNING'" "'-P' '4'" "'--state-dir' '$I/state-pool'" \
	"'--gap-warning' '1G'" "'--gap-for' '1m'"; do
	contains "$a"
done
cmd "'--cpu-sample' '200ms' '--cpu-warning' '90'" host-cpu
for a in "'--vcpu-warning' '1'" "'--vcpu-critical' '8'" "'--cpu-critical' '98'"; do
	contains "$a"
done
if [ $services = 19 ]; then
	cmd "'/usr/bin/sudo' '-n' '$TOP/plugins/check_xen_vm'" vm-sudo
	contains "'-n' 'db1'"
	cmd "'/usr/bin/sudo' '-n' '$TOP/plugins/check_xen_capacity'" capacity-sudo
fi

# 25% free is below the service's 30%: (WARNING); overcommit 0.6875 is inside 0..2
OUT=$(line host-all)
contains "SERVICESTATE::WARNING"
contains "SERVICECHECKCOMMAND::xen_host"
contains "mem_free=8589934592B;10307921510:;4294967296:;0;34359738368"
contains "overcommit=0.688;2;3;0"
contains "domains=6;20;40;0"
OUT=$(line vm-all)
contains "SERVICESTATE::OK"
contains "SERVICEPERFDATA::mem_current=4294967296B;5368709120;6442450944;0;4294967296 mem_target=4294967296B;;;0;4294967296"
contains "balloon_gap=0B;1073741824;2147483648;0"
OUT=$(line vm-uuid)
contains "SERVICESTATE::OK"
contains "cache1"
contains "balloon_gap=0B;1;;0"
OUT=$(line pool-all)
contains "SERVICESTATE::OK"
contains "SERVICECHECKCOMMAND::xen_pool"
contains "availability=100%;99:;95:;0;100 vm_ratio=100%;95:;90:;0;100 server_ratio=100%;99:;50:;0;100"
# check_xen_capacity (t0140 works the numbers out): one more 4 GiB plain
# guest fits on cap-a, fewer than 2: (WARNING); dom0 may give down to 256 MiB
OUT=$(line capacity-all)
contains "SERVICESTATE::WARNING"
contains "SERVICECHECKCOMMAND::xen_capacity"
contains "SERVICEPERFDATA::headroom=1;2:;1:;0 headroom_create=1;;;0 need=4297064448B;;;0 idle_footprint=4294967296B;;;0 free=6442450944B;;;0 dom0_give=805306368B;;;0"
contains "1 vCPU;"
# the pool: 3 + 3 guests of 2 GiB under xend's law, per-host labels
OUT=$(line capacity-pool)
contains "SERVICESTATE::OK"
contains "SERVICEPERFDATA::headroom=6;2:;1:;0 cap-a_headroom=3;;;0 cap-b_headroom=3;;;0"
OUT=$(line host-cpu)
contains "SERVICESTATE::WARNING"
contains "vcpu_overcommit=1.375;1;8;0"
contains " cpu=0%;90;98;0;100"
OUT=$(line vms-all)
# every VM above 99% of its maximum or without guest figures (--no-guest-data WARNING), none critical
contains "SERVICESTATE::WARNING"
contains "web2 no guest memory figures (!), 1 more VM with problems (!)"
contains "SERVICECHECKCOMMAND::xen_vms"
contains "db1_committed=8053063680B;7730941133;17179869184;0"
contains "web1_cpu=0%;80;99;0"
contains "db1_disk_read_Bps=0;;;0"
case $OUT in *test-scratch*) fail "the exclude list did not reach the plugin: $OUT" ;; esac
OUT=$(line vms-hostile)
contains " o''hare_x_y_mem=1073741824B;;;0;1073741824"
OUT=$(line pool-vms)
contains "SERVICECHECKCOMMAND::xen_pool_vms"
contains "web1_gap=0B;1073741824;;0"
if [ $services = 19 ]; then
	OUT=$(line capacity-sudo)
	contains "SERVICESTATE::WARNING"
	contains "SERVICECHECKCOMMAND::xen_capacity_sudo"
	contains "headroom=1;2:;1:;0"
	OUT=$(line vms-sudo)
	contains "SERVICECHECKCOMMAND::xen_vms_sudo"
	contains "SERVICEOUTPUT::XEN VMS "
	OUT=$(line host-sudo)
	contains "SERVICESTATE::OK"
	contains "SERVICECHECKCOMMAND::xen_host_sudo"
	OUT=$(line vm-sudo)
	contains "SERVICESTATE::OK"
	contains "SERVICEOUTPUT::XEN VM OK - db1"
fi

# the declared defaults are the plugins' own: the same text and perfdata
# thresholds as the plugin run with nothing but what the service set
# same SERVICE PLUGIN ARGS...: compares the status line (and perfdata, poll_time aside)
same() {
	svc=$1
	shift
	direct=$("$@" || true)
	first=$(printf '%s\n' "$direct" | head -n 1)
	text=${first%% | *}
	# the long output, as Icinga joins it: " // " before each line
	long=$(printf '%s\n' "$direct" | sed '1d' | sed 's|^| // |' | tr -d '\n')
	perf=$(printf '%s' "${first#* | }" | sed 's/ poll_time=[^ ]*//')
	OUT=$(line $svc | sed 's/ poll_time=[^	]*//')
	LAST="$svc against $*"
	contains "SERVICEOUTPUT::$text $long	"
	contains "SERVICEPERFDATA::$perf"
}
same host-default plugins/check_xen_host -s "$SIM"
same vm-default plugins/check_xen_vm -s "$SIM" -n web1
same pool-default plugins/check_xen_pool -i "$INV"
same vms-default plugins/check_xen_vms -s "$SIM" --state-dir "$WORK/state-direct"
same capacity-default plugins/check_xen_capacity -s "$CAP" -m 4G

done_testing
