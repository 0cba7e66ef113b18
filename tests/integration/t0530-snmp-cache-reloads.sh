#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Many table reloads under walks, GETs and GETNEXTs (snmp/table.c rebuilds
# a table's rows at the first request after a refresh, before it looks at
# any: the other order answers noSuchInstance to the first GET after a
# reload, or reads freed rows).  Under `make asan` the agent
# is built with ASan, UBSan and LeakSanitizer: any report fails the test,
# leaks at exit included.
. tests/integration/lib.sh
. tests/integration/snmp-lib.sh

VM=.1.3.6.1.2.1.236
cp $DATA/healthy.sim "$WORK/a.sim"
cp $DATA/paused.sim "$WORK/b.sim"
cp "$WORK/a.sim" "$WORK/host.sim"

start_snmpd
# a refresh every 100 ms: every table's cache reloads ten times a second
start_agent -s "sim:$WORK/host.sim" -t 100ms
wait_source 1

reloads_before=$(grep -c . "$AGENT_LOG" || :)
i=0
while [ $i -lt 40 ]; do
	# the scenario changes under the walks: rows come and go
	if [ $((i % 2)) = 0 ]; then cp "$WORK/b.sim" "$WORK/host.sim.new"; else cp "$WORK/a.sim" "$WORK/host.sim.new"; fi
	mv "$WORK/host.sim.new" "$WORK/host.sim"
	snmpbulkwalk -v2c -c public -m '' -On -Cr7 "127.0.0.1:$PORT" $VM.1.4 >"$WORK/walk" 2>&1 ||
		fail "walk $i failed: $(cat "$WORK/walk")"
	checks=$((checks + 1))
	# every answer is a vmTable cell (SNMP promises no snapshot across the
	# requests of one walk: rows may come and go between them)
	rows=$(grep -c "^$VM.1.4.1.2\." "$WORK/walk")
	[ "$rows" -ge 1 ] && ! grep -v "^$VM.1.4.1.[0-9]*\.[0-9]* = " "$WORK/walk" >/dev/null ||
		fail "walk $i: $(cat "$WORK/walk")"
	# a GET of the first row right after a reload must find it
	checks=$((checks + 1))
	name=$(get $VM.1.4.1.2.1)
	[ "$name" = '"Domain-0"' ] || fail "GET $i after a reload: $name"
	snmptable -v2c -c public -M "$MIBPATH" -m VM-MIB:XVMON-MIB "127.0.0.1:$PORT" \
		XVMON-MIB::xvmonVmTable >/dev/null 2>&1 || fail "snmptable $i failed"
	i=$((i + 1))
done

stop_agent_status() {
	kill "$AGENT_PID"
	set +e
	wait "$AGENT_PID"
	status=$?
	set -e
}
stop_agent_status
checks=$((checks + 1))
[ $status = 0 ] || fail "the agent exited $status: $(tail -n 40 "$AGENT_LOG")"
checks=$((checks + 1))
if grep -q -E "AddressSanitizer|LeakSanitizer|runtime error" "$AGENT_LOG"; then
	fail "sanitizer report: $(cat "$AGENT_LOG")"
fi
notes=$(grep -c "notification" "$AGENT_LOG" || :)
echo "40 walks over a table reloaded every 100 ms, $notes notifications; sanitizers: ${SANITIZE:-off (make asan turns them on)}"
done_testing
