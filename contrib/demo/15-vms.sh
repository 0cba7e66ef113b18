#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Demo: every VM of a host in one check, its state kept between runs, and the
# same figures for Prometheus.  A minute passes between tests/data/vms/t0.sim
# and t1.sim: the second run has CPU and swap rates, and web2's balloon has
# been 1 GiB above its target for a minute.
. "$TOP/contrib/demo/lib.sh"
D=$(mktemp -d "${TMPDIR:-/tmp}/xvmon-demo.XXXXXX")
trap 'rm -rf "$D"' EXIT

printf '== Every VM in one check (plugins/check_xen_vms)\n'
show plugins/check_xen_vms -s sim:tests/data/vms/t0.sim --no-state --perfdata none
cp tests/data/vms/t0.sim "$D/host.sim"
set -- -s "sim:$D/host.sim" --state-dir "$D/state" --exclude '^test-' --gap-warning 512M \
	--gap-for 2m --cpu-warning 80 --committed-warning 90% --swap-warning 512K --perfdata none
show plugins/check_xen_vms "$@"
cp tests/data/vms/t1.sim "$D/host.sim"
show plugins/check_xen_vms "$@"
cp tests/data/vms/t2.sim "$D/host.sim"
show plugins/check_xen_vms "$@"
show plugins/check_xen_pool -i tests/data/pool/degraded.ini --vms --no-state --perfdata none
show plugins/check_xen_host -s sim:tests/data/vms/t1.sim --vcpu-warning 1 --cpu-sample 200ms

printf '\n== The same figures for Prometheus (metrics/xvmon-metrics)\n'
show metrics/xvmon-metrics -s sim:tests/data/vms/t1.sim -o "$D/xvmon.prom"
printf '\n$ grep -E "^xvmon_(host_memory_free|vm_cpu_seconds_total|vm_guest_committed)" %s\n' "$D/xvmon.prom"
grep -E '^xvmon_(host_memory_free|vm_cpu_seconds_total|vm_guest_committed)' "$D/xvmon.prom"
if command -v promtool >/dev/null; then
	show sh -c "promtool check metrics < '$D/xvmon.prom' && echo 'promtool: no problems'"
fi
exit 0
