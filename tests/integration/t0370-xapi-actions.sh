#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The operator tools over xapi:// against the fake XenAPI pool
# (fake-peers.py): xvm-stop (a clean shutdown, a VM that ignores it, then
# --force; --destroy, --pause, --unpause and XenAPI's refusals), xvm-console
# --print (the console proxy's location), names with shell metacharacters,
# not found, split brain across hosts and within a pool, the control domain
# refused; xvm-tree over the fake XenAPI and Oracle VM agents, exact on
# stdout, on disk and in JSON; and no XenAPI session left open after any step.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/remote-lib.sh"
pkg-config --exists libcurl || skip "built without libcurl: no xapi:// (libcurl4-openssl-dev)"
STOP=contrib/xvm-stop
CONSOLE=contrib/xvm-console
TREE=contrib/xvm-tree

for f in pool/xen-a pool/xen-b pool/xen-c pool/xen-d paused; do
	snapshot_json $DATA/$f.sim >$WORK/$(basename $f).json
done
printf 's3cret\n' >$WORK/pw
chmod 600 $WORK/pw
HOSTILE='x;touch pwned $(touch pwned2)`touch pwned3`'
python3 - "$WORK" "$HOSTILE" <<'PY'
import json, sys
w, hostile = sys.argv[1], sys.argv[2]
snap = lambda n: json.load(open("%s/%s.json" % (w, n)))
def vm(s, id_, name, uuid):
    d = dict(s["domains"][1], id=id_, name=name, uuid=uuid)
    s["domains"].append(d)
a, b, solo = snap("xen-a"), snap("xen-b"), snap("paused")
vm(a, 8, "stubborn", "8a5d2f3e-0c1b-4a6e-9d7f-000000000008")
vm(a, 9, "twin", "8a5d2f3e-0c1b-4a6e-9d7f-00000000a009")
vm(b, 9, "twin", "8a5d2f3e-0c1b-4a6e-9d7f-00000000b009")
vm(b, 7, hostile, "8a5d2f3e-0c1b-4a6e-9d7f-000000000007")
vm(solo, 5, "web1", "8a5d2f3e-0c1b-4a6e-9d7f-000000000005")  # split brain with xen-a
cfg = {"user": "root", "password": "s3cret", "tls": None, "shutdown_delay_ms": 300, "pools": [
    {"name": "prod", "master": "xen-a", "hosts": [
        {"name": "xen-a", "address": "127.0.0.71", "snapshot": a,
         "ignores_shutdown": ["stubborn"]},
        {"name": "xen-b", "address": "127.0.0.72", "snapshot": b,
         "control_label": "Control domain on host: xen-b"}]},
    {"name": "solo", "master": "xen05", "hosts": [
        {"name": "xen05", "address": "127.0.0.73", "snapshot": solo}]}]}
json.dump(cfg, open(w + "/xapi.json", "w"))
ovs = {"user": "oracle", "password": "s3cret", "tls": None, "pools": [
    {"name": "legacy", "master": "xen-c", "hosts": [
        {"name": "xen-c", "address": "127.0.0.81", "snapshot": snap("xen-c")},
        {"name": "xen-d", "address": "127.0.0.82", "snapshot": snap("xen-d")}]}]}
json.dump(ovs, open(w + "/ovs.json", "w"))
PY
start_fake ovs $WORK/ovs.json
OP=$FAKE_PORT
start_fake xapi $WORK/xapi.json
P=$FAKE_PORT
uri() { echo "xapi://$1:$P?tls=no&password_file=$WORK/pw"; }
cat >$WORK/pool.ini <<EOI
[pool prod]
timeout = 5s

[host xen-a]
pool = prod
source = $(uri 127.0.0.71)

[host xen-b]
pool = prod
source = $(uri 127.0.0.72)

[host xen05]
pool = prod
source = $(uri 127.0.0.73)
EOI

no_sessions() {
	checks=$((checks + 1))
	n=$(open_sessions 127.0.0.71)
	[ "$n" = 0 ] || fail "$1: $n XenAPI sessions left open ($(fake_ctl 127.0.0.71 fake.stats))"
}
calls() { fake_stat 127.0.0.71 "calls.$1"; }
# vms HOST: the VMs the host runs now, "NAME:STATE" in id order
vms() {
	$SNAP --json "$(uri $1)" | python3 -c 'import json, sys
print(" ".join("%s:%s" % (d["name"], d["state"]) for d in json.load(sys.stdin)["domains"] if d["id"]))'
}
[ "$(vms 127.0.0.71)" = "web1:running web2:running db1:running stubborn:running twin:running" ] ||
	fail "xen-a at the start: $(vms 127.0.0.71)"

# --- xvm-tree over the fake XenAPI and Oracle VM agents --------------------------
ouri() { echo "ovs://$1:$OP?tls=no&password_file=$WORK/pw"; }
cat >$WORK/tree.ini <<EOI
[pool all]
timeout = 5s

[host xen-a]
pool = all
source = $(uri 127.0.0.71)

[host xen-b]
pool = all
source = $(uri 127.0.0.72)

[host xen05]
pool = all
source = $(uri 127.0.0.73)

[host xen-c]
pool = all
source = $(ouri 127.0.0.81)

[host xen-d]
pool = all
source = $(ouri 127.0.0.82)
EOI
# the masters as the peers name them: XenAPI the master's host name (a
# slave's login is redirected there), the Oracle VM agent its address
run $TREE -i $WORK/tree.ini -d $WORK/tree
expect 0 '.
|-127.0.0.81
|---xen-c
|-----1_web4
|-----2_rogue1
|-----3_web1
|---xen-d
|-xen-a
|---xen-a
|-----1_web1
|-----2_web2
|-----3_db1
|-----8_stubborn
|-----9_twin
|---xen-b
|-----1_web3
|-----2_db2
|-----3_batch1
|-----7_'"$HOSTILE"'
|-----9_twin
|-xen05
|---xen05
|-----5_web1
|-----41_batch1
|-----42_batch2'
(cd $WORK/tree && find . | LC_ALL=C sort) >$WORK/disk
cat >$WORK/want <<'EOW'
.
./.xvm-tree
./127.0.0.81
./127.0.0.81/xen-c
./127.0.0.81/xen-c/1_web4
./127.0.0.81/xen-c/1_web4/state
./127.0.0.81/xen-c/1_web4/uuid
./127.0.0.81/xen-c/2_rogue1
./127.0.0.81/xen-c/2_rogue1/state
./127.0.0.81/xen-c/2_rogue1/uuid
./127.0.0.81/xen-c/3_web1
./127.0.0.81/xen-c/3_web1/state
./127.0.0.81/xen-c/3_web1/uuid
./127.0.0.81/xen-d
./xen-a
./xen-a/xen-a
./xen-a/xen-a/1_web1
./xen-a/xen-a/1_web1/state
./xen-a/xen-a/1_web1/uuid
./xen-a/xen-a/2_web2
./xen-a/xen-a/2_web2/state
./xen-a/xen-a/2_web2/uuid
./xen-a/xen-a/3_db1
./xen-a/xen-a/3_db1/state
./xen-a/xen-a/3_db1/uuid
./xen-a/xen-a/8_stubborn
./xen-a/xen-a/8_stubborn/state
./xen-a/xen-a/8_stubborn/uuid
./xen-a/xen-a/9_twin
./xen-a/xen-a/9_twin/state
./xen-a/xen-a/9_twin/uuid
./xen-a/xen-b
./xen-a/xen-b/1_web3
./xen-a/xen-b/1_web3/state
./xen-a/xen-b/1_web3/uuid
./xen-a/xen-b/2_db2
./xen-a/xen-b/2_db2/state
./xen-a/xen-b/2_db2/uuid
./xen-a/xen-b/3_batch1
./xen-a/xen-b/3_batch1/state
./xen-a/xen-b/3_batch1/uuid
./xen-a/xen-b/7_x;touch pwned $(touch pwned2)`touch pwned3`
./xen-a/xen-b/7_x;touch pwned $(touch pwned2)`touch pwned3`/state
./xen-a/xen-b/7_x;touch pwned $(touch pwned2)`touch pwned3`/uuid
./xen-a/xen-b/9_twin
./xen-a/xen-b/9_twin/state
./xen-a/xen-b/9_twin/uuid
./xen05
./xen05/xen05
./xen05/xen05/41_batch1
./xen05/xen05/41_batch1/state
./xen05/xen05/41_batch1/uuid
./xen05/xen05/42_batch2
./xen05/xen05/42_batch2/state
./xen05/xen05/42_batch2/uuid
./xen05/xen05/5_web1
./xen05/xen05/5_web1/state
./xen05/xen05/5_web1/uuid
EOW
cmp -s $WORK/disk $WORK/want || fail "directory tree differs: $(diff $WORK/want $WORK/disk)"
[ "$(cat "$WORK/tree/xen-a/xen-b/7_$HOSTILE/uuid")" = 8a5d2f3e-0c1b-4a6e-9d7f-000000000007 ] &&
	[ "$(cat $WORK/tree/xen-a/xen-b/3_batch1/state)" = paused ] &&
	[ "$(cat $WORK/tree/127.0.0.81/xen-c/2_rogue1/state)" = running ] || fail "state and uuid files"
checks=$((checks + 2))
run $TREE -i $WORK/tree.ini -j
[ "$RC" = 0 ] || fail "-j: exit $RC $ERR"
printf '%s\n' "$OUT" >$WORK/tree.json
python3 - "$WORK/tree.json" "$HOSTILE" <<'EOP' || fail "JSON differs"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["hosts"] == 5 and t["answered"] == 5, (t["hosts"], t["answered"])
got = [(p["master"], [(s["name"], s["answered"],
                       [(v["id"], v["name"], v["state"]) for v in s.get("vms", [])])
                      for s in p["servers"]]) for p in t["pools"]]
r, b, p = "running", "blocked", "paused"
want = [
 ("127.0.0.81", [("xen-c", True, [(1, "web4", b), (2, "rogue1", r), (3, "web1", b)]),
                 ("xen-d", True, [])]),
 ("xen-a", [("xen-a", True, [(1, "web1", r), (2, "web2", r), (3, "db1", r), (8, "stubborn", r),
                             (9, "twin", r)]),
            ("xen-b", True, [(1, "web3", r), (2, "db2", r), (3, "batch1", p),
                             (7, sys.argv[2], r), (9, "twin", r)])]),
 ("xen05", [("xen05", True, [(5, "web1", p), (41, "batch1", p), (42, "batch2", r)])]),
]
assert got == want, got
EOP
checks=$((checks + 1))
no_sessions "xvm-tree"

# --- xvm-stop: a clean shutdown, waited for ----------------------------------
run $STOP -i $WORK/pool.ini web2
checks=$((checks + 1))
case "$RC:$OUT" in
"0:web2: shut down on xen-a in "[0-9].[0-9]" s") ;;
*) fail "clean shutdown: $RC $OUT $ERR" ;;
esac
[ "$(vms 127.0.0.71)" = "web1:running db1:running stubborn:running twin:running" ] ||
	fail "web2 still there: $(vms 127.0.0.71)"
[ "$(calls Async.VM.clean_shutdown)" = 1 ] && [ "$(calls VM.hard_shutdown)" = 0 ] ||
	fail "not one Async.VM.clean_shutdown: $(fake_ctl 127.0.0.71 fake.stats)"
checks=$((checks + 2))
no_sessions "a clean shutdown"

# a VM that ignores the request: the wait runs out (75), then -f destroys it
run $STOP -i $WORK/pool.ini -w 1 stubborn
[ "$RC" = 75 ] && [ -z "$OUT" ] &&
	[ "$ERR" = "xvm-stop: stubborn on xen-a: 'stubborn' did not shut down within 1000 ms (-f destroys it)" ] ||
	fail "ignored shutdown: $RC $OUT $ERR"
[ "$(vms 127.0.0.71)" = "web1:running db1:running stubborn:running twin:running" ] ||
	fail "stubborn did not stay: $(vms 127.0.0.71)"
no_sessions "an ignored shutdown"
run $STOP -i $WORK/pool.ini -w 1 -f stubborn
expect 0 "stubborn: did not shut down within 1.0 s on xen-a; destroyed"
[ "$(vms 127.0.0.71)" = "web1:running db1:running twin:running" ] ||
	fail "stubborn not destroyed: $(vms 127.0.0.71)"
[ "$(calls VM.hard_shutdown)" = 1 ] || fail "no VM.hard_shutdown"
checks=$((checks + 3))
no_sessions "--force"

# --pause / --unpause, and XenAPI's refusal in its own words
run $STOP -i $WORK/pool.ini --pause db1
expect 0 "db1: paused on xen-a"
[ "$(vms 127.0.0.71)" = "web1:running db1:paused twin:running" ] || fail "db1 not paused: $(vms 127.0.0.71)"
run $STOP -i $WORK/pool.ini -H xen-a --pause db1
[ "$RC" = 69 ] &&
	[ "$ERR" = "xvm-stop: cannot pause db1 on xen-a: 'db1': XenAPI VM.pause: VM_BAD_POWER_STATE: OpaqueRef:VM-xen-a-3, running, paused" ] ||
	fail "pausing a paused VM: $RC $ERR"
run $STOP -i $WORK/pool.ini --unpause db1
expect 0 "db1: unpaused on xen-a"
[ "$(vms 127.0.0.71)" = "web1:running db1:running twin:running" ] || fail "db1 not unpaused: $(vms 127.0.0.71)"
checks=$((checks + 3))
no_sessions "pause and unpause"

# --- xvm-console: the console proxy's location --------------------------------
run $CONSOLE -i $WORK/pool.ini --print web3
want=$(python3 -c 'import uuid; print("https://127.0.0.72/console?uuid=%s" % uuid.uuid5(uuid.NAMESPACE_URL, "console/rfb/a643ea19-f63f-4d3d-9344-37ed9938397c"))')
expect 0 "$want"
[ "$(calls console.get_location)" = 1 ] || fail "no console.get_location"
checks=$((checks + 1))
# no X11 display: refused (64); a display: still no VNC viewer for a proxy URL (69)
DISPLAY= run $CONSOLE -i $WORK/pool.ini web3
[ "$RC" = 64 ] && [ "$ERR" = "xvm-console: web3: the console is graphical ($want) and there is no X11 display (log in with ssh -X, or --print shows the endpoint)" ] ||
	fail "no display: $RC $ERR"
DISPLAY=:99 XVMON_VNCVIEWER=/bin/false run $CONSOLE -i $WORK/pool.ini web3
[ "$RC" = 69 ] && [ "$ERR" = "xvm-console: web3: the console is reached through the XenAPI's console proxy ($want), which a VNC viewer cannot open by itself: --print shows it for a XenAPI client" ] ||
	fail "display: $RC $ERR"
checks=$((checks + 2))
no_sessions "consoles"

# --- hostile names, not found, split brain, the control domain ---------------
cd $WORK
run $TOP/$CONSOLE -i $WORK/pool.ini --print "$HOSTILE"
want=$(python3 -c 'import uuid; print("https://127.0.0.72/console?uuid=%s" % uuid.uuid5(uuid.NAMESPACE_URL, "console/rfb/8a5d2f3e-0c1b-4a6e-9d7f-000000000007"))')
expect 0 "$want"
run $TOP/$STOP -i $WORK/pool.ini --destroy "$HOSTILE"
expect 0 "$HOSTILE: destroyed on xen-b"
cd $TOP
[ ! -e $WORK/pwned ] && [ ! -e $WORK/pwned2 ] && [ ! -e $WORK/pwned3 ] && [ ! -e pwned2 ] ||
	fail "a name reached a shell"
case " $(vms 127.0.0.72) " in *" $HOSTILE:"*) fail "the hostile name is still there" ;; esac
checks=$((checks + 2))

run $STOP -i $WORK/pool.ini ghost
[ "$RC" = 1 ] && [ "$ERR" = "xvm-stop: ghost: not found on any of 3 hosts" ] || fail "ghost: $RC $ERR"
# web1 runs in both pools: split brain, refused unless -H
run $STOP -i $WORK/pool.ini web1
[ "$RC" = 64 ] && [ "$ERR" = "xvm-stop: web1: found on 2 hosts (xen-a, xen05): split brain; name the host with -H" ] ||
	fail "split brain: $RC $ERR"
# twin twice in one pool: the pool itself cannot say which one -H means
run $STOP -i $WORK/pool.ini -H xen-a --destroy twin
[ "$RC" = 64 ] && [ "$ERR" = "xvm-stop: cannot destroy twin on xen-a: the pool has 2 VMs named 'twin': refusing to choose one (rename them)" ] ||
	fail "twin: $RC $ERR"
run $STOP -i $WORK/pool.ini -H xen-b --destroy "Control domain on host: xen-b"
[ "$RC" = 64 ] && [ "$ERR" = "xvm-stop: cannot destroy Control domain on host: xen-b on xen-b: refusing to act on 'Control domain on host: xen-b': it is a control domain (dom0)" ] ||
	fail "control domain: $RC $ERR"
[ "$(vms 127.0.0.71)" = "web1:running db1:running twin:running" ] || fail "xen-a changed: $(vms 127.0.0.71)"
[ "$(calls VM.hard_shutdown)" = 2 ] || fail "a refused action reached the pool"
checks=$((checks + 6))
no_sessions "refusals"


# every Async.VM.clean_shutdown task was destroyed once waited for (XAPI
# keeps finished tasks until then): web2's, and stubborn's two (cancelled by
# the hard shutdown)
[ "$(fake_stat 127.0.0.71 tasks)" = 0 ] && [ "$(calls task.destroy)" = 3 ] ||
	fail "tasks left: $(fake_ctl 127.0.0.71 fake.stats)"
checks=$((checks + 1))

# xvm-backup: each XenAPI pool's database, once per pool (xen-b is prod's
# slave: its pool's dump came through xen-a)
mkdir $WORK/backups
run contrib/xvm-backup -v -i $WORK/pool.ini -o $WORK/backups
archive=$(printf '%s\n' "$OUT" | tail -n 1)
[ "$RC" = 0 ] && [ -z "$ERR" ] && [ -f "$archive" ] || fail "xvm-backup: exit $RC, '$OUT' $ERR"
want="host xen-a: xapi/prod/pool-database.xml ([0-9]* bytes)
host xen-b: its pool's export is xapi/prod/pool-database.xml (from xen-a)
host xen05: xapi/solo/pool-database.xml ([0-9]* bytes)"
printf '%s\n' "$OUT" | sed '$d' | sed 's/([0-9]* bytes)/([0-9]* bytes)/' >$WORK/got
[ "$(cat $WORK/got)" = "$want" ] || fail "xvm-backup -v: $OUT"
[ "$(calls 'GET /pool/xmldbdump')" = 2 ] || fail "not two dumps: $(fake_ctl 127.0.0.71 fake.stats)"
mkdir $WORK/x
tar -xzf "$archive" -C $WORK/x
top=$(basename "$archive" .tar.gz)
python3 - "$WORK/x/$top/xapi" "$HOSTILE" <<'EOP' || fail "the dumps are not the pools' databases"
import sys, xml.etree.ElementTree as ET
def vms(path):
    root = ET.parse(path).getroot()
    assert root.tag == "database" and root.find("manifest") is not None, root.tag
    t = [t for t in root.findall("table") if t.get("name") == "VM"][0]
    return sorted(r.get("name__label") for r in t.findall("row")
                  if r.get("is_a_template") == "false" and r.get("is_control_domain") == "false")
prod, solo = vms(sys.argv[1] + "/prod/pool-database.xml"), vms(sys.argv[1] + "/solo/pool-database.xml")
assert prod == sorted(["web1", "web2", "db1", "stubborn", "twin", "web3", "db2", "batch1",
                       sys.argv[2], "twin"]), prod
assert solo == ["batch1", "batch2", "web1"], solo
EOP
run contrib/xvm-backup --list "$archive"
[ "$RC" = 0 ] || fail "--list: $RC $ERR"
contains "xapi/prod/pool-database.xml	$(uri 127.0.0.71)	"
contains "xapi/solo/pool-database.xml	$(uri 127.0.0.73)	"
contains "# host xen-b not exported again: its pool's export is xapi/prod/pool-database.xml (from xen-a)"
checks=$((checks + 4))
no_sessions "xvm-backup"

[ "$(open_sessions 127.0.0.71)" = 0 ] && [ "$(fake_stat 127.0.0.71 opened)" -gt 20 ] ||
	fail "sessions at the end: $(fake_ctl 127.0.0.71 fake.stats)"
checks=$((checks + 1))
done_testing
