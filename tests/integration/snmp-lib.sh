# SPDX-License-Identifier: GPL-3.0-or-later
# snmp-lib.sh: a private snmpd (AgentX master), snmptrapd and xvmon-agentx for
# the SNMP tests (sourced after lib.sh).  Everything listens on loopback high
# ports and temporary sockets, is started by the test and stopped on exit.
# The recipe is ../shared/FACTS.md's: snmpd -f -C -c CONF -I -smux -m ''.

AGENTX=snmp/xvmon-agentx
[ -x $AGENTX ] || skip "xvmon-agentx not built (net-snmp's libsnmp-dev missing)"
for tool in snmpd snmptrapd snmpget snmpwalk snmptable snmpset; do
	command -v $tool >/dev/null ||
		skip "$tool missing (Debian packages snmpd, snmptrapd and snmp)"
done
MIBS_DIR=${SHARED:-../shared}/mibs
[ -f "$MIBS_DIR/VM-MIB.txt" ] || skip "no VM-MIB in $MIBS_DIR (SHARED must point at ../shared)"
MIBPATH="$MIBS_DIR:$TOP/snmp"

AGENT_LOG="$WORK/agent.log"

# net-snmp tools read no configuration of this machine, and keep their
# persistent files in the test's directory, not /var/lib/snmp.
mkdir -p "$WORK/snmpconf" "$WORK/persist" "$WORK/state"
export SNMPCONFPATH="$WORK/snmpconf" SNMP_PERSISTENT_DIR="$WORK/persist" MIBS= MIBDIRS=
SOCK="$WORK/agentx.sock"
PIDS=""

# Stops the last started first: the agent before its master, so it can
# unregister cleanly (net-snmp leaks a reply buffer when the master is gone).
cleanup_snmp() {
	reversed=""
	for p in $PIDS; do reversed="$p $reversed"; done
	for p in $reversed; do
		kill "$p" 2>/dev/null || :
		wait "$p" 2>/dev/null || :
	done
	# under make asan: any report of the agent's, leaks at exit included
	for log in "$WORK"/*.log; do
		[ -f "$log" ] || continue
		if grep -q -E "AddressSanitizer|LeakSanitizer|runtime error" "$log"; then
			echo "FAIL: sanitizer report from xvmon-agentx in $(basename "$log"):"
			cat "$log"
			rm -rf "$WORK"
			exit 1
		fi
	done
	rm -rf "$WORK"
}
trap cleanup_snmp EXIT

# free_port: a UDP port nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS CMD...: retries CMD every 0.1 s until it succeeds.
wait_for() {
	limit=$(($1 * 10))
	shift
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt $limit ] || return 1
		sleep 0.1
	done
}

SNMP="-v2c -c public -On -m ''"

# start_snmpd [EXTRA CONFIG LINE...]: the master, on $PORT (kept across
# restarts), its traps to $TRAPPORT.
start_snmpd() {
	: "${PORT:=$(free_port)}"
	: "${TRAPPORT:=$(free_port)}"
	{
		echo "master agentx"
		echo "agentXSocket unix:$SOCK"
		echo "agentXPerms 0600 0700"
		echo "rocommunity public 127.0.0.1"
		echo "rwcommunity private 127.0.0.1"
		echo "trap2sink udp:127.0.0.1:$TRAPPORT public"
		for line in "$@"; do echo "$line"; done
	} >"$WORK/snmpd.conf"
	snmpd -f -Lf "$WORK/snmpd.log" -C -c "$WORK/snmpd.conf" -I -smux -m '' \
		-p "$WORK/snmpd.pid" "udp:127.0.0.1:$PORT" &
	SNMPD_PID=$!
	PIDS="$PIDS $SNMPD_PID"
	wait_for 10 snmpget -v2c -c public -m '' "127.0.0.1:$PORT" .1.3.6.1.2.1.1.3.0 ||
		fail "snmpd did not start: $(cat "$WORK/snmpd.log")"
}

stop_snmpd() {
	kill "$SNMPD_PID"
	wait "$SNMPD_PID" 2>/dev/null || :
}

# start_trapd: snmptrapd writing one line per notification to $TRAPS.
TRAPS="$WORK/traps.log"
start_trapd() {
	echo "disableAuthorization yes" >"$WORK/snmptrapd.conf"
	snmptrapd -f -Lf "$TRAPS" -C -c "$WORK/snmptrapd.conf" -m '' -On \
		-p "$WORK/snmptrapd.pid" "udp:127.0.0.1:$TRAPPORT" &
	PIDS="$PIDS $!"
	wait_for 10 grep -q 'NET-SNMP version' "$TRAPS" || fail "snmptrapd did not start"
}

# start_agent ARGS...: xvmon-agentx in the foreground on the master's
# socket; waits until the master serves its first object.  Its log (and
# sanitizer reports: ASan writes to stderr) goes to $AGENT_LOG.
start_agent() {
	$AGENTX -f -x "unix:$SOCK" -S "${STATE:-$WORK/state}" -L "$AGENT_LOG" "$@" 2>>"$AGENT_LOG" &
	AGENT_PID=$!
	PIDS="$PIDS $AGENT_PID"
	wait_for 10 sh -c "snmpget -v2c -c public -m '' -Oqv 127.0.0.1:$PORT \
		.1.3.6.1.4.1.8072.9999.9999.786.1.1.5.0 | grep -qv 'No Such'" ||
		fail "xvmon-agentx did not register: $(cat "$AGENT_LOG")"
}

# wait_source STATUS: until xvmonSourceStatus is STATUS (1 ok, 2 stale): the
# agent's first snapshot comes from a child process, after it registered.
wait_source() {
	wait_for 20 sh -c "[ \"\$(snmpget -v2c -c public -m '' -Oqv 127.0.0.1:$PORT \
		.1.3.6.1.4.1.8072.9999.9999.786.1.1.2.0)\" = $1 ]" ||
		fail "xvmonSourceStatus did not become $1: $(cat "$AGENT_LOG")"
}

stop_agent() {
	kill "$AGENT_PID"
	wait "$AGENT_PID" 2>/dev/null || :
}

# get OID: the value alone (-Oqv), numeric.
get() {
	snmpget -v2c -c public -m '' -On -Oqv -Oe -Ot "127.0.0.1:$PORT" "$@"
}

# table NAME: snmptable with the MIBs, '|' separated, numeric enums and
# timeticks, no units, index column shown.
table() {
	snmptable -v2c -c public -M "$MIBPATH" -m VM-MIB:XVMON-MIB -Cf '|' -Ci -CH -Oe -Ot -OU \
		"127.0.0.1:$PORT" "$@"
}

# start_host NAME ARGS...: one more snmpd and xvmon-agentx pair, as a remote
# host would run them; its port is in $PORT afterwards (and in $WORK/NAME.port).
start_host() {
	name=$1
	shift
	PORT=$(free_port)
	SOCK="$WORK/$name.sock"
	STATE="$WORK/$name.state"
	AGENT_LOG="$WORK/$name.log"
	mkdir -p "$STATE"
	start_snmpd
	start_agent "$@"
	echo "$PORT" >"$WORK/$name.port"
}
