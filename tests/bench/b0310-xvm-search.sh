#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvm-search over 1000 sim: hosts (20 guests each, 5 ms to answer, like a
# LAN round trip): 10 VMs found in one parallel pass, against the same
# search asking the hosts one after another (-P 1), as the seed's first
# SearchVM did over ssh.
set -u
cd "$TOP" || exit 1
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT
python3 tests/bench/gen-pool.py $w 1000 20 --delay 5ms
names="v000001 v002000 v004000 v006000 v008000 v010000 v012000 v014000 v016000 v020000"

run() {
	t0=$(date +%s.%N)
	# -t: the sequential pass must not be cut by the default bound of a run
	contrib/xvm-search -i $w/inventory.ini -t 10m "$@" $names >$w/out 2>$w/err
	rc=$?
	python3 -c "print('%.3f' % ($(date +%s.%N) - $t0))"
}
par=$(run)
found=$(wc -l <$w/out)
seq=$(run -P 1)
printf 'xvm-search, 1000 hosts, 10 VMs: parallel %s s (%s found), sequential (-P 1) %s s, speed-up %sx\n' \
	"$par" "$found" "$seq" "$(python3 -c "print('%.1f' % ($seq / $par))")"
head -n 3 $w/out | sed 's/^/  /'
