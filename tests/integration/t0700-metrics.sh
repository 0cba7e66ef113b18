#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon-metrics: the Prometheus text format.  Exact samples for a host, its
# VMs (hostile names escaped) and a pool (the pool report's integers);
# `promtool check metrics` finds nothing to say; a real node_exporter with
# its textfile collector, started here on a loopback port, scrapes the file
# without error and serves our samples; the file is replaced atomically; the
# systemd units verify and their command line works.
. "$TOP/tests/integration/lib.sh"
M=metrics/xvmon-metrics
O="$WORK/out.prom"

# --- one host -------------------------------------------------------------------
run $M -s sim:$DATA/vms/t1.sim -o "$O"
[ "$RC" = 0 ] && [ -z "$OUT$ERR" ] || fail "xvmon-metrics: exit $RC: $OUT $ERR"
line() { # NAME-AND-LABELS VALUE: exactly this sample is in the file
	checks=$((checks + 1))
	grep -qxF "$1 $2" "$O" || fail "no sample '$1 $2' in: $(grep -F "${1%%\{*}" "$O" | head -n 12)"
}
line 'xvmon_host_up{host="xen07"}' 1
line 'xvmon_host_memory_total_bytes{host="xen07"}' 68719476736
line 'xvmon_host_memory_free_bytes{host="xen07"}' 42949672960
line 'xvmon_host_memory_ballooned_bytes{host="xen07"}' 2147483648
# the same thousandths as check_xen_host's overcommit 0.289 and 1.25 vCPUs per CPU
line 'xvmon_host_memory_overcommit_ratio{host="xen07"}' 0.289
line 'xvmon_host_vcpu_overcommit_ratio{host="xen07"}' 1.250
line 'xvmon_host_domains{host="xen07",state="running"}' 4
line 'xvmon_host_domains{host="xen07",state="crashed"}' 1
line 'xvmon_vm_state{host="xen07",vm="web2",uuid="5945ea19-f640-4d3d-a042-37ed9937397c",state="blocked"}' 1
line 'xvmon_vm_state{host="xen07",vm="web2",uuid="5945ea19-f640-4d3d-a042-37ed9937397c",state="running"}' 0
line 'xvmon_vm_up{host="xen07",vm="crashed1",uuid="78d1569e-bded-4341-8d66-05bf942e6e38"}' 0
line 'xvmon_vm_memory_target_bytes{host="xen07",vm="web2",uuid="5945ea19-f640-4d3d-a042-37ed9937397c"}' 1073741824
# seconds from integer nanoseconds: 50.6 s exactly
line 'xvmon_vm_cpu_seconds_total{host="xen07",vm="web2",uuid="5945ea19-f640-4d3d-a042-37ed9937397c"}' 50.600000000
line 'xvmon_vm_guest_committed_bytes{host="xen07",vm="db1",uuid="d6f753f4-1869-49ca-b5d2-f02af789f652"}' 8053063680
line 'xvmon_vm_guest_memory_used_bytes{host="xen07",vm="web1",uuid="4040ea19-f63d-4d3d-b947-37ed993a397c"}' 1941962752
line 'xvmon_vm_guest_swap_out_bytes_total{host="xen07",vm="db1",uuid="d6f753f4-1869-49ca-b5d2-f02af789f652"}' 241172480
line 'xvmon_vm_disk_read_bytes_total{host="xen07",vm="db1",uuid="d6f753f4-1869-49ca-b5d2-f02af789f652"}' 10800332800
line 'xvmon_vm_guest_memory_reported{host="xen07",vm="web2",uuid="5945ea19-f640-4d3d-a042-37ed9937397c"}' 0
# what a source does not have is left out, never 0: web2 publishes no guest figures
checks=$((checks + 1))
if grep -q '^xvmon_vm_guest_memory_total_bytes{host="xen07",vm="web2"' "$O"; then fail "a guest figure made up for web2"; fi
# a family no host has (cpu wait on this host) is left out whole
checks=$((checks + 1))
if grep -q 'xvmon_vm_cpu_wait_seconds_total' "$O"; then fail "an empty family was written"; fi
cp "$O" "$WORK/host.prom"

# --- hostile names: valid UTF-8, then \\ \" \n escaped ------------------------------
printf '[host]\nname = h"1\\x\ntotal_memory = 16G\nfree_memory = 8G\ncpus = 4\ndom0_memory = 1G\n[domain a"b\\c\351]\nid = 1\nstate = running\nmemory = 1G\nuuid = 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a09\n' >"$WORK/hostile.sim"
run $M -s "sim:$WORK/hostile.sim" -o "$O"
# host h"1\x, VM a"b\c and a Latin-1 byte (U+FFFD once made valid)
line 'xvmon_vm_memory_bytes{host="h\"1\\x",vm="a\"b\\c�",uuid="4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a09"}' 1073741824
cp "$O" "$WORK/hostile.prom"

# --- a pool: its report's integers, a silent host written as down ----------------------
run $M -i $DATA/pool/degraded.ini -o "$O"
[ "$RC" = 0 ] || fail "pool: exit $RC: $ERR"
checks=$((checks + 1))
[ "$ERR" = "xvmon-metrics: xen-hung: no answer within 1000 ms" ] || fail "pool: stderr: $ERR"
line 'xvmon_host_up{pool="prod",host="xen-hung"}' 0
line 'xvmon_host_up{pool="prod",host="xen-a"}' 1
# the availability check_xen_pool prints as 75.0%
line 'xvmon_pool_availability_ratio{pool="prod"}' 0.750
line 'xvmon_pool_vm_ratio{pool="prod"}' 0.750
line 'xvmon_pool_hosts{pool="prod"}' 4
line 'xvmon_pool_hosts_up{pool="prod"}' 3
line 'xvmon_pool_vms_missing{pool="prod"}' 1
line 'xvmon_pool_vms_duplicate{pool="prod"}' 1
line 'xvmon_vm_up{pool="prod",host="xen-c",vm="web1",uuid="'"$(grep -o 'xvmon_vm_up{pool="prod",host="xen-c",vm="web1",uuid="[^"]*' "$O" | sed 's/.*uuid="//')"'"}' 1
checks=$((checks + 1))
if grep -q 'host="xen-hung",vm=' "$O"; then fail "VMs of a silent host"; fi
cp "$O" "$WORK/pool.prom"

# --- promtool ----------------------------------------------------------------------------
if command -v promtool >/dev/null; then
	for f in host hostile pool; do
		run sh -c "promtool check metrics <'$WORK/$f.prom'"
		checks=$((checks + 1))
		[ "$RC" = 0 ] && [ -z "$OUT$ERR" ] || fail "promtool check metrics on $f.prom: exit $RC: $OUT $ERR"
	done
	# and the check is live: a counter without _total is a lint error
	sed 's/xvmon_vm_cpu_seconds_total/xvmon_vm_cpu_seconds/' "$WORK/host.prom" >"$WORK/bad.prom"
	run sh -c "promtool check metrics <'$WORK/bad.prom'"
	checks=$((checks + 1))
	[ "$RC" != 0 ] || fail "promtool passed a counter without _total"
else
	echo "# promtool missing (Debian package 'prometheus'): the lint is not exercised"
fi

# --- usage and output failures ------------------------------------------------------------
run $M -s sim:$DATA/vms/t0.sim
checks=$((checks + 1))
[ "$RC" = 64 ] && [ "$(printf '%s' "$ERR" | head -n 1)" = "xvmon-metrics: no output: give the file to replace with -o FILE (or -o - for standard output)" ] || fail "no -o: exit $RC: $ERR"
run $M -s nosuch:x -o -
checks=$((checks + 1))
[ "$RC" = 64 ] && [ "$(printf '%s' "$ERR" | head -n 1)" = "xvmon-metrics: unknown source scheme in 'nosuch:x' (this build knows: $($M -V | sed 's/.*sources: \(.*\))$/\1/'))" ] || fail "bad source: exit $RC: $ERR"
run $M -i $DATA/pool/degraded.ini -p nosuch -o -
checks=$((checks + 1))
[ "$RC" = 65 ] && [ "$ERR" = "xvmon-metrics: $DATA/pool/degraded.ini: no pool 'nosuch'" ] || fail "bad pool: exit $RC: $ERR"
run $M -s sim:$DATA/vms/t0.sim -o /nonexistent/dir/x.prom
checks=$((checks + 1))
[ "$RC" = 73 ] || fail "unwritable output: exit $RC: $ERR"
# a rename that fails (a directory in the way) leaves no temporary behind
mkdir "$WORK/asdir"
run $M -s sim:$DATA/vms/t0.sim -o "$WORK/asdir"
checks=$((checks + 1))
[ "$RC" = 74 ] || fail "rename onto a directory: exit $RC: $ERR"
[ "$(ls "$WORK" | grep -c '\.tmp\.')" = 0 ] || fail "temporary files left: $(ls "$WORK")"

# --- node_exporter's textfile collector ----------------------------------------------------
NE=$(command -v prometheus-node-exporter || command -v node_exporter || true)
[ -n "$NE" ] || skip "prometheus-node-exporter missing (Debian package): the scrape is not exercised"
T="$WORK/textfile" && mkdir "$T"
cp "$WORK/host.prom" "$T/xvmon.prom"
cp "$WORK/pool.prom" "$T/xvmon-pool.prom"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$NE" --web.listen-address=127.0.0.1:$port --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$T" >"$WORK/ne.log" 2>&1 &
ne_pid=$!
trap 'kill $ne_pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
scrape() {
	python3 - "$port" <<'EOF'
import sys, time, urllib.request
for i in range(100):
    try:
        sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read().decode())
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("node_exporter did not answer")
EOF
}
# two files with the same families from different runs: the collector merges them
scrape >"$WORK/scrape.txt" || fail "no scrape: $(tail -n 5 "$WORK/ne.log")"
grep -qx 'node_textfile_scrape_error 0' "$WORK/scrape.txt" || fail "node_exporter could not read the files: $(grep -i textfile "$WORK/scrape.txt") $(tail -n 5 "$WORK/ne.log")"
checks=$((checks + 1))
grep -qx 'xvmon_host_memory_free_bytes{host="xen07"} 4.294967296e+10' "$WORK/scrape.txt" || fail "node_exporter does not serve our sample: $(grep xvmon_host_memory_free "$WORK/scrape.txt")"
checks=$((checks + 1))
grep -qx 'xvmon_pool_availability_ratio{pool="prod"} 0.75' "$WORK/scrape.txt" || fail "node_exporter does not serve the pool: $(grep xvmon_pool "$WORK/scrape.txt" | head -3)"
checks=$((checks + 1))
# a broken file is noticed (the check is live)
printf 'xvmon_broken{a="b" 1\n' >"$T/broken.prom"
scrape >"$WORK/scrape2.txt"
grep -qx 'node_textfile_scrape_error 1' "$WORK/scrape2.txt" || fail "node_exporter did not notice a broken file"
rm -f "$T/broken.prom"
# the hostile labels, escaped, are read back as they were
cp "$WORK/hostile.prom" "$T/xvmon-hostile.prom"
rm -f "$T/xvmon-pool.prom"
scrape >"$WORK/scrape3.txt"
grep -qx 'node_textfile_scrape_error 0' "$WORK/scrape3.txt" || fail "node_exporter could not read the hostile names: $(tail -n 3 "$WORK/ne.log")"
checks=$((checks + 1))
grep -q '^xvmon_vm_memory_bytes{host="h\\"1\\\\x",uuid="[^"]*",vm="a\\"b\\\\c�"} 1.073741824e+09$' "$WORK/scrape3.txt" || fail "hostile labels not served back: $(grep xvmon_vm_memory_bytes "$WORK/scrape3.txt")"

kill $ne_pid
wait $ne_pid 2>/dev/null || true

# --- the systemd units ----------------------------------------------------------------
exec_args=$(sed -n 's|^ExecStart=@BINDIR@/xvmon-metrics ||p' contrib/systemd/xvmon-metrics.service)
checks=$((checks + 1))
[ -n "$exec_args" ] || fail "no xvmon-metrics command line in the unit"
# shellcheck disable=SC2086 # the options are words
run $M $(printf '%s' "$exec_args" | sed -e "s|xen:|sim:$DATA/vms/t0.sim|" -e "s|/var/lib/prometheus/node-exporter|$T|")
checks=$((checks + 1))
[ "$RC" = 0 ] && [ -f "$T/xvmon.prom" ] || fail "the unit's command line: exit $RC: $ERR"
if command -v systemd-analyze >/dev/null; then
	U=$WORK/units && mkdir $U
	sed -e "s|@BINDIR@/xvmon-metrics|$TOP/$M|" -e "s|@SYSCONFDIR@|/etc|" contrib/systemd/xvmon-metrics.service >$U/xvmon-metrics.service
	cp contrib/systemd/xvmon-metrics.timer $U/
	run systemd-analyze verify --man=no $U/xvmon-metrics.service $U/xvmon-metrics.timer
	checks=$((checks + 1))
	[ "$RC" = 0 ] && [ -z "$ERR$OUT" ] || fail "systemd-analyze verify: exit $RC: $OUT $ERR"
fi

done_testing
