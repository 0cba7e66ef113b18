#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Demo: the SNMP subagent under a private snmpd (loopback high port, no root
# needed): the VM-MIB table of a sim: host, the same host read back through
# snmp://, and a paused guest arriving at snmptrapd as vmPaused.
. "$TOP/contrib/demo/lib.sh"

printf '== SNMP: xvmon-agentx serves the VM-MIB (RFC 7666) and XVMON-MIB\n'
for tool in snmpd snmptrapd snmptable; do
	if ! command -v $tool >/dev/null; then
		printf '%s is not installed (Debian packages snmpd, snmptrapd, snmp): skipped\n' $tool
		exit 0
	fi
done
if [ ! -x snmp/xvmon-agentx ]; then
	printf 'snmp/xvmon-agentx is not built (libsnmp-dev missing): skipped\n'
	exit 0
fi
w=$(mktemp -d "${TMPDIR:-/tmp}/xvmon-snmp-demo.XXXXXX")
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; rm -rf "$w"' EXIT
mkdir "$w/conf" "$w/persist"
export SNMPCONFPATH="$w/conf" SNMP_PERSISTENT_DIR="$w/persist"
port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trapport=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$w/snmpd.conf" <<EOF
master agentx
agentXSocket unix:$w/agentx.sock
rocommunity public 127.0.0.1
trap2sink udp:127.0.0.1:$trapport public
EOF
echo "disableAuthorization yes" >"$w/snmptrapd.conf"
snmpd -f -Lf "$w/snmpd.log" -C -c "$w/snmpd.conf" -I -smux -m '' "udp:127.0.0.1:$port" &
pids="$! $pids"
snmptrapd -f -Lf "$w/traps.log" -C -c "$w/snmptrapd.conf" -m '' -On "udp:127.0.0.1:$trapport" &
pids="$! $pids"
cp tests/data/healthy.sim "$w/host.sim"
sleep 1
printf '\n$ snmp/xvmon-agentx -f -s sim:healthy.sim -x unix:agentx.sock -t 1s &\n'
snmp/xvmon-agentx -f -s "sim:$w/host.sim" -x "unix:$w/agentx.sock" -S "$w" -t 1s -L "$w/agent.log" &
pids="$! $pids"
i=0
until snmpget -v2c -c public -m '' -Oqv "127.0.0.1:$port" .1.3.6.1.4.1.8072.9999.9999.786.1.1.2.0 2>/dev/null | grep -qx 1; do
	i=$((i + 1))
	[ $i -lt 100 ] || { printf 'the agent did not start:\n'; cat "$w/agent.log"; exit 1; }
	sleep 0.1
done

mibs=${SHARED:-../shared}/mibs
if [ -f "$mibs/VM-MIB.txt" ]; then
	show snmptable -v2c -c public -M "$mibs:snmp" -m VM-MIB:XVMON-MIB -Cb "127.0.0.1:$port" VM-MIB::vmTable
	show snmptable -v2c -c public -M "$mibs:snmp" -m VM-MIB:XVMON-MIB -Cb -Ci "127.0.0.1:$port" XVMON-MIB::xvmonVmTable
else
	printf '(no VM-MIB file in %s: by number)\n' "$mibs"
	show snmpwalk -v2c -c public -On "127.0.0.1:$port" .1.3.6.1.2.1.236.1.4.1.2
fi

# the same host, read back through SNMP by the plugins
show plugins/check_xen_host -s "snmp://127.0.0.1:$port"
show plugins/check_xen_vm -s "snmp://127.0.0.1:$port" -n cache1

# web1 paused: the agent notices at its next refresh
sed -i '0,/^state = running$/! {0,/^state = running$/ s/^state = running$/state = paused/}' "$w/host.sim"
printf '\n(web1 paused in the scenario)\n'
i=0
until grep -q '236.0.4' "$w/traps.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || break
	sleep 0.1
done
printf '\nsnmptrapd received:\n'
grep '236.0.4' "$w/traps.log" | tr '\t' '\n' | sed 's/^/  /'
exit 0
