#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-sls --format legacy and --format json: the legacy documents are
# valid against sls/xsls-legacy.xsd and rejected by the public XSLS schema
# (which is why they are an opt-in); JSON documents parse, carry the
# expected values and survive hostile names; "unavailable" documents in
# every format.
. "$TOP/tests/integration/lib.sh"
S=sls/xvmon-sls
POOL=$DATA/pool
LEGACY=sls/xsls-legacy.xsd
[ -x $S ] || skip "sls/xvmon-sls not built (libxml2 missing)"
command -v xmllint >/dev/null || skip "xmllint not installed (libxml2-utils)"
command -v python3 >/dev/null || skip "python3 not installed"
xsls_schema

same() {
	checks=$((checks + 1))
	[ "$1" = "$2" ] || fail "values differ:
expected: $1
got:      $2"
}

values() {
	python3 tests/integration/sls-values.py "$@"
}

cp $POOL/*.sim $WORK/

# --- legacy ---------------------------------------------------------------
D=$WORK/legacy && mkdir $D
run $S -i $POOL/degraded.ini -o $D --format legacy --thresholds 95,80,40 --refresh 10m
same "0" "$RC"
for f in $D/prod.xml $D/prod_vm.xml $D/prod_pm.xml; do
	checks=$((checks + 1))
	xmllint --noout --schema $LEGACY $f 2>$WORK/xmllint ||
		fail "$f is not valid against $LEGACY: $(cat $WORK/xmllint)"
	# the opt-in is needed: the public schema refuses the 2010 elements
	[ -n "$XSD" ] || continue
	checks=$((checks + 1))
	if xmllint --noout --schema "$XSD" $f 2>$WORK/xmllint; then
		fail "$f (legacy) passes the public schema: the opt-in would not be needed"
	fi
	grep -q "Element '{http://sls.cern.ch/SLS/XML/update}availabilitythresholds': This element is not expected" $WORK/xmllint ||
		fail "the public schema refuses $f for another reason: $(cat $WORK/xmllint)"
done
same "95 80 40 PT10M PT30M" "$(xmllint --xpath 'concat(//*[local-name()="threshold"][@level="available"], " ", //*[local-name()="threshold"][@level="affected"], " ", //*[local-name()="threshold"][@level="degraded"], " ", //*[local-name()="refreshperiod"], " ", //*[local-name()="validityduration"])' $D/prod.xml)"
same "hosts vms" "$(xmllint --xpath '//*[local-name()="grp"]/@name' $D/prod.xml | sed 's/ *name="\([^"]*\)"/\1/' | tr '\n' ' ' | sed 's/ $//')"
same "prod availability=75.0 availability=75.0 vm_ratio=75.0 server_ratio=75.0 hosts=4 hosts_reachable=3 hosts_down=1 vms=8 vms_up=6 vms_missing=1 vms_not_up=1 vms_duplicate=1 vms_unexpected=1" \
	"$(values $D/prod.xml)"
# the default documents are valid against the legacy schema too (a superset)
run $S -i $POOL/healthy.ini -o $D
checks=$((checks + 1))
xmllint --noout --schema $LEGACY $D/prod.xml 2>/dev/null || fail "default format not valid against $LEGACY"
# the legacy-only options need the legacy format
run $S -i $POOL/healthy.ini -o $D --refresh 5m
same "64" "$RC"
same "xvmon-sls: --thresholds, --refresh and --validity belong to --format legacy" "$(printf '%s\n' "$ERR" | head -n 1)"
run $S -i $POOL/healthy.ini -o $D --format legacy --thresholds 50,90,10
same "64" "$RC"
run $S -i $POOL/healthy.ini -o $D --format legacy --refresh 10m --validity 5m
same "64" "$RC"

# --- json -----------------------------------------------------------------
D=$WORK/json && mkdir $D
run $S -i $POOL/degraded.ini -o $D --format json
same "0" "$RC"
same "prod.json prod_pm.json prod_vm.json" "$(cd $D && echo *)"
for f in $D/*.json; do
	checks=$((checks + 1))
	python3 -m json.tool $f >/dev/null 2>$WORK/json.err || fail "$f is not JSON: $(cat $WORK/json.err)"
done
same "prod degraded availability=75 availability=75 vm_ratio=75 server_ratio=75 hosts=4 hosts_reachable=3 hosts_down=1 vms=8 vms_up=6 vms_missing=1 vms_not_up=1 vms_duplicate=1 vms_unexpected=1
prod_vm degraded availability=75
prod_pm degraded availability=75" "$(values --json $D/prod.json $D/prod_vm.json $D/prod_pm.json | sed '2,$s/ availability=75 vm_ratio.*//')"
same "xvmon availability prod_pm True" "$(python3 -c '
import json, sys, time
d = json.load(open(sys.argv[1]))
print(d["producer"], d["type"], d["serviceid"], abs(d["timestamp"] / 1000 - time.time()) < 60)' $D/prod_pm.json)"
same "3 of 4 hosts answered (75.0%).
Hosts that did not answer: xen-hung (no answer within 1000 ms)." \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["availabilityinfo"])' $D/prod_pm.json)"
# healthy: available
run $S -i $POOL/healthy.ini -o $D --format json
same "prod available availability=100" "$(values --json $D/prod.json | cut -d' ' -f1-3)"
# hostile names are escaped (quotes, backslashes, controls) and invalid
# UTF-8 replaced: the file is strict UTF-8 JSON
{
	printf '[pool evil]\nvm = q"uo\\\\te\nvm = ctl\001\037x\nvm = bad\377utf8\nvm = web1\n'
	printf '[host h"\\\\<&>]\npool = evil\nsource = sim:xen-a.sim\n'
} >$WORK/evil.ini
run $S -i $WORK/evil.ini -o $D --format json
same "0" "$RC"
checks=$((checks + 1))
python3 -m json.tool $D/evil.json >/dev/null || fail "hostile names break the JSON"
same "['bad\\ufffdutf8', 'ctl\\ufffd\\ufffdx', 'q\"uo\\\\\\\\te'] ['db1 (blocked on h\"\\\\\\\\<&>)', 'web2 (blocked on h\"\\\\\\\\<&>)']" "$(python3 -c '
import json, sys
info = json.load(open(sys.argv[1], encoding="utf-8"))["availabilityinfo"]
lines = info.split("\n")
print(ascii(lines[1].split(": ", 1)[1].rstrip(".").split(", ")), ascii(lines[2].split(": ", 1)[1].rstrip(".").split(", ")))' $D/evil.json)"

# --- unavailable ----------------------------------------------------------
# no host answers: with --publish-unavailable, a status document in each
# format (no availability figure: nothing was measured)
printf '[pool dead]\nvm = a\n[host h1]\npool = dead\nsource = sim:/nonexistent/h1.sim\n' >$WORK/dead.ini
for fmt in xsls legacy json; do
	D=$WORK/dead-$fmt && mkdir $D
	run $S -i $WORK/dead.ini -o $D --format $fmt --publish-unavailable -q
	same "0" "$RC"
	same "" "$ERR"
done
for f in $WORK/dead-xsls/*.xml; do
	[ -n "$XSD" ] || break
	checks=$((checks + 1))
	xmllint --noout --schema "$XSD" $f 2>/dev/null || fail "$f (unavailable) not valid"
done
for f in $WORK/dead-legacy/*.xml; do
	checks=$((checks + 1))
	xmllint --noout --schema $LEGACY $f 2>/dev/null || fail "$f (unavailable, legacy) not valid"
done
same "dead status=unavailable hosts=1 hosts_reachable=0 hosts_down=1 vms=1
dead_vm status=unavailable hosts=1 hosts_reachable=0 hosts_down=1 vms=1
dead_pm status=unavailable hosts=1 hosts_reachable=0 hosts_down=1 vms=1" \
	"$(values $WORK/dead-xsls/dead.xml $WORK/dead-legacy/dead_vm.xml $WORK/dead-xsls/dead_pm.xml)"
same "dead unavailable hosts=1 hosts_reachable=0 hosts_down=1 vms=1" "$(values --json $WORK/dead-json/dead.json)"
same "No host of pool dead answered (1 expected): the pool is down, or this exporter cannot reach it.
Hosts that did not answer: h1 (cannot open '/nonexistent/h1.sim': No such file or directory)." \
	"$(xmllint --xpath '//*[local-name()="availabilityinfo"]/text()' $WORK/dead-xsls/dead_pm.xml)"

done_testing
