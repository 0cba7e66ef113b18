#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The shipped SNMP pieces work as shipped: snmpd with Debian's default view
# hides the VM-MIB until contrib/snmp/snmpd-xvmon.conf is added; the agent
# starts from contrib/snmp/agentx.conf; the snmptable example reads
# the tables; the systemd unit passes systemd-analyze verify.
. tests/integration/lib.sh
. tests/integration/snmp-lib.sh

VM=.1.3.6.1.2.1.236
# Debian 12's /etc/snmp/snmpd.conf, the lines that matter
debian_view() {
	echo "view systemonly included .1.3.6.1.2.1.1"
	echo "view systemonly included .1.3.6.1.2.1.25.1"
	echo "rocommunity public default -V systemonly"
}

# --- Debian's view alone: the agent registers, nothing shows ----------------
PORT=$(free_port)
sed "s|^agentXSocket .*|agentXSocket unix:$SOCK|" contrib/snmp/snmpd-xvmon.conf |
	grep -v '^view ' >"$WORK/snippet-no-view.conf"
cat >"$WORK/debian.conf" <<EOF
$(debian_view)
includeFile $WORK/snippet-no-view.conf
EOF
snmpd -f -Lf "$WORK/snmpd.log" -C -c "$WORK/debian.conf" -I -smux -m '' -p "$WORK/snmpd.pid" \
	"udp:127.0.0.1:$PORT" &
SNMPD_PID=$!
PIDS="$PIDS $SNMPD_PID"
wait_for 10 test -S "$SOCK" || fail "snmpd made no AgentX socket: $(cat "$WORK/snmpd.log")"
# the shipped configuration, with this test's socket and scenario
sed -e "s|^source = .*|source = sim:$DATA/healthy.sim|" -e "s|^agentx_socket = .*|agentx_socket = unix:$SOCK|" \
	-e "s|^state_dir = .*|state_dir = $WORK/state|" -e "s|^log = .*|log = $WORK/agent.log|" \
	-e "s|^refresh = .*|refresh = 1s|" contrib/snmp/agentx.conf >"$WORK/agentx.conf"
$AGENTX -f -c "$WORK/agentx.conf" 2>>"$AGENT_LOG" &
AGENT_PID=$!
PIDS="$PIDS $AGENT_PID"
wait_for 10 grep -q "AgentX subagent connected" "$AGENT_LOG" || fail "the agent did not connect: $(cat "$AGENT_LOG")"
sleep 1
checks=$((checks + 1))
out=$(get $VM.1.2.0)
case "$out" in *"No Such Object"*) ;; *) fail "Debian's view shows vmNumber: $out" ;; esac
stop_agent
stop_snmpd

# --- with the snippet's view lines: everything shows -------------------------
sed "s|^agentXSocket .*|agentXSocket unix:$SOCK|" contrib/snmp/snmpd-xvmon.conf >"$WORK/snippet.conf"
cat >"$WORK/debian.conf" <<EOF
$(debian_view)
includeFile $WORK/snippet.conf
EOF
snmpd -f -Lf "$WORK/snmpd.log" -C -c "$WORK/debian.conf" -I -smux -m '' -p "$WORK/snmpd.pid" \
	"udp:127.0.0.1:$PORT" &
SNMPD_PID=$!
PIDS="$PIDS $SNMPD_PID"
wait_for 10 test -S "$SOCK" || fail "snmpd made no AgentX socket"
$AGENTX -f -c "$WORK/agentx.conf" 2>>"$AGENT_LOG" &
AGENT_PID=$!
PIDS="$PIDS $AGENT_PID"
wait_source 1
checks=$((checks + 1))
[ "$(get $VM.1.2.0)" = 6 ] || fail "vmNumber through the snippet's view: $(get $VM.1.2.0)"

# --- the snmptable example, with the MIBs of the source tree -----------------
run env XVMON_MIBDIRS="$MIBPATH" sh contrib/snmp/snmptable-example.sh "127.0.0.1:$PORT"
checks=$((checks + 1))
[ "$RC" = 0 ] || fail "snmptable-example.sh: exit $RC: $ERR"
contains "AdminState OperState AutoStart"
contains "web1 4f1c0d6e-8b3a-4c51-9a47-e6b2d9f1a01"
contains "XVMON-MIB::xvmonHostName.0 = STRING: xen01"
contains ".1.3.6.1.2.1.236.1.4.1.6.2 = INTEGER: 4"

# --- the systemd unit ---------------------------------------------------------
exec_args=$(sed -n 's|^ExecStart=@SBINDIR@/xvmon-agentx ||p' contrib/systemd/xvmon-agentx.service)
checks=$((checks + 1))
[ "$exec_args" = "-f -c @SYSCONFDIR@/xvmon/agentx.conf -L syslog" ] || fail "ExecStart: $exec_args"
if command -v systemd-analyze >/dev/null; then
	U=$WORK/units && mkdir "$U"
	sed -e "s|@SBINDIR@/xvmon-agentx|$TOP/$AGENTX|" -e "s|@SYSCONFDIR@|/etc|g" -e "s|@DATADIR@|/usr/share/xvmon|g" contrib/systemd/xvmon-agentx.service \
		>"$U/xvmon-agentx.service"
	run systemd-analyze verify --man=no "$U/xvmon-agentx.service"
	checks=$((checks + 1))
	[ "$RC" = 0 ] && [ -z "$ERR$OUT" ] || fail "systemd-analyze verify: exit $RC: $OUT $ERR"
else
	echo "# systemd-analyze not installed: the unit is not verified"
fi
done_testing
