#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""gen-scale.py scenario N FILE | inventory N FILE SIM: a host with N
domains (1 GiB each, on a host big enough), or an inventory of one pool
expecting N VMs on one sim: host."""
import sys

kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    if kind == "scenario":
        f.write("[host]\nname = big\ntotal_memory = %dG\nfree_memory = 64G\ncpus = 128\n"
                "dom0_memory = 4G\n" % (n + 128))
        for i in range(1, n + 1):
            f.write("[domain guest-%05d]\nid = %d\nstate = blocked\nmemory = 1G\nmaxmem = 2G\n"
                    "vcpus = 2\n" % (i, i))
    else:
        f.write("[pool big]\n")
        for i in range(1, n + 1):
            f.write("vm = guest-%05d\n" % i)
        f.write("[host big]\npool = big\nsource = sim:%s\n" % sys.argv[4])
