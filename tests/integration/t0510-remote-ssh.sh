#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# ssh:// through a real OpenSSH server on loopback (started here, throw-away
# keys), running xvmon-snapshot on sim: scenarios: the very snapshot of the
# scenario, and each failure with its own message: a missing remote program,
# one that speaks another format version or is not ours, authentication, an
# unknown host key, a refused connection, a remote program that hangs (the
# deadline holds and nothing is left running), the remote source's own error.
# The actions through ssh:// (xvm-stop, xvm-console): the scenario behind
# the remote program changes as it would locally; a name with a quote and
# shell metacharacters reaches the remote program whole, never a shell.
. "$TOP/tests/integration/lib.sh"
# the snapshot wire format this build speaks
WIRE=$(sed -n 's/^#define XV_SNAPSHOT_WIRE_VERSION \([0-9]*\).*/\1/p' lib/snapshot_wire.h)
. "$TOP/tests/integration/remote-lib.sh"
start_sshd

REMOTE=$TOP/contrib/xvmon-snapshot
# ssh URI for a scenario, with more options if given
suri() {
	echo "ssh://root@127.0.0.1:$SSH_PORT?config=$SSH_CONFIG&command=${CMD:-$REMOTE}&source=sim:$TOP/$1${2:+&$2}"
}
AUTH="root@127.0.0.1:$SSH_PORT"

# --- the same snapshot as the scenario, and the same plugin answers -----------
run $SNAP "$(suri $DATA/healthy.sim)"
[ "$RC" = 0 ] && [ "$OUT" = "$($SNAP sim:$DATA/healthy.sim)" ] ||
	fail "xvmon-snapshot over ssh:// differs from the scenario: $RC $OUT $ERR"
checks=$((checks + 1))
for s in crashed paused low-memory; do
	run $H -s sim:$DATA/$s.sim -v
	want_rc=$RC want=$OUT
	run $H -s "$(suri $DATA/$s.sim)" -t 30 -v
	expect $want_rc "$want"
done
run $V -s "$(suri $DATA/paused.sim)" -t 30 -n batch1
expect 1 "$($V -s sim:$DATA/paused.sim -n batch1)"
# sudo=yes runs it through sudo -n (root may)
if command -v sudo >/dev/null; then
	run $V -s "$(suri $DATA/crashed.sim sudo=yes)" -t 30 -n Domain-0
	expect 0 "$($V -s sim:$DATA/crashed.sim -n Domain-0)"
fi

# --- what can go wrong, each said as it is ---------------------------------------
# the remote side's own failure keeps its code and message
run $H -s "$(suri $DATA/no-such.sim)" -t 30
expect_unknown "on $AUTH: cannot open '$TOP/$DATA/no-such.sim': No such file or directory"
# no remote program
CMD=$WORK/nowhere/xvmon-snapshot run $H -s "$(CMD=$WORK/nowhere/xvmon-snapshot suri $DATA/healthy.sim)" -t 30
# (the remote shell's words vary: only ours are compared)
checks=$((checks + 1))
[ "$RC" = 3 ] || fail "missing program: exit $RC"
printf '%s\n' "$OUT" | grep -q "^ssh $AUTH: the remote program is missing or cannot run there (.*$WORK/nowhere/xvmon-snapshot: No such file or directory): install xvmon on the host, or give command=PATH$" ||
	fail "missing program: $OUT"
# another version of the format: both named, and which side to change
printf '#!/bin/sh\necho "xvmon-snapshot 0 0.0.1"\n' >$WORK/old-snapshot
printf '#!/bin/sh\necho "xvmon-snapshot 99 9.9.9"\nexit 76\n' >$WORK/new-snapshot
printf '#!/bin/sh\necho "usage: something else"; exit 64\n' >$WORK/other-program
printf '#!/bin/sh\necho "xvmon-snapshot %s %s"; echo "Sgarbage"\n' $WIRE "$(cat VERSION)" >$WORK/garbled
chmod +x $WORK/old-snapshot $WORK/new-snapshot $WORK/other-program $WORK/garbled
run $H -s "$(CMD=$WORK/old-snapshot suri $DATA/healthy.sim)" -t 30
expect_unknown "ssh $AUTH: the remote xvmon-snapshot (xvmon 0.0.1) writes snapshot format 0, this program (xvmon $(cat VERSION)) reads format $WIRE: install the same xvmon version on both sides"
run $H -s "$(CMD=$WORK/new-snapshot suri $DATA/healthy.sim)" -t 30
expect_unknown "ssh $AUTH: the remote xvmon-snapshot (xvmon 9.9.9) writes snapshot format 99, this program (xvmon $(cat VERSION)) reads format $WIRE: install the same xvmon version on both sides"
run $H -s "$(CMD=$WORK/garbled suri $DATA/healthy.sim)" -t 30
expect_unknown "ssh $AUTH: the remote xvmon-snapshot sent a garbled snapshot (32 bytes, exit 0)"
run $H -s "$(CMD=$WORK/other-program suri $DATA/healthy.sim)" -t 30
expect_unknown "ssh $AUTH: the remote program answered without its version line (exit 64): it is not xvmon-snapshot, or one older than the version handshake"

# ssh's own failures: a key the server does not know, a host key not known
ssh-keygen -q -N '' -t ed25519 -f $WORK/otherkey
sed "s|IdentityFile .*|IdentityFile $WORK/otherkey|" $SSH_CONFIG >$WORK/bad_key_config
run $H -s "ssh://root@127.0.0.1:$SSH_PORT?config=$WORK/bad_key_config&command=$REMOTE" -t 30
expect_unknown "ssh $AUTH: root@127.0.0.1: Permission denied (publickey)."
sed "s|UserKnownHostsFile .*|UserKnownHostsFile $WORK/empty_known_hosts|; s|accept-new|yes|" \
	$SSH_CONFIG >$WORK/strict_config
run $H -s "ssh://root@127.0.0.1:$SSH_PORT?config=$WORK/strict_config&command=$REMOTE" -t 30
expect_unknown "ssh $AUTH: Host key verification failed."
# nothing listens there (the sshd's own port, on another loopback address)
run $H -s "ssh://root@127.0.0.2:$SSH_PORT?config=$SSH_CONFIG&command=$REMOTE" -t 30
expect_unknown "ssh root@127.0.0.2:$SSH_PORT: ssh: connect to host 127.0.0.2 port $SSH_PORT: Connection refused"

# --- actions: xvm-stop and xvm-console through ssh:// -----------------------------
cp $DATA/pool/xen-a.sim $WORK/rem-a.sim
cat >>$WORK/rem-a.sim <<'EOS'

[domain stubborn]
id = 9
state = blocked
memory = 1G
ignore_shutdown = yes

[domain it's;touch${IFS}pwned]
id = 10
state = running
memory = 1G
EOS
cat >$WORK/rem.ini <<EOS
[pool prod]
timeout = 20s

[host rem-a]
pool = prod
source = ssh://root@127.0.0.1:$SSH_PORT?config=$SSH_CONFIG&command=$REMOTE&source=sim:$WORK/rem-a.sim
EOS
state() { # state SIMFILE DOMAIN: the domain's state line, or "absent"
	awk -v d="[domain $2]" '$0 == d {s = 1; next} /^\[/ {s = 0} s && /^state/ {sub(/^state = /, ""); print; f = 1} END {if (!f) print "absent"}' "$1"
}
XS=contrib/xvm-stop
run $XS -i $WORK/rem.ini -w 10 web2
[ "$RC" = 0 ] && [ -z "$ERR" ] || fail "stop web2 over ssh: exit $RC $ERR"
case $OUT in "web2: shut down on rem-a in "*" s") ;; *) fail "stop web2 over ssh: $OUT" ;; esac
[ "$(state $WORK/rem-a.sim web2)" = absent ] || fail "web2 still in the remote scenario"
checks=$((checks + 3))
run $XS -i $WORK/rem.ini -w 500ms stubborn
[ "$RC" = 75 ] && [ "$ERR" = "xvm-stop: stubborn on rem-a: 'stubborn' did not shut down within 500 ms (-f destroys it)" ] ||
	fail "stubborn over ssh: $RC $ERR"
run $XS -i $WORK/rem.ini -w 300ms --force stubborn
[ "$RC" = 0 ] && [ "$OUT" = "stubborn: did not shut down within 0.3 s on rem-a; destroyed" ] &&
	[ "$(state $WORK/rem-a.sim stubborn)" = absent ] || fail "--force over ssh: $RC $OUT $ERR"
run $XS -i $WORK/rem.ini --pause web1
[ "$RC" = 0 ] && [ "$OUT" = "web1: paused on rem-a" ] && [ "$(state $WORK/rem-a.sim web1)" = paused ] ||
	fail "--pause over ssh: $RC $OUT $ERR"
run $XS -i $WORK/rem.ini --unpause web1
[ "$RC" = 0 ] && [ "$(state $WORK/rem-a.sim web1)" = running ] || fail "--unpause over ssh: $RC $OUT $ERR"
# the name with a quote and shell words: destroyed by its exact name, nothing run
NASTY='it'"'"'s;touch${IFS}pwned'
(cd $WORK && $TOP/$XS -i $WORK/rem.ini --destroy "$NASTY" >$WORK/nasty.out 2>$WORK/nasty.err)
rc=$?
[ $rc = 0 ] && [ "$(cat $WORK/nasty.out)" = "$NASTY: destroyed on rem-a" ] || fail "hostile name over ssh: $rc $(cat $WORK/nasty.out $WORK/nasty.err)"
[ "$(state $WORK/rem-a.sim "$NASTY")" = absent ] || fail "the hostile name is still in the scenario"
[ ! -e $WORK/pwned ] && [ ! -e "$HOME/pwned" ] && [ ! -e /pwned ] || fail "a domain name reached a shell"
checks=$((checks + 7))
# the remote side's refusal keeps its code: Domain-0, a name the host does not have
run $XS -i $WORK/rem.ini -H rem-a --destroy Domain-0
[ "$RC" = 64 ] || fail "Domain-0 over ssh: exit $RC $ERR"
run $XS -i $WORK/rem.ini ghost
[ "$RC" = 1 ] && [ "$ERR" = "xvm-stop: ghost: not found on any of 1 hosts" ] || fail "ghost over ssh: $RC $ERR"
# the console: ssh with a terminal, xl console on the far side, the name quoted for its shell
run contrib/xvm-console -i $WORK/rem.ini --print web1
[ "$RC" = 0 ] && [ "$OUT" = "$(command -v ssh) -F $SSH_CONFIG -o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR -t -a -x -p $SSH_PORT -l root -- 127.0.0.1 xl console 'web1'" ] ||
	fail "xvm-console over ssh: $RC $OUT $ERR"
checks=$((checks + 3))

# a remote program that never answers: the check still answers in its -t,
# and the remote program ends itself (its own -t) instead of lingering
cp $DATA/pool/hang.sim $WORK/hang.sim
t0=$(date +%s%N)
run $H -s "ssh://root@127.0.0.1:$SSH_PORT?config=$SSH_CONFIG&command=$REMOTE&source=sim:$WORK/hang.sim" -t 4
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
case "$OUT" in
"XEN HOST UNKNOWN - no answer within 3"[0-9][0-9][0-9]" ms") ;;
*) fail "a hung remote program: $OUT" ;;
esac
[ $ms -lt 5000 ] || fail "a hung remote program: the check took $ms ms, its -t is 4 s"
checks=$((checks + 1))
n=0
while pgrep -f "sim:$WORK/hang.sim" >/dev/null && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
pgrep -f "sim:$WORK/hang.sim" >/dev/null && fail "the remote program still runs 10 s after the check gave up"
checks=$((checks + 1))

done_testing
