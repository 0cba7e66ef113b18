#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Many XenAPI hosts from one process: 1100 hosts of fake-xapi-many (one
# process plays them all, on 127.1.x.y), enough for the poller to share
# them out among threads (lib/poller.h, XV_POLL_SHARD_HOSTS) on a machine
# with more than one processor.  Every host answers, the guests are found
# where they are whichever thread asked their host, every session is
# ended, and one thread (the process pinned to one processor) gives the
# same answers.
. "$TOP/tests/integration/lib.sh"
pkg-config --exists libcurl || skip "built without libcurl: no xapi://"
command -v python3 >/dev/null || skip "python3 is needed for tests/bench/gen-pool.py"
[ -x tests/bench/fake-xapi-many ] || fail "tests/bench/fake-xapi-many not built (make check builds it)"
HOSTS=1100
. tests/bench/fake-many-lib.sh
trap '[ -n "$fake" ] && kill $fake 2>/dev/null; rm -rf "$WORK"' EXIT
export T0535_PASSWORD=pw

python3 tests/bench/gen-pool.py $WORK/x $HOSTS 4 --xapi 1 >/dev/null
start_fake $HOSTS 20 $WORK
port=$PORT
sed -i "s/:1?tls=no&password_env=XVMON_BENCH_PASSWORD/:$port?tls=no\&password_env=T0535_PASSWORD/" \
	$WORK/x/inventory.ini

# host h's guests are v(4h+1) .. v(4h+4): the first host, the last, and
# hosts in between, whatever slice of the hosts each thread takes
names="v000001 v001204 v001601 v002802 v004400 nosuch"
want="v000001 h0000
v001204 h0300
v001601 h0400
v002802 h0700
v004400 h1099"
search() {
	run "$@" contrib/xvm-search -i $WORK/x/inventory.ini -t 20 $names
	[ "$RC" = 1 ] || fail "$LAST: exit $RC, not 1 (one name not found); stderr: $(tail -n 3 $WORK/err)"
	[ "$OUT" = "$want" ] || fail "$LAST: stdout differs:
expected: $want
got:      $OUT"
	# a caveat per host (plain HTTP), then the one name nobody has: no
	# host failed or was left unasked
	[ "$(grep -c 'plain HTTP: the password crosses the network unencrypted' $WORK/err)" = $HOSTS ] ||
		fail "$LAST: not one caveat per host: $(grep -v 'plain HTTP' $WORK/err | head -n 3)"
	[ "$(grep -v 'plain HTTP' $WORK/err)" = "xvm-search: nosuch: not found on any of $HOSTS hosts" ] ||
		fail "$LAST: stderr: $(grep -v 'plain HTTP' $WORK/err | head -n 3)"
	checks=$((checks + 1))
}
search
threaded_err=$(sort $WORK/err)
cpus=$(nproc)
if [ "$cpus" -gt 1 ] && command -v taskset >/dev/null; then
	search taskset -c 0
	[ "$(sort $WORK/err)" = "$threaded_err" ] || fail "one thread and $cpus say different things"
	runs=2
else
	skip_part "one processor here (or no taskset): the threads were not compared with one"
	runs=1
fi

stop_fake >$WORK/fake.line
line=$(cat $WORK/fake.line)
case "$line" in
"  fake server: $((runs * HOSTS * 3)) requests, 0 sessions left open, "*) checks=$((checks + 1)) ;;
*) fail "the fake says: $line (expected $((runs * HOSTS * 3)) requests, 0 sessions open)" ;;
esac
done_testing
