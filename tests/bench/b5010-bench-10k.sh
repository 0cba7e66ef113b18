#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# b5010: 10 000 clean guests added one by one on a large host (5 TiB, 64
# CPUs, libxl): wall time and peak memory of the whole run, the files
# included.  Samples are streamed and settled idle guests cost the model
# nothing, so both stay small (aim: 5 s and 200 MB; before the streaming
# runner this run took 168 s and 6.6 GB).  Measures only.
set -u
: "${TOP:?TOP must point at the source tree}"
bench="$TOP/bench/xvmon-bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a killed run (a timeout's TERM, ^C) still runs the EXIT trap that stops what it started
trap 'exit 143' TERM
trap 'exit 130' INT

[ -x "$bench" ] || { echo "# SKIP $bench is not built"; exit 77; }
[ -x /usr/bin/time ] || { echo "# SKIP /usr/bin/time is not installed (Debian package time)"; exit 77; }
cat >"$tmp/plan.ini" <<'PLAN'
[plan]
name = clean-10k
description = 10 000 clean guests one by one on a 5 TiB host
[host]
memory = 5T
cpus = 64
toolstack = libxl
dom0_memory = 4G
dom0_floor = 1G
dom0_autoballoon = yes
[profile clean]
image = clean
memory = 4G
vcpus = 1
[procedure]
kind = one-by-one
profile = clean
limit = 10000
settle = 30s
samples = 1
interval = 30s
PLAN
/usr/bin/time -f '%e %M' -o "$tmp/time" "$bench" run "$tmp/plan.ini" -o "$tmp/out" --no-charts -q ||
	{ echo "xvmon-bench failed"; exit 1; }
read -r wall rss <"$tmp/time"
guests=$(sed -n 's/^ *"guests_created": \([0-9]*\),*$/\1/p' "$tmp/out/summary.json")
rows=$(($(wc -l <"$tmp/out/guests.csv") - 1))
echo "10 000 clean guests one by one: $guests created, $(($(wc -l <"$tmp/out/samples.csv") - 1)) host samples, $rows guest rows"
awk -v w="$wall" -v r="$rss" 'BEGIN {
	printf "wall time: %.2f s (aim <= 5 s)\n", w
	printf "peak memory: %.1f MB resident (aim <= 200 MB)\n", r / 1024
}'
