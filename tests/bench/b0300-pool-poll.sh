#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Parallel polling: 200 sim: hosts answering after 300 ms each (aim: under
# 0.6 s wall, not 60 s), and a pool with one host hanging forever under
# check_xen_pool -t 2 (aim: under 2.5 s, the host reported timed out).
set -u
cd "$TOP" || exit 1
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l 2>/dev/null || python3 -c "print($2 - $1)"; }

python3 tests/bench/gen-pool.py $w/slow 200 5 --delay 300ms
python3 tests/bench/gen-pool.py $w/hung 20 5 --hang 1 --timeout 60s

best=
for i in 1 2 3; do
	t0=$(now)
	plugins/check_xen_pool -i $w/slow/inventory.ini -t 30 >$w/out
	rc=$?
	t=$(python3 -c "print('%.3f' % ($(now) - $t0))")
	[ -z "$best" ] || [ "$(python3 -c "print($t < $best)")" = True ] && best=$t
done
printf '200 hosts x 300 ms, check_xen_pool: best of 3 %s s wall (sequential would be 60 s; aim < 0.6 s), exit %d\n' "$best" "$rc"
sed -n 's/.*\(availability [^,]*, [^,]*, [^|]*\) .*/  \1/p' $w/out | head -n 1

t0=$(now)
plugins/check_xen_pool -i $w/hung/inventory.ini -t 2 >$w/out
rc=$?
t=$(python3 -c "print('%.3f' % ($(now) - $t0))")
printf '20 hosts, 1 hanging forever, check_xen_pool -t 2: %s s wall (aim < 2.5 s), exit %d\n' "$t" "$rc"
grep -m1 '^host h0000' $w/out | sed 's/^/  /'
