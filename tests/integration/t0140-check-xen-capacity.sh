#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_xen_capacity on sim: hosts whose answers are worked out here by hand
# from the laws the model applies (lib/toolstack_law.h, lib/balloon_law.h):
#
#   libxl needs memory= + 1 MiB rounded up to 2 MiB free at once, and sets
#   dom0's target to its size less the whole shortfall, refusing below
#   128 MiB; xend needs memory= + 4 KiB per MiB of maxmem (rounded up to a
#   MiB) and leaves dom0 alone below dom0-min-mem;
#   every domain costs Xen 1 MiB besides its allocation;
#   a clean 4 GiB guest settles at xenballoond's floor for MemTotal 4 GiB,
#   296 + 1048576 / 8192 = 424 MiB (its idle Committed_AS, 380 MiB, is
#   below), long before the next guest comes (10 min later).
#
# Guests come one by one; each creation needs `need` free at once, and a
# created guest ends up holding its footprint f.  With P = free + what dom0
# may give + what running guests will give back, guest n can be created when
# P - (n - 1) * f >= need: the headroom is 1 + floor((P - need) / f), or 0
# when P < need.  (dom0 gives exactly each shortfall, so it never gives more
# than P counts.)
. "$TOP/tests/integration/lib.sh"
C=plugins/check_xen_capacity
D=$DATA/capacity
M=1048576 # bytes in a MiB

# cap-a: 16 GiB, 6144 MiB free, dom0 1024 MiB (libxl: may give 1024 - 128 =
# 896), one 8 GiB guest.  P = 6144 + 896 = 7040 MiB.
# 2 GiB plain: need 2050, f = 2049: 1 + floor(4990 / 2049) = 3.
run $C -s sim:$D/cap-a.sim -m 2G --image plain
expect 0 "XEN CAPACITY OK - cap-a: room for 3 more plain guests of 2 GiB (creation fails at the 4th) | headroom=3;2:;1:;0 headroom_create=3;;;0 need=2149580800B;;;0 idle_footprint=2147483648B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0
model: toolstack libxl, dom0 auto-ballooning on (floor 128 MiB); new guests one by one, 10 min apart; 1 run
host: 6 GiB free, dom0 1 GiB (may give 896 MiB), hypervisor and domain overheads 1023 MiB, 4 CPUs
new guest: plain image, memory 2 GiB, maxmem 2 GiB, 2 vCPUs; its creation waits for 2050 MiB free; idle it settles at 2 GiB
running guests: 1; 0 publish their meminfo and self-balloon on it; 0 move toward a balloon target (0 KiB to give back); the others keep what they hold
first failure: cannot create 'new-4': libxl: new target 0 KiB for dom0 is below the minimum threshold of 131072 KiB (need 2099200 KiB, 1024 KiB free)"
# (the hypervisor's share is what no domain holds and is not free:
# 16384 - 6144 - 1024 - (8192 + 1) = 1023 MiB; the 4th guest finds
# 7040 - 3 * 2049 = 893 MiB: 1 MiB free, dom0 at 1020 - 128 = 892 to give)
[ $((2050 * M)) = 2149580800 ] && [ $((896 * M)) = 939524096 ] || fail "arithmetic"

# 4 GiB plain: need 4098, f = 4097: 1 + floor(2942 / 4097) = 1, below the
# default -w 2: (WARNING).  8 GiB: need 8194 > 7040: none (CRITICAL).
run $C -s sim:$D/cap-a.sim -m 4G --image plain
expect_first 1 "XEN CAPACITY WARNING - cap-a: room for 1 more plain guest of 4 GiB (creation fails at the 2nd) | headroom=1;2:;1:;0 headroom_create=1;;;0 need=4297064448B;;;0 idle_footprint=4294967296B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"
run $C -s sim:$D/cap-a.sim -m 8G --image plain
expect_first 2 "XEN CAPACITY CRITICAL - cap-a: room for 0 more plain guests of 8 GiB (creation fails at the 1st) | headroom=0;2:;1:;0 headroom_create=0;;;0 need=8592031744B;;;0 idle_footprint=8589934592B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"
# thresholds are the admin's: one guest is fine with -w 1: -c 0:
run $C -s sim:$D/cap-a.sim -m 4G --image plain -w 1: -c 0:
expect_first 0 "XEN CAPACITY OK - cap-a: room for 1 more plain guest of 4 GiB (creation fails at the 2nd) | headroom=1;1:;0:;0 headroom_create=1;;;0 need=4297064448B;;;0 idle_footprint=4294967296B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"

# Without auto-ballooning P = 6144: 1 + floor((6144 - 4098) / 4097) = 1;
# the 2nd finds 2047 MiB and libxl builds at once, and fails.
run $C -s sim:$D/cap-a.sim -m 4G --image plain --no-autoballoon
expect 1 "XEN CAPACITY WARNING - cap-a: room for 1 more plain guest of 4 GiB (creation fails at the 2nd) | headroom=1;2:;1:;0 headroom_create=1;;;0 need=4297064448B;;;0 idle_footprint=4294967296B;;;0 free=6442450944B;;;0 dom0_give=0B;;;0
model: toolstack libxl, dom0 auto-ballooning off (floor 128 MiB); new guests one by one, 10 min apart; 1 run
host: 6 GiB free, dom0 1 GiB (may give 0 KiB), hypervisor and domain overheads 1023 MiB, 4 CPUs
new guest: plain image, memory 4 GiB, maxmem 4 GiB, 2 vCPUs; its creation waits for 4098 MiB free; idle it settles at 4 GiB
running guests: 1; 0 publish their meminfo and self-balloon on it; 0 move toward a balloon target (0 KiB to give back); the others keep what they hold
first failure: cannot create 'new-2': libxl: cannot allocate 4196352 KiB for the domain: Xen has 2096128 KiB free and autoballoon is off"

# 4 GiB clean: need 4098, f = 424 + 1 = 425: 1 + floor(2942 / 425) = 7.
run $C -s sim:$D/cap-a.sim -m 4G
expect_first 0 "XEN CAPACITY OK - cap-a: room for 7 more clean guests of 4 GiB (creation fails at the 8th) | headroom=7;2:;1:;0 headroom_create=7;;;0 need=4297064448B;;;0 idle_footprint=444596224B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"
contains "idle it settles at 424 MiB"
# an image whose idle Committed_AS (600 MiB) is above the floor settles
# there: f = 601, 1 + floor(2942 / 601) = 5
run $C -s sim:$D/cap-a.sim -m 4G --committed 600M
expect_first 0 "XEN CAPACITY OK - cap-a: room for 5 more clean guests of 4 GiB (creation fails at the 6th) | headroom=5;2:;1:;0 headroom_create=5;;;0 need=4297064448B;;;0 idle_footprint=629145600B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"
# XENBALLOON_MINMEM = 1 GiB: f = 1025, 1 + floor(2942 / 1025) = 3
run $C -s sim:$D/cap-a.sim -m 4G --minmem 1G
expect_first 0 "XEN CAPACITY OK - cap-a: room for 3 more clean guests of 4 GiB (creation fails at the 4th) | headroom=3;2:;1:;0 headroom_create=3;;;0 need=4297064448B;;;0 idle_footprint=1073741824B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"

# xend with dom0-min-mem 512 MiB: dom0 may give 512, P = 6656; a 2 GiB
# guest needs 2048 + 8 = 2056: 1 + floor(4600 / 2049) = 3.  The 4th finds
# 6656 - 3 * 2049 = 509 MiB; xend's diagnosis counts free + dom0 - floor.
run $C -s sim:$D/cap-a.sim -m 2G --image plain --toolstack xend --dom0-floor 512M
expect 0 "XEN CAPACITY OK - cap-a: room for 3 more plain guests of 2 GiB (creation fails at the 4th) | headroom=3;2:;1:;0 headroom_create=3;;;0 need=2155872256B;;;0 idle_footprint=2147483648B;;;0 free=6442450944B;;;0 dom0_give=536870912B;;;0
model: toolstack xend, dom0 auto-ballooning on (floor 512 MiB); new guests one by one, 10 min apart; 1 run
host: 6 GiB free, dom0 1 GiB (may give 512 MiB), hypervisor and domain overheads 1023 MiB, 4 CPUs
new guest: plain image, memory 2 GiB, maxmem 2 GiB, 2 vCPUs; its creation waits for 2056 MiB free; idle it settles at 2 GiB
running guests: 1; 0 publish their meminfo and self-balloon on it; 0 move toward a balloon target (0 KiB to give back); the others keep what they hold
first failure: cannot create 'new-4': xend: need 2105344 KiB, but dom0-min-mem is 524288 KiB and shrinking dom0 to it would leave only 521216 KiB free"

# cap-b: 14 GiB, 4096 MiB free, dom0 1024, a guest ballooning from 4 GiB to
# its 2 GiB target (2048 MiB to give back), another keeping 4 GiB.
# P = 4096 + 896 + 2048 = 7040 again: 3 plain guests of 2 GiB.  (The first
# is created at once from free memory; the shrinking guest has given its
# 2 GiB back by the second.)
run $C -s sim:$D/cap-b.sim -m 2G --image plain
expect_first 0 "XEN CAPACITY OK - cap-b: room for 3 more plain guests of 2 GiB (creation fails at the 4th) | headroom=3;2:;1:;0 headroom_create=3;;;0 need=2149580800B;;;0 idle_footprint=2147483648B;;;0 free=4294967296B;;;0 dom0_give=939524096B;;;0"
contains "running guests: 2; 0 publish their meminfo and self-balloon on it; 1 move toward a balloon target (2 GiB to give back); the others keep what they hold"

# Stress guests draw random numbers: each of 5 seeds gives a count, the
# least counts.  Whatever the draws, a stress guest holds at least its idle
# 424 MiB and at most its 4 GiB, so the answer lies between the plain count
# (1) and the clean count (7); these are the draws of seeds 1-5.
run $C -s sim:$D/cap-a.sim -m 4G --image stress
expect_first 1 "XEN CAPACITY WARNING - cap-a: room for 1 more stress guest of 4 GiB (creation fails at the 2nd) | headroom=1;2:;1:;0 headroom_create=1;;;0 need=4297064448B;;;0 idle_footprint=444596224B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"
contains "5 runs with different seeds, the least counted"
# A 1 GiB guest cannot hold what its own eater writes (four threads of up
# to 512 MiB beside a 200 MiB working set): it swaps as soon as it runs,
# so the first one added already swaps: no room, though 7 could be created
# (the draws of seeds 1-5 decide how many).
run $C -s sim:$D/cap-a.sim -m 1G --image stress
expect_first 2 "XEN CAPACITY CRITICAL - cap-a: room for 0 more stress guests of 1 GiB (a guest swaps with the 1st added; creation fails at the 8th) | headroom=0;2:;1:;0 headroom_create=7;;;0 headroom_swap=0;;;0 need=1075838976B;;;0 idle_footprint=440401920B;;;0 free=6442450944B;;;0 dom0_give=939524096B;;;0"

# A pool: each host's count and the sum, alerted on the sum.
run $C -i $D/pool.ini -m 2G --image plain
expect 0 "XEN CAPACITY OK - lab: room for 6 more plain guests of 2 GiB on 2 hosts (cap-a 3, cap-b 3) | headroom=6;2:;1:;0 cap-a_headroom=3;;;0 cap-b_headroom=3;;;0
model: toolstack libxl, dom0 auto-ballooning on (floor 128 MiB); new guests one by one, 10 min apart; 1 run
cap-a: room for 3 more plain guests of 2 GiB (creation fails at the 4th)
cap-b: room for 3 more plain guests of 2 GiB (creation fails at the 4th)"
run $C -i $D/pool.ini -m 2G --image plain -v
contains "cap-b: room for 3 more plain guests of 2 GiB (creation fails at the 4th)
  host: 4 GiB free, dom0 1 GiB (may give 896 MiB), hypervisor and domain overheads 1022 MiB, 4 CPUs"
# a host that does not answer is UNKNOWN, and the others still count: each
# has 16 GiB free and a 2 GiB dom0, P = 16384 + 1920 = 18304 MiB, and
# 1 + floor((18304 - 2050) / 2049) = 8
run $C -i $DATA/pool/degraded.ini -m 2G --image plain -t 5
expect_first 3 "XEN CAPACITY UNKNOWN - prod: xen-hung: no answer within 1000 ms (?), room for 24 more plain guests of 2 GiB on 3 hosts (xen-a 8, xen-b 8, xen-c 8) | headroom=24;2:;1:;0 xen-a_headroom=8;;;0 xen-b_headroom=8;;;0 xen-c_headroom=8;;;0"
run $C -i $DATA/pool/two-pools.ini -m 2G
expect_first 3 "XEN CAPACITY UNKNOWN - $DATA/pool/two-pools.ini defines 2 pools (prod, seed): choose one with -p"

# The plugin conventions.
run $C --help
contains "Usage: check_xen_capacity -m SIZE"
[ "$RC" = 3 ] || fail "--help exits $RC"
run $C -s sim:$D/cap-a.sim
expect_first 3 "XEN CAPACITY UNKNOWN - no guest size: give one with -m SIZE"
run $C -s sim:$D/cap-a.sim -i $D/pool.ini -m 1G
expect_first 3 "XEN CAPACITY UNKNOWN - -s and -i exclude each other"
run $C -s sim:$D/cap-a.sim -m 1G --image huge
expect_first 3 "XEN CAPACITY UNKNOWN - invalid image 'huge': plain, clean or stress"
run $C -s sim:$D/cap-a.sim -m 1G --toolstack xapi
expect_first 3 "XEN CAPACITY UNKNOWN - invalid toolstack 'xapi': libxl or xend"
run $C -s sim:$D/cap-a.sim -m 1x
expect_first 3 "XEN CAPACITY UNKNOWN - invalid memory '1x': a size like 512M or 4G"
run $C -s sim:$D/cap-a.sim -m 2G --maxmem 1G
expect_first 3 "XEN CAPACITY UNKNOWN - maxmem is below memory"
run $C -s sim:$D/cap-a.sim -m 1G -w 2x
expect_first 3 "XEN CAPACITY UNKNOWN - invalid warning threshold '2x': unknown unit (use %, B, K, M, G or T)"
run $C -s sim:$D/nonexistent.sim -m 1G
expect 3 "XEN CAPACITY UNKNOWN - cannot open '$D/nonexistent.sim': No such file or directory"
run $C -s sim:$DATA/pool/hang.sim -m 1G -t 1
expect 2 "XEN CAPACITY CRITICAL - plugin timed out after 1 seconds (source sim:$DATA/pool/hang.sim)"

done_testing
