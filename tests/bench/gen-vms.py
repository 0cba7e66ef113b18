#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""gen-vms.py N FILE [TIME]: a host with N guests as a self-ballooning pool
publishes them: each with its balloon, guest memory figures (MemTotal,
free, cache, Committed_AS, swap) and counters (CPU, swap, disk, network),
for the all-VMs check's benchmark (b0150).  TIME (seconds) sets the
snapshot's time and moves the counters as TIME seconds of work would."""
import sys

n, path = int(sys.argv[1]), sys.argv[2]
t = int(sys.argv[3]) if len(sys.argv) > 3 else 1700000000
dt = t - 1700000000
with open(path, "w") as f:
    f.write("[host]\nname = big\ntotal_memory = %dG\nfree_memory = 64G\ncpus = 128\n"
            "dom0_memory = 4G\ntime = %d\n" % (2 * n + 128, t))
    for i in range(1, n + 1):
        f.write("[domain vm-%05d]\nid = %d\nstate = %s\nmemory = 1536M\ntarget = 1536M\n"
                "maxmem = 2G\nvcpus = 2\ncpu_time = %d\n"
                "guest_total = 1480M\nguest_free = 200M\nguest_cached = 400M\n"
                "guest_committed = 1200M\nswap_total = 512M\nswap_used = 10M\n"
                "swap_in = %dK\nswap_out = %dK\ndisk_read = %dM\ndisk_write = %dM\n"
                "net_rx = %dM\nnet_tx = %dM\n"
                % (i, i, "running" if i % 4 == 0 else "blocked", 1000 + i + dt * (i % 3),
                   4 * i + dt, 4 * i, 100 + dt, 50 + dt, 10 + dt, 5 + dt))
