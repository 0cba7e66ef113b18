#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5110: xvmon-bench's libvirt:URI driver against a real libvirtd.  Three QEMU (TCG) guests booting the
# bench's guest image (Debian's kernel, busybox, virtio_balloon, the bench's guest programs), one of each
# image, started one by one (tests/lab/libvirt-bench.ini); the self-balloon law runs from the host on the
# guests' balloon statistics.  Asserted: the run's CSV is complete; the plain guest keeps its 256 MiB;
# the clean guest's balloon came down from 512 MiB to the law's floor (settled) and stays at or above it;
# every target the driver set is one the law allows (floor <= target <= maxmem); no domain is left.
#
# The test starts virtlogd and libvirtd by hand when no libvirtd runs (no systemd here), and stops what it
# started.  /dev/kvm, when present and not group kvm, is set as Debian's udev rule would (else every
# domain start re-probes QEMU for ~44 s, ../shared/FACTS.md) and restored.  It skips, saying why, when
# libvirtd, the QEMU driver or QEMU is missing, when libvirtd cannot start, or when the guest image
# cannot be built (not root, no Debian mirror: tests/lab/build-images.sh --kvm-guest, cached in build/lab).
set -eu
: "${TOP:?TOP must point at the source tree}"
BENCH=$TOP/bench/xvmon-bench
skip() { printf '# SKIP %s\n' "$*"; exit 77; }
fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
[ -z "${SANITIZE:-}" ] || skip "SANITIZE=$SANITIZE: libvirt's threads and dlopen under the sanitizers are not what this tests"
"$BENCH" drivers | grep -q '^libvirt ' || skip "xvmon-bench was built without the libvirt driver (libvirt-dev missing)"
LIBVIRTD=$(command -v libvirtd || true)
[ -n "$LIBVIRTD" ] || skip "libvirtd not installed (apt-get install libvirt-daemon-system)"
[ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ] ||
	skip "libvirt's QEMU driver is not installed (apt-get install libvirt-daemon-driver-qemu)"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not found"
[ "$(id -u)" = 0 ] || skip "not root: qemu:///system needs it"
command -v python3 >/dev/null || skip "python3 not found"

WORK=$(mktemp -d /tmp/xvmon-libvirt.XXXXXX)
chmod 755 "$WORK"
STARTED=
KVM_MODE=
URI=qemu:///system
cleanup() {
	for p in $STARTED; do kill "$p" 2>/dev/null || true; done
	if [ -n "$KVM_MODE" ]; then set -- $KVM_MODE; chown "$1" /dev/kvm; chmod "$2" /dev/kvm; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

# --- the guest image -----------------------------------------------------------------------------------
rc=0
"$TOP/tests/lab/build-images.sh" "${XVLAB_DIR:-$TOP/build/lab}" --kvm-guest > "$WORK/build.log" 2>&1 || rc=$?
if [ $rc = 77 ]; then skip "$(grep -m1 '# SKIP' "$WORK/build.log" | sed 's/^# SKIP //')"; fi
[ $rc = 0 ] || { cat "$WORK/build.log"; fail "building the guest image failed"; }
# libvirt relabels (chowns) a domain's kernel and initrd: give it copies of its own
cp "${XVLAB_DIR:-$TOP/build/lab}/kvm/vmlinuz" "${XVLAB_DIR:-$TOP/build/lab}/kvm/initrd.gz" "$WORK/"
chmod 644 "$WORK/vmlinuz" "$WORK/initrd.gz"
sed "s#@KERNEL@#$WORK/vmlinuz#; s#@INITRD@#$WORK/initrd.gz#" "$TOP/tests/lab/libvirt-bench.ini" > "$WORK/plan.ini"

# --- libvirtd ------------------------------------------------------------------------------------------
if [ -e /dev/kvm ] && [ "$(stat -c %G /dev/kvm)" != kvm ] && getent group kvm >/dev/null; then
	KVM_MODE=$(stat -c '%U:%G %a' /dev/kvm)
	chgrp kvm /dev/kvm
	chmod 660 /dev/kvm
fi
running() { [ -f "/run/$1.pid" ] && kill -0 "$(cat "/run/$1.pid")" 2>/dev/null; }
for d in virtlogd libvirtd; do
	running $d && continue
	command -v $d >/dev/null || skip "$d not installed"
	$d -d > "$WORK/$d.log" 2>&1 || skip "$d cannot start: $(tail -2 "$WORK/$d.log")"
	n=0
	until running $d; do
		n=$((n + 1))
		[ $n -le 50 ] || skip "$d did not start within 10 s"
		sleep 0.2
	done
	STARTED="$STARTED $(cat /run/$d.pid)"
done
n=0
until [ -S /run/libvirt/libvirt-sock ]; do
	n=$((n + 1))
	[ $n -le 50 ] || skip "libvirtd started but its socket /run/libvirt/libvirt-sock never appeared"
	sleep 0.2
done

# --- the run -------------------------------------------------------------------------------------------
rc=0
timeout 900 "$BENCH" run "$WORK/plan.ini" -o "$WORK/out" --driver "libvirt:$URI" --no-charts -q \
	> "$WORK/run.out" 2> "$WORK/run.err" || rc=$?
case $(cat "$WORK/run.err") in
*"cannot connect to libvirt"*) skip "libvirtd does not answer: $(cat "$WORK/run.err")" ;;
esac
[ $rc = 0 ] || fail "xvmon-bench --driver libvirt:$URI exited $rc: $(cat "$WORK/run.err")"
[ ! -s "$WORK/run.err" ] || fail "xvmon-bench wrote on stderr: $(cat "$WORK/run.err")"
python3 - "$WORK/out" <<'EOF'
import csv, os, sys
d = sys.argv[1]
rd = lambda n: list(csv.DictReader(open(os.path.join(d, n))))
samples, guests, events = rd("samples.csv"), rd("guests.csv"), rd("events.csv")
MiB = 1024
def ok(c, what):
    print(("ok: " if c else "FAIL: ") + what)
    if not c:
        sys.exit(1)
steps = {}
for s in samples:
    steps.setdefault(int(s["step"]), []).append(s)
ok(sorted(steps) == [0, 1, 2, 3] and all(len(v) == 5 for v in steps.values()),
   f"5 samples in each of steps 0-3 ({ {k: len(v) for k, v in steps.items()} })")
ok([e["profile"] for e in events if e["event"] == "create"] == ["plain", "clean", "stress"], "one guest of each image created")
ok(not [e for e in events if e["event"] == "create_failed"], "no creation failed")
last = max(float(g["time_s"]) for g in guests)
at = lambda p: [g for g in guests if g["profile"] == p and g["booting"] == "0"]
plain = at("plain")
ok(plain and all(int(g["alloc_kib"]) == 256 * MiB for g in plain), "the plain guest keeps its 256 MiB")
clean = at("clean")
ok(bool(clean), "the clean guest came up (its balloon reports statistics)")
low = min(int(g["alloc_kib"]) for g in clean)
ok(low <= 320 * MiB, f"the clean guest ballooned down from 512 MiB to {low // MiB} MiB")
settled = [e for e in events if e["event"] == "settled" and e["profile"] == "clean"]
ok(len(settled) == 1, f"the clean guest settled ({', '.join(e['time_s'] + ' s' for e in settled)})")
# floor rule for a ~480 MiB MemTotal: 40 + pages/1024 MiB, i.e. about 157 MiB; never below 100 MiB
ok(all(100 * MiB <= int(g["target_kib"]) <= 512 * MiB for g in clean + at("stress")),
   "every target the law set lies between its floor and maxmem")
print(f"clean guest: lowest allocation {low // MiB} MiB, settled at {settled[0]['time_s'] if settled else '-'} s "
      f"(created at {[e['time_s'] for e in events if e['event'] == 'create' and e['profile'] == 'clean'][0]} s)")
EOF
# the driver destroyed its domains: none of ours is left
if command -v virsh >/dev/null; then
	left=$(virsh -c "$URI" list --name 2>/dev/null | grep -cE "^xvb[0-9]+-(plain|clean|stress)-00[1-3]$" || true)
	[ "$left" = 0 ] || fail "$left domains of this run are still running"
	echo "ok: no domain left"
fi
