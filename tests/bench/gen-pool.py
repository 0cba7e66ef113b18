#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""gen-pool.py DIR HOSTS VMS_PER_HOST [--delay 300ms] [--hang N] [--pool NAME]
              [--xapi PORT]

Writes DIR/hNNNN.sim (one sim: host each, VMS_PER_HOST guests of 1 GiB,
named vNNNNNN so names are unique across the pool) and DIR/inventory.ini
listing them all, every guest expected.  With --hang N the first N hosts
never answer.  With --xapi PORT the hosts are XenAPI hosts of
fake-xapi-many instead (host i at 127.1.(i/256).(i%256):PORT, plain HTTP,
password in $XVMON_BENCH_PASSWORD) and no .sim is written.  Used by the
pool benchmarks."""
import argparse, os

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("hosts", type=int)
ap.add_argument("vms", type=int)
ap.add_argument("--delay", default="")
ap.add_argument("--hang", type=int, default=0)
ap.add_argument("--pool", default="bench")
ap.add_argument("--timeout", default="10s")
ap.add_argument("--xapi", type=int, default=0)
a = ap.parse_args()
os.makedirs(a.dir, exist_ok=True)

inv = ["[pool %s]" % a.pool, "timeout = %s" % a.timeout]
hosts = []
vm = 0
for h in range(a.hosts):
    name = "h%04d" % h
    lines = ["[host]", "name = " + name,
             "total_memory = %dG" % (a.vms + 8), "free_memory = 4G", "dom0_memory = 2G",
             "cpus = 32", "xen_version = 4.17.3"]
    for i in range(a.vms):
        vm += 1
        lines += ["[domain v%06d]" % vm, "id = %d" % (i + 1),
                  "state = %s" % ("running" if vm % 4 == 0 else "blocked"), "memory = 1G"]
        inv.append("vm = v%06d" % vm)
    if a.xapi:
        hosts += ["[host %s]" % name, "pool = " + a.pool,
                  "source = xapi://127.1.%d.%d:%d?tls=no&password_env=XVMON_BENCH_PASSWORD"
                  % (h // 256, h % 256, a.xapi)]
        continue
    if a.delay or h < a.hang:
        lines.append("[sim]")
        if a.delay:
            lines.append("delay = " + a.delay)
        if h < a.hang:
            lines.append("hang = yes")
    with open(os.path.join(a.dir, name + ".sim"), "w") as f:
        f.write("\n".join(lines) + "\n")
    hosts += ["[host %s]" % name, "pool = " + a.pool, "source = sim:%s.sim" % name]
with open(os.path.join(a.dir, "inventory.ini"), "w") as f:
    f.write("\n".join(inv + hosts) + "\n")
