#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# XVMON-MIB is valid SMIv2: smilint -l 6 reports nothing (smilint exits 0
# even when it complains, so any output fails), and net-snmp loads it and
# the VM-MIB it augments, every object at its documented OID.
. tests/integration/lib.sh

MIBS_DIR=${SHARED:-../shared}/mibs
[ -f "$MIBS_DIR/VM-MIB.txt" ] || skip "no VM-MIB in $MIBS_DIR (SHARED must point at ../shared)"
command -v smilint >/dev/null || skip "smilint missing (Debian package smitools)"
command -v snmptranslate >/dev/null || skip "snmptranslate missing (Debian package snmp)"
mkdir -p "$WORK/cert_indexes"
export SNMPCONFPATH="$WORK" SNMP_PERSISTENT_DIR="$WORK"

run env SMIPATH="$MIBS_DIR" smilint -l 6 -s snmp/XVMON-MIB.txt
expect 0 ""
# the strictest level too
run env SMIPATH="$MIBS_DIR" smilint -l 9 -s snmp/XVMON-MIB.txt
expect 0 ""

M="-M $MIBS_DIR:snmp -m VM-MIB:XVMON-MIB"
run snmptranslate $M -Tp -IR xvmonMIB
checks=$((checks + 1))
[ $RC = 0 ] && [ -z "$ERR" ] || fail "snmptranslate -Tp: $ERR"
for name in xvmonSourceStatus xvmonHostOvercommit xvmonVmBalloonGap xvmonPoolAvailability \
	xvmonPoolHostStatus xvmonPoolAvailabilityLow; do
	contains "$name"
done
# (snmptranslate puts a blank line between names)
run sh -c "snmptranslate $M -On XVMON-MIB::xvmonVmTargetMemory XVMON-MIB::xvmonPoolAvailability \
	XVMON-MIB::xvmonSourceFailed VM-MIB::vmOperState XVMON-MIB::xvmonCompliance | grep ."
expect 0 ".1.3.6.1.4.1.8072.9999.9999.786.1.3.1.4
.1.3.6.1.4.1.8072.9999.9999.786.1.4.1.10
.1.3.6.1.4.1.8072.9999.9999.786.0.1
.1.3.6.1.2.1.236.1.4.1.6
.1.3.6.1.4.1.8072.9999.9999.786.2.1.1"
# the augmentation shares vmTable's index
run snmptranslate $M -Td XVMON-MIB::xvmonVmEntry
contains "AUGMENTS	{ vmEntry }"
done_testing
