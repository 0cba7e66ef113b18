#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Demo: a pool of sim: hosts, its availability, and finding VMs in it.
. "$TOP/contrib/demo/lib.sh"

printf '== Pools: availability (harmonic mean of VM and server ratios) and SearchVM\n'
show plugins/check_xen_pool -i tests/data/pool/healthy.ini
show plugins/check_xen_pool -i tests/data/pool/degraded.ini
show contrib/xvm-search -i tests/data/pool/degraded.ini web1 db2 mail1
exit 0
