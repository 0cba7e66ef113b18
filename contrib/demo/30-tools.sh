#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Demo: the operator tools on a copy of the sim: pool: the tree rebuilt from
# the hosts, a VM created where there is room with registration hooks, stopped,
# a guest that ignores the shutdown destroyed, and a backup.
. "$TOP/contrib/demo/lib.sh"

D=$(mktemp -d "${TMPDIR:-/tmp}/xvmon-demo.XXXXXX")
trap 'rm -rf "$D"' EXIT
cp tests/data/tree/*.sim tests/data/tree/tree.ini "$D/"
mkdir -m 755 "$D/hooks" "$D/backups"
printf '#!/bin/sh\necho "  (hook) register $1 on $2 with MAC $3 in the network database"\n' >"$D/hooks/10-netdb"
chmod 755 "$D/hooks/10-netdb"
printf 'name = "dbvrtg100"\nmemory = 4096\nvif = [ "bridge=xenbr0" ]\n' >"$D/dbvrtg100.cfg"
printf '\n[domain stubborn]\nid = 40\nstate = blocked\nmemory = 1G\nignore_shutdown = yes\n' >>"$D/dbsrvg3502.sim"
I="-i $D/tree.ini"

printf '== Recovery: the pool tree as the hosts tell it (seed 1.3.5)\n'
show contrib/xvm-tree $I -p cluster -t 300ms
# the two silent hosts come back (a VM name must be known free on every host)
sed -i '/^hang = yes$/d' "$D/xen-c1.sim"
sed 's/^name = standalone$/name = xen-lost/; /^\[domain solo\]/,$d' "$D/standalone.sim" >"$D/xen-lost.sim"
printf '== CreateVM: placed by headroom, registered through hooks, started\n'
show contrib/xvm-create $I --hooks "$D/hooks" --post-install-delay 0 -n "$D/dbvrtg100.cfg"
show contrib/xvm-create $I --hooks "$D/hooks" --post-install-delay 0 "$D/dbvrtg100.cfg"
printf '== StopVM: a clean shutdown, then a guest that ignores it\n'
show contrib/xvm-stop $I -w 5 dbvrtg100
show contrib/xvm-stop $I -w 500ms stubborn
show contrib/xvm-stop $I -w 500ms --force stubborn
if [ -x contrib/xvm-backup ]; then
	printf '== Backup: a date-named archive and its restore listing\n'
	contrib/xvm-backup $I -o "$D/backups" -t 300ms >"$D/path" 2>/dev/null
	show contrib/xvm-backup --list "$(cat "$D/path")"
fi
exit 0
