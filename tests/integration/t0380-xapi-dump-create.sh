#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xapi:// against the fake XenAPI pool (fake-peers.py), beyond t0370:
# xvm-backup's pool database dump and its failures (a session the master
# refuses, a master that never sends it, one too big, one that is not a XAPI
# database: each said, exit 69, the previous archive untouched), and
# xvm-create from a template (clone, provision, started paused on the host
# chosen, the hooks given the clone's generated MAC, then running; an unknown
# template, two of one name, a VM named as a template, a start that fails and
# what it left behind, an xl configuration refused); no XenAPI session or task
# left behind.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/remote-lib.sh"
pkg-config --exists libcurl || skip "built without libcurl: no xapi:// (libcurl4-openssl-dev)"
[ -x contrib/xvm-backup ] || skip "xvm-backup is not built (libarchive-dev missing)"
command -v tar >/dev/null || skip "tar missing"
BACKUP=contrib/xvm-backup
CREATE=contrib/xvm-create
umask 022

for f in xen-a xen-b; do
	snapshot_json $DATA/pool/$f.sim >$WORK/$f.json
done
printf 's3cret\n' >$WORK/pw
chmod 600 $WORK/pw
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
snap = lambda n: json.load(open("%s/%s.json" % (w, n)))
cfg = {"user": "root", "password": "s3cret", "tls": None, "pools": [
    {"name": "prod", "master": "xen-a",
     "templates": [{"name": "Debian Bookworm 12", "memory_kib": 2097152, "vifs": 1},
                   {"name": "Twin", "vifs": 1}, {"name": "Twin", "vifs": 1},
                   {"name": "Huge", "memory_kib": 64 << 20, "vifs": 2}],
     "hosts": [{"name": "xen-a", "address": "127.0.0.91", "snapshot": snap("xen-a")},
               {"name": "xen-b", "address": "127.0.0.92", "snapshot": snap("xen-b")}]}]}
json.dump(cfg, open(w + "/xapi.json", "w"))
PY
start_fake xapi $WORK/xapi.json
P=$FAKE_PORT
uri() { echo "xapi://$1:$P?tls=no&password_file=$WORK/pw"; }
cat >$WORK/pool.ini <<EOI
[pool prod]
timeout = 5s

[host xen-a]
pool = prod
source = $(uri 127.0.0.91)

[host xen-b]
pool = prod
source = $(uri 127.0.0.92)
EOI
calls() { fake_stat 127.0.0.91 "calls.$1"; }
no_leftovers() {
	checks=$((checks + 1))
	[ "$(open_sessions 127.0.0.91)" = 0 ] && [ "$(fake_stat 127.0.0.91 tasks)" = 0 ] ||
		fail "$1: sessions or tasks left: $(fake_ctl 127.0.0.91 fake.stats)"
}
# vms HOST: the VMs the host runs now, "NAME:STATE" in id order
vms() {
	$SNAP --json "$(uri $1)" | python3 -c 'import json, sys
print(" ".join("%s:%s" % (d["name"], d["state"]) for d in json.load(sys.stdin)["domains"] if d["id"]))'
}

# --- xvm-backup: the dump, then each way it can fail -----------------------------
mkdir $WORK/backups
run $BACKUP -i $WORK/pool.ini -o $WORK/backups
first=$OUT
[ "$RC" = 0 ] && [ -z "$ERR" ] && [ -f "$first" ] || fail "backup: $RC '$OUT' $ERR"
mkdir $WORK/x
tar -xzf "$first" -C $WORK/x
dump=$WORK/x/$(basename "$first" .tar.gz)/xapi/prod/pool-database.xml
[ -f "$dump" ] || fail "no xapi/prod/pool-database.xml in $first: $(tar -tzf "$first")"
python3 - "$dump" <<'EOP' || fail "the dump is not the fake pool's database"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
tables = {t.get("name"): t for t in root.findall("table")}
assert root.tag == "database" and {"pool", "host", "VM", "VIF"} <= set(tables), tables
assert [r.get("name__label") for r in tables["pool"]] == ["prod"]
assert sorted(r.get("name__label") for r in tables["host"]) == ["xen-a", "xen-b"]
names = sorted(r.get("name__label") for r in tables["VM"] if r.get("is_a_template") == "true")
assert names == ["Debian Bookworm 12", "Huge", "Twin", "Twin"], names
EOP
checks=$((checks + 2))
cp "$first" $WORK/first.copy
no_leftovers "a dump"

# one host of the pool only, so that each failure is said once
sed '/^\[host xen-b\]/,$d' $WORK/pool.ini >$WORK/a.ini
where="XenAPI pool database dump from http://127.0.0.91:$P/pool/xmldbdump"
# backup_fails MODE MESSAGE [OPTIONS]: exit 69, MESSAGE said and in the
# MANIFEST, an archive without the dump, the first archive untouched
backup_fails() {
	fake_ctl 127.0.0.91 fake.set_mode "$1" >/dev/null
	start=$(date +%s)
	run $BACKUP -i $WORK/a.ini -o $WORK/backups ${3-}
	took=$(($(date +%s) - start))
	fake_ctl 127.0.0.91 fake.set_mode normal >/dev/null
	checks=$((checks + 3))
	[ "$RC" = 69 ] && [ -f "$OUT" ] && [ "$OUT" != "$first" ] || fail "$1: exit $RC '$OUT' $ERR"
	# MESSAGE is a pattern: the deadline's message says when curl gave up
	case "$ERR" in
	"xvm-backup: host xen-a: $where: "$2"
xvm-backup: 1 of 1 hosts were not exported (see the MANIFEST); older archives are kept") ;;
	*) fail "$1: $ERR" ;;
	esac
	run $BACKUP --list "$OUT"
	case "$OUT" in *"# host xen-a not exported: $where: "$2*) ;; *) fail "$1: MANIFEST: $OUT" ;; esac
	case "$OUT" in *pool-database.xml*) fail "$1: a dump was archived: $OUT" ;; esac
	cmp -s "$first" $WORK/first.copy || fail "$1: the previous archive changed"
	no_leftovers "$1"
}
backup_fails dump:bad-session "the master refused the session (HTTP 401)"
backup_fails dump:not-xml "its root element is not <database>: not a XAPI database"
backup_fails dump:huge "the answer is larger than 256 MiB"
backup_fails dump:hang "no answer in time (Operation timed out after [0-9]* milliseconds with 0 bytes received)" "-t 2"
[ "$took" -le 6 ] || fail "the hung dump took $took s with -t 2"
checks=$((checks + 1))
[ "$(ls $WORK/backups | grep -c '^xvmon-backup-.*\.tar\.gz$')" = 5 ] || fail "archives: $(ls $WORK/backups)"
checks=$((checks + 1))

# --- xvm-create from a template -------------------------------------------------
H=$WORK/hooks
mkdir -p $H/post-install.d
cat >$H/10-register <<EOS
#!/bin/sh
{ for a in "\$@"; do printf '[%s]' "\$a"; done; echo; } >>$WORK/hook.log
EOS
chmod 755 $H/10-register
cp $H/10-register $H/post-install.d/10-prepare

# the plan: nothing happens
run $CREATE -i $WORK/pool.ini -H xen-b --template "Debian Bookworm 12" -m 1G --hooks $H \
	--post-install-delay 0 -n web9
[ "$RC" = 0 ] && [ "$OUT" = "create web9 (memory 1 GiB) from template Debian Bookworm 12 on xen-b, paused (headroom after it: 15.0 GiB)
hook $H/10-register web9 xen-b (the MACs of the template's interfaces)
unpause web9 on xen-b
after 0 s: hook $H/post-install.d/10-prepare web9 xen-b (the MACs of the template's interfaces)" ] ||
	fail "dry run: $RC $OUT $ERR"
[ "$(calls VM.clone)" = 0 ] || fail "the dry run cloned"
checks=$((checks + 2))

run $CREATE -i $WORK/pool.ini -H xen-b --template "Debian Bookworm 12" -m 1G --hooks $H \
	--post-install-delay 0 web9
mac=$(fake_ctl 127.0.0.91 fake.macs | python3 -c 'import json, sys; print(*json.load(sys.stdin)["web9"])')
case "$mac" in 02:??:??:??:??:??) ;; *) fail "web9's MAC in the pool: '$mac'" ;; esac
expect 0 "web9: created on xen-b (domain 4), paused; MAC $mac
web9: registered (1 hooks)
web9: started on xen-b
web9: post-install done (1 hooks)"
[ "$(cat $WORK/hook.log)" = "[web9][xen-b][$mac]
[web9][xen-b][$mac]" ] || fail "hook arguments: $(cat $WORK/hook.log)"
[ "$(vms 127.0.0.92)" = "web3:running db2:running batch1:paused web9:running" ] ||
	fail "web9 not running on xen-b: $(vms 127.0.0.92)"
$SNAP --json "$(uri 127.0.0.92)" | python3 -c 'import json, sys
d = [d for d in json.load(sys.stdin)["domains"] if d["name"] == "web9"][0]
assert d["max_kib"] == 1048576 and d["cur_kib"] == 1048576, d' || fail "web9's memory"
for m in VM.clone VM.provision VM.set_is_a_template VM.set_memory_limits VM.start_on VM.unpause; do
	[ "$(calls $m)" = 1 ] || fail "$m: $(calls $m) calls"
done
checks=$((checks + 4))
no_leftovers "a create"

# placement: no -H, the host with the most headroom (xen-a now)
run $CREATE -i $WORK/pool.ini --template "Debian Bookworm 12" -m 512M web10
[ "$RC" = 0 ] && [ "$(printf '%s\n' "$OUT" | tail -n 1)" = "web10: started on xen-a" ] ||
	fail "placed: $RC $OUT $ERR"
case " $(vms 127.0.0.91) " in *" web10:running "*) ;; *) fail "web10: $(vms 127.0.0.91)" ;; esac
checks=$((checks + 1))

# refusals before anything is cloned
clones=$(calls VM.clone)
run $CREATE -i $WORK/pool.ini -H xen-a --template Nope web11
[ "$RC" = 65 ] && [ "$ERR" = "xvm-create: cannot create web11 on xen-a: the pool has no template named 'Nope'" ] ||
	fail "unknown template: $RC $ERR"
run $CREATE -i $WORK/pool.ini -H xen-a --template Twin web11
[ "$RC" = 64 ] && [ "$ERR" = "xvm-create: cannot create web11 on xen-a: the pool has 2 templates named 'Twin': refusing to choose one (rename them)" ] ||
	fail "two templates: $RC $ERR"
run $CREATE -i $WORK/pool.ini -H xen-a --template web3 web11
[ "$RC" = 65 ] && [ "$ERR" = "xvm-create: cannot create web11 on xen-a: 'web3' is a VM, not a template" ] ||
	fail "a VM as template: $RC $ERR"
printf 'name = "web12"\nmemory = 512\n' >$WORK/web12.cfg
run $CREATE -i $WORK/pool.ini -H xen-a $WORK/web12.cfg
[ "$RC" = 64 ] && [ "$ERR" = "xvm-create: web12: host xen-a ($(uri 127.0.0.91)) creates VMs from the pool's templates, not from xl configuration files: use --template NAME" ] ||
	fail "an xl configuration: $RC $ERR"
run $CREATE -i $WORK/pool.ini $WORK/web12.cfg
[ "$RC" = 64 ] && [ "$ERR" = "xvm-create: web12: no host can create VMs from xl configuration files (xapi:// hosts create from templates: --template NAME)" ] ||
	fail "an xl configuration, placed: $RC $ERR"
[ "$(calls VM.clone)" = "$clones" ] || fail "a refusal cloned"
checks=$((checks + 6))

# a start that fails: said, with what it left behind; the name is then taken
run $CREATE -i $WORK/pool.ini -H xen-a --template Huge big
uuid=$(printf '%s\n' "$ERR" | sed -n 's/.*(uuid \([0-9a-f-]*\)).*/\1/p')
[ "$RC" = 69 ] && [ -n "$uuid" ] &&
	[ "$ERR" = "xvm-create: cannot create big on xen-a: 'big': XenAPI VM.start_on: HOST_NOT_ENOUGH_FREE_MEMORY: 68719476736, 16642998272; left behind: the VM 'big' (uuid $uuid), halted: remove it with xe vm-uninstall uuid=$uuid, or finish by hand" ] ||
	fail "a failed start: $RC $ERR"
run $CREATE -i $WORK/pool.ini -H xen-a --template Huge big
[ "$RC" = 73 ] && [ "$ERR" = "xvm-create: cannot create big on xen-a: the pool has a VM named 'big' already" ] ||
	fail "the name left behind: $RC $ERR"
checks=$((checks + 2))
no_leftovers "refusals"
done_testing
