# SPDX-License-Identifier: GPL-3.0-or-later
# icinga-lib.sh: running private Icinga 2 daemons in tests (sourced after
# lib.sh).  Each instance lives in its own directory, as the user running
# the test, and is stopped when the test exits.

command -v icinga2 >/dev/null || skip "icinga2 is not installed (Debian package icinga2-bin)"
ICINGA_PIDS=""
trap 'for p in $ICINGA_PIDS; do kill $p 2>/dev/null || true; done; for p in $ICINGA_PIDS; do wait $p 2>/dev/null || true; done; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT

# icinga_consts DIR: the -D options that keep an instance inside DIR
icinga_consts() {
	mkdir -p "$1/data" "$1/log" "$1/cache" "$1/spool" "$1/run"
	printf '%s ' "-DDataDir=$1/data" "-DLogDir=$1/log" "-DCacheDir=$1/cache" \
		"-DSpoolDir=$1/spool" "-DInitRunDir=$1/run" "-DRunAsUser=$(id -un)" \
		"-DRunAsGroup=$(id -gn)"
}

# icinga_start DIR [-D...]: starts the daemon on DIR/icinga2.conf in the
# background, its output in DIR/daemon.log
icinga_start() {
	d=$1
	shift
	# shellcheck disable=SC2046 # the constants are words
	icinga2 daemon -c "$d/icinga2.conf" $(icinga_consts "$d") "$@" >"$d/daemon.log" 2>&1 &
	ICINGA_PIDS="$ICINGA_PIDS $!"
}

# icinga_stop: stops every instance this test started
icinga_stop() {
	for p in $ICINGA_PIDS; do kill $p 2>/dev/null || true; done
	for p in $ICINGA_PIDS; do wait $p 2>/dev/null || true; done
	ICINGA_PIDS=""
}

# The perfdata line format the tests read: one line per check result.
ICINGA_PERF_TEMPLATE='SERVICEDESC::$service.name$\tSERVICESTATE::$service.state$\tSERVICECHECKCOMMAND::$service.check_command$\tSERVICECHECKSOURCE::$service.check_source$\tSERVICEOUTPUT::$service.output$\tSERVICEPERFDATA::$service.perfdata$'

# icinga_results FILE...: the perfdata files' records, one line each (the
# long output joined with " // ")
icinga_results() {
	cat "$@" 2>/dev/null | awk '/^SERVICEDESC::/ { if (r != "") print r; r = $0; next }
		{ r = r " // " $0 } END { if (r != "") print r }'
}
