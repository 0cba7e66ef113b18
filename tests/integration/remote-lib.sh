# SPDX-License-Identifier: GPL-3.0-or-later
# remote-lib.sh: the peers of the remote-source tests (sourced after lib.sh).
#
#   start_fake xapi|ovs CONFIG.json    a fake XenAPI pool or Oracle VM agents
#                                      (fake-peers.py); sets FAKE_PORT
#   fake_ctl ADDRESS METHOD [ARG]      fake.set_mode / fake.stats
#   fake_stat ADDRESS KEY              one figure of fake.stats
#   open_sessions ADDRESS              XenAPI sessions still open
#   start_sshd                         OpenSSH on loopback with throw-away keys;
#                                      sets SSH_PORT and SSH_CONFIG
#   snapshot_json SIMFILE              what xvmon-snapshot says of a scenario
#   expect_unknown MESSAGE             a plugin's UNKNOWN line, clipped or not
#
# Everything started here is stopped when the test exits, by its own pid.
FAKE=tests/integration/fake-peers.py
SNAP=contrib/xvmon-snapshot
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$WORK"' EXIT

command -v python3 >/dev/null || skip "python3 is needed for the fake peers"

# wait_file FILE SECONDS: until FILE exists and is not empty.
wait_file() {
	n=0
	while [ ! -s "$1" ]; do
		n=$((n + 1))
		[ $n -le $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}

start_fake() {
	kind=$1
	portfile=$WORK/$kind-$(basename "$2" .json).port
	python3 $FAKE "$kind" "$2" "$portfile" 2>>"$WORK/fake.err" &
	pids="$pids $!"
	wait_file "$portfile" 60 || fail "the fake $kind peer did not start: $(cat "$WORK/fake.err")"
	FAKE_PORT=$(cat "$portfile")
	FAKE_PORTFILE=$portfile
}

fake_ctl() {
	python3 $FAKE ctl "$FAKE_PORTFILE" "$@"
}

# fake_stat ADDRESS KEY: one figure of fake.stats (open, opened, closed, or
# calls.METHOD)
fake_stat() {
	fake_ctl "$1" fake.stats | python3 -c "import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1].split('.', 1) if sys.argv[1].startswith('calls.') else [sys.argv[1]]:
    d = d.get(k, 0) if isinstance(d, dict) else 0
print(d)" "$2"
}

open_sessions() {
	fake_stat "$1" open
}

# expect_unknown MESSAGE: the last plugin run said UNKNOWN with MESSAGE: whole
# on its status line (followed by " (?)" when other results share the line),
# or clipped there (over 160 bytes) and whole as a line of long output.
expect_unknown() {
	checks=$((checks + 1))
	[ "$RC" = 3 ] || fail "$LAST: exit $RC, expected 3: $OUT"
	[ -z "$ERR" ] || fail "$LAST: wrote to stderr: $ERR"
	first=$(printf '%s\n' "$OUT" | head -n 1)
	case "$first" in
	*" UNKNOWN - $1" | *" UNKNOWN - $1 (?)") return 0 ;;
	*" UNKNOWN - "*...*) printf '%s\n' "$OUT" | sed 1d | grep -qxF -- "$1" && return 0 ;;
	esac
	fail "$LAST: expected UNKNOWN with: $1
got: $OUT"
}

snapshot_json() {
	$SNAP --json "sim:$1"
}

start_sshd() {
	command -v /usr/sbin/sshd >/dev/null || skip "sshd not installed (openssh-server)"
	command -v ssh >/dev/null || skip "ssh not installed (openssh-client)"
	[ "$(id -u)" = 0 ] || skip "the test sshd runs as root (it logs in as the user running it)"
	mkdir -p /run/sshd
	d=$WORK/ssh
	mkdir -p "$d"
	ssh-keygen -q -N '' -t ed25519 -f "$d/hostkey"
	ssh-keygen -q -N '' -t ed25519 -f "$d/userkey"
	cp "$d/userkey.pub" "$d/authorized_keys"
	for try in 1 2 3 4 5; do
		SSH_PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		cat >"$d/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $d/hostkey
AuthorizedKeysFile $d/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $d/sshd.pid
EOF
		/usr/sbin/sshd -D -e -f "$d/sshd_config" 2>"$d/sshd.log" &
		sshd_pid=$!
		n=0
		while ! grep -q "Server listening" "$d/sshd.log" && kill -0 $sshd_pid 2>/dev/null &&
			[ $n -lt 100 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		if grep -q "Server listening" "$d/sshd.log"; then
			pids="$pids $sshd_pid"
			break
		fi
		kill $sshd_pid 2>/dev/null
		SSH_PORT=
	done
	[ -n "$SSH_PORT" ] || fail "sshd did not start: $(cat "$d/sshd.log")"
	# the client side: this key, a private known_hosts, no prompt
	SSH_CONFIG=$d/ssh_config
	cat >"$SSH_CONFIG" <<EOF
Host *
  IdentityFile $d/userkey
  UserKnownHostsFile $d/known_hosts
  StrictHostKeyChecking accept-new
  GSSAPIAuthentication no
EOF
}
