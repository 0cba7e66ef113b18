#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_xen_host on sim: scenarios: exact status line, perfdata and exit code
# for OK, WARNING, CRITICAL and UNKNOWN.
. "$TOP/tests/integration/lib.sh"

G=1073741824 # bytes in a GiB, to read the numbers below

# OK: 8 GiB of 32 GiB free (25%), default thresholds 10%: and 5%: become
# 3435973837: and 1717986918: bytes; guests' max 22 GiB over 32 GiB = 0.6875.
run $H -s sim:$DATA/healthy.sim
expect 0 "XEN HOST OK - xen01: free 8 GiB of 32 GiB (25%), 6 domains (6 up), overcommit 0.688 | mem_total=34359738368B;;;0 mem_free=8589934592B;3435973837:;1717986918:;0;34359738368 mem_free_pct=25%;10:;5:;0;100 mem_scrub=0B;;;0;34359738368 mem_outstanding=0B;;;0;34359738368 dom0_mem=2147483648B;;;0;34359738368 domains=6;;;0 domains_running=3;;;0 domains_blocked=3;;;0 domains_paused=0;;;0 domains_shutdown=0;;;0 domains_crashed=0;;;0 domains_dying=0;;;0 overcommit=0.688;;;0 mem_ballooned=536870912B;;;0 vcpus=11;;;0 vcpu_overcommit=1.375;;;0 domains_waiting=0;;;0"
[ $((8 * G)) = 8589934592 ] || fail "arithmetic"

# WARNING: 2.5 GiB of 32 GiB = 7.8% free, below 10% but above 5%.
run $H -s sim:$DATA/low-memory.sim
expect 1 "XEN HOST WARNING - xen02: free 2.5 GiB of 32 GiB (7.81%) (!), 5 domains (5 up), overcommit 0.938 | mem_total=34359738368B;;;0 mem_free=2684354560B;3435973837:;1717986918:;0;34359738368 mem_free_pct=7.81%;10:;5:;0;100 dom0_mem=1073741824B;;;0;34359738368 domains=5;;;0 domains_running=2;;;0 domains_blocked=3;;;0 domains_paused=0;;;0 domains_shutdown=0;;;0 domains_crashed=0;;;0 domains_dying=0;;;0 overcommit=0.938;;;0 mem_ballooned=2147483648B;;;0 vcpus=12;;;0 vcpu_overcommit=1.5;;;0 domains_waiting=0;;;0"

# The same host is OK with thresholds an admin of a busy host would choose.
run $H -s sim:$DATA/low-memory.sim -w 2G: -c 1G:
expect_first 0 "XEN HOST OK - xen02: free 2.5 GiB of 32 GiB (7.81%), 5 domains (5 up), overcommit 0.938 | mem_total=34359738368B;;;0 mem_free=2684354560B;2147483648:;1073741824:;0;34359738368 mem_free_pct=7.81%;6.25:;3.125:;0;100 dom0_mem=1073741824B;;;0;34359738368 domains=5;;;0 domains_running=2;;;0 domains_blocked=3;;;0 domains_paused=0;;;0 domains_shutdown=0;;;0 domains_crashed=0;;;0 domains_dying=0;;;0 overcommit=0.938;;;0 mem_ballooned=2147483648B;;;0 vcpus=12;;;0 vcpu_overcommit=1.5;;;0 domains_waiting=0;;;0"

# CRITICAL: 256 MiB free (0.8%).
run $H -s sim:$DATA/exhausted.sim
expect 2 "XEN HOST CRITICAL - xen03: free 256 MiB of 32 GiB (0.78%) (!!), 3 domains (3 up), overcommit 1 | mem_total=34359738368B;;;0 mem_free=268435456B;3435973837:;1717986918:;0;34359738368 mem_free_pct=0.78%;10:;5:;0;100 dom0_mem=536870912B;;;0;34359738368 domains=3;;;0 domains_running=2;;;0 domains_blocked=1;;;0 domains_paused=0;;;0 domains_shutdown=0;;;0 domains_crashed=0;;;0 domains_dying=0;;;0 overcommit=1;;;0 mem_ballooned=1342177280B;;;0 vcpus=16;;;0 vcpu_overcommit=2;;;0 domains_waiting=0;;;0"

# CRITICAL: a crashed and a dying domain (critical by default), a shut-down
# one (warning); problem domains are listed in the long output.
run $H -s sim:$DATA/crashed.sim
expect 2 "XEN HOST CRITICAL - xen04: 1 crashed (broken1) (!!), 1 dying (old1) (!!), 1 shut down (stopped1) (!), free 6 GiB of 16 GiB (37.5%), 5 domains (2 up), overcommit 0.5 | mem_total=17179869184B;;;0 mem_free=6442450944B;1717986918:;858993459:;0;17179869184 mem_free_pct=37.5%;10:;5:;0;100 dom0_mem=1073741824B;;;0;17179869184 domains=5;;;0 domains_running=1;;;0 domains_blocked=1;;;0 domains_paused=0;;;0 domains_shutdown=1;;;0 domains_crashed=1;;;0 domains_dying=1;;;0 overcommit=0.5;;;0 mem_ballooned=0B;;;0 vcpus=5;;;0 vcpu_overcommit=1.25;;;0 domains_waiting=0;;;0
broken1 (id 32) ---sc- crashed: 4 GiB of 4 GiB max, 2 vcpus
old1 (id 33) -----d dying: 1 GiB of 1 GiB max, 1 vcpus
stopped1 (id 34) ---s-- shutdown: 1 GiB of 1 GiB max, 1 vcpus"

# ... and WARNING when the admin says a crash there is only a warning.
run $H -s sim:$DATA/crashed.sim --crashed WARNING --shutdown OK
expect_first 1 "XEN HOST WARNING - xen04: 1 crashed (broken1) (!), 1 dying (old1) (!), 1 shut down (stopped1), free 6 GiB of 16 GiB (37.5%), 5 domains (2 up), overcommit 0.5 | mem_total=17179869184B;;;0 mem_free=6442450944B;1717986918:;858993459:;0;17179869184 mem_free_pct=37.5%;10:;5:;0;100 dom0_mem=1073741824B;;;0;17179869184 domains=5;;;0 domains_running=1;;;0 domains_blocked=1;;;0 domains_paused=0;;;0 domains_shutdown=1;;;0 domains_crashed=1;;;0 domains_dying=1;;;0 overcommit=0.5;;;0 mem_ballooned=0B;;;0 vcpus=5;;;0 vcpu_overcommit=1.25;;;0 domains_waiting=0;;;0"

# Paused domains are counted, OK by default.
run $H -s sim:$DATA/paused.sim
expect_first 0 "XEN HOST OK - xen05: 1 paused (batch1), free 7 GiB of 16 GiB (43.75%), 3 domains (2 up), overcommit 0.5 | mem_total=17179869184B;;;0 mem_free=7516192768B;1717986918:;858993459:;0;17179869184 mem_free_pct=43.75%;10:;5:;0;100 dom0_mem=1073741824B;;;0;17179869184 domains=3;;;0 domains_running=1;;;0 domains_blocked=1;;;0 domains_paused=1;;;0 domains_shutdown=0;;;0 domains_crashed=0;;;0 domains_dying=0;;;0 overcommit=0.5;;;0 mem_ballooned=536870912B;;;0 vcpus=4;;;0 vcpu_overcommit=1;;;0 domains_waiting=0;;;0"

# -v lists every domain, xl style.
run $H -s sim:$DATA/healthy.sim -v
expect 0 "XEN HOST OK - xen01: free 8 GiB of 32 GiB (25%), 6 domains (6 up), overcommit 0.688 | mem_total=34359738368B;;;0 mem_free=8589934592B;3435973837:;1717986918:;0;34359738368 mem_free_pct=25%;10:;5:;0;100 mem_scrub=0B;;;0;34359738368 mem_outstanding=0B;;;0;34359738368 dom0_mem=2147483648B;;;0;34359738368 domains=6;;;0 domains_running=3;;;0 domains_blocked=3;;;0 domains_paused=0;;;0 domains_shutdown=0;;;0 domains_crashed=0;;;0 domains_dying=0;;;0 overcommit=0.688;;;0 mem_ballooned=536870912B;;;0 vcpus=11;;;0 vcpu_overcommit=1.375;;;0 domains_waiting=0;;;0
1.375 guest vcpus per physical cpu (8 cpus)
ballooned out of the guests: 512 MiB (their maximum less what they hold)
Domain-0 (id 0) r----- running: 2 GiB of 2 GiB max, 8 vcpus
web1 (id 1) r----- running: 4 GiB of 4 GiB max, 2 vcpus
web2 (id 2) -b---- blocked: 4 GiB of 4 GiB max, 2 vcpus
db1 (id 3) -b---- blocked: 8 GiB of 8 GiB max, 4 vcpus
cache1 (id 4) -b---- blocked: 1.5 GiB of 2 GiB max, 1 vcpus
build1 (id 5) r----- running: 4 GiB of 4 GiB max, 2 vcpus"

# The seed's host at its limit: 24 MiB free, guests' maximum 2.5x the RAM;
# critical only when nothing at all is free (@0: alert inside 0..0).
run $H -s sim:$DATA/seed-48g.sim --overcommit-warning 2 --overcommit-critical 3 -w 1G: -c @0
expect_first 1 "XEN HOST WARNING - dbsrv3501: free 24 MiB of 48 GiB (0.04%) (!), overcommit 2.521 (!), 32 domains (32 up) | mem_total=51539607552B;;;0 mem_free=25165824B;1073741824:;@0;0;51539607552 mem_free_pct=0.04%;2.083333:;@0;0;100 dom0_mem=205520896B;;;0;51539607552 domains=32;;;0 domains_running=10;;;0 domains_blocked=22;;;0 domains_paused=0;;;0 domains_shutdown=0;;;0 domains_crashed=0;;;0 domains_dying=0;;;0 overcommit=2.521;2;3;0 mem_ballooned=78785871872B;;;0 vcpus=62;;;0 vcpu_overcommit=7.75;;;0 domains_waiting=0;;;0"

# UNKNOWN: the source cannot be read.
run $H -s sim:$DATA/nonexistent.sim
expect 3 "XEN HOST UNKNOWN - cannot open 'tests/data/nonexistent.sim': No such file or directory"
printf '[host]\nname = x\ntotal_memory = 8G\nfree_memory = 9G\ncpus = 1\ndom0_memory = 1G\n' >"$WORK/bad.sim"
run $H -s "sim:$WORK/bad.sim"
expect 3 "XEN HOST UNKNOWN - $WORK/bad.sim:1: free_memory 9 GiB exceeds total_memory 8 GiB"
run $H -s nosuch://host
expect 3 "XEN HOST UNKNOWN - unknown source scheme in 'nosuch://host' (this build knows: $($H -V | sed 's/.*sources: \(.*\))$/\1/'))"

done_testing
