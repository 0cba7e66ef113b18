#!/bin/sh
# Every program has a man page that renders without warnings, and
# `make install` puts everything where PREFIX and DESTDIR say.  It runs last:
# installing with another PREFIX rebuilds the objects that embed DATADIR.
. "$TOP/tests/integration/lib.sh"

for page in docs/*.1; do
	checks=$((checks + 1))
	warnings=$(groff -man -ww -z -Tutf8 "$page" 2>&1) || fail "groff failed on $page"
	[ -z "$warnings" ] || fail "$page: $warnings"
done
for prog in plugins/check_xen_host plugins/check_xen_vm plugins/check_xen_pool plugins/check_xen_capacity \
	sls/xvmon-sls snmp/xvmon-agentx bench/xvmon-bench contrib/xvm-search contrib/xvm-tree contrib/xvm-stop \
	contrib/xvm-console contrib/xvm-create contrib/xvm-backup; do
	[ -x "$prog" ] || continue
	checks=$((checks + 1))
	[ -f "docs/$(basename $prog).1" ] || fail "$prog has no man page docs/$(basename $prog).1"
done

dest=$WORK/dest
run make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/usr SANITIZE="${SANITIZE:-}"
[ "$RC" = 0 ] || fail "make install failed: $OUT $ERR"
for f in usr/lib/nagios/plugins/check_xen_host usr/lib/nagios/plugins/check_xen_vm \
	usr/lib/nagios/plugins/check_xen_pool usr/lib/nagios/plugins/check_xen_capacity \
	usr/share/man/man1/check_xen_capacity.1 usr/bin/xvm-search usr/bin/xvmon-bench usr/bin/xvm-tree usr/bin/xvm-create \
	usr/share/man/man1/xvm-tree.1 usr/share/man/man1/xvm-stop.1 \
	usr/share/man/man1/check_xen_host.1 usr/share/man/man1/check_xen_pool.1 \
	usr/share/man/man1/xvm-search.1 usr/share/man/man1/xvmon-bench.1 \
	usr/share/xvmon/scenarios/healthy.sim usr/share/xvmon/plans/seed-test2.ini \
	usr/share/xvmon/icinga2/xvmon.conf usr/share/xvmon/nagios/xvmon.cfg; do
	checks=$((checks + 1))
	[ -f "$dest/$f" ] || fail "make install did not create /$f"
done
[ -x "$dest/usr/lib/nagios/plugins/check_xen_host" ] || fail "plugin not executable"
# the installed plugin works from anywhere with the installed scenarios
run "$dest/usr/lib/nagios/plugins/check_xen_host" -s "sim:$dest/usr/share/xvmon/scenarios/healthy.sim"
expect_first 0 "$($H -s sim:$DATA/healthy.sim | head -n 1)"

done_testing
