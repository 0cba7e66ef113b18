#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The agent's tables answer requests for OIDs that name no row: an index of
# 0 or 2^32-1, too many or too few index parts, a column the table does not
# have, GETNEXT from between or beyond rows and columns.  Each gets the
# SNMP answer (noSuchInstance, noSuchObject, or the next object in order,
# into the next column and table), and the agent still serves afterwards.
. tests/integration/lib.sh
. tests/integration/snmp-lib.sh

VM=.1.3.6.1.2.1.236
start_snmpd
start_agent -s "sim:$DATA/snmp-states.sim"
wait_source 1

# ask CMD OID EXPECTED: the answer's line, numeric OIDs
ask() {
	checks=$((checks + 1))
	got=$($1 -v2c -c public -m '' -On -t 5 -r 0 "127.0.0.1:$PORT" "$2" 2>&1)
	[ "$got" = "$3" ] || fail "$1 $2:
expected: $3
got:      $got"
}

NI="No Such Instance currently exists at this OID"
ask snmpget $VM.1.4.1.2.0 "$VM.1.4.1.2.0 = $NI"
ask snmpget $VM.1.4.1.2.4294967295 "$VM.1.4.1.2.4294967295 = $NI"
ask snmpget $VM.1.4.1.2.1.7 "$VM.1.4.1.2.1.7 = $NI"
ask snmpget $VM.1.4.1.2 "$VM.1.4.1.2 = $NI"
long=$VM.1.4.1.2.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0
ask snmpget $long "$long = $NI"
ask snmpget $VM.1.4.1.99.1 "$VM.1.4.1.99.1 = No Such Object available on this agent at this OID"
# GETNEXT: into the first row, the next column, the next table, the next scalar
ask snmpgetnext $VM.1.4.1 "$VM.1.4.1.2.1 = STRING: \"Domain-0\""
ask snmpgetnext $VM.1.4.1.0 "$VM.1.4.1.2.1 = STRING: \"Domain-0\""
ask snmpgetnext $VM.1.4.1.2.0.4294967295 "$VM.1.4.1.2.1 = STRING: \"Domain-0\""
ask snmpgetnext $VM.1.4.1.2.4294967295 "$VM.1.4.1.3.1 = Hex-STRING: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
ask snmpgetnext $VM.1.4.1.2.4294967295.5 "$VM.1.4.1.3.1 = Hex-STRING: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
ask snmpgetnext $VM.1.4.1.25 "$VM.1.5.1.2.2.1 = Counter64: 6250000"
ask snmpgetnext $VM.1.5.1.2.4294967295.4294967295 "$VM.1.9.0 = INTEGER: 1"
# and it still serves
checks=$((checks + 1))
[ "$(get $VM.1.2.0)" = 7 ] || fail "vmNumber after the odd requests: '$(get $VM.1.2.0)'"
done_testing
