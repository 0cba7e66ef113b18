#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# sensitivity.sh [SEEDS]: the table of the model's parameters for the
# seed's host (docs/bench.md): each parameter's value, unit and source, and
# the headline results with the parameter at its value, at -20% and at +20%:
# the stress limit, dom0's first balloon step and allocated / used (means
# over SEEDS seeds of stress-ramp.ini, default 10) and the clean limit
# (clean-ramp.ini).  Prints Markdown.  Run from the source tree after make.
set -eu
seeds=${1:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=$top/bench/xvmon-bench
set_key=$top/bench/tools/plan-set.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A plan with KEY = VALUE in each of SECTIONS ("host", "model", "profile
# clean;profile stress") that the plan has ([model] is added if missing); an
# empty KEY leaves the plan as it is.
edit() { # edit PLAN SECTIONS KEY VALUE > OUT
	cp "$1" "$tmp/edit.ini"
	if [ -n "$3" ]; then
		echo "$2" | tr ';' '\n' | while read -r sec; do
			# [model] is added when missing; a profile only where the plan has it
			if [ "$sec" = model ] || grep -q "^\[$sec\]" "$tmp/edit.ini"; then
				sh "$set_key" "$tmp/edit.ini" "$sec" "$3" "$4" >"$tmp/edit2.ini"
				mv "$tmp/edit2.ini" "$tmp/edit.ini"
			fi
		done
	fi
	cat "$tmp/edit.ini"
}

val() { sed -n "s/^ *\"$1\": \([^,]*\),*\$/\1/p" "$2" | head -n 1; }

# results SECTIONS KEY VALUE: "limit onset never ratio clean safe" for one setting
results() {
	edit "$top/bench/plans/stress-ramp.ini" "$1" "$2" "$3" >"$tmp/s.ini"
	edit "$top/bench/plans/clean-ramp.ini" "$1" "$2" "$3" >"$tmp/c.ini"
	i=1
	: >"$tmp/r"
	while [ $i -le "$seeds" ]; do
		"$bench" run "$tmp/s.ini" --seed $i -o "$tmp/out" --no-charts -q >/dev/null 2>"$tmp/err" ||
			{ echo "run failed: $2 = $3, seed $i:" >&2; cat "$tmp/err" >&2; cp "$tmp/s.ini" /tmp/sensitivity-failed.ini; exit 1; }
		echo "$(val first_failure_guests "$tmp/out/summary.json") $(val dom0_balloon_onset_guests "$tmp/out/summary.json") $(val overcommit_ratio_mean "$tmp/out/summary.json") $(val max_safe_guests "$tmp/out/summary.json")" >>"$tmp/r"
		i=$((i + 1))
	done
	"$bench" run "$tmp/c.ini" -o "$tmp/cout" --no-charts -q >/dev/null 2>&1 || { echo "clean run failed" >&2; exit 1; }
	awk -v clean="$(val first_failure_guests "$tmp/cout/summary.json")" '
		{ n++; f += $1; r += $3; s += $4; if ($2 == "null") never++; else { o += $2; no++ } }
		END { printf "%.1f %s %d %.2f %s %.1f\n", f / n, no ? sprintf("%.1f", o / no) : "-", never, r / n, clean, s / n }' "$tmp/r"
}

# scaled VALUE FACTOR: VALUE (a number with an optional unit letter) times
# FACTOR, rounded to a whole number of that unit.
scaled() {
	echo "$1" | awk -v f="$2" '{ n = $0 + 0; u = $0; sub(/^[0-9.]+/, "", u); printf "%d%s\n", n * f + 0.5, u }'
}

base=$(results "" "" "") || exit 1
set -- $base
b_limit=$1 b_onset=$2 b_never=$3 b_ratio=$4 b_clean=$5 b_safe=$6

cell() { # cell BASE MINUS PLUS: "base (-20%: a, +20%: b)"
	printf '%s / %s' "$2" "$3"
}

echo "Headline results with every parameter at its value (stress-ramp.ini: mean of $seeds seeds): stress limit"
echo "$b_limit, safe $b_safe (room for one more and nobody swapping), dom0's first balloon step at $b_onset"
echo "added guests ($b_never of $seeds runs never ballooned it), allocated / used $b_ratio; clean limit"
echo "$b_clean (clean-ramp.ini).  Each parameter's columns give the same figures with that parameter"
echo "alone at -20% / +20% of its value (\"=\" where the -20% and +20% values round back to the value:"
echo "whole numbers of the unit)."
echo
echo "| parameter | value | unit | source | stress limit | safe | dom0 onset | allocated / used | clean limit |"
echo "|---|---|---|---|---|---|---|---|---|"
while IFS='|' read -r name sections key value unit source; do
	[ -n "$name" ] || continue
	lo=$(scaled "$value" 0.8) hi=$(scaled "$value" 1.2)
	if [ "$lo" = "$value" ] && [ "$hi" = "$value" ]; then
		echo "| \`$name\` | $value | $unit | $source | = | = | = | = | = |"
		continue
	fi
	r=$(results "$sections" "$key" "$lo") || exit 1
	set -- $r
	l1=$1 o1=$2 r1=$4 c1=$5 s1=$6
	r=$(results "$sections" "$key" "$hi") || exit 1
	set -- $r
	echo "| \`$name\` | $value | $unit | $source | $l1 / $1 | $s1 / $6 | $o1 / $2 | $r1 / $4 | $c1 / $5 |"
done <<'PARAMS'
hypervisor_overhead|host|hypervisor_overhead|573332|KiB|law: Xen's frame table (32 bytes per 4 KiB page), machine-to-phys table (8) and its compat copy (4), plus 32 MiB of text, heap and per-CPU data
cpus|host|cpus|8|CPUs|the seed's host (2.4.5: 8 cores)
dom0_memory|host|dom0_memory|512M|MiB|the seed's host (2.3.1, 2.4.5: dom0_mem=512M)
dom0_floor|host|dom0_floor|196M|MiB|the seed's host (2.4.5: dom0-min-mem 196)
domain_overhead|model|domain_overhead|1024|KiB|estimate (Xen's heap per PV domain: a few hundred KiB), until the lab measures it
boot_time|model|boot_time|13s|s|measured: the lab's PV guests were ready 13-19 s after creation
boot_jitter|model|boot_jitter|6s|s|measured: the same spread
down_hysteresis|model|down_hysteresis|10||law: XENBALLOON_AUTO_DOWNHYSTERESIS
up_hysteresis|model|up_hysteresis|1||law: XENBALLOON_AUTO_UPHYSTERESIS
balloon_interval|model|balloon_interval|1s|s|law: XENBALLOON_SELF_INTERVAL
settle_tolerance|model|settle_tolerance|64M|MiB|definition: "settled" within this of the idle target (reports only)
swap_quiet|model|swap_quiet|60s|s|definition: a swap onset counts again after this long without swapping
committed|profile clean;profile stress|committed|424M|MiB|bound: the seed's idle clean guests sit at xenballoond's floor (xentop: 434176 KiB), so their Committed_AS is at most that
kernel|profile clean;profile stress|kernel|80M|MiB|estimate: 24 MiB of kernel + mem_map (56 bytes per 4 KiB page, a law)
resident|profile clean;profile stress|resident|120M|MiB|estimate: idle userspace of the OEL5 image
write_rate|profile stress|write_rate|43M|MiB/s|measured: xvb-stress's rand() writer, per CPU-second: 43.3 (40.5-45.5) in ten runs (docs/bench-measured/xvb-stress-rate.txt)
threads|profile stress|threads|4||the seed's eater (2.4.4)
thread_alloc|profile stress|thread_alloc|1024M|MiB|the seed's eater (2.4.4)
chunk_max|profile stress|chunk_max|512M|MiB|the seed's eater (2.4.4)
sleep_max|profile stress|sleep_max|63s|s|the seed's eater (2.4.4)
stack|profile stress|stack|10M|MiB|law: glibc sizes thread stacks by RLIMIT_STACK, 10 MiB on EL5
PARAMS
