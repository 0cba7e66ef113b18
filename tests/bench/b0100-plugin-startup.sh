#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Whole-process time of each plugin on a sim: scenario beside check_dummy
# from monitoring-plugins-basic, the floor of a C plugin.  A big Icinga runs
# plugins thousands of times a minute: start-up must stay tiny.  Aim: <= 1.5x.
set -u
cd "$TOP" || exit 1
dummy=/usr/lib/nagios/plugins/check_dummy
[ -x $dummy ] || { echo "# SKIP check_dummy missing (Debian package monitoring-plugins-basic)"; exit 77; }
command -v hyperfine >/dev/null || { echo "# SKIP hyperfine missing (Debian package hyperfine)"; exit 77; }
json=$(mktemp)
trap 'rm -f "$json"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT
hyperfine -N -i --warmup 200 --runs 2000 --export-json "$json" \
	-n check_dummy "$dummy 0 ok" \
	-n check_xen_host "plugins/check_xen_host -s sim:tests/data/seed-48g.sim" \
	-n check_xen_vm "plugins/check_xen_vm -s sim:tests/data/seed-48g.sim -n stemp017" \
	-n check_xen_host-v "plugins/check_xen_host -s sim:tests/data/healthy.sim -v" >/dev/null 2>&1
python3 - "$json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base = r["check_dummy"]["mean"]
print("%-18s %10s %10s %8s" % ("plugin", "mean", "stddev", "ratio"))
for name, x in r.items():
    print("%-18s %8.3f ms %8.3f ms %7.2fx" % (name, x["mean"] * 1e3, x["stddev"] * 1e3, x["mean"] / base))
worst = max(x["mean"] / base for n, x in r.items() if n != "check_dummy")
print("worst ratio to check_dummy: %.2fx (aim <= 1.5x)" % worst)
PY
