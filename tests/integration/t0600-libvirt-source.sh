#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The libvirt: source against a real libvirtd: a private session daemon (run
# as nobody, everything under $WORK, so a system libvirtd is left alone) with
# two TCG domains without an OS (SeaBIOS looping: a running domain whose
# guest publishes nothing), one of them paused.  What the plugins print is
# checked against virsh.  Skips, saying why, where libvirtd, virsh or QEMU
# are missing or the daemon does not start.
. "$TOP/tests/integration/lib.sh"
X=plugins/check_xen_vms

$H -V | grep -q 'libvirt:' || skip "built without libvirt (libvirt-dev is missing: make deps)"
for tool in libvirtd virsh qemu-system-x86_64 setpriv; do
	command -v $tool >/dev/null || skip "$tool not found (Debian libvirt-daemon-driver-qemu, libvirt-clients, qemu-system-x86)"
done
[ "$(id -u)" = 0 ] || skip "not root: the private daemon runs as nobody"
# Under LeakSanitizer, its tracer thread crashes (SIGSEGV) stopping libvirt's
# own threads at exit, a limit of the sanitizer: the rest of ASan and UBSan
# stay on, leak detection is off for this test only.
if [ -n "${SANITIZE:-}" ]; then
	echo "# NOTE: leak detection off in this test (LeakSanitizer's tracer crashes on libvirt's threads)"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fi

# --- URIs refused before any I/O -------------------------------------------------
run $H -s libvirt:
expect 3 "XEN HOST UNKNOWN - libvirt: needs a libvirt URI, as in libvirt:qemu:///system"
run $H -s libvirt:qemu
expect 3 "XEN HOST UNKNOWN - libvirt:qemu: not a libvirt URI (expected driver[+transport]://[host]/path, as in libvirt:qemu:///system)"
run $H -s 'libvirt:QE MU:///system'
expect 3 "XEN HOST UNKNOWN - libvirt:QE MU:///system: the driver name may hold only a-z, 0-9, '+', '-' and '_'"
run $H -s 'libvirt:qemu:///sys tem'
expect 3 "XEN HOST UNKNOWN - libvirt:qemu:///sys tem: a URI has no spaces or control characters"

# --- a private session daemon -------------------------------------------------------
L="$WORK/lv"
mkdir -p "$L/home" "$L/run"
chmod 755 "$WORK" "$L"
chown nobody:nogroup "$L/home" "$L/run"
chmod 700 "$L/run"
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env -i PATH=/usr/sbin:/usr/bin:/bin HOME="$L/home" XDG_RUNTIME_DIR="$L/run" "$@"
}
SOCK="$L/run/libvirt/libvirt-sock"
URI="qemu:///session?socket=$SOCK"
V="virsh -q -c $URI"
cleanup() {
	for d in lv-idle lv-paused; do $V destroy $d >/dev/null 2>&1 || true; done
	if [ -f "$L/run/libvirt/libvirtd.pid" ]; then
		kill "$(cat "$L/run/libvirt/libvirtd.pid")" 2>/dev/null || true
		sleep 0.5
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
as_nobody libvirtd -d >"$WORK/libvirtd.log" 2>&1 || skip "libvirtd did not start: $(tail -n 3 "$WORK/libvirtd.log")"
n=0
until [ -S "$SOCK" ]; do
	n=$((n + 1))
	[ $n -lt 100 ] || skip "libvirtd made no socket in 10 s: $(tail -n 3 "$WORK/libvirtd.log")"
	sleep 0.1
done

domain() { # NAME UUID MiB VCPUS
	cat >"$L/$1.xml" <<EOF
<domain type='qemu'>
  <name>$1</name>
  <uuid>$2</uuid>
  <memory unit='MiB'>$3</memory>
  <currentMemory unit='MiB'>$3</currentMemory>
  <vcpu>$4</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <memballoon model='virtio'><stats period='2'/></memballoon>
  </devices>
</domain>
EOF
	chmod 644 "$L/$1.xml"
	$V create "$L/$1.xml" >"$WORK/create.log" 2>&1 || skip "virsh create $1 failed: $(cat "$WORK/create.log")"
}
domain lv-idle 6f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01 128 1
domain lv-paused 6f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a02 96 2
$V suspend lv-paused >/dev/null

# --- what the plugins see, against virsh ---------------------------------------------
dominfo() { $V dominfo "$1" | awk -F': *' -v k="$2" '$1 == k {print $2}'; }
run $X -s "libvirt:$URI" --no-state --perfdata mem
[ "$RC" = 1 ] || fail "libvirt: exit $RC: $OUT"
host=$(virsh -q -c "$URI" hostname)
# the 128 and 96 MiB domains, as dominfo says (KiB)
[ "$(dominfo lv-idle 'Max memory')" = "131072 KiB" ] || fail "virsh: lv-idle max $(dominfo lv-idle 'Max memory')"
expect_first 1 "XEN VMS WARNING - $host: lv-paused paused (!), 2 VMs (1 warning, 1 ok) | vms=2;;;0 vms_ok=1;;;0 vms_warning=1;;;0 vms_critical=0;;;0 vms_unknown=0;;;0 lv-idle_mem=134217728B;;;0;134217728 lv-paused_mem=100663296B;;;0;100663296"
id_idle=$($V domid lv-idle)
id_paused=$($V domid lv-paused)
contains "lv-idle (id $id_idle, r-----, OK): running, memory 128 MiB of 128 MiB max (100.0%)"
contains "lv-paused (id $id_paused, --p---, WARNING): paused, memory 96 MiB of 96 MiB max (100.0%)"
# no balloon driver in the guests: said once, no figures made up
contains "no guest memory figures from 2 of 2 VMs (lv-paused, lv-idle): 2 publish none"
# the balloon's target is not something libvirt keeps: left out, not 0
case $OUT in *_gap=*) fail "a balloon gap from libvirt, which has no target: $OUT" ;; esac

# the host: counts and sizes as libvirt reports them; no dom0 on KVM
run $H -s "libvirt:$URI"
[ "$RC" = 0 ] || fail "check_xen_host on libvirt: exit $RC: $OUT"
total_kib=$(virsh -q -c "$URI" nodeinfo | awk -F': *' '$1 == "Memory size" {print $2}' | cut -d' ' -f1)
cpus=$(virsh -q -c "$URI" nodeinfo | awk -F': *' '$1 == "CPU(s)" {print $2}')
contains "2 domains (1 up)"
contains " mem_total=$((total_kib * 1024))B;;;0 "
contains " domains=2;;;0 domains_running=1;;;0 domains_blocked=0;;;0 domains_paused=1;;;0 "
contains " vcpus=3;;;0 "
case $OUT in *dom0_mem=*) fail "a dom0 on a KVM host: $OUT" ;; esac
[ -n "$cpus" ] || fail "virsh nodeinfo: no cpus"

# CPU time and vCPU wait (schedstat) from two snapshots: the idle domain's
# SeaBIOS spins, so it uses CPU; within 0..100% of its one vCPU
run $X -s "libvirt:$URI" --cpu-sample 1s --perfdata cpu,io --include '^lv-idle$'
[ "$RC" = 0 ] || fail "cpu sample: exit $RC: $OUT"
cpu=$(printf '%s\n' "$OUT" | head -n 1 | sed -n 's/.* lv-idle_cpu=\([0-9.]*\)%.*/\1/p')
[ -n "$cpu" ] || fail "no lv-idle_cpu: $OUT"
awk -v c="$cpu" 'BEGIN { exit !(c > 0 && c <= 100) }' || fail "lv-idle cpu $cpu% out of 0..100"
contains " lv-idle_cpu_wait="
checks=$((checks + 1))
# the cumulative CPU time matches virsh's within the time between the readings
t1=$($V domstats lv-idle --cpu-total | awk -F= '$1 ~ /cpu.time$/ {print $2}')
run $V domstats lv-idle --cpu-total
[ -n "$t1" ] && [ "$t1" -gt 0 ] || fail "virsh domstats: no cpu.time"

# a daemon that is not there: the host's fault
run $H -s "libvirt:qemu:///session?socket=$WORK/nosuch-sock"
checks=$((checks + 1))
[ "$RC" = 3 ] || fail "missing daemon: exit $RC: $OUT"
case $OUT in "XEN HOST UNKNOWN - cannot connect to libvirt at 'qemu:///session?socket=$WORK/nosuch-sock': "*) ;; *) fail "missing daemon: $OUT" ;; esac
[ -z "$ERR" ] || fail "libvirt wrote on stderr: $ERR"

done_testing
