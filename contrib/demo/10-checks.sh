#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Demo: the check plugins on the sim: scenarios, as Icinga would run them.
. "$TOP/contrib/demo/lib.sh"

printf '== Check plugins (plugins/) on sim: scenarios\n'
show plugins/check_xen_host -s sim:tests/data/healthy.sim
show plugins/check_xen_host -s sim:tests/data/low-memory.sim
show plugins/check_xen_host -s sim:tests/data/crashed.sim
show plugins/check_xen_host -s sim:tests/data/seed-48g.sim --overcommit-warning 2 --overcommit-critical 3
show plugins/check_xen_vm -s sim:tests/data/healthy.sim -n web2
show plugins/check_xen_vm -s sim:tests/data/paused.sim -n batch2 --gap-warning 256M -v
show plugins/check_xen_vm -s sim:tests/data/paused.sim -n batch1
show plugins/check_xen_host -w 10x
show plugins/check_xen_host -s xen:
exit 0
