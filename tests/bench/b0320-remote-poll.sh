#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Many network hosts from one process (the event-driven poller):
#
#  - xvm-search over 10 000 XenAPI hosts, each answering every request after
#    300 ms (tests/bench/fake-xapi-many: one process plays them all on
#    127.1.x.y and prints its own CPU time).  A host costs three sequential
#    round trips (login, event.from, logout): aim wall <= 3 x 300 ms + 0.5 s
#    = 1.4 s, peak memory <= 200 MB;
#  - beside it, on the same fake, the floor: tests/bench/xapi-floor, the
#    cheapest client of the same exchanges (raw sockets, Content-Length
#    only, no HTTP library, no XML), as many threads as the poller: what
#    this machine's kernel and the fake cost; three rounds of both, and
#    their medians;
#  - the fork poller on 10 000 sim: hosts answering after 300 ms
#    (a child per host, 256 at a time);
#  - check_xen_pool over 200 XenAPI hosts at 200 ms a request: aim < 1 s.
#
# XVMON_BENCH_HOSTS changes the 10 000.  10 000 hosts need about 20 000
# descriptors in the poller and 10 000 in the fake: as root the hard limit
# is raised here (the poller raises the soft one itself); otherwise it is
# what it is, and hosts beyond it wait for a free descriptor.
set -u
cd "$TOP" || exit 1
pkg-config --exists libcurl || { echo "built without libcurl: no xapi://, skipped"; exit 77; }
for t in fake-xapi-many xapi-floor; do
	[ -x tests/bench/$t ] || { echo "tests/bench/$t not built"; exit 1; }
done
HOSTS=${XVMON_BENCH_HOSTS:-10000}
w=$(mktemp -d)
. tests/bench/fake-many-lib.sh
trap '[ -n "$fake" ] && kill $fake 2>/dev/null; rm -rf "$w"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT
export XVMON_BENCH_PASSWORD=bench

if [ "$(id -u)" = 0 ]; then
	ulimit -H -n $((2 * HOSTS + 2000)) 2>/dev/null
	ulimit -S -n $((2 * HOSTS + 2000)) 2>/dev/null
fi

# timed CMD...: "WALL_S PEAK_KIB EXIT" of CMD
timed() {
	/usr/bin/time -f '%e %M %x' -o $w/time "$@" >$w/out 2>$w/err
	# the last line: time puts "Command exited with non-zero status N" before it
	tail -n 1 $w/time
}

names="v000001 v$(printf %06d $((HOSTS * 2))) v$(printf %06d $((HOSTS * 4)))"

python3 tests/bench/gen-pool.py $w/x $HOSTS 4 --xapi 1 >/dev/null
start_fake $HOSTS 300 $w
sed -i "s/:1?tls=no/:$PORT?tls=no/" $w/x/inventory.ini
# three rounds, xvm-search then the floor, on one fake: the machine's speed
# drifts, so each is shown, and the medians compared
walls= floors= worst_peak=0
for round in 1 2 3; do
	set -- $(timed contrib/xvm-search -i $w/x/inventory.ini $names)
	found=$(wc -l <$w/out)
	printf 'xvm-search, %d XenAPI hosts at 300 ms a request: %s s wall (aim <= 1.4 s), peak %d MB (aim <= 200 MB), %d of 3 VMs found, exit %s\n' \
		$HOSTS $1 $(($2 / 1024)) $found $3
	grep -m1 'did not answer\|not found' $w/err | sed 's/^/  /'
	walls="$walls $1"
	tests/bench/xapi-floor $PORT $HOSTS >$w/floor 2>&1
	printf '  the floor on the same fake (tests/bench/xapi-floor): %s\n' "$(cat $w/floor)"
	floors="$floors $(sed -n 's/.* answered, \([0-9.]*\) s wall.*/\1/p' $w/floor)"
done
python3 -c "
import statistics, sys
w = [float(x) for x in sys.argv[1].split()]
f = [float(x) for x in sys.argv[2].split()]
print('  medians: xvm-search %.2f s, floor %.2f s, xvm-search / floor %.2fx' % (
      statistics.median(w), statistics.median(f), statistics.median(w) / statistics.median(f)))
" "$walls" "$floors"
stop_fake

python3 tests/bench/gen-pool.py $w/s $HOSTS 4 --delay 300ms >/dev/null
set -- $(timed contrib/xvm-search -i $w/s/inventory.ini $names)
printf 'xvm-search, %d sim: hosts at 300 ms, the fork poller (256 children at a time): %s s wall, peak %d MB of the parent or one child, exit %s\n' \
	$HOSTS $1 $(($2 / 1024)) $3
grep -m1 'did not answer\|not found\|no answer' $w/err | sed 's/^/  /'

python3 tests/bench/gen-pool.py $w/p 200 4 --xapi 1 >/dev/null
start_fake 200 200 $w
sed -i "s/:1?tls=no/:$PORT?tls=no/" $w/p/inventory.ini
best=
for i in 1 2 3; do
	set -- $(timed plugins/check_xen_pool -i $w/p/inventory.ini -t 10)
	[ -z "$best" ] || [ "$(python3 -c "print($1 < $best)")" = True ] && best=$1
done
printf 'check_xen_pool, 200 XenAPI hosts at 200 ms a request: best of 3 %s s wall (aim < 1 s), exit %s\n' $best $3
sed -n 's/.*\(availability [^,]*, [^,]*, [^|]*\) .*/  \1/p' $w/out | head -n 1
stop_fake
