#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# With the packages installed: Icinga 2's template library (include
# <plugins-contrib>) holds xvmon's CheckCommands, which run the installed
# plugins; a private daemon runs the pool check on the example inventory.
set -eu
d=$(mktemp -d)
pid=""
trap '[ -z "$pid" ] || kill $pid 2>/dev/null || true; rm -rf "$d"' EXIT
mkdir -p $d/data $d/log $d/cache $d/spool $d/run
set -- -DDataDir=$d/data -DLogDir=$d/log -DCacheDir=$d/cache -DSpoolDir=$d/spool \
	-DInitRunDir=$d/run -DRunAsUser=$(id -un) -DRunAsGroup=$(id -gn)
cat >$d/icinga2.conf <<CONF
const PluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
const ManubulonPluginDir = "/usr/lib/nagios/plugins"
include <itl>
include <plugins>
include <plugins-contrib>
object CheckerComponent "checker" { }
object Host "pool" {
  check_command = "dummy"
  enable_active_checks = false
}
object Service "availability" {
  host_name = "pool"
  check_command = "xen_pool"
  check_interval = 1s
  vars.xvmon_pool_inventory = "/etc/xvmon/inventory.ini"
}
object FileLogger "results" {
  path = "$d/results.log"
  severity = "notice"
}
CONF
icinga2 daemon -C -c $d/icinga2.conf "$@" | grep -F 'Instantiated 1 Service.'
icinga2 object list --type CheckCommand --name 'xen_*' "$@" | grep -F "/usr/share/icinga2/include/plugins-contrib.d/xvmon.conf" | head -n 1
icinga2 daemon -c $d/icinga2.conf "$@" >$d/daemon.log 2>&1 &
pid=$!
i=0
until grep -q "check_xen_pool.*terminated with exit code 0" $d/results.log 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 60 ] || { tail -n 20 $d/daemon.log; echo "no pool check ran"; exit 1; }
	sleep 0.5
done
grep -m1 "Running command '/usr/lib/nagios/plugins/check_xen_pool'" $d/results.log
echo "installed CheckCommand xen_pool ran /usr/lib/nagios/plugins/check_xen_pool: exit 0"
