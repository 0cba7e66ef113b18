#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvm-tree on a three-pool sim: topology: the exact tree on stdout, on disk and
# in JSON; silent hosts kept and marked; the directory replaced whole; a
# directory xvm-tree did not write refused; hostile names stay path components.
. "$TOP/tests/integration/lib.sh"
X=contrib/xvm-tree
T=$DATA/tree

TREE='.
|-dbsrvd249
|---dbsrvd249
|---dbsrvd283
|-dbsrvg3413
|---dbsrvg3413
|-----13_dbvrtg001
|-----23_dbvrtg007
|-----27_dbvrtg005
|---dbsrvg3502
|-----12_dbvrtg000
|-----15_dbvrtg002
|-----34_SLSTest
|---dbsrvg3503
|-----10_dbvrtg022
|-----18_dbvrtg003
|-standalone
|---standalone
|-----1_solo
|-xen-c1
|---xen-c1 (no answer: no answer within 1000 ms)
|---xen-c2
|-----3_web1
|-----4_web2
|-(unknown master)
|---xen-lost (no answer: cannot open '"'$T/xen-lost.sim'"': No such file or directory)'

run $X -i $T/tree.ini -d $WORK/tree
[ "$RC" = 69 ] || fail "exit $RC (a host did not answer: 69)"
[ "$OUT" = "$TREE" ] || fail "tree differs:
$OUT"
[ "$ERR" = "xvm-tree: host xen-c1: no answer within 1000 ms
xvm-tree: host xen-lost: cannot open '$T/xen-lost.sim': No such file or directory" ] || fail "stderr: $ERR"
checks=$((checks + 3))

# on disk: every node a directory, VMs with uuid and state, silent hosts with NO-ANSWER
(cd $WORK/tree && find . | LC_ALL=C sort) >$WORK/disk
cat >$WORK/want <<'EOW'
.
./(unknown master)
./(unknown master)/xen-lost
./(unknown master)/xen-lost/NO-ANSWER
./.xvm-tree
./dbsrvd249
./dbsrvd249/dbsrvd249
./dbsrvd249/dbsrvd283
./dbsrvg3413
./dbsrvg3413/dbsrvg3413
./dbsrvg3413/dbsrvg3413/13_dbvrtg001
./dbsrvg3413/dbsrvg3413/13_dbvrtg001/state
./dbsrvg3413/dbsrvg3413/13_dbvrtg001/uuid
./dbsrvg3413/dbsrvg3413/23_dbvrtg007
./dbsrvg3413/dbsrvg3413/23_dbvrtg007/state
./dbsrvg3413/dbsrvg3413/23_dbvrtg007/uuid
./dbsrvg3413/dbsrvg3413/27_dbvrtg005
./dbsrvg3413/dbsrvg3413/27_dbvrtg005/state
./dbsrvg3413/dbsrvg3413/27_dbvrtg005/uuid
./dbsrvg3413/dbsrvg3502
./dbsrvg3413/dbsrvg3502/12_dbvrtg000
./dbsrvg3413/dbsrvg3502/12_dbvrtg000/state
./dbsrvg3413/dbsrvg3502/12_dbvrtg000/uuid
./dbsrvg3413/dbsrvg3502/15_dbvrtg002
./dbsrvg3413/dbsrvg3502/15_dbvrtg002/state
./dbsrvg3413/dbsrvg3502/15_dbvrtg002/uuid
./dbsrvg3413/dbsrvg3502/34_SLSTest
./dbsrvg3413/dbsrvg3502/34_SLSTest/state
./dbsrvg3413/dbsrvg3502/34_SLSTest/uuid
./dbsrvg3413/dbsrvg3503
./dbsrvg3413/dbsrvg3503/10_dbvrtg022
./dbsrvg3413/dbsrvg3503/10_dbvrtg022/state
./dbsrvg3413/dbsrvg3503/10_dbvrtg022/uuid
./dbsrvg3413/dbsrvg3503/18_dbvrtg003
./dbsrvg3413/dbsrvg3503/18_dbvrtg003/state
./dbsrvg3413/dbsrvg3503/18_dbvrtg003/uuid
./standalone
./standalone/standalone
./standalone/standalone/1_solo
./standalone/standalone/1_solo/state
./standalone/standalone/1_solo/uuid
./xen-c1
./xen-c1/xen-c1
./xen-c1/xen-c1/NO-ANSWER
./xen-c1/xen-c2
./xen-c1/xen-c2/3_web1
./xen-c1/xen-c2/3_web1/state
./xen-c1/xen-c2/3_web1/uuid
./xen-c1/xen-c2/4_web2
./xen-c1/xen-c2/4_web2/state
./xen-c1/xen-c2/4_web2/uuid
EOW
cmp -s $WORK/disk $WORK/want || fail "directory tree differs: $(diff $WORK/want $WORK/disk)"
[ "$(cat "$WORK/tree/xen-c1/xen-c1/NO-ANSWER")" = "no answer within 1000 ms" ] || fail "NO-ANSWER"
[ "$(cat $WORK/tree/dbsrvg3413/dbsrvg3502/34_SLSTest/state)" = blocked ] || fail "state file"
uuid=$(cat $WORK/tree/dbsrvg3413/dbsrvg3502/34_SLSTest/uuid)
case $uuid in [0-9a-f]*-*-4*-*-*) ;; *) fail "uuid file: $uuid" ;; esac
checks=$((checks + 4))

# JSON: the same tree, parsed and compared as data
run $X -i $T/tree.ini -j
[ "$RC" = 69 ] || fail "-j exit $RC"
printf '%s\n' "$OUT" >$WORK/tree.json
python3 - "$WORK/tree.json" "$T" <<'EOP' || fail "JSON differs"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["hosts"] == 9 and t["answered"] == 7, (t["hosts"], t["answered"])
got = [(p["master"], [(s["name"], s["answered"], [f'{v["id"]}_{v["name"]}' for v in s.get("vms", [])],
                       s.get("error")) for s in p["servers"]]) for p in t["pools"]]
want = [
 ("dbsrvd249", [("dbsrvd249", True, [], None), ("dbsrvd283", True, [], None)]),
 ("dbsrvg3413", [("dbsrvg3413", True, ["13_dbvrtg001", "23_dbvrtg007", "27_dbvrtg005"], None),
                 ("dbsrvg3502", True, ["12_dbvrtg000", "15_dbvrtg002", "34_SLSTest"], None),
                 ("dbsrvg3503", True, ["10_dbvrtg022", "18_dbvrtg003"], None)]),
 ("standalone", [("standalone", True, ["1_solo"], None)]),
 ("xen-c1", [("xen-c1", False, [], "no answer within 1000 ms"), ("xen-c2", True, ["3_web1", "4_web2"], None)]),
 (None, [("xen-lost", False, [], f"cannot open '{sys.argv[2]}/xen-lost.sim': No such file or directory")]),
]
assert got == want, got
for p in t["pools"]:
    for s in p["servers"]:
        for v in s.get("vms", []):
            assert v["state"] == "blocked" and len(v["uuid"]) == 36
EOP
checks=$((checks + 1))

# replaced whole: a second run onto the same directory drops what is gone
cp $T/*.sim $T/tree.ini $WORK/
sed -i '/^\[domain dbvrtg022\]/,/^memory/d' $WORK/dbsrvg3503.sim
run $X -i $WORK/tree.ini -q -d $WORK/tree
[ "$RC" = 69 ] && [ -z "$OUT" ] || fail "-q: $RC $OUT"
[ ! -e $WORK/tree/dbsrvg3413/dbsrvg3503/10_dbvrtg022 ] && [ -d $WORK/tree/dbsrvg3413/dbsrvg3503/18_dbvrtg003 ] ||
	fail "the second tree did not replace the first"
[ -z "$(ls -d $WORK/tree.tmp.* 2>/dev/null)" ] || fail "temporary directory left behind"
checks=$((checks + 2))

# a directory xvm-tree did not write is never replaced
mkdir $WORK/precious && touch $WORK/precious/data
run $X -q -d $WORK/precious sim:$DATA/healthy.sim
[ "$RC" = 73 ] || fail "foreign directory: exit $RC"
[ "$ERR" = "xvm-tree: '$WORK/precious' exists and is not a tree xvm-tree wrote (no .xvm-tree in it): refusing to replace it" ] ||
	fail "stderr: $ERR"
[ -f $WORK/precious/data ] || fail "foreign directory touched"
checks=$((checks + 2))

# source URIs instead of an inventory: hosts named as they name themselves
run $X sim:$DATA/pool/xen-a.sim sim:$DATA/healthy.sim
expect 0 '.
|-xen-a
|---xen-a
|-----1_web1
|-----2_web2
|-----3_db1
|-xen01
|---xen01
|-----1_web1
|-----2_web2
|-----3_db1
|-----4_cache1
|-----5_build1'

# hostile names: '/' and a leading '.' stay inside one path component; a line
# break never splits the drawing
cat >$WORK/evil.sim <<'EOS'
[host]
name = ../evil/host
total_memory = 8G
free_memory = 4G
dom0_memory = 1G
cpus = 2
master = ../../etc

[domain ../../x;rm -rf $HOME]
id = 7
state = running
memory = 1G
EOS
run $X -d $WORK/evil-tree sim:$WORK/evil.sim
expect 0 '.
|-../../etc
|---../evil/host
|-----7_../../x;rm -rf $HOME'
[ -d "$WORK/evil-tree/%2E.%2F..%2Fetc/%2E.%2Fevil%2Fhost/7_..%2F..%2Fx;rm -rf \$HOME" ] ||
	fail "hostile names escaped their component: $(cd $WORK/evil-tree && find .)"
checks=$((checks + 1))

# usage and inventory errors
run $X -i $T/tree.ini sim:$DATA/healthy.sim
[ "$RC" = 64 ] || fail "inventory and URIs: exit $RC"
run $X -i $WORK/nope.ini
[ "$RC" = 66 ] || fail "missing inventory: exit $RC"
run $X nonsense
[ "$RC" = 78 ] && [ "$ERR" = "xvm-tree: source 'nonsense' has no scheme (try sim:nonsense or xen:)" ] ||
	fail "bad URI: $RC $ERR"
run $X -P 0 sim:$DATA/healthy.sim
[ "$RC" = 64 ] || fail "-P 0: exit $RC"
run $X -t 5x sim:$DATA/healthy.sim
[ "$RC" = 64 ] || fail "-t 5x: exit $RC"
run $X --help
[ "$RC" = 0 ] || fail "--help: $RC"
contains "Exit: 0 every host answered"
checks=$((checks + 5))
done_testing
