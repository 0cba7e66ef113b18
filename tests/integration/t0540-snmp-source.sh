#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The snmp:// source: hosts read through their snmpd and xvmon-agentx give
# check_xen_host and check_xen_vm the same status and perfdata as the sim:
# scenario behind them; check_xen_pool, xvm-search and xvmon-sls over an
# inventory of snmp:// hosts give what they give over sim:.  Hosts that do
# not answer, serve another MIB or stale data, SNMPv3 credentials.
. tests/integration/lib.sh
. tests/integration/snmp-lib.sh

# expect_unknown REASON: exit 3 and "XEN HOST UNKNOWN - REASON"; a reason too
# long for the status line is clipped there ("...") and whole on the next.
expect_unknown() {
	checks=$((checks + 1))
	whole="XEN HOST UNKNOWN - $1"
	line1=$(printf '%s\n' "$OUT" | head -n 1)
	[ "$RC" = 3 ] && [ -z "$ERR" ] || fail "$LAST: exit $RC, expected 3; stdout: $OUT; stderr: $ERR"
	[ "$line1" = "$whole" ] && return
	prefix=${line1%...}
	[ "$prefix" != "$line1" ] && [ "${whole#"$prefix"}" != "$whole" ] ||
		fail "$LAST: status line differs:
expected: $whole
got:      $line1"
	[ "$(printf '%s\n' "$OUT" | sed -n 2p)" = "$1" ] || fail "$LAST: the whole reason is not on line 2: $OUT"
}
P=plugins/check_xen_pool
X=contrib/xvm-search
POOL=$DATA/pool

same() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1 differs:
sim:  $2
snmp: $3"
}

# --- one host per scenario: the same answers as sim: -------------------------
SCENARIOS="healthy low-memory exhausted crashed paused seed-48g snmp-states"
for s in $SCENARIOS; do
	start_host $s -s "sim:$DATA/$s.sim" -t 1s
	wait_source 1
done
for s in $SCENARIOS; do
	url="snmp://127.0.0.1:$(cat "$WORK/$s.port")"
	run $H -s "sim:$DATA/$s.sim" -v
	sim_rc=$RC sim_out=$OUT
	run $H -s "$url" -v
	same "check_xen_host -v on $s (exit $sim_rc/$RC)" "$sim_rc $sim_out" "$RC $OUT"
	for vm in $(sed -n 's/^\[domain \(.*\)\]$/\1/p' "$DATA/$s.sim") Domain-0; do
		run $V -s "sim:$DATA/$s.sim" -n "$vm" -v
		sim_rc=$RC sim_out=$OUT
		run $V -s "$url" -n "$vm" -v
		same "check_xen_vm -n $vm on $s" "$sim_rc $sim_out" "$RC $OUT"
	done
done
echo "check_xen_host and check_xen_vm agree on $(echo $SCENARIOS | wc -w) scenarios"

# --- a pool: the degraded pool's hosts behind SNMP agents ---------------------
for h in xen-a xen-b xen-c; do
	start_host $h -s "sim:$POOL/$h.sim" -t 1s
	wait_source 1
done
# the hung host's agent never gets a snapshot: it answers "no snapshot yet"
start_host xen-hung -s "sim:$POOL/hang.sim" -t 1s
# The sim: pool gives each host 1 s, for its hung host; here every host
# answers (the hung one's agent says it has no snapshot), but a walk through
# snmpd and AgentX on a loaded test machine can take longer than that.
sed -e "s|^source = sim:\(xen-[abc]\).sim|source = snmp://127.0.0.1:PORT_\1|" \
	-e "s|^timeout = 1s|timeout = 10s|" \
	-e "s|^source = sim:hang.sim|source = snmp://127.0.0.1:PORT_xen-hung|" \
	$POOL/degraded.ini >"$WORK/snmp-pool.ini"
for h in xen-a xen-b xen-c xen-hung; do
	sed -i "s|PORT_$h\$|$(cat "$WORK/$h.port")|" "$WORK/snmp-pool.ini"
done
grep -q "PORT_" "$WORK/snmp-pool.ini" && fail "inventory not filled in: $(cat "$WORK/snmp-pool.ini")"

# the same line, perfdata included, but for poll_time (how long it took)
first_line() {
	printf '%s\n' "$OUT" | head -n 1 | sed 's/ poll_time=[^ ]*//'
}
run $P -i $POOL/degraded.ini
sim_rc=$RC sim_first=$(first_line)
run $P -i "$WORK/snmp-pool.ini"
same "check_xen_pool status line and perfdata" "$sim_rc $sim_first" "$RC $(first_line)"
contains "host xen-hung down: the agent at 127.0.0.1:$(cat "$WORK/xen-hung.port") has no snapshot of its host yet"

run $X -i $POOL/degraded.ini web1 db2 batch1
sim_out=$OUT
run $X -i "$WORK/snmp-pool.ini" web1 db2 batch1
same "xvm-search" "$sim_out" "$OUT"

if [ -x sls/xvmon-sls ]; then
	mkdir "$WORK/sls-sim" "$WORK/sls-snmp"
	run sls/xvmon-sls -i $POOL/degraded.ini -o "$WORK/sls-sim" --format json
	run sls/xvmon-sls -i "$WORK/snmp-pool.ini" -o "$WORK/sls-snmp" --format json
	for f in prod prod_vm prod_pm; do
		same "xvmon-sls $f" \
			"$(python3 tests/integration/sls-values.py --json "$WORK/sls-sim/$f.json")" \
			"$(python3 tests/integration/sls-values.py --json "$WORK/sls-snmp/$f.json")"
	done
fi

# --- failures: each a clear UNKNOWN naming the host -------------------------
# nothing listening: UDP has no refusal to wait for, only silence
closed=$(free_port)
run $H -s "snmp://127.0.0.1:$closed?timeout=100ms&retries=0"
expect 3 "XEN HOST UNKNOWN - no answer from 127.0.0.1:$closed (1 try of 100 ms; a wrong community is not answered either)"
# a wrong community is not answered: a timeout
port=$(cat "$WORK/healthy.port")
run $H -s "snmp://secret@127.0.0.1:$port?timeout=100ms&retries=1"
expect 3 "XEN HOST UNKNOWN - no answer from 127.0.0.1:$port (2 tries of 100 ms; a wrong community is not answered either)"
# an snmpd without xvmon-agentx
PORT=$(free_port) SOCK="$WORK/bare.sock"
start_snmpd
run $H -s "snmp://127.0.0.1:$PORT"
expect_unknown "the agent at 127.0.0.1:$PORT serves neither the VM-MIB nor XVMON-MIB (is xvmon-agentx running under its snmpd, and does the snmpd view include mib-2.236 and the XVMON subtree?)"
# someone else's VM-MIB: vmHvSoftware answered by snmpd itself
PORT=$(free_port) SOCK="$WORK/other.sock"
start_snmpd "override .1.3.6.1.2.1.236.1.1.1.0 octet_str KVM" "override .1.3.6.1.2.1.236.1.2.0 integer 0"
run $H -s "snmp://127.0.0.1:$PORT"
expect 3 "XEN HOST UNKNOWN - the agent at 127.0.0.1:$PORT serves a VM-MIB without XVMON-MIB: another agent's, which xvmon cannot read"
# a stale agent: its own source failed
cp $DATA/paused.sim "$WORK/stale.sim"
start_host stale -s "sim:$WORK/stale.sim" -t 300ms
wait_source 1
echo "[host" >"$WORK/stale.sim"
wait_source 2
run $V -s "snmp://127.0.0.1:$PORT" -n batch1
expect 3 "XEN VM UNKNOWN - the agent at 127.0.0.1:$PORT serves stale data: its source failed: $WORK/stale.sim:1: section header without ']'"

# --- SNMPv3: auth and priv, passphrases from a file or the environment -------
printf 'xvmon-auth-secret\n' >"$WORK/auth.pass"
chmod 600 "$WORK/auth.pass"
PORT=$(free_port) SOCK="$WORK/v3.sock" AGENT_LOG="$WORK/v3.log" STATE="$WORK/v3.state"
mkdir -p "$STATE"
start_snmpd 'createUser xvuser SHA "xvmon-auth-secret" AES "xvmon-priv-secret"' 'rouser xvuser priv'
start_agent -s "sim:$DATA/healthy.sim" -t 1s
wait_source 1
v3="snmp://xvuser@127.0.0.1:$PORT?auth=SHA&auth_file=$WORK/auth.pass&priv=AES&priv_env=XV_PRIV"
run $H -s sim:$DATA/healthy.sim
sim_out=$OUT
run env XV_PRIV=xvmon-priv-secret $H -s "$v3"
expect 0 "$sim_out"
# a wrong auth passphrase: the agent reports it (usmStatsWrongDigests)
printf 'not-the-auth-secret\n' >"$WORK/wrong.pass"
chmod 600 "$WORK/wrong.pass"
run env XV_PRIV=xvmon-priv-secret $H -s "$(echo "$v3" | sed "s|auth.pass|wrong.pass|")"
expect 3 "XEN HOST UNKNOWN - 127.0.0.1:$PORT refused our SNMPv3 credentials (user 'xvuser')"
# a wrong priv passphrase: the agent cannot decrypt the request and stays
# silent (RFC 3414 lets it), so it is a timeout
run env XV_PRIV=wrong-passphrase $H -s "$v3&timeout=200ms&retries=0"
expect 3 "XEN HOST UNKNOWN - no answer from 127.0.0.1:$PORT (1 try of 200 ms)"
# a passphrase file others can read is refused, with the fix
chmod 644 "$WORK/auth.pass"
run env XV_PRIV=xvmon-priv-secret $H -s "$v3"
expect_unknown "snmp: auth passphrase file '$WORK/auth.pass' can be read by others (mode 644): make it the owner's alone with chmod 600 '$WORK/auth.pass'"
# never on the command line
run $H -s "snmp://xvuser@127.0.0.1:$PORT?auth=SHA&auth_pass=xvmon-auth-secret"
checks=$((checks + 1))
case "$OUT" in "XEN HOST UNKNOWN - "*"a passphrase is never taken in a URI"*) ;; *) fail "auth_pass=: $OUT" ;; esac
# the variable is not set
chmod 600 "$WORK/auth.pass"
run env -u XV_PRIV $H -s "$v3"
expect 3 "XEN HOST UNKNOWN - snmp: priv passphrase: the environment variable XV_PRIV is not set"

done_testing
