#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-agentx under a flood of requests: 200 snmp:// hosts polled at once
# through 200 ports of one snmpd (given 400 on its command line, snmpd 5.9.3
# opened none here), all served by one subagent.  snmpd and a subagent both
# write AgentX with blocking sends; before snmp/agentx_output.c each could
# fill the other's socket, and both stopped for good: no host answered, and
# snmpd answered nothing more (seen in tests/bench/b0500 and by hand on a
# loaded machine, strace showing both in sendto() on the AgentX socket).
# It needs both sockets full at one moment, which these rounds reach only
# now and then with the old code: this test asserts that the agent serves a
# flood, it does not reproduce the deadlock every time.  Asserted: every
# host answers, and snmpd and the subagent still answer afterwards.
. tests/integration/lib.sh
. tests/integration/snmp-lib.sh

python3 tests/bench/gen-pool.py "$WORK/one" 1 20 >/dev/null
# 200 ports free now (all bound at once, so they differ)
ports=$(python3 -c 'import socket
s = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(200)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
PORT=${ports%% *}
TRAPPORT=$(free_port)
start_snmpd
# the same snmpd listens on the other 199 ports too
stop_snmpd
addrs=$(echo $ports | sed 's/\([0-9][0-9]*\)/udp:127.0.0.1:\1/g; s/ /,/g')
snmpd -f -Lf "$WORK/snmpd.log" -C -c "$WORK/snmpd.conf" -I -smux -m '' "$addrs" &
SNMPD_PID=$!
PIDS="$PIDS $SNMPD_PID"
wait_for 10 snmpget -v2c -c public -m '' "127.0.0.1:$PORT" .1.3.6.1.2.1.1.3.0 ||
	fail "snmpd did not start on 200 ports: $(cat "$WORK/snmpd.log")"
start_agent -s "sim:$WORK/one/h0000.sim" -t 1h
# no wait for the first snapshot: the flood meets the agent as it starts, as a
# poller would after a restart (that is when the deadlock came most often)

{
	echo "[pool flood]"
	echo "timeout = 30s"
	n=0
	for p in $ports; do
		printf '[host s%d]\npool = flood\nsource = snmp://127.0.0.1:%s\n' $n "$p"
		n=$((n + 1))
	done
} >"$WORK/flood.ini"
# Three rounds, with a deadline far above the seconds a round takes, so a
# loaded machine passes.
for round in 1 2 3; do
	run plugins/check_xen_pool -i "$WORK/flood.ini" -t 120
	contains "200/200 hosts answered"
done

# snmpd and the subagent still serve: sysUpTime (snmpd's own) and vmNumber
checks=$((checks + 1))
snmpget -v2c -c public -m '' -Oqv -t 5 -r 1 "127.0.0.1:$PORT" .1.3.6.1.2.1.1.3.0 >/dev/null ||
	fail "snmpd answers nothing after the flood (an AgentX deadlock?)"
checks=$((checks + 1))
[ "$(get .1.3.6.1.2.1.236.1.2.0)" = 21 ] ||
	fail "vmNumber after the flood: '$(get .1.3.6.1.2.1.236.1.2.0)', expected 21"
checks=$((checks + 1))
! grep -q "answers dropped" "$AGENT_LOG" || fail "the subagent dropped answers: $(cat "$AGENT_LOG")"
done_testing
