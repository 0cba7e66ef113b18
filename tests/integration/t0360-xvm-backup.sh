#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvm-backup: what an archive holds (inventory, repository configs, each
# host's export, the tree, a MANIFEST), the restore listing, rotation, the
# lock against overlapping runs, a run killed with SIGKILL leaving the
# previous archive intact (and its temporary swept by the next run), and
# sysexits codes.
. "$TOP/tests/integration/lib.sh"
X=contrib/xvm-backup
[ -x $X ] || skip "xvm-backup is not built (libarchive-dev missing)"
command -v tar >/dev/null || skip "tar missing"
O=$WORK/archives
mkdir $O

run $X -i $DATA/pool/two-pools.ini -o $O
[ "$RC" = 0 ] && [ -z "$ERR" ] || fail "backup: $RC $ERR"
first=$OUT
case $first in "$O/xvmon-backup-"[0-9]*-[0-9]*Z.tar.gz) ;; *) fail "archive name: $first" ;; esac
[ "$(stat -c %a "$first")" = 600 ] || fail "archive mode $(stat -c %a "$first")"
top=$(basename "$first" .tar.gz)
tar -tzf "$first" | LC_ALL=C sort >$WORK/members
cat >$WORK/want <<EOW
$top/MANIFEST
$top/hosts/xen-a/scenario.sim
$top/hosts/xen-d/scenario.sim
$top/inventory.ini
$top/repositories/seed/1/12_dbvrtg001/vm.cfg
$top/repositories/seed/1/15_dbvrtg002/vm.cfg
$top/repositories/seed/1/22_dbvrtg004/vm.cfg
$top/repositories/seed/2/builder.cfg
$top/tree.json
$top/tree.txt
EOW
cmp -s $WORK/members $WORK/want || fail "members: $(diff $WORK/want $WORK/members)"
mkdir $WORK/x && tar -xzf "$first" -C $WORK/x
cmp -s $WORK/x/$top/inventory.ini $DATA/pool/two-pools.ini || fail "inventory differs"
cmp -s $WORK/x/$top/repositories/seed/2/builder.cfg $DATA/pool/repo/xl/builder.cfg || fail "xl config differs"
cmp -s $WORK/x/$top/hosts/xen-d/scenario.sim $DATA/pool/xen-d.sim || fail "export differs"
[ "$(cat $WORK/x/$top/tree.txt)" = "$(contrib/xvm-tree -i $DATA/pool/two-pools.ini)" ] || fail "tree differs"
checks=$((checks + 7))

# the restore listing
run $X --list "$first"
[ "$RC" = 0 ] || fail "--list: $RC $ERR"
[ "$(printf '%s\n' "$OUT" | head -1)" = "# $first: 10 files; archive path, where it came from, bytes" ] || fail "listing head: $OUT"
contains "$(printf 'repositories/seed/2/builder.cfg\t%s/pool/repo/xl/builder.cfg\t%s' "$DATA" "$(stat -c %s $DATA/pool/repo/xl/builder.cfg)")"
contains "$(printf 'hosts/xen-a/scenario.sim\tsim:%s/pool/xen-a.sim\t' "$DATA")"
printf 'not an archive' >$WORK/junk.tar.gz
run $X --list $WORK/junk.tar.gz
[ "$RC" = 65 ] || fail "--list junk: $RC $ERR"
run $X --list $WORK/missing.tar.gz
[ "$RC" = 66 ] || fail "--list missing: $RC $ERR"
checks=$((checks + 3))

# rotation: four runs with --keep 2 leave the two newest
cp "$first" $WORK/first.copy
for i in 1 2 3; do
	run $X -i $DATA/pool/two-pools.ini -o $O -k 2
	[ "$RC" = 0 ] || fail "run $i: $RC $ERR"
	last=$(printf '%s\n' "$OUT" | head -1)
done
[ "$(ls $O | grep -c '^xvmon-backup-.*\.tar\.gz$')" = 2 ] || fail "rotation kept: $(ls $O)"
[ -f "$last" ] && [ ! -f "$first" ] || fail "rotation removed the wrong archive: $(ls $O)"
checks=$((checks + 2))

# a host that does not answer: the archive is still written, the MANIFEST says so, 69
cat >$WORK/part.ini <<EOS
[pool p]
timeout = 500ms
[host xen-a]
pool = p
source = sim:$TOP/$DATA/pool/xen-a.sim
[host xen-hung]
pool = p
source = sim:$TOP/$DATA/pool/hang.sim
EOS
mkdir $WORK/o2
run $X -i $WORK/part.ini -o $WORK/o2
[ "$RC" = 69 ] || fail "partial: exit $RC"
run $X --list "$(ls $WORK/o2/*.tar.gz)"
contains "# host xen-hung not exported: no answer within 500 ms"
checks=$((checks + 1))
# an incomplete archive does not rotate the complete ones away, even with -k 1
complete=$(ls $O/xvmon-backup-*.tar.gz | head -n 1)
run $X -i $WORK/part.ini -o $O -k 1
[ "$RC" = 69 ] || fail "partial with -k 1: exit $RC"
[ -f "$complete" ] || fail "the partial run removed the complete archive: $(ls $O)"
[ "$(ls $O | grep -c '^xvmon-backup-.*\.tar\.gz$')" = 3 ] || fail "partial run rotated: $(ls $O)"
case "$ERR" in *"older archives are kept"*) ;; *) fail "partial run did not say it kept them: $ERR" ;; esac
checks=$((checks + 3))

# the lock: a second run while one holds it exits 75 and writes nothing
if command -v flock >/dev/null; then
	before=$(ls $O)
	flock $O/.xvm-backup.lock sleep 3 &
	holder=$!
	sleep 0.5
	run $X -i $DATA/pool/two-pools.ini -o $O
	[ "$RC" = 75 ] && [ "$ERR" = "xvm-backup: another xvm-backup is running on $O (it holds $O/.xvm-backup.lock)" ] ||
		fail "lock: $RC $ERR"
	[ "$(ls $O)" = "$before" ] || fail "a locked-out run wrote"
	wait $holder
	checks=$((checks + 2))
fi

# SIGKILL mid-run (while a slow host is asked): the previous archive is intact,
# no new one appears; the next run sweeps the temporary away
cat >$WORK/slow.ini <<EOS
[pool p]
timeout = 20s
[host slow]
pool = p
source = sim:$WORK/slow.sim
EOS
cp $DATA/pool/xen-a.sim $WORK/slow.sim
printf '\n[sim]\ndelay = 5s\n' >>$WORK/slow.sim
mkdir $WORK/o3
run $X -i $DATA/pool/two-pools.ini -o $WORK/o3
prev=$OUT
cp "$prev" $WORK/prev.copy
$X -i $WORK/slow.ini -o $WORK/o3 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid
wait $pid 2>/dev/null || true
cmp -s "$prev" $WORK/prev.copy || fail "the previous archive changed"
[ "$(ls $WORK/o3 | grep -c '\.tar\.gz$')" = 1 ] || fail "killed run left an archive: $(ls $WORK/o3)"
ls -A $WORK/o3 | grep -q '^\..*\.tar\.gz\.[0-9]*\.[A-Za-z0-9]\{6\}\.tmp$' || fail "expected the killed run's temporary (it was writing): $(ls -a $WORK/o3)"
sed -i 's/^delay = 5s$/delay = 0s/' $WORK/slow.sim
run $X -i $WORK/slow.ini -o $WORK/o3
[ "$RC" = 0 ] || fail "run after kill: $RC $ERR"
! ls -A $WORK/o3 | grep -q '\.tmp$' || fail "temporary not swept: $(ls -A $WORK/o3)"
tar -tzf "$prev" >/dev/null || fail "previous archive unreadable"
checks=$((checks + 4))

# usage and inputs
run $X -i $DATA/pool/two-pools.ini
[ "$RC" = 64 ] || fail "no -o: $RC"
run $X -i $DATA/pool/two-pools.ini -o $O -k 0
[ "$RC" = 64 ] || fail "-k 0: $RC"
run $X -i $WORK/nope.ini -o $O
[ "$RC" = 66 ] || fail "no inventory: $RC"
run $X -i $DATA/pool/two-pools.ini -o $WORK/no/such/dir
[ "$RC" = 73 ] || fail "missing output dir: $RC $ERR"
run $X -i $DATA/pool/two-pools.ini -o $O extra
[ "$RC" = 64 ] || fail "extra argument: $RC"
checks=$((checks + 5))
done_testing
