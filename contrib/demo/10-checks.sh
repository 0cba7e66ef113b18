#!/bin/sh
# Demo: the check plugins on the sim: scenarios, as Icinga would run them.
set -u
cd "$TOP" || exit 1
say() { printf '\n$ %s\n' "$*"; }
show() {
	say "$*"
	"$@"
	printf '(exit %d)\n' $?
}

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
