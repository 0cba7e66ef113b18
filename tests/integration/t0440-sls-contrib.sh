#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The systemd service and timer pass `systemd-analyze verify` without a
# word, and the command lines of the units and of the cron example are ones
# xvmon-sls accepts (run here against a sim: pool).
. "$TOP/tests/integration/lib.sh"
S=$TOP/sls/xvmon-sls
[ -x $S ] || skip "sls/xvmon-sls not built (libxml2 missing)"

# the options of the shipped command lines, with our inventory and directory
D=$WORK/feeds && mkdir $D
exec_args=$(sed -n 's|^ExecStart=@BINDIR@/xvmon-sls ||p' contrib/systemd/xvmon-sls.service)
cron_args=$(sed -n 's|^\*/5 \* \* \* \*	xvmon	xvmon-sls ||p' contrib/cron/xvmon-sls)
checks=$((checks + 1))
[ -n "$exec_args" ] && [ -n "$cron_args" ] || fail "no xvmon-sls command line found in the unit or the cron file"
for args in "$exec_args" "$cron_args"; do
	# shellcheck disable=SC2086 # the options are words
	run env XVMON_INVENTORY=$DATA/pool/healthy.ini $S $(printf '%s' "$args" | sed "s|/var/www/sls|$D|")
	checks=$((checks + 1))
	[ "$RC" = 0 ] && [ -z "$ERR" ] || fail "'xvmon-sls $args': exit $RC: $ERR"
	[ -f $D/prod.xml ] || fail "'xvmon-sls $args' wrote no feed"
	rm -f $D/*
done

command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed: units not verified"
# verify checks that ExecStart exists: point it at the built program
U=$WORK/units && mkdir $U
sed -e "s|@BINDIR@/xvmon-sls|$S|" -e "s|@SYSCONFDIR@|/etc|" contrib/systemd/xvmon-sls.service >$U/xvmon-sls.service
cp contrib/systemd/xvmon-sls.timer $U/
run systemd-analyze verify --man=no $U/xvmon-sls.service $U/xvmon-sls.timer
checks=$((checks + 1))
[ "$RC" = 0 ] || fail "systemd-analyze verify: exit $RC: $ERR"
[ -z "$ERR$OUT" ] || fail "systemd-analyze verify complains: $OUT $ERR"
# and it does complain about a unit with a mistake (the check is live)
sed 's/^OnUnitActiveSec=/OnUnitActivSec=/' contrib/systemd/xvmon-sls.timer >$U/xvmon-sls.timer
run systemd-analyze verify --man=no $U/xvmon-sls.service $U/xvmon-sls.timer
checks=$((checks + 1))
case "$ERR" in
*"Unknown key 'OnUnitActivSec'"*) ;;
*) fail "a misspelt key went unnoticed: $ERR" ;;
esac

done_testing
