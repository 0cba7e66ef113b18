#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# snmptable-example.sh HOST [COMMUNITY]: a host's VMs as an NMS sees them
# through its snmpd and xvmon-agentx.
#
# The names need the MIB files on net-snmp's path: XVMON-MIB (installed in
# @PREFIX@/share/snmp/mibs) and the VM-MIB with its imports (RFC 7666;
# Debian ships it in snmp-mibs-downloader, from non-free).  Without them
# the same objects read by number: see the end.
host=${1:?usage: snmptable-example.sh HOST [COMMUNITY]}
community=${2:-public}
mibs=${XVMON_MIBDIRS:-@PREFIX@/share/snmp/mibs:/usr/share/snmp/mibs}

# every VM: name, UUID, admin and operational state, vCPUs, memory
snmptable -v2c -c "$community" -M "+$mibs" -m +VM-MIB:XVMON-MIB -Cb "$host" VM-MIB::vmTable

# the balloon and Xen's flags of each VM (same index as vmTable)
snmptable -v2c -c "$community" -M "+$mibs" -m +VM-MIB:XVMON-MIB -Cb -Ci "$host" XVMON-MIB::xvmonVmTable

# the host's memory and whether the data is fresh
snmpwalk -v2c -c "$community" -M "+$mibs" -m +VM-MIB:XVMON-MIB "$host" XVMON-MIB::xvmonObjects

# with no MIB files: VM names and operational states by number
# (vmName .1.3.6.1.2.1.236.1.4.1.2, vmOperState .1.3.6.1.2.1.236.1.4.1.6:
# 4 running, 8 paused, 10 shuttingdown, 11 shutdown, 12 crashed)
snmpwalk -v2c -c "$community" -On "$host" .1.3.6.1.2.1.236.1.4.1.2
snmpwalk -v2c -c "$community" -On "$host" .1.3.6.1.2.1.236.1.4.1.6
