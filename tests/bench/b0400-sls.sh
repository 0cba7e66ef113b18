#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-sls on a pool of 1000 sim: hosts and 20 000 VMs: wall time and peak
# memory of a whole export (poll, evaluate, three feeds written atomically),
# best of 3, plus one run with a VM of each host missing from the inventory
# (1000 unexpected VMs, long availabilityinfo lists).
set -u
cd "$TOP" || exit 1
[ -x sls/xvmon-sls ] || { echo "sls/xvmon-sls not built (libxml2 missing): skipped"; exit 77; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT

python3 tests/bench/gen-pool.py $w/pool 1000 20 --pool big
mkdir $w/out

# run_once ARGS: prints "WALL_S PEAK_KIB EXIT"; peak memory is the largest
# resident set of the exporter or of one of its poll children (wait4's
# ru_maxrss), from /usr/bin/time when installed, else from Python
run_once() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M %x' -o $w/time sls/xvmon-sls "$@" >/dev/null 2>$w/err
		cat $w/time
	else
		python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(["sls/xvmon-sls"] + sys.argv[1:], stdout=subprocess.DEVNULL)
print("%.2f %d %d" % (time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc))
PY
	fi
}

best= peak= rc=
for i in 1 2 3; do
	set -- $(run_once -i $w/pool/inventory.ini -o $w/out -q)
	[ -z "$best" ] || [ "$(python3 -c "print($1 < $best)")" = True ] && best=$1
	peak=$2 rc=$3
done
printf '1000 hosts, 20000 VMs, xvmon-sls (xsls): best of 3 %s s wall, peak RSS %s KiB, exit %s\n' \
	"$best" "$peak" "$rc"
python3 tests/integration/sls-values.py $w/out/big.xml | cut -d' ' -f1-9 | sed 's/^/  /'
printf '  feed sizes: %s\n' "$(wc -c $w/out/big.xml $w/out/big_vm.xml $w/out/big_pm.xml | head -n 3 | awk '{printf "%s %s B  ", $2, $1}' | sed "s|$w/out/||g")"

set -- $(run_once -i $w/pool/inventory.ini -o $w/out -q --format json)
printf '  the same, --format json: %s s wall, peak RSS %s KiB, exit %s\n' "$1" "$2" "$3"

# every 20th VM (v...20, v...40, ...) not expected: 1000 unexpected, the
# lists in availabilityinfo capped at 20 names
grep -v '^vm = v[0-9]*[02468]0$' $w/pool/inventory.ini >$w/pool/partial.ini
set -- $(run_once -i $w/pool/partial.ini -o $w/out -q)
printf '  1000 VMs up but not in the inventory: %s s wall, peak RSS %s KiB, exit %s, big.xml %s B\n' \
	"$1" "$2" "$3" "$(wc -c <$w/out/big.xml)"
python3 tests/integration/sls-values.py $w/out/big.xml | grep -o 'vms=[0-9]* .*vms_unexpected=[0-9]*' | sed 's/^/  /'
