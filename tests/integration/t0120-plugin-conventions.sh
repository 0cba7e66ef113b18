#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What every plugin owes the Monitoring Plugins guidelines: --help and
# --version exit 3, bad options and thresholds are one UNKNOWN line plus the
# usage, -t fires with a proper line, nothing ever goes to stderr, numbers
# use '.' whatever the locale.
. "$TOP/tests/integration/lib.sh"
version=$(cat VERSION)
# the schemes compiled in (in the sources table's order): sim:, xen: and
# ssh: always here (libxen-dev is a build dependency, ssh:// needs no
# library), xapi: and ovs: with libcurl's headers, snmp: with net-snmp's
# headers at build time, libvirt: with libvirt-dev
schemes="sim: xen: ssh:"
pkg-config --exists libcurl && schemes="$schemes xapi: ovs:"
grep -q -- "-DXV_HAVE_NETSNMP=1" .build-flags && schemes="$schemes snmp:"
[ -n "$(pkg-config --exists libvirt 2>/dev/null && echo y)" ] && schemes="$schemes libvirt:"

for p in $H $V; do
	name=$(basename $p)
	run $p --help
	expect_first 3 "$name $version (xvmon; sources: $schemes)"
	contains "Usage: $name "
	contains "-t, --timeout=SECONDS[:STATE]"
	run $p -h
	expect_first 3 "$name $version (xvmon; sources: $schemes)"
	run $p --version
	expect 3 "$name $version (xvmon; sources: $schemes)"
	run $p -V
	expect 3 "$name $version (xvmon; sources: $schemes)"
	run $p --no-such-option
	expect_first 3 "$(echo $name | sed 's/check_xen_host/XEN HOST/; s/check_xen_vm/XEN VM/') UNKNOWN - unknown option '--no-such-option'"
	contains "Try '$name --help' for more information."
	run $p -n x -s sim:$DATA/healthy.sim positional
	[ $p = $H ] && run $p -s sim:$DATA/healthy.sim positional
	contains "unexpected argument 'positional'"
	[ "$RC" = 3 ] || fail "$name positional: exit $RC"
done

# At least 20 malformed ranges, each rejected with UNKNOWN and its reason.
while IFS='|' read -r range reason; do
	run $H -s sim:$DATA/healthy.sim -w "$range"
	expect_first 3 "XEN HOST UNKNOWN - invalid warning threshold '$range': $reason"
done <<'RANGES'
|empty range
@|no value
~|no value
10x|unknown unit (use %, B, K, M, G or T)
:10|nothing before ':' (write 0:N, ~:N or just N)
1:2:3|more than one ':'
10:~|'~' is only allowed as the start
20:10|start is greater than end
-5|start is greater than end
10%:2G|start and end have different units
5:10%|start and end have different units
 10|end is not a number
1e3|unknown unit (use %, B, K, M, G or T)
0x10|unknown unit (use %, B, K, M, G or T)
+10|end is not a number
10..20|end is not a number
1,5|end is not a number
@@10|end is not a number
~10|no value
abc:10|start is not a number
nan|end is not a number
.5|end is not a number
5.|end is not a number
10%%|end is not a number
10:20x|unknown unit (use %, B, K, M, G or T)
RANGES
run $H -s sim:$DATA/healthy.sim --overcommit-warning 10%
expect_first 3 "XEN HOST UNKNOWN - invalid overcommit warning threshold '10%': this threshold does not take that unit"

# Bad states and timeouts.
run $V -s sim:$DATA/healthy.sim -n web1 --paused MAYBE
expect_first 3 "XEN VM UNKNOWN - invalid paused state 'MAYBE': use OK, WARNING, CRITICAL or UNKNOWN"
for t in 0 -1 abc 5x 86401 5:MAYBE; do
	run $H -s sim:$DATA/healthy.sim -t "$t"
	[ "$RC" = 3 ] || fail "-t $t: exit $RC"
	contains "XEN HOST UNKNOWN - invalid timeout '$t'"
done

# -t fires: a simulated host that never answers.
cp $DATA/pool/hang.sim "$WORK/hang.sim"
run $H -s "sim:$WORK/hang.sim" -t 1
expect 2 "XEN HOST CRITICAL - plugin timed out after 1 seconds (source sim:$WORK/hang.sim)"
run $V -s "sim:$WORK/hang.sim" -n web1 -t 1:UNKNOWN
expect 3 "XEN VM UNKNOWN - plugin timed out after 1 seconds (source sim:$WORK/hang.sim)"
run $V -s "sim:$WORK/hang.sim" -n web1 --timeout=1:warning
expect 1 "XEN VM WARNING - plugin timed out after 1 seconds (source sim:$WORK/hang.sim)"
# A FIFO is refused at once instead of blocking until -t.
mkfifo "$WORK/fifo.sim"
run $H -s "sim:$WORK/fifo.sim" -t 5
expect 3 "XEN HOST UNKNOWN - cannot read '$WORK/fifo.sim': it is a FIFO, not a regular file"
# What the timeout line names is cleaned like every other text: a '|' would
# start perfdata, a line break would make two lines.
mkdir -p "$WORK/a|b
c"
cp $DATA/pool/hang.sim "$WORK/a|b
c/h.sim"
run $H -s "sim:$WORK/a|b
c/h.sim" -t 1
expect 2 "XEN HOST CRITICAL - plugin timed out after 1 seconds (source sim:$WORK/a/b?c/h.sim)"

# xen: on a machine that is not a dom0: one clean line, nothing on stderr
# (libxencall would print two lines if it were asked).
if [ -e /dev/xen/privcmd ] || [ -e /proc/xen/privcmd ]; then
	echo "# this is a Xen dom0: the no-hypervisor case is covered by make check-xen"
else
	run $H -s xen:
	expect 3 "XEN HOST UNKNOWN - cannot open the Xen hypervisor interface: /dev/xen/privcmd does not exist (is this a Xen dom0, and are you root?)"
	run $V -n Domain-0
	expect 3 "XEN VM UNKNOWN - cannot open the Xen hypervisor interface: /dev/xen/privcmd does not exist (is this a Xen dom0, and are you root?)"
fi

# The C locale whatever the environment says: build a German locale (comma
# decimal point) privately and run under it; 7.81 must not become 7,81.
if command -v localedef >/dev/null && [ -f /usr/share/i18n/locales/de_DE ]; then
	mkdir -p "$WORK/locale"
	localedef -i de_DE -f UTF-8 "$WORK/locale/de_DE.UTF-8" 2>/dev/null || true
	[ "$(env LOCPATH="$WORK/locale" LC_ALL=de_DE.UTF-8 printf '%.2f' 7.81 2>/dev/null)" = "7,81" ] ||
		fail "the private de_DE locale does not use a comma: the test would prove nothing"
	run env LOCPATH="$WORK/locale" LC_ALL=de_DE.UTF-8 $H -s sim:$DATA/low-memory.sim
	expect_first 1 "XEN HOST WARNING - xen02: free 2.5 GiB of 32 GiB (7.81%) (!), 5 domains (5 up), overcommit 0.938 | mem_total=34359738368B;;;0 mem_free=2684354560B;3435973837:;1717986918:;0;34359738368 mem_free_pct=7.81%;10:;5:;0;100 dom0_mem=1073741824B;;;0;34359738368 domains=5;;;0 domains_running=2;;;0 domains_blocked=3;;;0 domains_paused=0;;;0 domains_shutdown=0;;;0 domains_crashed=0;;;0 domains_dying=0;;;0 overcommit=0.938;;;0 mem_ballooned=2147483648B;;;0 vcpus=12;;;0 vcpu_overcommit=1.5;;;0 domains_waiting=0;;;0"
else
	echo "# locales data missing (Debian package 'locales'): the locale case is not exercised"
fi

done_testing
