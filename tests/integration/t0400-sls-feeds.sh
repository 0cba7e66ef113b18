#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-sls on sim: pools: the exact figures of the three feeds (rounded
# down to 0.1%) in eight pool situations, every document valid against the
# public XSLS schema, the edge cases (undefined ratios, empty pool) and
# hostile host and VM names.
. "$TOP/tests/integration/lib.sh"
S=sls/xvmon-sls
POOL=$DATA/pool
[ -x $S ] || skip "sls/xvmon-sls not built (libxml2 missing)"
command -v xmllint >/dev/null || skip "xmllint not installed (libxml2-utils)"
command -v python3 >/dev/null || skip "python3 not installed"
xsls_schema

# valid FILE...: each file is valid against the public schema
valid() {
	[ -n "$XSD" ] || return 0
	for f in "$@"; do
		checks=$((checks + 1))
		xmllint --noout --schema "$XSD" "$f" 2>"$WORK/xmllint" ||
			fail "$f is not valid against the XSLS schema: $(cat "$WORK/xmllint")"
	done
}

# values FILE...: the feeds' values, one line each (tests/integration/sls-values.py)
values() {
	python3 tests/integration/sls-values.py "$@"
}

# feeds INVENTORY ID [ARGS]: runs the exporter into a fresh directory, checks
# it said nothing and wrote valid documents; leaves the directory in $D
feeds() {
	inv=$1 id=$2
	shift 2
	D=$WORK/out.$id
	rm -rf "$D" && mkdir "$D"
	run $S -i "$inv" -o "$D" "$@"
	[ "$RC" = 0 ] || fail "$LAST: exit $RC: $ERR"
	[ -z "$ERR" ] || fail "$LAST: said on stderr: $ERR"
	valid "$D"/*.xml
}

# same TEXT ACTUAL: exact comparison
same() {
	checks=$((checks + 1))
	[ "$1" = "$2" ] || fail "values differ:
expected: $1
got:      $2"
}

cp $POOL/*.sim $WORK/

# 1. healthy: every VM up, every host answered
feeds $POOL/healthy.ini prod
same "prod_vm availability=100.0 availability=100.0 vm_ratio=100.0 server_ratio=100.0 hosts=2 hosts_reachable=2 hosts_down=0 vms=5 vms_up=5 vms_missing=0 vms_not_up=0 vms_duplicate=0 vms_unexpected=0
prod_pm availability=100.0 availability=100.0 vm_ratio=100.0 server_ratio=100.0 hosts=2 hosts_reachable=2 hosts_down=0 vms=5 vms_up=5 vms_missing=0 vms_not_up=0 vms_duplicate=0 vms_unexpected=0
prod availability=100.0 availability=100.0 vm_ratio=100.0 server_ratio=100.0 hosts=2 hosts_reachable=2 hosts_down=0 vms=5 vms_up=5 vms_missing=0 vms_not_up=0 vms_duplicate=0 vms_unexpected=0" \
	"$(values $D/prod_vm.xml $D/prod_pm.xml $D/prod.xml)"
same "2 of 2 hosts answered (100.0%)." \
	"$(xmllint --xpath '//*[local-name()="availabilityinfo"]/text()' $D/prod_pm.xml)"

# 2. degraded: a hung host, a paused VM, a missing VM, a VM on two hosts and
# one nobody expected; 6/8 VMs, 3/4 hosts: 75% each
feeds $POOL/degraded.ini prod
same "prod_vm availability=75.0 availability=75.0 vm_ratio=75.0 server_ratio=75.0 hosts=4 hosts_reachable=3 hosts_down=1 vms=8 vms_up=6 vms_missing=1 vms_not_up=1 vms_duplicate=1 vms_unexpected=1
prod_pm availability=75.0
prod availability=75.0" \
	"$(values $D/prod_vm.xml $D/prod_pm.xml $D/prod.xml | sed '2,$s/ availability=75.0 vm_ratio.*//')"
same "Availability 75.0%: 6 of 8 VMs up (75.0%), 3 of 4 hosts answered (75.0%).
Missing (seen on no host that answered; they may run on a host that did not): mail1.
Not up: batch1 (paused on xen-b).
On several hosts at once (counted once): web1 (xen-a (running), xen-c (blocked)).
Up but not in the inventory (not counted): rogue1 (running on xen-c).
Hosts that did not answer: xen-hung (no answer within 1000 ms)." \
	"$(xmllint --xpath '//*[local-name()="availabilityinfo"]/text()' $D/prod.xml)"
same "3 of 4 hosts answered (75.0%).
Hosts that did not answer: xen-hung (no answer within 1000 ms)." \
	"$(xmllint --xpath '//*[local-name()="availabilityinfo"]/text()' $D/prod_pm.xml)"

# 3. VMs missing on healthy hosts: 5/7 = 71.42 -> 71.4; harmonic mean
# 2*5*2/(5*2+2*7) = 20/24 = 83.33 -> 83.3
sed 's/^vm = db2$/vm = db2\nvm = db3\nvm = db4/' $POOL/healthy.ini >$WORK/missing.ini
feeds $WORK/missing.ini prod
same "prod_vm availability=71.4 availability=83.3 vm_ratio=71.4 server_ratio=100.0 hosts=2 hosts_reachable=2 hosts_down=0 vms=7 vms_up=5 vms_missing=2 vms_not_up=0 vms_duplicate=0 vms_unexpected=0
prod_pm availability=100.0
prod availability=83.3" "$(values $D/prod_vm.xml $D/prod_pm.xml $D/prod.xml | sed '2,$s/ availability=83.3 vm_ratio.*//')"
same "5 of 7 expected VMs up (71.4%).
Missing (seen on no host): db3, db4." \
	"$(xmllint --xpath '//*[local-name()="availabilityinfo"]/text()' $D/prod_vm.xml)"

# 4. a host down (its source fails) and its VMs unknown: 3/5 VMs = 60.0,
# 1/2 hosts = 50.0, 2*3*1/(3*2+1*5) = 6/11 = 54.54 -> 54.5
sed 's|^source = sim:xen-b.sim$|source = sim:/nonexistent/xen-b.sim|' $POOL/healthy.ini >$WORK/hostdown.ini
feeds $WORK/hostdown.ini prod
same "prod_vm availability=60.0 availability=54.5 vm_ratio=60.0 server_ratio=50.0 hosts=2 hosts_reachable=1 hosts_down=1 vms=5 vms_up=3 vms_missing=2 vms_not_up=0 vms_duplicate=0 vms_unexpected=0
prod_pm availability=50.0
prod availability=54.5" "$(values $D/prod_vm.xml $D/prod_pm.xml $D/prod.xml | sed '2,$s/ availability=54.5 vm_ratio.*//')"
same "1 of 2 hosts answered (50.0%).
Hosts that did not answer: xen-b (cannot open '/nonexistent/xen-b.sim': No such file or directory)." \
	"$(xmllint --xpath '//*[local-name()="availabilityinfo"]/text()' $D/prod_pm.xml)"

# 5. 2 of 3 VMs: 66.6, never 66.7; 2*2*1/(2*1+1*3) = 80.0
printf '[pool third]\nvm = web1\nvm = web2\nvm = mail9\n[host xen-a]\npool = third\nsource = sim:xen-a.sim\n' >$WORK/third.ini
feeds $WORK/third.ini third
same "third_vm availability=66.6 availability=80.0 vm_ratio=66.6 server_ratio=100.0 hosts=1 hosts_reachable=1 hosts_down=0 vms=3 vms_up=2 vms_missing=1 vms_not_up=0 vms_duplicate=0 vms_unexpected=1
third_pm availability=100.0
third availability=80.0" "$(values $D/third_vm.xml $D/third_pm.xml $D/third.xml | sed '2,$s/ availability=80.0 vm_ratio.*//')"

# 6. the seed's pool (VMs from a repository, none running) beside another
# pool: sls_id, contact and web page from the inventory
feeds $POOL/two-pools.ini DBVirt
same "DBVirt.xml
DBVirt_pm.xml
DBVirt_vm.xml
prod.xml
prod_pm.xml
prod_vm.xml" "$(cd $D && ls)"
same "DBVirt_vm availability=0.0 availability=0.0 vm_ratio=0.0 server_ratio=100.0 hosts=1 hosts_reachable=1 hosts_down=0 vms=4 vms_up=0 vms_missing=4 vms_not_up=0 vms_duplicate=0 vms_unexpected=0
DBVirt_pm availability=100.0
DBVirt availability=0.0
prod availability=100.0" "$(values $D/DBVirt_vm.xml $D/DBVirt_pm.xml $D/DBVirt.xml $D/prod.xml | sed '2,$s/ availability=[0-9.]* vm_ratio.*//')"
same "it-db-virt@example.org https://example.org/dbvirt" \
	"$(xmllint --xpath 'concat(//*[local-name()="contact"], " ", //*[local-name()="webpage"])' $D/DBVirt_pm.xml)"
checks=$((checks + 1))
! grep -q '<contact>' $D/prod.xml || fail "prod has no sls_contact, yet its feed has one"

# --id renames the feeds of one pool; -p picks it
feeds $POOL/two-pools.ini other -p prod --id DBVirt2
same "DBVirt2.xml DBVirt2_pm.xml DBVirt2_vm.xml" "$(cd $D && echo *)"

# 7. no VMs expected: the VM ratio is undefined, so no _vm feed (a note on
# stderr, silenced by -q); the combined feed is the server ratio
grep -v '^vm = ' $POOL/healthy.ini >$WORK/novms.ini
D=$WORK/out.novms && mkdir $D
run $S -i $WORK/novms.ini -o $D
[ "$RC" = 0 ] || fail "no VMs: exit $RC"
same "xvmon-sls: note: pool 'prod' expects no VMs, so its VM ratio is undefined: no prod_vm feed" "$ERR"
valid $D/*.xml
same "prod.xml prod_pm.xml" "$(cd $D && echo *)"
same "prod availability=100.0 availability=100.0 server_ratio=100.0 hosts=2 hosts_reachable=2 hosts_down=0 vms=0 vms_up=0 vms_missing=0 vms_not_up=0 vms_duplicate=0 vms_unexpected=5" "$(values $D/prod.xml)"
run $S -i $WORK/novms.ini -o $D -q
[ "$RC" = 0 ] && [ -z "$ERR" ] || fail "-q: exit $RC, stderr: $ERR"

# 8. no hosts but expected VMs: no _pm feed; nothing can run: 0.0
printf '[pool nohosts]\nvm = a\nvm = b\n' >$WORK/nohosts.ini
feeds $WORK/nohosts.ini nohosts -q
same "nohosts_vm availability=0.0 availability=0.0 vm_ratio=0.0 hosts=0 hosts_reachable=0 hosts_down=0 vms=2 vms_up=0 vms_missing=2 vms_not_up=0 vms_duplicate=0 vms_unexpected=0
nohosts availability=0.0" "$(values $D/nohosts_vm.xml $D/nohosts.xml | sed '2,$s/ availability=0.0 vm_ratio.*//')"

# an empty pool has no availability at all: an inventory error, nothing written
printf '[pool empty]\n' >$WORK/empty.ini
D=$WORK/out.empty && mkdir $D
run $S -i $WORK/empty.ini -o $D
same "65" "$RC"
same "xvmon-sls: pool 'empty' expects no hosts and no VMs: nothing to publish (check $WORK/empty.ini)" "$ERR"
same "" "$(ls $D)"

# hostile names (1/6 VMs = 16.6, 1/2 hosts, 2/8 = 25.0): markup, quotes, control characters and bytes that are not
# UTF-8 in host and VM names, the pool's name and the error of a host
{
	printf '[pool evil]\nvm = web1\nvm = a<b&c>"d'"'"'e\nvm = ctl\001\002x\nvm = bad\377\376utf8\n'
	printf 'vm = ]]>cdata\nvm = \357\277\276nonchar\nsls_id = evil\nsls_contact = <ops> & "co"\n'
	printf 'sls_webpage = https://example.org/a b<c>\n'
	printf '[host x<&"y]\npool = evil\nsource = sim:xen-a.sim\n'
	printf '[host ctl\001host\377]\npool = evil\nsource = sim:/nonexistent/<&>.sim\n'
} >$WORK/evil.ini
feeds $WORK/evil.ini evil
same "evil_vm availability=16.6 availability=25.0 vm_ratio=16.6 server_ratio=50.0 hosts=2 hosts_reachable=1 hosts_down=1 vms=6 vms_up=1 vms_missing=5 vms_not_up=0 vms_duplicate=0 vms_unexpected=2" \
	"$(values $D/evil_vm.xml)"
same "Availability 25.0%: 1 of 6 VMs up (16.6%), 1 of 2 hosts answered (50.0%).
Missing (seen on no host that answered; they may run on a host that did not): ]]>cdata, a<b&c>\"d'e, bad��utf8, ctl��x, ���nonchar.
Up but not in the inventory (not counted): db1 (blocked on x<&\"y), web2 (blocked on x<&\"y).
Hosts that did not answer: ctl�host� (cannot open '/nonexistent/<&>.sim': No such file or directory)." \
	"$(python3 -c 'import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().find("{http://sls.cern.ch/SLS/XML/update}availabilityinfo").text)' $D/evil.xml)"
same "<ops> & \"co\" https://example.org/a%20b%3Cc%3E" \
	"$(xmllint --xpath 'concat(//*[local-name()="contact"], " ", //*[local-name()="webpage"])' $D/evil.xml)"
checks=$((checks + 1))
grep -q 'a&lt;b&amp;c&gt;&quot;d' $D/evil.xml || fail "markup in names is not escaped"

# the timestamp is UTC with an explicit zone, and now
now=$(date -u +%s)
ts=$(xmllint --xpath '//*[local-name()="timestamp"]/text()' $D/evil.xml)
checks=$((checks + 1))
case "$ts" in
[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z) ;;
*) fail "timestamp '$ts' is not an xs:dateTime in UTC" ;;
esac
age=$((now - $(date -u -d "$ts" +%s)))
[ $age -ge 0 ] && [ $age -le 60 ] || fail "timestamp '$ts' is $age s from now"

done_testing
