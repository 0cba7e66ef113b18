#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Scale-out on Icinga 2's distributed engine, with real daemons: a master
# and a satellite on loopback, each with its own configuration, data and
# port, and certificates made with `icinga2 pki` (one CA, one certificate
# per node).  The zones are contrib/icinga2/zones/zones.conf (the agent zones
# left out: no dom0 runs here); the master syncs the pool's objects to the
# satellite (zones.d, as in contrib/icinga2/zones/pool-prod.conf); the
# satellite runs check_xen_pool and check_xen_host on sim: data (the host
# check through command_endpoint); the master receives the results with
# their state, check source and perfdata.  The shipped example itself
# passes the master's configuration check.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/icinga-lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed (it picks free ports)"

EX=$TOP/contrib/icinga2/zones
MASTER=master.example.org
SAT=satellite-prod.example.org
M=$WORK/master
S=$WORK/satellite
mkdir -p $M/zones.d/pool-prod $M/zones.d/global-templates $S/zones.d $M/perf

# two free loopback ports
ports=$(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
PM=${ports% *}
PS=${ports#* }

# consts DIR NODE: the -D options of one node
consts() {
	printf '%s ' $(icinga_consts "$1") "-DNodeName=$2" "-DZonesDir=$1/zones.d"
}

# --- certificates: a CA on the master, a certificate per node ---------------
for node in "$M $MASTER" "$S $SAT"; do
	set -- $node
	mkdir -p $1/data/certs
done
# shellcheck disable=SC2046 # the constants are words
run icinga2 pki new-ca $(consts $M $MASTER)
[ "$RC" = 0 ] || fail "icinga2 pki new-ca: $OUT $ERR"
for node in "$M $MASTER" "$S $SAT"; do
	set -- $node
	# shellcheck disable=SC2046
	run icinga2 pki new-cert --cn $2 --key $1/data/certs/$2.key --csr $WORK/$2.csr $(consts $M $MASTER)
	[ "$RC" = 0 ] || fail "icinga2 pki new-cert for $2: $OUT $ERR"
	# shellcheck disable=SC2046
	run icinga2 pki sign-csr --csr $WORK/$2.csr --cert $1/data/certs/$2.crt $(consts $M $MASTER)
	[ "$RC" = 0 ] || fail "icinga2 pki sign-csr for $2: $OUT $ERR"
	cp $M/data/ca/ca.crt $1/data/certs/ca.crt
	# shellcheck disable=SC2046
	run icinga2 pki verify --cn $2 --cert $1/data/certs/$2.crt --cacert $1/data/certs/ca.crt $(consts $M $MASTER)
	checks=$((checks + 1))
	[ "$RC" = 0 ] || fail "icinga2 pki verify for $2: $OUT $ERR"
done

# --- the shipped example passes the master's configuration check -----------
E=$WORK/example
mkdir -p $E/zones.d/pool-prod
cp $EX/pool-prod.conf $E/zones.d/pool-prod/xvmon.conf
cat >$E/icinga2.conf <<CONF
include <itl>
include <plugins>
const PluginDir = "$TOP/plugins"
include "$TOP/contrib/icinga2/xvmon.conf"
include "$EX/zones.conf"
CONF
# shellcheck disable=SC2046
run icinga2 daemon -C -c $E/icinga2.conf $(consts $E $MASTER)
[ "$RC" = 0 ] || fail "icinga2 rejects the zones example: $OUT $ERR"
contains "Instantiated 3 Hosts."
contains "Instantiated 3 Services."

# --- zones: the example's, on loopback ports, without the agent zones ------
awk -v pm=$PM -v ps=$PS -v m=$MASTER -v s=$SAT '
	/One agent zone per dom0/ { skip = 1 }
	/Templates every node shares/ { skip = 0 }
	skip { next }
	/^object Endpoint/ { ep = $3 }
	/host = / { print "\thost = \"127.0.0.1\""; next }
	/port = / { print "\tport = " (ep == "\"" m "\"" ? pm : ps); next }
	{ print }' $EX/zones.conf >$WORK/zones.conf
grep -q "port = $PS" $WORK/zones.conf && grep -q "port = $PM" $WORK/zones.conf ||
	fail "could not adapt the zones example: $(cat $WORK/zones.conf)"

# --- the pool's objects, synced from the master to the satellite ------------
# As in the example, with sim: data and the satellite as the dom0s' agent.
INV=$TOP/$DATA/pool/degraded.ini
cat >$M/zones.d/pool-prod/xvmon.conf <<CONF
object Host "pool-prod" {
	check_command = "dummy"
	enable_active_checks = false
	vars.xvmon_pool_inventory = "$INV"
	vars.xvmon_pool_name = "prod"
}
object Service "xen-pool" {
	host_name = "pool-prod"
	check_command = "xen_pool"
	check_interval = 1s
	retry_interval = 1s
	vars.xvmon_timeout = "5"
}
object Host "xen01" {
	check_command = "dummy"
	enable_active_checks = false
	vars.xvmon_agent = "$SAT"
	vars.xvmon_source = "sim:$TOP/$DATA/low-memory.sim"
}
apply Service "xen-memory" {
	check_command = "xen_host"
	command_endpoint = host.vars.xvmon_agent
	check_interval = 1s
	retry_interval = 1s
	vars.xvmon_host_warning = "15%:"
	assign where host.vars.xvmon_agent
}
CONF

common="include <itl>
include <plugins>
const PluginDir = \"$TOP/plugins\"
include \"$TOP/contrib/icinga2/xvmon.conf\"
include \"$WORK/zones.conf\""
cat >$M/icinga2.conf <<CONF
$common
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $PM
}
object CheckerComponent "checker" { }
object PerfdataWriter "perf" {
	service_perfdata_path = "$M/perf/service.perf"
	service_temp_path = "$M/perf/service.tmp"
	host_perfdata_path = "$M/perf/host.perf"
	host_temp_path = "$M/perf/host.tmp"
	service_format_template = "$ICINGA_PERF_TEMPLATE"
	rotation_interval = 1s
}
CONF
cat >$S/icinga2.conf <<CONF
$common
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $PS
	accept_config = true
	accept_commands = true
}
object CheckerComponent "checker" { }
CONF

# shellcheck disable=SC2046
run icinga2 daemon -C -c $M/icinga2.conf $(consts $M $MASTER)
[ "$RC" = 0 ] || fail "the master's configuration: $OUT $ERR"
contains "Instantiated 2 Hosts."
# shellcheck disable=SC2046
run icinga2 daemon -C -c $S/icinga2.conf $(consts $S $SAT)
[ "$RC" = 0 ] || fail "the satellite's configuration: $OUT $ERR"

icinga_start $M -DNodeName=$MASTER -DZonesDir=$M/zones.d
icinga_start $S -DNodeName=$SAT -DZonesDir=$S/zones.d
from_satellite() {
	icinga_results $M/perf/service.perf* | grep "^SERVICEDESC::$1	.*SERVICECHECKSOURCE::$SAT	" | head -n 1
}
i=0
while [ $i -lt 120 ]; do
	[ -n "$(from_satellite xen-pool)" ] && [ -n "$(from_satellite xen-memory)" ] && break
	sleep 0.5
	i=$((i + 1))
done
pool=$(from_satellite xen-pool)
memory=$(from_satellite xen-memory)
icinga_stop
[ $i -lt 120 ] || fail "the master received no result from the satellite in 60 s;
master: $(grep -v -e information/ConfigItem -e '^$' $M/daemon.log | tail -n 15)
satellite: $(grep -v -e information/ConfigItem -e '^$' $S/daemon.log | tail -n 15)"

# the satellite got the pool's objects from the master, and ran them
checks=$((checks + 1))
grep -q "xen-pool" $S/data/api/zones/pool-prod/_etc/xvmon.conf 2>/dev/null ||
	fail "the satellite holds no synced configuration for zone pool-prod"

# results with state and perfdata, as the plugins print them on their own
OUT=$pool
LAST="the pool check's result on the master"
contains "SERVICESTATE::CRITICAL"
contains "SERVICECHECKCOMMAND::xen_pool"
contains "SERVICEOUTPUT::XEN POOL CRITICAL - prod: availability 75.0% (!!)"
contains "availability=75%;100:;90:;0;100"
contains "hosts=4;;;0 hosts_reachable=3;;;0"
OUT=$memory
LAST="the host check's result on the master"
contains "SERVICESTATE::WARNING"
contains "SERVICECHECKCOMMAND::xen_host"
direct=$($H -s "sim:$TOP/$DATA/low-memory.sim" -w 15%: | head -n 1 || true)
contains "SERVICEOUTPUT::${direct%% | *} "
contains "SERVICEPERFDATA::${direct#* | }"

done_testing
