#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Notifications at a real snmptrapd: a state change in the scenario file makes
# the right VM-MIB notification with the state the VM *left* in vmOperState;
# vmDeleted carries vmPersistent; the bulk ones carry the vmAffectedVMs
# bitmap; a switch turned off (snmpset) is honoured; the source failing and
# recovering raises XVMON-MIB's notifications.
. tests/integration/lib.sh
. tests/integration/snmp-lib.sh

VM=.1.3.6.1.2.1.236
XV=.1.3.6.1.4.1.8072.9999.9999.786
cp $DATA/snmp-states.sim "$WORK/host.sim"

start_snmpd
start_trapd
start_agent -s "sim:$WORK/host.sim" -t 300ms
wait_source 1

# notes OID: the notifications of that kind received so far, one a line,
# their varbinds separated by tabs (snmptrapd's format).
notes() {
	grep "= OID: $1	" "$TRAPS" || :
}

# wait_note OID COUNT: until COUNT such notifications arrived.
wait_note() {
	wait_for 10 sh -c "[ \$(grep -c '= OID: $1	' '$TRAPS') -ge $2 ]" ||
		fail "notification $1 did not arrive ($2 expected): $(cat "$TRAPS")"
}

# has LINE TEXT: the notification line carries the varbind TEXT.
has() {
	checks=$((checks + 1))
	case "$1" in *"$2"*) ;; *) fail "notification lacks '$2': $1" ;; esac
}

set_switch() {
	snmpset -v2c -c private -m '' -On "127.0.0.1:$PORT" "$1" i "$2" >/dev/null ||
		fail "snmpset $1 $2 refused"
}

# bulk notifications too, through the MIB's read-write switch
set_switch $VM.1.10.0 1
[ "$(get $VM.1.10.0)" = 1 ] || fail "vmBulkNotificationsEnabled did not turn true"
checks=$((checks + 1))
# a TruthValue takes 1 or 2 only
checks=$((checks + 1))
snmpset -v2c -c private -m '' "127.0.0.1:$PORT" $VM.1.10.0 i 3 >/dev/null 2>&1 &&
	fail "vmBulkNotificationsEnabled accepted 3"

# web (index 2) paused; off (4) destroyed; a new guest "fresh" (8) started
python3 - "$WORK/host.sim" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("[domain web]\nid = 3\nuuid = 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01\nstate = blocked",
              "[domain web]\nid = 3\nuuid = 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01\nstate = paused")
s = s.replace("[domain off]\nid = 9\nuuid = 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a03\nstate = shutdown\nmemory = 1G\n",
              "[domain fresh]\nid = 20\nuuid = 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a09\nstate = running\nmemory = 1G\n")
open(p + ".new", "w").write(s)
EOF
mv "$WORK/host.sim.new" "$WORK/host.sim"

wait_note $VM.0.4 1
line=$(notes $VM.0.4)
has "$line" "$VM.1.4.1.2.2 = STRING: \"web\""
has "$line" "$VM.1.4.1.3.2 = Hex-STRING: 4F 1C 0D 6E 8B 3A 4C 51 9A 47 0E 6B 2D 9F 1A 01"
has "$line" "$VM.1.4.1.6.2 = INTEGER: 4" # it left running(4)

wait_note $VM.0.10 1
line=$(notes $VM.0.10)
has "$line" "$VM.1.4.1.2.4 = STRING: \"off\""
has "$line" "$VM.1.4.1.6.4 = INTEGER: 11" # it was shutdown(11)
has "$line" "$VM.1.4.1.8.4 = INTEGER: 1"  # vmPersistent unknown(1)

wait_note $VM.0.1 1
line=$(notes $VM.0.1)
has "$line" "$VM.1.4.1.2.8 = STRING: \"fresh\""
has "$line" "$VM.1.4.1.6.8 = INTEGER: 3" # a new domain: it was preparing(3)

# bulk: vmAffectedVMs, one bit per vmIndex, the lowest index in the high bit
# (snmptrapd prints the octet 0x40 as the character it is)
wait_note $VM.0.14 1
has "$(notes $VM.0.14)" "$VM.1.11.0 = STRING: \"@\"" # index 2: 0x40
wait_note $VM.0.20 1
has "$(notes $VM.0.20)" "$VM.1.11.0 = Hex-STRING: 10" # index 4
wait_note $VM.0.11 1
has "$(notes $VM.0.11)" "$VM.1.11.0 = Hex-STRING: 01" # index 8
# and nothing for VMs that did not change
checks=$((checks + 1))
[ "$(grep -c "= OID: $VM.0" "$TRAPS")" = 6 ] || fail "unexpected notifications: $(cat "$TRAPS")"

# --- both switches off: a change raises nothing ------------------------------
set_switch $VM.1.9.0 2
set_switch $VM.1.10.0 2
sed -i 's/^state = paused$/state = running/' "$WORK/host.sim"
wait_for 10 sh -c "[ \"\$(snmpget -v2c -c public -m '' -Oqv -Oe 127.0.0.1:$PORT $VM.1.4.1.6.2)\" = 4 ]" ||
	fail "web did not show running again"
sleep 1 # three more refreshes
checks=$((checks + 1))
[ "$(grep -c "= OID: $VM.0" "$TRAPS")" = 6 ] || fail "a notification with the switches off: $(cat "$TRAPS")"

# per-VM on again: the next change is announced
set_switch $VM.1.9.0 1
sed -i '0,/^state = running$/! {0,/^state = running$/ s/^state = running$/state = crashed/}' "$WORK/host.sim"
wait_note $VM.0.9 1
has "$(notes $VM.0.9)" "$VM.1.4.1.6.2 = INTEGER: 4"
checks=$((checks + 1))
[ "$(grep -c "= OID: $VM.0.1[0-9]	" "$TRAPS")" = 3 ] || fail "a bulk notification with its switch off"

# --- XVMON-MIB: the source fails and recovers --------------------------------
cp "$WORK/host.sim" "$WORK/host.good"
echo "[host" >"$WORK/host.sim"
wait_note $XV.0.1 1
line=$(notes $XV.0.1)
has "$line" "$XV.1.1.1.0 = STRING: \"sim:$WORK/host.sim\""
has "$line" "$XV.1.1.3.0 = STRING: \"$WORK/host.sim:1: section header without ']'\""
sleep 1 # failing on: announced once
checks=$((checks + 1))
[ "$(grep -c "= OID: $XV.0.1	" "$TRAPS")" = 1 ] || fail "xvmonSourceFailed repeated"
mv "$WORK/host.good" "$WORK/host.sim"
wait_note $XV.0.2 1
# the VM notifications during the outage are compared with the last good
# snapshot: none changed, nothing more
checks=$((checks + 1))
[ "$(grep -c "= OID: $VM.0" "$TRAPS")" = 7 ] || fail "notifications after recovery: $(cat "$TRAPS")"

# xvmonNotificationsEnabled off: the next failure is silent
set_switch $XV.1.1.6.0 2
echo "[host" >"$WORK/host.sim"
wait_source 2
sleep 0.5
checks=$((checks + 1))
[ "$(grep -c "= OID: $XV.0.1	" "$TRAPS")" = 1 ] || fail "xvmonSourceFailed with its switch off"

done_testing
