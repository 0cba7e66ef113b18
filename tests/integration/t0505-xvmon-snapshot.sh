#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-snapshot on its own: the JSON of a scenario (every field, unknowns as
# null), the --wire protocol (version line, then the answer; another
# version: the line alone, exit 76), failures as sysexits with one line on
# stderr, bad options.
. "$TOP/tests/integration/lib.sh"
# the snapshot wire format this build speaks
WIRE=$(sed -n 's/^#define XV_SNAPSHOT_WIRE_VERSION \([0-9]*\).*/\1/p' lib/snapshot_wire.h)
SNAP=contrib/xvmon-snapshot
version=$(cat VERSION)

run $SNAP sim:$DATA/paused.sim
[ "$RC" = 0 ] || fail "exit $RC: $ERR"
checks=$((checks + 1))
python3 - "$OUT" <<'PY' || fail "the JSON of paused.sim"
import json, sys
s = json.loads(sys.argv[1])
h = s["host"]
assert h["name"] == "xen05" and h["cpus"] == 4 and h["total_kib"] == 16 << 20, h
assert h["scrub_kib"] is None  # not in the scenario: unknown
assert set(h) == {"name", "xen_version", "total_kib", "free_kib", "dom0_kib", "scrub_kib",
                  "outstanding_kib", "cpus", "pool_master"}, sorted(h)
assert h["pool_master"] is None  # the scenario does not say
d = {x["name"]: x for x in s["domains"]}
assert d["batch1"]["flags"] == "-bp---" and d["batch1"]["cpu_ns"] == 600 * 10**9 and d["batch1"]["state"] == "paused", d["batch1"]
assert d["batch1"]["swap_used_kib"] is None  # unknown, not 0
assert s["domains"][0]["id"] == 0
PY

# --wire: the version line, then the answer the ssh:// source decodes
$SNAP --wire $WIRE sim:$DATA/healthy.sim >$WORK/wire
checks=$((checks + 1))
[ "$(head -n 1 $WORK/wire)" = "xvmon-snapshot $WIRE $version" ] || fail "version line: $(head -n 1 $WORK/wire)"
[ "$(head -c 27 $WORK/wire | tail -c 4)" = "SxvV" ] || fail "no snapshot after the version line"
run $SNAP --wire 99 sim:$DATA/healthy.sim
[ "$RC" = 76 ] && [ "$OUT" = "xvmon-snapshot $WIRE $version" ] || fail "--wire 99: exit $RC: $OUT"
checks=$((checks + 1))
# a failure travels in the answer: exit 69, nothing on stderr
$SNAP --wire $WIRE sim:$DATA/no-such.sim >$WORK/wire 2>$WORK/err && fail "--wire on a missing file: exit 0"
[ -s $WORK/err ] && fail "--wire wrote on stderr: $(cat $WORK/err)"
grep -q "cannot open '$DATA/no-such.sim'" $WORK/wire || fail "--wire: the failure is not in the answer"
checks=$((checks + 1))

# failures for people: one line on stderr, sysexits
run $SNAP sim:$DATA/no-such.sim
[ "$RC" = 69 ] && [ "$ERR" = "xvmon-snapshot: cannot open '$DATA/no-such.sim': No such file or directory" ] ||
	fail "a missing scenario: exit $RC: $ERR"
run $SNAP 'xapi://h?password=x'
[ "$RC" = 78 ] || fail "a password in a URI: exit $RC: $ERR"
case "$ERR" in *"a password in a URI would show in process lists"*) ;; *) fail "$ERR" ;; esac
run $SNAP --wire x
[ "$RC" = 64 ] || fail "--wire x: exit $RC"
run $SNAP -t 0 sim:$DATA/healthy.sim
[ "$RC" = 64 ] || fail "-t 0: exit $RC"
run $SNAP sim:a sim:b
[ "$RC" = 64 ] || fail "two sources: exit $RC"
run $SNAP --version
[ "$RC" = 0 ] && [ "$OUT" = "xvmon-snapshot $version (xvmon; sources: $(plugins/check_xen_host -V | sed 's/.*sources: \(.*\))$/\1/'); snapshot format $WIRE)" ] ||
	fail "--version: $OUT"
checks=$((checks + 5))

done_testing
