#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# ovs:// against fake Oracle VM 2.x agents (fake-peers.py) serving sim:
# scenarios: the same answers as the scenario as far as the agent's calls
# carry it (all but balloon targets, scrub and outstanding memory), HTTP
# basic authentication, refusals and malformed answers, an agent that never
# answers.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/remote-lib.sh"
pkg-config --exists libcurl || skip "built without libcurl: no ovs:// (libcurl4-openssl-dev)"

n=61
for s in crashed paused seed-48g; do
	snapshot_json $DATA/$s.sim >$WORK/$s.json
	# each its own pool: the agent names itself as the master
	python3 $FAKE project $WORK/$s.json ovs 127.0.0.$n >$WORK/$s.ovs.sim
	n=$((n + 1))
done
printf 'agent-pw\n' >$WORK/pw
chmod 600 $WORK/pw
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
snap = lambda n: json.load(open("%s/%s.json" % (w, n)))
hosts = [{"name": n, "address": "127.0.0.%d" % (61 + i), "snapshot": snap(n)}
         for i, n in enumerate(["crashed", "paused", "seed-48g"])]
hosts.append({"name": "hung", "address": "127.0.0.64", "snapshot": snap("paused"), "hang": True})
cfg = {"user": "oracle", "password": "agent-pw", "tls": None,
       "pools": [{"name": h["name"], "master": h["name"], "hosts": [h]} for h in hosts]}
json.dump(cfg, open(w + "/ovs.json", "w"))
PY
start_fake ovs $WORK/ovs.json
P=$FAKE_PORT
uri() { echo "ovs://$1:$P?tls=no&password_file=$WORK/pw${2:+&$2}"; }
PLAIN=", plain HTTP: the password crosses the network unencrypted (tls=no)"
xrun() {
	run "$@"
	case "$OUT" in
	*"$PLAIN"*) OUT=$(printf '%s\n' "$OUT" | sed "1s/$PLAIN//") ;;
	*) fail "$LAST: no note that TLS is off: $OUT" ;;
	esac
}

# the same answers as the scenario, states included (xm's columns)
n=61
for s in crashed paused seed-48g; do
	run $H -s sim:$WORK/$s.ovs.sim -v
	want_rc=$RC want=$OUT
	xrun $H -s "$(uri 127.0.0.$n)" -v
	expect $want_rc "$want"
	run $SNAP "$(uri 127.0.0.$n)"
	[ "$OUT" = "$($SNAP sim:$WORK/$s.ovs.sim)" ] || fail "xvmon-snapshot over ovs:// differs: $OUT"
	n=$((n + 1))
done
xrun $V -s "$(uri 127.0.0.61)" -n broken1
expect 2 "$($V -s sim:$WORK/crashed.ovs.sim -n broken1)"
# and what it cannot carry is all that differs from the scenario itself
run $H -s sim:$DATA/crashed.sim
[ "$(printf '%s' "$OUT" | sed 's/ mem_scrub=[^ ]*//; s/ mem_outstanding=[^ ]*//')" = \
	"$($H -s sim:$WORK/crashed.ovs.sim)" ] || fail "ovs:// differs from the scenario beyond scrub and outstanding memory"

# the agent's user and password; its refusals
run $H -s "ovs://nobody@127.0.0.61:$P?tls=no&password_file=$WORK/pw"
expect_unknown "Oracle VM agent at http://127.0.0.61:$P/: authentication failed (HTTP 401) (?)$PLAIN"
fake_ctl 127.0.0.61 fake.set_mode malformed:no-success >/dev/null
xrun $H -s "$(uri 127.0.0.61)"
expect_unknown "Oracle VM agent get_host_info: failed:agent busy"
fake_ctl 127.0.0.61 fake.set_mode malformed:bad-number >/dev/null
xrun $H -s "$(uri 127.0.0.61)"
expect_unknown "Oracle VM agent get_host_info: total_memory_kib 'lots' is not a number from 0 to 1099511627776"
fake_ctl 127.0.0.61 fake.set_mode malformed:not-string >/dev/null
xrun $H -s "$(uri 127.0.0.61)"
expect_unknown "Oracle VM agent get_host_info: the answer is a int, not a string"
fake_ctl 127.0.0.61 fake.set_mode normal >/dev/null

# an agent that never answers: the check answers within its -t
t0=$(date +%s%N)
xrun $H -s "$(uri 127.0.0.64)" -t 2
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
case "$OUT" in
"XEN HOST UNKNOWN - no answer within 1"[45][0-9][0-9]" ms (?)") ;;
*) fail "a hung agent: $OUT" ;;
esac
[ $ms -lt 3000 ] || fail "a hung agent: the check took $ms ms, its -t is 2 s"
checks=$((checks + 1))

done_testing
