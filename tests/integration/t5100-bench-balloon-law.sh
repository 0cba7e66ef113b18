#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5100: the differential test of xvb-balloond's law (bench/guest/balloon_law.h) against the original
# xenballoond 080630 (../shared/lab/src/xenballoond-080630, read-only, not copied into the project).
#
# The original's functions and its main loop body are run by bash, unchanged except that /proc/ paths
# point at fake files; xenstore-exists/-read/-write are shell functions over a directory, and `sleep`
# records the interval instead of sleeping.  Generated traces (conf values, MemTotal following the
# balloon, Committed_AS, xenstore overrides, directed targets, the maxmem file, the edge cases) are
# played step by step through both; every decision (bytes written to the balloon, memory/selftarget,
# the interval, the maxmem file, a dying loop) must be identical.
#
# Environment: LAW_TRACES (default 24), LAW_STEPS (steps per trace, default 12), LAW_SEED (default 1).
set -eu
: "${TOP:?TOP must point at the source tree}"
: "${SHARED:=$TOP/../shared}"
ORIG=$SHARED/lab/src/xenballoond-080630
CONF=$SHARED/lab/src/xenballoon.conf-080630
REPLAY=$TOP/bench/guest/xvb-law-replay
[ -r "$ORIG" ] && [ -r "$CONF" ] || { echo "# SKIP the original xenballoond is not in $SHARED/lab/src"; exit 77; }
command -v bash >/dev/null || { echo "# SKIP bash not found"; exit 77; }
command -v python3 >/dev/null || { echo "# SKIP python3 not found"; exit 77; }
[ -x "$REPLAY" ] || { echo "FAIL: $REPLAY is not built (make)"; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xvmon-law.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- the original, cut into what can be sourced ----------------------------------------------------------
# Functions: everything before the script's first top-level statement.  Loop body: between "do" and
# "done &" of its main loop.  /proc/ becomes $FAKE/proc/ (the test's own fake files).
awk '/^if \[ ! -f \/proc\/xen\/balloon \]/ {exit} {print}' "$ORIG" > "$WORK/functions.sh"
awk 'f && /^done &/ {exit} f {print} /^while true;/ {w = 1; next} w && /^do$/ {f = 1}' "$ORIG" > "$WORK/body.sh"
grep -q '^balloon_to_target()' "$WORK/functions.sh" || { echo "FAIL: cannot find the functions in $ORIG"; exit 1; }
grep -q 'selfballoon_eval' "$WORK/body.sh" || { echo "FAIL: cannot find the main loop in $ORIG"; exit 1; }

cat > "$WORK/harness.bash" <<'EOF'
# Runs one trace (stdin: the T line, then S lines) through the original's functions and loop body.
FAKE=$1
mkdir -p "$FAKE/proc/xen" "$FAKE/xs"
eval "$(sed "s#/proc/#$FAKE/proc/#g" "$2")"
BODY=$(sed "s#/proc/#$FAKE/proc/#g" "$3")
. "$4"                                   # the original xenballoon.conf: every default
XENBALLOON_MAXMEMFILE=$FAKE/maxmem
xenstore-exists() { [ -f "$FAKE/xs/$1" ]; }
xenstore-read() { printf '%s' "$(< "$FAKE/xs/$1")"; }
xenstore-write() { printf '%s' "$2" > "$FAKE/xs/$1"; }    # only memory/ keys are written
sleep() { SLEPT=$1; }
mkdir -p "$FAKE/xs/memory"
setkey() { if [ "$2" = - ]; then [ ! -e "$FAKE/xs/memory/$1" ] || unlink "$FAKE/xs/memory/$1"; else printf '%s' "$2" > "$FAKE/xs/memory/$1"; fi; }
step=0
while read -r kind a b c d e f g h i; do
	if [ "$kind" = T ]; then
		id=$a; XENBALLOON_SELF=$b; XENBALLOON_SELF_INTERVAL=$c; XENBALLOON_INTERVAL=$d
		XENBALLOON_AUTO_DOWNHYSTERESIS=$e; XENBALLOON_AUTO_UPHYSTERESIS=$f; XENBALLOON_MINMEM=$g
		xenstore_enabled=$h
		rm -f "$FAKE/maxmem"; [ "$i" -lt 0 ] || echo "$i" > "$FAKE/maxmem"
		continue
	fi
	step=$((step + 1))
	printf 'MemTotal:       %8d kB\nMemFree:          123456 kB\nCommitted_AS:   %8d kB\n' "$a" "$b" > "$FAKE/proc/meminfo"
	setkey selfballoon "$c"; setkey target "$d"; setkey downhysteresis "$e"; setkey uphysteresis "$f"; setkey interval "$g"
	setkey selftarget -; [ ! -e "$FAKE/proc/xen/balloon" ] || unlink "$FAKE/proc/xen/balloon"
	SLEPT=unset
	printf '%s %s ' "$id" "$step"
	: > "$FAKE/stderr"
	eval "$BODY" 2> "$FAKE/stderr"
	# An arithmetic error (an up-hysteresis of 0) ends the original's `while true; do ... done &` loop,
	# a subshell: it is dead from here on.  Under eval, bash would go on, so the harness stops itself.
	if grep -q 'division by 0' "$FAKE/stderr"; then echo DIED; exit 0; fi
	[ -f "$FAKE/proc/xen/balloon" ] && printf '%s ' "$(< "$FAKE/proc/xen/balloon")" || printf -- '- '
	[ -f "$FAKE/xs/memory/selftarget" ] && printf '%s ' "$(< "$FAKE/xs/memory/selftarget")" || printf -- '- '
	[ -f "$FAKE/maxmem" ] && m=$(< "$FAKE/maxmem") || m=-1
	printf '%s %s\n' "$SLEPT" "$m"
done
EOF

# --- the generated cases ----------------------------------------------------------------------------------
python3 - "${LAW_TRACES:-24}" "${LAW_STEPS:-12}" "${LAW_SEED:-1}" > "$WORK/cases" <<'EOF'
import random, sys
traces, steps, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed)
MiB = 1024
def opt(p, gen):
    return str(gen()) if r.random() < p else "-"
# the fixed edges first: the loop dying on an up-hysteresis of 0 from xenstore, and directed ballooning
# with a target of exactly 1 KiB (the 2008 flag/value ambiguity), a down-hysteresis of 0 (no damping)
print("T edge-up0 true 1 1 10 1 0 true -1")
print(f"S {200 * MiB} {150 * MiB} - - - - -")
print(f"S {190 * MiB} {400 * MiB} - - - 0 -")
print(f"S {190 * MiB} {400 * MiB} - - - - -")
print("T edge-directed false 1 1 10 1 0 true 0")
for tgt, dn in ((1, "-"), (100 * MiB, "0"), (300 * MiB, "-"), (1, "0")):
    print(f"S {256 * MiB} {90 * MiB} - {tgt} {dn} - -")
print("T edge-noxs true 2 5 10 1 0 false -1")
print(f"S {256 * MiB} {90 * MiB} 1 1 0 0 7")
for t in range(traces):
    # every fourth trace an edge: floor band boundaries, MINMEM set, no xenstore, tiny guests
    size = r.choice([96, 124, 125, 126, 128, 256, 499, 500, 501, 1024, 1999, 2000, 2001, 4096, 16384]) * MiB
    size += r.randint(-3000, 3000) if r.random() < 0.5 else 0
    self_ = r.random() < 0.7
    xs = r.random() < 0.85
    down = r.choice([10, 10, 10, 1, 2, 0, 3, 7])
    up = r.choice([1, 1, 1, 2, 4])
    minmem = r.choice([0, 0, 0, 64, 200])
    maxmem = r.choice([-1, -1, 0, size, size // 2, size * 2])
    print(f"T t{t} {'true' if self_ else 'false'} {r.choice([1, 1, 2])} {r.choice([1, 1, 5])} "
          f"{down} {up} {minmem} {'true' if xs else 'false'} {maxmem}")
    memtotal = size - r.randint(0, 60 * MiB)
    committed = r.randint(20 * MiB, max(21 * MiB, size // 3))
    for s in range(steps):
        # Committed_AS: idle drift, sometimes an eater's jump up or its free
        u = r.random()
        if u < 0.15:
            committed += r.randint(32 * MiB, max(33 * MiB, size))
        elif u < 0.3:
            committed = max(10 * MiB, committed - r.randint(0, committed))
        else:
            committed = max(10 * MiB, committed + r.randint(-2048, 2048))
        edge = r.random()
        sb = opt(0.25, lambda: r.choice([0, 1, 1, 2]))
        tgt = opt(0.5, lambda: r.choice([1, r.randint(32 * MiB, 2 * size), memtotal, memtotal + 1]))
        dn = opt(0.15, lambda: r.choice([0, 1, 5, 20]))
        upk = opt(0.1, lambda: r.choice([1, 3] if edge > 0.02 else [0]))
        iv = opt(0.1, lambda: r.choice([1, 2, 10]))
        if edge < 0.03:
            committed = memtotal  # exactly at the target: neither branch
        print(f"S {memtotal} {committed} {sb} {tgt} {dn} {upk} {iv}")
        # the guest follows its balloon: MemTotal moves toward what was decided, roughly
        memtotal = max(16 * MiB, memtotal + r.randint(-8 * MiB, 8 * MiB))
        if r.random() < 0.6:
            memtotal = max(16 * MiB, min(committed, 2 * size))
EOF

# --- both halves ------------------------------------------------------------------------------------------
"$REPLAY" < "$WORK/cases" > "$WORK/c.out"
: > "$WORK/bash.out"
awk -v dir="$WORK/traces" 'BEGIN {system("mkdir -p " dir)} /^T/ {n++} {print > (dir "/" sprintf("%04d", n))}' "$WORK/cases"
for f in "$WORK"/traces/*; do
	id=$(awk 'NR == 1 {print $2}' "$f")
	steps=$(grep -c '^S' "$f")
	bash "$WORK/harness.bash" "$WORK/fake-$id" "$WORK/functions.sh" "$WORK/body.sh" "$CONF" < "$f" \
		> "$WORK/one.out" 2> "$WORK/one.err" || { echo "FAIL: trace $id: bash failed: $(cat "$WORK/one.err")"; exit 1; }
	lines=$(wc -l < "$WORK/one.out")
	[ "$lines" = "$steps" ] || tail -n 1 "$WORK/one.out" | grep -q ' DIED$' ||
		{ echo "FAIL: trace $id: $lines decisions for $steps steps: $(cat "$WORK/one.err")"; exit 1; }
	cat "$WORK/one.out" >> "$WORK/bash.out"
done

total=$(grep -c '^S' "$WORK/cases")
compared=$(wc -l < "$WORK/bash.out")
if ! diff "$WORK/bash.out" "$WORK/c.out" > "$WORK/diff"; then
	echo "FAIL: the C law and the 2008 xenballoond differ (< original, > C):"
	head -20 "$WORK/diff"
	exit 1
fi
# the cases must have exercised every branch
for what in 'self-ballooned (selftarget published):^t[0-9]* [0-9]* [0-9]* [0-9]* 1 ' \
	    'nothing written:^t[0-9]* [0-9]* - - ' \
	    'the loop dying (up-hysteresis 0):DIED$'; do
	grep -q "${what#*:}" "$WORK/c.out" || { echo "FAIL: no case covered: ${what%%:*}"; exit 1; }
done
traces=$(grep -c '^T' "$WORK/cases")
echo "ok: $compared decisions identical over $traces traces ($total steps generated, seed ${LAW_SEED:-1})"
