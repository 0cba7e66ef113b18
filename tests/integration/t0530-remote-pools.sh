#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The pool tools give the same answers whatever source reaches the hosts:
# check_xen_pool, xvm-search and xvmon-sls on the degraded pool of
# tests/data/pool (a hung host, a paused VM, a missing one, one on two hosts,
# one nobody expected), read as sim: files, over ssh:// (xvmon-snapshot on
# the scenarios through a real sshd), from fake XenAPI hosts and from fake
# Oracle VM agents serving the same scenarios.  XenAPI cannot tell running
# from blocked: its answers are those of the scenarios as XenAPI carries
# them, and their first lines (the figures) those of the scenarios
# themselves.  Inventories take remote URIs like any other.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/remote-lib.sh"
pkg-config --exists libcurl || skip "built without libcurl: no xapi:// or ovs://"
start_sshd
POOL=$TOP/$DATA/pool
P=plugins/check_xen_pool
S=contrib/xvm-search

for h in xen-a xen-b xen-c; do
	snapshot_json $POOL/$h.sim >$WORK/$h.json
	python3 $FAKE project $WORK/$h.json xapi >$WORK/$h.xapi.sim
done
printf 'pw\n' >$WORK/pw
chmod 600 $WORK/pw
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
snap = lambda n: json.load(open("%s/%s.json" % (w, n)))
for kind, user, base in (("xapi", "root", 71), ("ovs", "oracle", 81)):
    hosts = [{"name": n, "address": "127.0.0.%d" % (base + i), "snapshot": snap(n)}
             for i, n in enumerate(["xen-a", "xen-b", "xen-c"])]
    hosts.append({"name": "xen-hung", "address": "127.0.0.%d" % (base + 3),
                  "snapshot": snap("xen-a"), "hang": True})
    cfg = {"user": user, "password": "pw", "tls": None,
           "pools": [{"name": h["name"], "master": h["name"], "hosts": [h]} for h in hosts]}
    json.dump(cfg, open("%s/%s.json" % (w, kind), "w"))
PY
start_fake xapi $WORK/xapi.json
XP=$FAKE_PORT
XAPI_PORTFILE=$FAKE_PORTFILE
start_fake ovs $WORK/ovs.json
OP=$FAKE_PORT

# inventory KIND: the degraded pool, each host read the KIND way.  The hung
# host gets 1 s, the others 30 s (ssh logins take seconds on a busy machine).
inventory() {
	sed -n '/^\[pool prod\]/,/^$/p' $POOL/degraded.ini | sed 's/^timeout = .*/timeout = 30s/'
	n=0
	for h in xen-a xen-b xen-c xen-hung; do
		sim=$POOL/$h.sim
		[ $h = xen-hung ] && sim=$POOL/hang.sim
		case $1 in
		sim) src="sim:$sim" ;;
		xapisim) src="sim:$WORK/$h.xapi.sim"; [ $h = xen-hung ] && src="sim:$sim" ;;
		ssh) src="ssh://root@127.0.0.1:$SSH_PORT?config=$SSH_CONFIG&command=$TOP/$SNAP&source=sim:$sim" ;;
		xapi) src="xapi://127.0.0.$((71 + n)):$XP?tls=no&password_file=$WORK/pw" ;;
		ovs) src="ovs://127.0.0.$((81 + n)):$OP?tls=no&password_file=$WORK/pw" ;;
		esac
		printf '\n[host %s]\npool = prod\nsource = %s\n' $h "$src"
		[ $h = xen-hung ] && echo "timeout = 1s"
		n=$((n + 1))
	done
}
for k in sim xapisim ssh xapi ovs; do
	inventory $k >$WORK/$k.ini
done

# what varies from run to run: the poll time
pool_output() {
	run $P -i $WORK/$1.ini -t 60
	OUT=$(printf '%s\n' "$OUT" | sed 's/poll_time=[0-9.]*s/poll_time=Ts/')
}
# the notes on plain HTTP, one long-output line per host
no_plain_notes() {
	printf '%s\n' "$OUT" | grep -v ': plain HTTP: the password crosses the network unencrypted (tls=no)$'
}

pool_output sim
want_rc=$RC want=$OUT
pool_output xapisim
xapi_rc=$RC xapi_want=$OUT
[ "$(printf '%s\n' "$want" | head -n 1)" = "$(printf '%s\n' "$xapi_want" | head -n 1)" ] ||
	fail "the scenarios as XenAPI carries them change the pool's figures"

pool_output ssh
expect $want_rc "$want"
pool_output ovs
checks=$((checks + 1))
[ "$(printf '%s\n' "$OUT" | grep -c ': plain HTTP: ')" = 4 ] || fail "ovs: the plain HTTP notes: $OUT"
OUT=$(no_plain_notes)
expect $want_rc "$want"
pool_output xapi
OUT=$(no_plain_notes)
expect $xapi_rc "$xapi_want"

# xvm-search: the same places, the same silent host
for k in sim ssh xapi ovs; do
	run $S -i $WORK/$k.ini -l web1 batch1 mail1 rogue1
	ERR=$(printf '%s\n' "$ERR" | grep -v ': plain HTTP: ')
	[ $k = sim ] && { search_rc=$RC search_out=$OUT search_err=$ERR; continue; }
	checks=$((checks + 1))
	[ "$RC" = "$search_rc" ] || fail "xvm-search over $k: exit $RC, not $search_rc"
	if [ $k = xapi ]; then
		# running and blocked are one state in XenAPI
		[ "$OUT" = "$(printf '%s\n' "$search_out" | sed 's/ blocked$/ running/')" ] ||
			fail "xvm-search over $k: $OUT"
	else
		[ "$OUT" = "$search_out" ] || fail "xvm-search over $k: $OUT"
	fi
	[ "$ERR" = "$search_err" ] || fail "xvm-search over $k, stderr: $ERR"
done

# xvmon-sls: the same feeds (but for their time stamps)
feeds() {
	mkdir -p $WORK/sls-$1
	sls/xvmon-sls -i $WORK/$1.ini -o $WORK/sls-$1 --format json -q -t 60 ||
		fail "xvmon-sls over $1 failed"
	cat $WORK/sls-$1/prod.json $WORK/sls-$1/prod_vm.json $WORK/sls-$1/prod_pm.json |
		grep -v '"timestamp"\|"poll_time"'
}
feeds sim >$WORK/feeds-sim
feeds xapisim >$WORK/feeds-xapisim
for k in ssh ovs xapi; do
	checks=$((checks + 1))
	if [ $k = xapi ]; then
		feeds $k | cmp -s - $WORK/feeds-xapisim || fail "xvmon-sls over $k differs"
	else
		feeds $k | cmp -s - $WORK/feeds-sim || fail "xvmon-sls over $k differs"
	fi
done
grep -q '"availability": 75,' $WORK/feeds-sim || fail "the degraded pool is not at 75%"

FAKE_PORTFILE=$XAPI_PORTFILE
[ "$(open_sessions 127.0.0.71)" = 0 ] || fail "XenAPI sessions left open: $(fake_ctl 127.0.0.71 fake.stats)"
checks=$((checks + 1))

done_testing
