#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SNMP: (1) snmptable over a 1000-VM vmTable served by xvmon-agentx through a
# private snmpd, against snmptable over one of snmpd's own tables of the
# same size (nsExtendConfigTable, 1000 `extend` lines, never executed):
# rows per second and the cost per row as a ratio (aim <= 1.5x), beside the
# floor: the same table served by agentx-floor, the cheapest subagent
# net-snmp's library allows (constant values, one raw handler), so what is
# ours and what is net-snmp's AgentX path shows;
# (2) 200 hosts polled through snmp:// at once by check_xen_pool: the
# one-process engine against the fork-per-host poller.
set -u
cd "$TOP" || exit 1
for tool in snmpd snmptable snmpget; do
	command -v $tool >/dev/null || { echo "# SKIP $tool missing (Debian packages snmpd, snmp)"; exit 77; }
done
[ -x snmp/xvmon-agentx ] || { echo "# SKIP snmp/xvmon-agentx not built (libsnmp-dev)"; exit 77; }
MIBS_DIR=${SHARED:-../shared}/mibs
[ -f "$MIBS_DIR/VM-MIB.txt" ] || { echo "# SKIP no VM-MIB in $MIBS_DIR"; exit 77; }

w=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; rm -rf "$w"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT
mkdir "$w/conf" "$w/persist" "$w/state"
export SNMPCONFPATH="$w/conf" SNMP_PERSISTENT_DIR="$w/persist"
free_port() {
	python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
now() { date +%s.%N; }
wait_ok() { # PORT: until the agent serves its first snapshot
	i=0
	until snmpget -v2c -c public -m '' -Oqv "127.0.0.1:$1" .1.3.6.1.4.1.8072.9999.9999.786.1.1.2.0 2>/dev/null | grep -qx 1; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "the agent did not start"; exit 1; }
		sleep 0.1
	done
}

# --- (1) one host, 1000 VMs --------------------------------------------------
python3 tests/bench/gen-pool.py "$w/big" 1 1000 >/dev/null
port=$(free_port)
{
	echo "master agentx"
	echo "agentXSocket unix:$w/agentx.sock"
	echo "rocommunity public 127.0.0.1"
	i=1
	while [ $i -le 1000 ]; do echo "extend e$i /bin/true arg$i"; i=$((i + 1)); done
} >"$w/snmpd.conf"
snmpd -f -Lf "$w/snmpd.log" -C -c "$w/snmpd.conf" -I -smux -m '' "udp:127.0.0.1:$port" &
snmpd_pid=$!
pids="$! $pids"
# the floor's own snmpd, so both subagents serve at once and the walks can
# alternate: a change of load on this shared machine then hits all alike
floor_port=$(free_port)
printf 'master agentx\nagentXSocket unix:%s\nrocommunity public 127.0.0.1\n' \
	"$w/floor.sock" >"$w/floor.conf"
snmpd -f -Lf "$w/floor-snmpd.log" -C -c "$w/floor.conf" -I -smux -m '' "udp:127.0.0.1:$floor_port" &
floor_snmpd_pid=$!
pids="$! $pids"
sleep 1
snmp/xvmon-agentx -f -s "sim:$w/big/h0000.sim" -x "unix:$w/agentx.sock" -S "$w/state" -t 1h -L "$w/agent.log" &
agent_pid=$!
pids="$! $pids"
floor_pid=
if [ -x tests/bench/agentx-floor ]; then
	tests/bench/agentx-floor "unix:$w/floor.sock" 2>"$w/floor.log" &
	floor_pid=$!
	pids="$! $pids"
else
	echo "(no floor: tests/bench/agentx-floor not built; make bench builds it)"
fi
wait_ok "$port"
if [ -n "$floor_pid" ]; then
	i=0
	until snmpget -v2c -c public -m '' -Oqv "127.0.0.1:$floor_port" .1.3.6.1.2.1.236.1.4.1.2.1 2>/dev/null | grep -q '"'; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "agentx-floor did not start"; exit 1; }
		sleep 0.1
	done
fi
# CPU time (clock ticks) of the servers of a walk: what it costs them,
# whatever else the machine is doing
ticks() { # PID...
	for p; do awk '{print $14 + $15}' /proc/$p/stat; done | awk '{s += $1} END {print s}'
}

M="-M $MIBS_DIR:/usr/share/snmp/mibs:snmp -m VM-MIB:XVMON-MIB:NET-SNMP-EXTEND-MIB"
# One walk, max-repetitions 10 (as many rows per request for all): prints
# rows, wall seconds and the CPU ticks of the servers PIDS.
walk() { # PORT TABLE PIDS
	c0=$(ticks $3)
	t0=$(now)
	# shellcheck disable=SC2086
	rows=$(snmptable -v2c -c public $M -Cr 10 -Cf '|' -CH "127.0.0.1:$1" "$2" | grep -c .)
	t1=$(now)
	# shellcheck disable=SC2086
	echo "$rows $(echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}') $(($(ticks $3) - c0))"
}
# best of five of each, the three walks in turn
best() { # "ROWS S CPU" "ROWS S CPU": the lower time and the lower CPU of both
	if [ -z "$1" ]; then
		echo "$2"
	else
		echo "$1 $2" | awk '{print $1, ($5 < $2 ? $5 : $2), ($6 < $3 ? $6 : $3)}'
	fi
}
vm= ext= fl=
for i in 1 2 3 4 5; do
	vm=$(best "$vm" "$(walk "$port" VM-MIB::vmTable "$snmpd_pid $agent_pid")")
	ext=$(best "$ext" "$(walk "$port" NET-SNMP-EXTEND-MIB::nsExtendConfigTable "$snmpd_pid $agent_pid")")
	[ -z "$floor_pid" ] ||
		fl=$(best "$fl" "$(walk "$floor_port" VM-MIB::vmTable "$floor_snmpd_pid $floor_pid")")
done
set -- $vm
vm_rows=$1 vm_s=$2 vm_cpu=$3
set -- $ext
ext_rows=$1 ext_s=$2 ext_cpu=$3
fl_rows=0 fl_s=0 fl_cpu=0
[ -z "$fl" ] || { set -- $fl; fl_rows=$1 fl_s=$2 fl_cpu=$3; }
python3 - "$vm_rows" "$vm_s" "$vm_cpu" "$ext_rows" "$ext_s" "$ext_cpu" "$(getconf CLK_TCK)" \
	"$fl_rows" "$fl_s" "$fl_cpu" <<'PY'
import sys
vr, vs, vc, er, es, ec, hz, fr, fs, fc = (
    int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
    float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]),
    float(sys.argv[9]), int(sys.argv[10]))
# columns read per row: vmTable 16, nsExtendConfigTable 8
print("snmptable vmTable (xvmon-agentx over AgentX): %d rows in %.3f s, %.0f rows/s, "
      "servers' CPU %.2f s (16 columns)" % (vr, vs, vr / vs, vc / hz))
if fr:
    print("snmptable vmTable (agentx-floor over AgentX): %d rows in %.3f s, %.0f rows/s, "
          "servers' CPU %.2f s (16 columns)" % (fr, fs, fr / fs, fc / hz))
print("snmptable nsExtendConfigTable (snmpd's own):  %d rows in %.3f s, %.0f rows/s, "
      "snmpd's CPU %.2f s (8 columns)" % (er, es, er / es, ec / hz))
print("wall time per row: %.2fx snmpd's own table (aim <= 1.5x); per value read: %.2fx"
      % ((vs / vr) / (es / er), (vs / (vr * 16)) / (es / (er * 8))))
if fr:
    print("  the floor: agentx-floor %.2fx snmpd's own table; xvmon-agentx %.2fx the floor"
          % ((fs / fr) / (es / er), (vs / vr) / (fs / fr)))
if ec:
    print("servers' CPU per row: %.2fx; per value read: %.2fx"
          % ((vc / vr) / (ec / er), (vc / (vr * 16)) / (ec / (er * 8))))
    if fr and fc:
        print("  the floor: agentx-floor %.2fx snmpd's own table; xvmon-agentx %.2fx the floor"
              % ((fc / fr) / (ec / er), (vc / vr) / (fc / fr)))
PY
printf '  load average while measuring: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
for p in $pids; do kill $p 2>/dev/null; wait $p 2>/dev/null; done
pids=""

# --- (2) 200 hosts through snmp:// at once -------------------------------------
# One snmpd listening on 200 ports, one agent behind it (20 VMs): every
# "host" answers from the same process, which makes the server side the
# limit; the client's own cost is what differs between the two pollers.
python3 tests/bench/gen-pool.py "$w/one" 1 20 >/dev/null
# 200 ports free now (all bound at once, so they differ)
ports=$(python3 -c 'import socket
s = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(200)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
addrs=$(echo $ports | sed 's/\([0-9][0-9]*\)/udp:127.0.0.1:\1/g; s/ /,/g')
cat >"$w/snmpd2.conf" <<EOF
master agentx
agentXSocket unix:$w/agentx2.sock
rocommunity public 127.0.0.1
EOF
snmpd -f -Lf "$w/snmpd2.log" -C -c "$w/snmpd2.conf" -I -smux -m '' "$addrs" &
pids="$! $pids"
sleep 1
snmp/xvmon-agentx -f -s "sim:$w/one/h0000.sim" -x "unix:$w/agentx2.sock" -S "$w/state" -t 1h -L "$w/agent2.log" &
pids="$! $pids"
wait_ok "${ports%% *}"
wait_ok "$(echo $ports | awk '{print $NF}')"
{
	echo "[pool bench]"
	echo "timeout = 30s"
	n=0
	for p in $ports; do echo "[host s$n]"; echo "pool = bench"; echo "source = snmp://127.0.0.1:$p"; n=$((n + 1)); done
} >"$w/snmp.ini"
poll() {
	best=
	for i in 1 2 3; do
		t0=$(now)
		"$@" plugins/check_xen_pool -i "$w/snmp.ini" -t 60 >"$w/out"
		t=$(python3 -c "print('%.3f' % ($(now) - $t0))")
		[ -z "$best" ] || [ "$(python3 -c "print($t < $best)")" = True ] && best=$t
	done
	echo "$best"
}
# one host alone first: the floor (after the fork run, snmpd and the agent
# are still busy with retransmissions of requests that timed out)
echo "[pool one]
[host s0]
pool = one
source = snmp://127.0.0.1:${ports%% *}" >"$w/one.ini"
single=$(
	best=
	for i in 1 2 3; do
		t0=$(now)
		plugins/check_xen_pool -i "$w/one.ini" >/dev/null
		t=$(python3 -c "print('%.3f' % ($(now) - $t0))")
		[ -z "$best" ] || [ "$(python3 -c "print($t < $best)")" = True ] && best=$t
	done
	echo "$best"
)
answered() { sed -n 's/.* hosts_reachable=\([0-9]*\).*/\1/p' "$w/out"; }
async=$(poll env)
answered_async=$(answered)
fork=$(poll env XVMON_SNMP_POLLER=fork)
answered_fork=$(answered)
printf '200 hosts through snmp:// (20 VMs each), check_xen_pool: one process %s s (%s answered), fork per host %s s (%s answered), %sx; one host alone %s s\n' \
	"$async" "$answered_async" "$fork" "$answered_fork" "$(python3 -c "print('%.1f' % ($fork / $async))")" "$single"
