#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every program has a man page that renders without warnings, and
# `make install DESTDIR=... PREFIX=/usr` gives the FHS layout: the test lists
# what was installed, checks that each file is in a directory the FHS and
# Debian give it, that the files users look for are there, that no file
# names /usr/local or an unreplaced @PLACEHOLDER@, and that `make uninstall`
# takes everything away again.  It builds in a copy of the tree, so the
# tree's own objects (built for its PREFIX and flags) stay as they are.
. "$TOP/tests/integration/lib.sh"

for page in docs/*.1 docs/*.8; do
	checks=$((checks + 1))
	warnings=$(groff -man -ww -z -Tutf8 "$page" 2>&1) || fail "groff failed on $page"
	[ -z "$warnings" ] || fail "$page: $warnings"
done
programs=""
for prog in plugins/check_* sls/xvmon-sls snmp/xvmon-* bench/xvmon-bench metrics/xvmon-* contrib/xvm-* contrib/xvmon-*; do
	case $prog in *.c | *.h | *.o | *.d | *.in | *.mk | *.txt) continue ;; esac
	[ -f "$prog" ] && [ -x "$prog" ] || continue
	programs="$programs $prog"
	checks=$((checks + 1))
	n=$(basename $prog)
	# a daemon's page is in section 8, a command's in section 1
	case $prog in snmp/*) sect=8 ;; *) sect=1 ;; esac
	[ -f "docs/$n.$sect" ] || fail "$prog has no man page docs/$n.$sect"
done

src=$WORK/src
mkdir "$src"
tar -C "$TOP" --exclude=./tests/out --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
run env -u MAKEFLAGS -u MAKELEVEL make -s -C "$src" clean
dest=$WORK/dest
run env -u MAKEFLAGS -u MAKELEVEL make -s -j2 -C "$src" install DESTDIR="$dest" PREFIX=/usr
[ "$RC" = 0 ] || fail "make install failed: $OUT $ERR"

echo "installed with PREFIX=/usr:"
(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./|/|' | sort) | tee "$WORK/layout" | sed 's/^/  /'

# every file in a place the FHS (and Debian's monitoring packages) give it
while read -r f; do
	checks=$((checks + 1))
	case $f in
	/usr/bin/* | /usr/sbin/* | /usr/lib/nagios/plugins/* | /usr/share/man/man[1-8]/*.[1-8] | \
		/usr/share/doc/xvmon/* | /usr/share/xvmon/* | /usr/share/snmp/mibs/* | \
		/usr/share/icinga2/include/plugins-contrib.d/*.conf | /etc/nagios-plugins/config/*.cfg | \
		/etc/xvmon/* | /usr/lib/systemd/system/*) ;;
	*) fail "make install put $f outside the FHS layout" ;;
	esac
done <"$WORK/layout"

# what users look for
for f in /usr/lib/nagios/plugins/check_xen_host /usr/lib/nagios/plugins/check_xen_vm \
	/usr/lib/nagios/plugins/check_xen_vms /usr/share/man/man1/check_xen_vms.1 \
	/usr/bin/xvmon-metrics /usr/share/man/man1/xvmon-metrics.1 \
	/usr/lib/systemd/system/xvmon-metrics.service /usr/lib/systemd/system/xvmon-metrics.timer \
	/usr/lib/nagios/plugins/check_xen_pool /usr/lib/nagios/plugins/check_xen_capacity \
	/usr/share/man/man1/check_xen_capacity.1 /usr/bin/xvm-search /usr/bin/xvmon-bench \
	/usr/bin/xvm-tree /usr/bin/xvm-stop /usr/bin/xvm-console /usr/bin/xvm-create \
	/usr/bin/xvmon-snapshot /usr/share/man/man1/xvmon-snapshot.1 /usr/share/doc/xvmon/sources.md \
	/usr/share/man/man1/xvm-tree.1 /usr/share/man/man1/xvm-stop.1 \
	/usr/share/man/man1/check_xen_host.1 /usr/share/man/man1/check_xen_pool.1 \
	/usr/share/man/man1/xvm-search.1 /usr/share/man/man1/xvmon-bench.1 \
	/usr/share/doc/xvmon/README.md /usr/share/doc/xvmon/NEWS /usr/share/doc/xvmon/icinga.md \
	/usr/share/doc/xvmon/design.md /usr/share/doc/xvmon/examples/icinga2/zones.conf \
	/etc/xvmon/inventory.ini /usr/share/icinga2/include/plugins-contrib.d/xvmon.conf \
	/etc/nagios-plugins/config/xvmon.cfg /usr/share/xvmon/sudoers/xvmon /usr/share/xvmon/nrpe/xvmon.cfg \
	/usr/share/xvmon/scenarios/healthy.sim /usr/share/xvmon/scenarios/pool/xen-a.sim \
	/usr/share/xvmon/plans/seed-test2.ini; do
	checks=$((checks + 1))
	grep -qx "$f" "$WORK/layout" || fail "make install did not create $f"
done
# every program built in the tree is installed, with its man page
for prog in $programs; do
	checks=$((checks + 1))
	n=$(basename "$prog")
	grep -q "/$n\$" "$WORK/layout" || fail "$prog was built but not installed"
	case $prog in snmp/*) sect=8 ;; *) sect=1 ;; esac
	grep -qx "/usr/share/man/man$sect/$n.$sect" "$WORK/layout" || fail "$prog's man page was not installed"
done
if [ -x sls/xvmon-sls ]; then
	for f in /usr/bin/xvmon-sls /usr/lib/systemd/system/xvmon-sls.service /usr/lib/systemd/system/xvmon-sls.timer \
		/usr/share/xvmon/cron/xvmon-sls; do
		checks=$((checks + 1))
		grep -qx "$f" "$WORK/layout" || fail "make install did not create $f"
	done
	checks=$((checks + 1))
	grep -qx 'ExecStart=/usr/bin/xvmon-sls -o /var/www/sls -t 60s' "$dest/usr/lib/systemd/system/xvmon-sls.service" ||
		fail "the installed unit does not start /usr/bin/xvmon-sls"
fi
checks=$((checks + 1))
grep -q '^ExecStart=/usr/bin/xvmon-metrics -s xen: ' "$dest/usr/lib/systemd/system/xvmon-metrics.service" ||
	fail "the installed unit does not start /usr/bin/xvmon-metrics"
[ -x "$dest/usr/lib/nagios/plugins/check_xen_host" ] || fail "plugin not executable"
if [ -x snmp/xvmon-agentx ]; then
	for f in /usr/sbin/xvmon-agentx /usr/share/man/man8/xvmon-agentx.8 /usr/share/snmp/mibs/XVMON-MIB.txt \
		/usr/share/xvmon/snmp/snmpd-xvmon.conf /usr/share/xvmon/snmp/snmptable-example.sh \
		/etc/xvmon/agentx.conf /usr/lib/systemd/system/xvmon-agentx.service; do
		checks=$((checks + 1))
		grep -qx "$f" "$WORK/layout" || fail "make install did not create $f"
	done
	checks=$((checks + 1))
	grep -qx 'ExecStart=/usr/sbin/xvmon-agentx -f -c /etc/xvmon/agentx.conf -L syslog' \
		"$dest/usr/lib/systemd/system/xvmon-agentx.service" ||
		fail "the installed unit does not start /usr/sbin/xvmon-agentx with /etc/xvmon/agentx.conf"
fi

# no file, text or program, names /usr/local or a placeholder
checks=$((checks + 1))
bad=$(grep -rlF /usr/local "$dest" || true)
[ -z "$bad" ] || fail "installed files name /usr/local: $bad"
checks=$((checks + 1))
bad=$(grep -rlE '@(PREFIX|BINDIR|SBINDIR|PLUGINDIR|DATADIR|MANDIR|DOCDIR|SYSCONFDIR|LOCALSTATEDIR|SYSTEMDUNITDIR|ICINGA2_ITLDIR|NAGIOS_CFGDIR|VERSION)@' "$dest" || true)
[ -z "$bad" ] || fail "installed files keep a placeholder: $bad"
# the installed programs name the installed paths
run "$dest/usr/lib/nagios/plugins/check_xen_pool" --help
contains "check_xen_pool -i /etc/xvmon/inventory.ini -p prod"
contains "/usr/share/doc/xvmon/inventory.md"

# the installed plugin works from anywhere with the installed scenarios
run "$dest/usr/lib/nagios/plugins/check_xen_host" -s "sim:$dest/usr/share/xvmon/scenarios/healthy.sim"
expect_first 0 "$($H -s sim:$DATA/healthy.sim | head -n 1)"
# and the example inventory names installed scenarios
sed "s|sim:/usr/share/xvmon|sim:$dest/usr/share/xvmon|" "$dest/etc/xvmon/inventory.ini" >"$WORK/inventory.ini"
run "$dest/usr/lib/nagios/plugins/check_xen_pool" -i "$WORK/inventory.ini"
checks=$((checks + 1))
[ "$RC" = 0 ] || fail "the example inventory: exit $RC: $OUT"
contains "XEN POOL OK - example: availability 100.0%"

# make install keeps a configuration file an administrator changed
echo "# mine" >>"$dest/etc/xvmon/inventory.ini"
run env -u MAKEFLAGS -u MAKELEVEL make -s -C "$src" install DESTDIR="$dest" PREFIX=/usr
checks=$((checks + 1))
tail -n 1 "$dest/etc/xvmon/inventory.ini" | grep -qx '# mine' || fail "make install replaced a changed configuration file"

# make uninstall removes everything but the changed configuration file
run env -u MAKEFLAGS -u MAKELEVEL make -s -C "$src" uninstall DESTDIR="$dest" PREFIX=/usr
[ "$RC" = 0 ] || fail "make uninstall failed: $OUT $ERR"
left=$(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./|/|' | sort)
checks=$((checks + 1))
[ "$left" = /etc/xvmon/inventory.ini ] || fail "make uninstall left: $left"
checks=$((checks + 1))
[ ! -d "$dest/usr/share/xvmon" ] && [ ! -d "$dest/usr/share/doc/xvmon" ] || fail "make uninstall left xvmon's directories"

done_testing
