#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-sls replaces feeds atomically: killed between writing its temporary
# files and renaming them (the XVMON_SLS_TEST_PAUSE_MS hook), the old feeds
# are intact, and the next run removes the temporaries the killed one left
# (50 kills in a row leave none); stopped with SIGTERM there, it finishes the
# renames first; an unwritable directory, a feed path taken by a directory
# and a failed poll leave the old feeds in place and no temporary file
# behind.
. "$TOP/tests/integration/lib.sh"
S=$TOP/sls/xvmon-sls
POOL=$DATA/pool
[ -x $S ] || skip "sls/xvmon-sls not built (libxml2 missing)"
command -v python3 >/dev/null || skip "python3 not installed"

same() {
	checks=$((checks + 1))
	[ "$1" = "$2" ] || fail "differ:
expected: $1
got:      $2"
}

# intact DIR: the feeds in DIR are byte for byte those saved in $WORK/old
intact() {
	for f in prod.xml prod_vm.xml prod_pm.xml; do
		checks=$((checks + 1))
		cmp -s "$WORK/old/$f" "$1/$f" || fail "$1/$f changed"
	done
}

# temporaries DIR [PID]: how many temporary files are in DIR (of writer PID)
temporaries() {
	ls -A "$1" | grep -c "^\..*\.${2:-[0-9]*}\.[A-Za-z0-9]\{6\}\.tmp\$" || true
}

# wait_for_temporaries DIR N PID: until the exporter PID has N temporary files there
wait_for_temporaries() {
	i=0
	while [ "$(temporaries "$1" "$3")" != "$2" ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "no $2 temporary files of $3 in $1 after 30 s"
		sleep 0.1
	done
}

cp $POOL/*.sim $WORK/
chmod 755 $WORK
sed 's/^vm = db2$/vm = db2\nvm = db3/' $POOL/healthy.ini >$WORK/missing.ini

# the feeds as they were: healthy, 100%
D=$WORK/feeds && mkdir $D $WORK/old
run $S -i $POOL/healthy.ini -o $D
same "0" "$RC"
cp $D/*.xml $WORK/old/
same "100.0" "$(sed -n 's/.*<availability>\(.*\)<.*/\1/p' $D/prod.xml)"
same "-rw-r--r--" "$(ls -l $D/prod.xml | cut -c1-10)"

# killed with SIGKILL after the temporaries are written and synced, before
# any rename: the old feeds are intact (and still valid); the temporaries
# stay, as nothing can clean up after SIGKILL, hidden and named after their
# writer
XVMON_SLS_TEST_PAUSE_MS=30000 $S -i $WORK/missing.ini -o $D 2>$WORK/kill.err &
pid=$!
wait_for_temporaries $D 3 $pid
intact $D
kill -KILL $pid
wait $pid && rc=0 || rc=$?
same "137" "$rc"
intact $D
same "3" "$(temporaries $D $pid)"
same ".prod.xml.$pid. .prod_pm.xml.$pid. .prod_vm.xml.$pid." "$(ls -A $D | grep '\.tmp$' | sed 's/[A-Za-z0-9]\{6\}\.tmp$//' | sort | tr '\n' ' ' | sed 's/ $//')"

# 50 more kills at the same moment: each run removes what the killed one
# before it left, so temporaries never pile up, and the feeds stay intact
for k in $(seq 50); do
	XVMON_SLS_TEST_PAUSE_MS=30000 $S -i $WORK/missing.ini -o $D 2>$WORK/kill.err &
	pid=$!
	wait_for_temporaries $D 3 $pid
	kill -KILL $pid
	wait $pid || true
	intact $D
	checks=$((checks + 1))
	[ "$(temporaries $D)" = 3 ] || fail "after kill $k: $(temporaries $D) temporaries: $(ls -A $D)"
done

# SIGTERM at the same moment is held until the renames are done: the new
# feeds (5/6 VMs: 83.3%) are complete, the killed run's temporaries are gone
# and no temporary file is left
XVMON_SLS_TEST_PAUSE_MS=1500 $S -i $WORK/missing.ini -o $D 2>$WORK/term.err &
pid=$!
wait_for_temporaries $D 3 $pid
same "3" "$(temporaries $D)"
kill -TERM $pid
wait $pid && rc=0 || rc=$?
same "143" "$rc"
same "0" "$(temporaries $D)"
same "prod.xml prod_pm.xml prod_vm.xml" "$(ls -A $D | tr '\n' ' ' | sed 's/ $//')"
same "prod_vm availability=83.3
prod_pm availability=100.0
prod availability=90.9" "$(python3 tests/integration/sls-values.py $D/prod_vm.xml $D/prod_pm.xml $D/prod.xml | cut -d' ' -f1-2)"
cp $WORK/old/*.xml $D/

# a failed poll (no host answers) leaves the feeds as they were: exit 75
sed 's|^source = sim:|source = sim:/nonexistent/|' $POOL/healthy.ini >$WORK/dead.ini
run $S -i $WORK/dead.ini -o $D
same "75" "$RC"
same "xvmon-sls: pool 'prod': no host answered (xen-a: cannot open '/nonexistent/xen-a.sim': No such file or directory; xen-b: cannot open '/nonexistent/xen-b.sim': No such file or directory): feeds left unchanged (--publish-unavailable publishes them as unavailable)" "$ERR"
intact $D
same "0" "$(temporaries $D)"

# an unwritable directory: exit 73, old feeds intact, nothing left behind.
# root writes anywhere, so root runs the exporter as nobody
RO=$WORK/ro && mkdir $RO && cp $WORK/old/*.xml $RO/ && chmod 555 $RO
as_user=
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null; then
		as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		as_user=none
	fi
fi
cp $POOL/healthy.ini $WORK/
# nobody must reach the program: a checkout under a private home cannot be
if [ -n "$as_user" ] && [ "$as_user" != none ] && ! $as_user $S --version >/dev/null 2>&1; then
	as_user=unreachable
fi
if [ "$as_user" = none ] || [ "$as_user" = unreachable ]; then
	echo "# root, and no setpriv or $S not executable by nobody: unwritable directory case not run"
else
	run $as_user $S -i $WORK/healthy.ini -o $RO
	same "73" "$RC"
	case "$ERR" in
	"xvmon-sls: cannot create a temporary file for '$RO/prod_vm.xml': Permission denied; the previous feeds of pool 'prod' are unchanged") ;;
	*) fail "unwritable directory: $ERR" ;;
	esac
	intact $RO
	same "0" "$(temporaries $RO)"
fi

# the combined feed's path is a directory: its rename fails (exit 74) after
# the other two were replaced; no temporary file is left behind
D2=$WORK/blocked && mkdir $D2 && cp $WORK/old/prod_vm.xml $WORK/old/prod_pm.xml $D2/ && mkdir $D2/prod.xml
run $S -i $POOL/healthy.ini -o $D2
same "74" "$RC"
case "$ERR" in
"xvmon-sls: cannot rename '$D2/.prod.xml."*".tmp' to '$D2/prod.xml': Is a directory") ;;
*) fail "rename onto a directory: $ERR" ;;
esac
same "0" "$(temporaries $D2)"
checks=$((checks + 1))
[ -d $D2/prod.xml ] || fail "the directory in the way was replaced"

# no output directory: exit 73 before anything is polled
run $S -i $POOL/healthy.ini -o $WORK/nonexistent
same "73" "$RC"
same "xvmon-sls: output directory '$WORK/nonexistent': No such file or directory" "$ERR"
run $S -i $POOL/healthy.ini -o $D/prod.xml
same "73" "$RC"
same "xvmon-sls: output directory '$D/prod.xml': not a directory" "$ERR"

done_testing
