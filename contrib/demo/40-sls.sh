#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Demo: SLS feeds of a pool written atomically and validated against the
# public XSLS schema; the legacy and JSON formats; a failed poll that leaves
# the feeds alone.
. "$TOP/contrib/demo/lib.sh"

printf '== SLS feeds (sls/xvmon-sls): VM ratio, server ratio, harmonic mean\n'
if [ ! -x sls/xvmon-sls ]; then
	printf 'sls/xvmon-sls is not built (libxml2 missing): skipped\n'
	exit 0
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/xvmon-sls-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT
XSD=${XSLS_SCHEMA:-}

show sls/xvmon-sls -i tests/data/pool/degraded.ini -o "$out" -v
show cat "$out/prod.xml"
if command -v xmllint >/dev/null && [ -f "$XSD" ]; then
	show xmllint --noout --schema "$XSD" "$out/prod.xml" "$out/prod_vm.xml" "$out/prod_pm.xml"
else
	printf '(not validated: needs xmllint and the public XSLS schema, XSLS_SCHEMA=/path/to/xsls_schema.xsd)\n'
fi

show sls/xvmon-sls -i tests/data/pool/two-pools.ini -p seed -o "$out" --format legacy -v
if command -v xmllint >/dev/null; then
	show xmllint --noout --schema sls/xsls-legacy.xsd "$out/DBVirt_vm.xml"
fi
show sls/xvmon-sls -i tests/data/pool/healthy.ini -o "$out" --format json
show cat "$out/prod_pm.json"

# no host answers: the previous feeds stay, exit 75
sed 's|^source = sim:|source = sim:/nonexistent/|' tests/data/pool/healthy.ini >"$out/dead.ini"
show sls/xvmon-sls -i "$out/dead.ini" -o "$out"
show ls "$out"
exit 0
