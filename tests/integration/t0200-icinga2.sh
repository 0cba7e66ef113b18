#!/bin/sh
# contrib/icinga2/xvmon.conf in the real Icinga 2: the configuration check
# accepts it, and a running daemon executes the plugins through the
# CheckCommands, parses their perfdata and gets the expected states.
. "$TOP/tests/integration/lib.sh"
command -v icinga2 >/dev/null || skip "icinga2 is not installed (Debian package icinga2-bin)"

I=$WORK/icinga2
mkdir -p $I/data $I/log $I/cache $I/spool $I/run $I/perf
consts="-DDataDir=$I/data -DLogDir=$I/log -DCacheDir=$I/cache -DSpoolDir=$I/spool
 -DInitRunDir=$I/run -DRunAsUser=$(id -un) -DRunAsGroup=$(id -gn)"

cat >$I/icinga2.conf <<CONF
include <itl>
include <plugins>
const PluginDir = "$TOP/plugins"
include "$TOP/contrib/icinga2/xvmon.conf"

object CheckerComponent "checker" { }
object PerfdataWriter "perf" {
  service_perfdata_path = "$I/perf/service.perf"
  service_temp_path = "$I/perf/service.tmp"
  host_perfdata_path = "$I/perf/host.perf"
  host_temp_path = "$I/perf/host.tmp"
  rotation_interval = 1s
}
object Host "xen01" {
  check_command = "dummy"
  vars.xen_source = "sim:$TOP/$DATA/healthy.sim"
}
object Service "memory" {
  host_name = "xen01"
  check_command = "xen_host"
  check_interval = 1s
  vars.xen_host_warning = "30%:"
  vars.xen_host_overcommit_critical = "2"
}
object Service "web1" {
  host_name = "xen01"
  check_command = "xen_vm"
  check_interval = 1s
  vars.xen_vm_name = "web1"
  vars.xen_verbose = true
}
object Service "cache1" {
  host_name = "xen01"
  check_command = "xen_vm_by_uuid"
  check_interval = 1s
  vars.xen_vm_uuid = "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a04"
  vars.xen_vm_gap_warning = "1"
}
object Host "cap-a" {
  check_command = "dummy"
  vars.xen_source = "sim:$TOP/$DATA/capacity/cap-a.sim"
}
object Service "room" {
  host_name = "cap-a"
  check_command = "xen_capacity"
  check_interval = 1s
  vars.xen_capacity_memory = "4G"
  vars.xen_capacity_image = "plain"
}
object Host "lab" {
  check_command = "dummy"
}
object Service "room-pool" {
  host_name = "lab"
  check_command = "xen_capacity"
  check_interval = 1s
  vars.xen_capacity_inventory = "$TOP/$DATA/capacity/pool.ini"
  vars.xen_capacity_memory = "2G"
  vars.xen_capacity_image = "plain"
  vars.xen_capacity_toolstack = "xend"
  vars.xen_capacity_dom0_floor = "512M"
}
CONF

run icinga2 daemon -C -c $I/icinga2.conf $consts
[ "$RC" = 0 ] || fail "icinga2 rejects the configuration: $OUT $ERR"
contains "Instantiated 5 Services."
contains "Finished validating the configuration file(s)."

# A required argument left out is an error Icinga reports at check time;
# here we only make sure the daemon knows both forms.
run icinga2 object list --type CheckCommand --name 'xen_*' $consts
contains "Object 'xen_host' of type 'CheckCommand'"
contains "Object 'xen_vm' of type 'CheckCommand'"
contains "Object 'xen_vm_by_uuid' of type 'CheckCommand'"
contains "Object 'xen_capacity' of type 'CheckCommand'"

icinga2 daemon -c $I/icinga2.conf $consts >$I/daemon.log 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true; rm -rf "$WORK"' EXIT
seen() { cat $I/perf/service.perf* 2>/dev/null | grep -c "SERVICEDESC::$1	" || true; }
i=0
while [ $i -lt 60 ]; do
	[ "$(seen memory)" -gt 0 ] && [ "$(seen web1)" -gt 0 ] && [ "$(seen cache1)" -gt 0 ] &&
		[ "$(seen room)" -gt 0 ] && [ "$(seen room-pool)" -gt 0 ] && break
	sleep 0.5
	i=$((i + 1))
done
# Read the results before stopping: at shutdown Icinga rotates its last
# perfdata file and may reuse the name of one written in the same second.
cat $I/perf/service.perf* >$I/results 2>/dev/null || true
kill $daemon
wait $daemon || true
[ $i -lt 60 ] || fail "icinga2 ran no checks in 30 s: $(tail -n 20 $I/daemon.log)"

line() { grep "SERVICEDESC::$1	" $I/results | head -n 1; }
# 25% free is below the service's 30%: (WARNING); overcommit 0.6875 is inside 0..2
OUT=$(line memory)
contains "SERVICESTATE::WARNING"
contains "SERVICECHECKCOMMAND::xen_host"
contains "mem_free=8589934592B;10307921510:;1717986918:;0;34359738368"
contains "overcommit=0.688;;2;0"
OUT=$(line web1)
contains "SERVICESTATE::OK"
contains "SERVICEPERFDATA::mem_current=4294967296B;;;0;4294967296 mem_target=4294967296B;;;0;4294967296"
OUT=$(line cache1)
contains "SERVICESTATE::OK"
contains "SERVICECHECKCOMMAND::xen_vm_by_uuid"
contains "balloon_gap=0B;1;;0"
# check_xen_capacity (t0140 works the numbers out): one more 4 GiB plain
# guest fits on cap-a, fewer than the default 2: (WARNING)
OUT=$(line room)
contains "SERVICESTATE::WARNING"
contains "SERVICECHECKCOMMAND::xen_capacity"
contains "SERVICEPERFDATA::headroom=1;2:;1:;0 headroom_create=1;;;0 need=4297064448B;;;0 idle_footprint=4294967296B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"
# the pool: 3 + 3 guests of 2 GiB under xend's law, per-host labels
OUT=$(line room-pool)
contains "SERVICESTATE::OK"
contains "SERVICEPERFDATA::headroom=6;2:;1:;0 cap-a_headroom=3;;;0 cap-b_headroom=3;;;0"

done_testing
