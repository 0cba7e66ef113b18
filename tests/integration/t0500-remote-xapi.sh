#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xapi:// against a fake XenAPI pool (fake-peers.py) serving sim: scenarios:
# the same answers as the scenario (as far as XenAPI carries it), the slave
# redirect, host=, expired sessions, servers without event.from, a 2000-VM
# pool, malformed and hostile replies, peers that never answer (the deadline
# holds), authentication and TLS failures, passwords kept off the command
# line; and every session opened is closed, failures included.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/remote-lib.sh"
pkg-config --exists libcurl || skip "built without libcurl: no xapi:// (libcurl4-openssl-dev)"

# the scenarios, the pool master each will have in the fake pools below
for s in pool/xen-a:xen-a pool/xen-b:xen-a healthy:xen01 low-memory:xen02; do
	f=${s%:*}
	snapshot_json $DATA/$f.sim >$WORK/$(basename $f).json
	# what XenAPI can say of it: running and blocked are one state, scrub,
	# outstanding memory, swap and CPU time are not in its records
	python3 $FAKE project $WORK/$(basename $f).json xapi ${s#*:} >$WORK/$(basename $f).xapi.sim
done
printf 's3cret\n' >$WORK/pw
chmod 600 $WORK/pw
python3 - "$WORK" <<'EOF'
import json, sys
w = sys.argv[1]
snap = lambda n: json.load(open("%s/%s.json" % (w, n)))
cfg = {"user": "root", "password": "s3cret", "tls": None, "pools": [
    {"name": "prod", "master": "xen-a", "hosts": [
        {"name": "xen-a", "address": "127.0.0.51", "snapshot": snap("xen-a")},
        {"name": "xen-b", "address": "127.0.0.52", "snapshot": snap("xen-b")}]},
    {"name": "solo", "master": "xen01", "hosts": [
        {"name": "xen01", "address": "127.0.0.53", "snapshot": snap("healthy")}]},
    {"name": "big", "master": "xen02", "hosts": [
        {"name": "xen02", "address": "127.0.0.54", "snapshot": snap("low-memory"),
         "extra_vms": 2000}]}]}
json.dump(cfg, open(w + "/xapi.json", "w"))
EOF
start_fake xapi $WORK/xapi.json
P=$FAKE_PORT
opts="tls=no&password_file=$WORK/pw"
uri() { echo "xapi://$1:$P?$opts${2:+&$2}"; }
# The fake speaks plain HTTP (TLS has its own part below); the plugins say
# so on their status line: cut that note off to compare with the scenario.
PLAIN=", plain HTTP: the password crosses the network unencrypted (tls=no)"
# xrun CMD...: run, then check the note and remove it from the first line
xrun() {
	run "$@"
	case "$OUT" in
	*"$PLAIN"*) OUT=$(printf '%s\n' "$OUT" | sed "1s/$PLAIN//") ;;
	*) fail "$LAST: no note that TLS is off: $OUT" ;;
	esac
}

# sessions: none open after each step (failures included)
no_sessions() {
	checks=$((checks + 1))
	n=$(open_sessions ${2:-127.0.0.51})
	[ "$n" = 0 ] || fail "$1: $n XenAPI sessions left open ($(fake_ctl ${2:-127.0.0.51} fake.stats))"
}

# --- the same answers as the scenario behind ----------------------------------
run $H -s sim:$WORK/healthy.xapi.sim
want=$OUT
xrun $H -s "$(uri 127.0.0.53)"
expect 0 "$want"
run $H -s sim:$DATA/healthy.sim
# what changes from the scenario itself: only the figures XenAPI lacks
[ "$(printf '%s' "$want" | sed 's/ mem_scrub=[^ ]*//; s/ mem_outstanding=[^ ]*//; s/domains_running=3/domains_running=6/; s/domains_blocked=3/domains_blocked=0/')" = \
	"$(printf '%s' "$OUT" | sed 's/ mem_scrub=[^ ]*//; s/ mem_outstanding=[^ ]*//; s/domains_running=3/domains_running=6/; s/domains_blocked=3/domains_blocked=0/')" ] ||
	fail "xapi:// differs from the scenario beyond what XenAPI cannot carry"
run $SNAP "$(uri 127.0.0.53)"
[ "$OUT" = "$($SNAP sim:$WORK/healthy.xapi.sim)" ] || fail "xvmon-snapshot over xapi:// differs: $OUT"
no_sessions "a snapshot"
# plain HTTP to an address goes around libcurl, except when the environment
# names a proxy, which libcurl honours: a proxy that is not there is then
# what fails, and no_proxy lets the host be reached directly again
xrun env http_proxy=http://127.0.0.1:1 $H -s "$(uri 127.0.0.53)"
checks=$((checks + 1))
case "$RC $OUT" in
"3 XEN HOST UNKNOWN - "*"127.0.0.1 port 1"*) ;;
*) fail "http_proxy was not honoured: exit $RC: $OUT" ;;
esac
xrun env http_proxy=http://127.0.0.1:1 no_proxy=127.0.0.53 $H -s "$(uri 127.0.0.53)"
expect 0 "$want"
no_sessions "a proxy"

# a slave answers HOST_IS_SLAVE: the master is asked, for the slave's data
xrun $H -s "$(uri 127.0.0.52)"
expect 0 "$($H -s sim:$WORK/xen-b.xapi.sim)"
xrun $V -s "$(uri 127.0.0.52)" -n batch1
expect 1 "$($V -s sim:$WORK/xen-b.xapi.sim -n batch1)"
# host= names a host of the pool through its master
xrun $V -s "$(uri 127.0.0.51 host=xen-b)" -n web3
expect 0 "$($V -s sim:$WORK/xen-b.xapi.sim -n web3)"
xrun $H -s "$(uri 127.0.0.51 host=xen-z)"
expect_unknown "XenAPI: the pool has no host named 'xen-z' (name_label, hostname or uuid)"
no_sessions "the slave redirect"

# 2000 VMs (about 4 MB of records): read whole, within the default limits
xrun $H -s "$(uri 127.0.0.54)" -t 30
checks=$((checks + 1))
[ "$RC" = 1 ] && [ "${OUT%% |*}" = "XEN HOST WARNING - xen02: free 2.5 GiB of 32 GiB (7.81%) (!), 2005 domains (2005 up), overcommit 125.938" ] ||
	fail "a 2000-VM pool: exit $RC: $OUT"
no_sessions "a big pool"

# --- the server's ways ----------------------------------------------------------
fake_ctl 127.0.0.51 fake.set_mode expire-once >/dev/null
xrun $H -s "$(uri 127.0.0.53)"
expect 0 "$want"
no_sessions "an expired session"
fake_ctl 127.0.0.51 fake.set_mode no-event-from >/dev/null
xrun $H -s "$(uri 127.0.0.53)"
expect 0 "$want"
[ "$(fake_stat 127.0.0.51 calls.VM.get_all_records)" = 1 ] ||
	fail "without event.from, the records were not asked for"
no_sessions "records without event.from"

fake_ctl 127.0.0.51 fake.set_mode auth-fail >/dev/null
xrun $H -s "$(uri 127.0.0.53)"
expect_unknown "XenAPI: authentication failed for user 'root'"
fake_ctl 127.0.0.51 fake.set_mode normal >/dev/null
xrun $H -s "xapi://monitor@127.0.0.53:$P?$opts"
expect_unknown "XenAPI: authentication failed for user 'monitor'"
no_sessions "failed logins"

# --- malformed and hostile replies: one clear line each, never a crash --------
check_malformed() {
	fake_ctl 127.0.0.51 fake.set_mode "malformed:$1" >/dev/null
	xrun $H -s "$(uri 127.0.0.53)" -t 20
	expect_unknown "$2"
	no_sessions "malformed:$1"
}
check_malformed() {
	fake_ctl 127.0.0.51 fake.set_mode "malformed:$1" >/dev/null
	xrun $H -s "$(uri 127.0.0.53)" -t 20
	expect_unknown "$2"
	no_sessions "malformed:$1"
}
check_malformed not-xml "XenAPI: the reply is not XML-RPC: at byte 0: expected <methodResponse>"
check_malformed bad-type "XenAPI host_metrics OpaqueRef:host_metrics-xen01: memory_total is not a number"
check_malformed missing-field "XenAPI VM OpaqueRef:VM-xen01-0 ('Domain-0'): memory_static_max is missing"
check_malformed bad-number "XenAPI host_metrics OpaqueRef:host_metrics-xen01: memory_free '12x' is not a number from 0 to 1125899906842624"
check_malformed huge-string "XenAPI at http://127.0.0.53:$P: the answer is larger than 64 MiB"
check_malformed other-host "XenAPI: the pool's master OpaqueRef:host-somebody-else is not one of its hosts"
check_malformed fault "XenAPI event.from: XML-RPC fault -32601: server error: no such method (not a XenAPI answer)"
check_malformed no-status "XenAPI event.from: not a XenAPI answer (no Status)"
check_malformed deep "XenAPI: the reply is not XML-RPC: at byte 1032: values nested too deep"
check_malformed not-utf8 "XenAPI: the reply is not XML-RPC: at byte 67: invalid UTF-8 or a character XML forbids"
check_malformed doctype "XenAPI: the reply is not XML-RPC: at byte 21: a DOCTYPE (not allowed in XML-RPC)"
fake_ctl 127.0.0.51 fake.set_mode malformed:truncated >/dev/null
xrun $H -s "$(uri 127.0.0.53)"
case "$OUT" in
"XEN HOST UNKNOWN - XenAPI: the reply is not XML-RPC: at byte "*) ;;
*) fail "a truncated answer: $OUT" ;;
esac
no_sessions "malformed:truncated"

# --- peers that never answer: the deadline holds --------------------------------
# -t 2 keeps 500 ms to end sessions and print: the source gives up at 1.5 s
for mode in hang hang-data; do
	fake_ctl 127.0.0.51 fake.set_mode $mode >/dev/null
	t0=$(date +%s%N)
	xrun $H -s "$(uri 127.0.0.53)" -t 2
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	checks=$((checks + 1))
	case "$OUT" in
	"XEN HOST UNKNOWN - no answer within 1"[45][0-9][0-9]" ms (?)") ;;
	*) fail "$mode: $OUT" ;;
	esac
	[ "$RC" = 3 ] || fail "$mode: exit $RC"
	# its own answer (not the alarm's "timed out" line), and no waiting after
	[ $ms -lt 3000 ] || fail "$mode: the check took $ms ms, its -t is 2 s"
	fake_ctl 127.0.0.51 fake.set_mode normal >/dev/null
	# hang-data: the session was opened, and ended after the deadline
	no_sessions "$mode"
done

# --- passwords stay off command lines; private files only ---------------------
run $H -s "xapi://root:s3cret@127.0.0.53:$P?tls=no"
expect_unknown "source 'xapi://root:s3cret@127.0.0.53:$P?tls=no': no password in a URI: it would show in process lists, inventories and logs; give password_file=PATH (a file only you can read) or set it in the environment"
run $H -s "xapi://127.0.0.53:$P?tls=no&password=s3cret"
expect_unknown "source 'xapi://127.0.0.53:$P?tls=no&password=s3cret': a password in a URI would show in process lists, inventories and logs: put it in a file only you can read and give password_file=PATH, or set it in the environment"
cp $WORK/pw $WORK/pw-open
chmod 644 $WORK/pw-open
xrun $H -s "xapi://127.0.0.53:$P?tls=no&password_file=$WORK/pw-open"
expect_unknown "xapi://127.0.0.53: password file '$WORK/pw-open' can be read by everyone (mode 0644): make it private with chmod 600 '$WORK/pw-open'"
XVMON_XAPI_PASSWORD=s3cret xrun $H -s "xapi://127.0.0.53:$P?tls=no"
expect 0 "$want"
env -u XVMON_XAPI_PASSWORD sh -c "$H -s 'xapi://127.0.0.53:$P?tls=no'" >$WORK/out || true
[ "$(cat $WORK/out)" = "XEN HOST UNKNOWN - xapi://127.0.0.53: no password: put it in a file only you can read and add password_file=PATH to the URI, or set XVMON_XAPI_PASSWORD in the environment (?), plain HTTP: the password crosses the network unencrypted (tls=no)" ] ||
	fail "no password: $(cat $WORK/out)"
no_sessions "passwords"

# --- TLS: verified by default, the CA from ca_file, verify=no says so ---------
command -v openssl >/dev/null || skip "openssl not installed (the TLS part needs a certificate)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=xvmon-test \
	-addext subjectAltName=IP:127.0.0.55 -keyout $WORK/key.pem -out $WORK/cert.pem 2>/dev/null ||
	fail "openssl could not make a certificate"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
cfg = json.load(open(w + "/xapi.json"))
cfg["tls"] = {"cert": w + "/cert.pem", "key": w + "/key.pem"}
h = json.load(open(w + "/healthy.json"))
cfg["pools"] = [{"name": "tls", "master": "xen01", "hosts": [
    {"name": "xen01", "address": "127.0.0.55", "snapshot": h}]},
    {"name": "other", "master": "xen01", "hosts": [
    {"name": "xen01", "address": "127.0.0.56", "snapshot": h}]}]
json.dump(cfg, open(w + "/tls.json", "w"))
PY
start_fake xapi $WORK/tls.json
T=$FAKE_PORT
run $H -s "xapi://127.0.0.55:$T?password_file=$WORK/pw"
expect_unknown "XenAPI at https://127.0.0.55:$T: TLS: SSL certificate problem: self-signed certificate (give the CA with ca_file=PEM)"
run $H -s "xapi://127.0.0.55:$T?password_file=$WORK/pw&ca_file=$WORK/cert.pem"
expect 0 "$want"
run $H -s "xapi://127.0.0.56:$T?password_file=$WORK/pw&ca_file=$WORK/cert.pem"
expect_unknown "XenAPI at https://127.0.0.56:$T: TLS: SSL: no alternative certificate subject name matches target host name '127.0.0.56' (give the CA with ca_file=PEM)"
run $H -s "xapi://127.0.0.56:$T?password_file=$WORK/pw&verify=no"
expect 0 "$(printf '%s' "$want" | sed 's/, overcommit 0.688 |/, overcommit 0.688, TLS certificate not verified (verify=no) |/')"
run $H -s "xapi://127.0.0.55:$T?password_file=$WORK/pw&ca_file=$WORK/missing.pem"
expect_unknown "XenAPI at https://127.0.0.55:$T: TLS: error setting certificate file: $WORK/missing.pem (give the CA with ca_file=PEM)"
no_sessions "TLS" https://127.0.0.55
[ "$(fake_stat https://127.0.0.55 opened)" = 2 ] || fail "TLS: 2 sessions expected"

done_testing
