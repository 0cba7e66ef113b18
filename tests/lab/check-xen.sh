#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-xen.sh: `make check-xen`.  Boots Debian's Xen 4.17 with a Debian dom0 under QEMU (TCG), runs the
# plugins against the real xen: source inside dom0 with idle, ballooned, paused, crashed and shut down
# guests, and checks what they print against xl, xenstore and libxenstat (tests/lab/verify.py); then the
# operator tools create, draw and stop guests through the xen: source's libxl actions.
# Then it boots again for the bench (XVLAB_BENCH=0 leaves it out):
# xvmon-bench's xen driver ramps the lab plan (tests/lab/bench-ramp.ini) until a creation fails, and
# tests/lab/verify-bench.py checks the run.
#
# Exit 0 pass, 77 skip (after "# SKIP reason": no QEMU, no mirror, no disk...), anything else fail.
# Environment: TOP (source tree, set by make), XVLAB_DIR (default $TOP/build/lab), XVLAB_QEMU (default
# qemu-system-x86_64), XVLAB_SMP (QEMU CPUs, default 2), XVLAB_MEM (QEMU MiB, default 2048), XVLAB_TIMEOUT
# (the whole boot, s, default 2400: the machine may be shared), XVLAB_MIRROR (Debian mirror for debootstrap);
# XVLAB_BENCH=0 leaves the bench boot out, XVLAB_BENCH_MEM (MiB, default 1536), XVLAB_BENCH_TIMEOUT (s, default 3600).
set -euo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$TOP/tests/lab
DIR=${XVLAB_DIR:-$TOP/build/lab}
RUN=$DIR/run
SMP=${XVLAB_SMP:-2}
MEM=${XVLAB_MEM:-2048}
TIMEOUT=${XVLAB_TIMEOUT:-2400}
T0=$SECONDS

say() { printf '[%s +%3ds] %s\n' "$(date +%H:%M:%S)" $((SECONDS - T0)) "$*"; }
skip() { printf '# SKIP check-xen: %s\n' "$*"; exit 77; }
fail() {
	printf 'FAIL check-xen: %s\n' "$*"
	if [ -s "$RUN/serial.log" ]; then
		printf -- '--- last 40 lines of the serial log (%s):\n' "$RUN/serial.log"
		tail -n 40 "$RUN/serial.log" | tr -d '\r' | sed 's/^/    | /'
	fi
	exit 1
}

# --- can this machine run it? --------------------------------------------------------------------------
QEMU=$(command -v "${XVLAB_QEMU:-qemu-system-x86_64}") ||
	skip "${XVLAB_QEMU:-qemu-system-x86_64} not found (apt-get install qemu-system-x86)"
[ -z "${SANITIZE:-}" ] || skip "SANITIZE=$SANITIZE: dom0 has no sanitizer runtime for the plugins (run it on a plain build)"
command -v python3 >/dev/null || skip "python3 not found"
command -v tar >/dev/null || skip "tar not found"
for p in plugins/check_xen_host plugins/check_xen_vm plugins/check_xen_vms metrics/xvmon-metrics contrib/xvm-create \
	contrib/xvm-stop contrib/xvm-tree contrib/xvm-console contrib/xvm-backup bench/xvmon-bench bench/guest/xvb-balloond \
	bench/guest/xvb-stress; do
	[ -x "$TOP/$p" ] || fail "$p is not built (run make)"
done
if [ "${XVLAB_BENCH:-1}" = 1 ]; then
	"$TOP/bench/xvmon-bench" drivers | grep -q '^xen ' ||
		fail "bench/xvmon-bench has no xen driver (built with WITH_XEN=no or WITH_XENLIGHT=no?)"
fi
[ -x "$HERE/xsmem" ] || fail "tests/lab/xsmem is not built (make check-xen builds it; it needs libxen-dev)"
mkdir -p "$DIR"
# Measured: a cold build peaks near 0.45 GB (debootstrap tree + packed layers), the cache keeps 160 MB and
# a run adds ~0.1 GB.  Ask for a wide margin: a full disk mid-build fails in confusing ways.
need_mb=1500
ls "$DIR"/rootfs-*/.done >/dev/null 2>&1 && need_mb=400
free_mb=$(df -Pm "$DIR" | awk 'NR == 2 {print $4}')
[ "$free_mb" -ge "$need_mb" ] || skip "only $free_mb MB free in $DIR, need $need_mb MB"

# --- images -----------------------------------------------------------------------------------------------
say "building images (cached in $DIR)"
rm -rf "$RUN" && mkdir -p "$RUN/layer/xvlab/bin"
cp "$HERE/dom0-init.sh" "$RUN/layer/init"
cp "$TOP/plugins/check_xen_host" "$TOP/plugins/check_xen_vm" "$TOP/plugins/check_xen_vms" "$TOP/metrics/xvmon-metrics" "$TOP/contrib/xvmon-snapshot" \
	"$HERE/xsmem" "$HERE/xvlab-vif" \
	"$TOP/contrib/xvm-create" "$TOP/contrib/xvm-stop" "$TOP/contrib/xvm-tree" "$TOP/contrib/xvm-console" "$TOP/contrib/xvm-backup" \
	"$TOP/bench/xvmon-bench" "$RUN/layer/xvlab/bin/"
cp "$HERE/bench-ramp.ini" "$RUN/layer/xvlab/"
# the SNMP subagent, when this build has it: dom0 runs it under its snmpd
[ ! -x "$TOP/snmp/xvmon-agentx" ] || cp "$TOP/snmp/xvmon-agentx" "$RUN/layer/xvlab/bin/"
rc=0
GUEST_BIN=$TOP/bench/guest "$HERE/build-images.sh" "$DIR" "$RUN/layer" || rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || fail "building the images failed (exit $rc)"
B=$DIR/boot
say "images ready"

# XVLAB_PLUGINS=0 leaves the plugins' boot out (to iterate on the bench)
QPID=
cleanup() {
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
		kill -TERM -- -"$QPID" 2>/dev/null
		sleep 1
		kill -KILL -- -"$QPID" 2>/dev/null || true
		say "stopped QEMU (pid $QPID)"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
# Nothing after these lines can bring a run to its end: dom0's own kernel panicked (the guests' consoles
# go to xenconsoled, not to this log), or Xen did.
FATAL='^\[ *[0-9.]+\] Kernel panic|Hardware Dom0 crashed|\(XEN\).*Panic on CPU'
# wait_for MARKER SECONDS: waits until MARKER is in the serial log; fails if QEMU ends or time runs out.
seen_errors=0
wait_for() {
	local m=$1 limit=$(($2 * 5)) n=0 e
	while ! grep -aq -- "$m" "$LOG"; do
		e=$(grep -ac '^XVLAB ERROR' "$LOG" || true)
		if [ "$e" -gt "$seen_errors" ]; then
			grep -a '^XVLAB ERROR' "$LOG" | tail -n +$((seen_errors + 1)) | sed 's/^/    dom0: /'
			seen_errors=$e
		fi
		kill -0 "$QPID" 2>/dev/null || fail "QEMU ended before '$m' ($(tr -d '\r' < "$QOUT" | tail -3))"
		grep -aqE "$FATAL" "$LOG" && fail "dom0 or Xen died before '$m': $(grep -aE -m1 "$FATAL" "$LOG" | tr -d '\r')"
		n=$((n + 1))
		[ $n -le "$limit" ] || fail "no '$m' after $2 s"
		sleep 0.2
	done
	say "reached: $(grep -a -m1 -- "$m" "$LOG" | tr -d '\r')"
}
if [ "${XVLAB_PLUGINS:-1}" != 0 ]; then
# --- boot -------------------------------------------------------------------------------------------------
# The results disk: dom0 writes a tar archive on it (raw, no filesystem) just before powering off.
truncate -s 64M "$RUN/results.img"
LOG=$RUN/serial.log
QOUT=$RUN/qemu.out
: > "$LOG"
# QEMU's multiboot loader: -kernel is Xen, -initrd the modules "dom0 kernel + cmdline,dom0 initramfs".
# Xen: dom0 gets a fixed 768 MiB and one vCPU; its console (hvc0) is relayed to com1, our serial log.
timeout -k 10 "$TIMEOUT" "$QEMU" -accel tcg -m "$MEM" -smp "$SMP" -no-reboot -nodefaults -net none \
	-monitor none -display none -serial "file:$LOG" \
	-drive "file=$RUN/results.img,format=raw,if=virtio" \
	-kernel "$B/xen" \
	-append "dom0_mem=768M,max:768M dom0_max_vcpus=1 console=com1 com1=115200,8n1 loglvl=info guest_loglvl=info noreboot console_timestamps=boot" \
	-initrd "$B/vmlinuz console=hvc0 quiet,$B/dom0.img" \
	< /dev/null > "$RUN/qemu.out" 2>&1 &
QPID=$!
say "QEMU started (pid $QPID, TCG, $SMP CPUs, $MEM MiB); serial log: $LOG"

wait_for 'Xen version 4' 60
wait_for 'XVLAB DOM0-INIT' 180
wait_for 'XVLAB TOOLSTACK-UP' 120
wait_for 'XVLAB PHASE-BARE-DONE' 180
wait_for 'XVLAB GUESTS-CREATED' 180
wait_for 'XVLAB PHASE-GUESTS-DONE' 600
wait_for 'XVLAB PHASE-SSH-DONE' 300
wait_for 'XVLAB PHASE-VMS-DONE' 400
wait_for 'XVLAB PHASE-SNMP-DONE' 300
wait_for 'XVLAB PHASE-TOOLS-DONE' 900
wait_for 'XVLAB DONE' 120
n=0
while kill -0 "$QPID" 2>/dev/null; do
	n=$((n + 1))
	[ $n -le 300 ] || fail "QEMU still running 60 s after dom0 powered off"
	sleep 0.2
done
wait "$QPID" || fail "QEMU exited with status $? ($(tr -d '\r' < "$RUN/qemu.out" | tail -3))"
QPID=
say "QEMU exited"
grep -aq 'XVLAB RESULTS-WRITTEN' "$LOG" || fail "dom0 did not write its results"

# --- results ----------------------------------------------------------------------------------------------
mkdir -p "$RUN/results"
tar -xf "$RUN/results.img" -C "$RUN/results" || fail "cannot read the results disk $RUN/results.img"
say "results in $RUN/results"
rc=0
python3 "$HERE/verify.py" "$RUN/results" || rc=$?
[ $rc = 0 ] || fail "assertions failed (above); raw readings in $RUN/results"
say "plugins done in $((SECONDS - T0)) s"
fi

# --- the bench: a second boot, 1.5 GiB, dom0 768 MiB that may balloon -----------------------------------------------
# The ramp adds guests until a creation fails: under three minutes on a quiet 2-core machine with dom0
# weighted above the guests (tests/lab/README.md); XVLAB_BENCH=0 leaves it out.  Its sample-spacing
# checks want the machine running QEMU to itself, as CI's is.
if [ "${XVLAB_BENCH:-1}" != 1 ]; then
	say "no bench run (XVLAB_BENCH=0)"
	exit 0
fi
BMEM=${XVLAB_BENCH_MEM:-1536}
truncate -s 64M "$RUN/bench-results.img"
LOG=$RUN/bench-serial.log
QOUT=$RUN/bench-qemu.out
: > "$LOG"
timeout -k 10 "${XVLAB_BENCH_TIMEOUT:-3600}" "$QEMU" -accel tcg -m "$BMEM" -smp "$SMP" -no-reboot -nodefaults -net none \
	-monitor none -display none -serial "file:$LOG" \
	-drive "file=$RUN/bench-results.img,format=raw,if=virtio" \
	-kernel "$B/xen" \
	-append "dom0_mem=768M,max:768M dom0_max_vcpus=1 console=com1 com1=115200,8n1 loglvl=info guest_loglvl=info noreboot console_timestamps=boot" \
	-initrd "$B/vmlinuz console=hvc0 quiet xvlab.test=bench,$B/dom0.img" \
	< /dev/null > "$RUN/bench-qemu.out" 2>&1 &
QPID=$!
seen_errors=0
say "bench: QEMU started (pid $QPID, TCG, $SMP CPUs, $BMEM MiB); serial log: $LOG"
wait_for 'XVLAB TOOLSTACK-UP' 300
wait_for 'XVLAB BENCH-MEASURED' 420
wait_for 'XVLAB BENCH-START' 60
# the ramp: a minute or more per guest under TCG on a shared machine, some ten guests; progress lines
last=
while ! grep -aq 'XVLAB BENCH-DONE' "$LOG"; do
	kill -0 "$QPID" 2>/dev/null || fail "QEMU ended before the bench was done ($(tr -d '\r' < "$RUN/bench-qemu.out" | tail -3))"
	grep -aqE "$FATAL" "$LOG" && fail "dom0 or Xen died during the bench: $(grep -aE -m1 "$FATAL" "$LOG" | tr -d '\r')"
	p=$(grep -a 'XVLAB BENCH-PROGRESS' "$LOG" | tail -n 1 | tr -d '\r' || true)
	[ -z "$p" ] || [ "$p" = "$last" ] || { say "bench: ${p#XVLAB BENCH-PROGRESS }"; last=$p; }
	sleep 2
done
say "reached: $(grep -a -m1 'XVLAB BENCH-DONE' "$LOG" | tr -d '\r')"
wait_for 'XVLAB DONE' 120
n=0
while kill -0 "$QPID" 2>/dev/null; do
	n=$((n + 1))
	[ $n -le 300 ] || fail "QEMU still running 60 s after dom0 powered off"
	sleep 0.2
done
wait "$QPID" || fail "QEMU exited with status $? ($(tr -d '\r' < "$RUN/bench-qemu.out" | tail -3))"
QPID=
grep -aq 'XVLAB RESULTS-WRITTEN' "$LOG" || fail "dom0 did not write the bench's results"
mkdir -p "$RUN/bench-results"
tar -xf "$RUN/bench-results.img" -C "$RUN/bench-results" || fail "cannot read $RUN/bench-results.img"
BR=$RUN/bench-results/bench/run
if command -v gnuplot >/dev/null && [ -f "$BR/samples.csv" ]; then
	"$TOP/bench/xvmon-bench" plot "$BR" || say "bench: charts failed (the run is still checked)"
fi
rc=0
python3 "$HERE/verify-bench.py" "$RUN/bench-results" || rc=$?
say "done in $((SECONDS - T0)) s; the bench's run: $BR"
[ $rc = 0 ] || fail "bench assertions failed (above); the run is in $RUN/bench-results"
