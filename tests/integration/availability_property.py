#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""availability_property.py: for random pools, the plugin's text, its
perfdata and the three feed formats (XSLS, legacy, JSON) all carry the same
availability, and it is the exact integer harmonic mean rounded down to 0.1%.

Each pool has 1-6 hosts, some of which do not answer (their scenario file is
missing: a host failure), and 0-12 expected VMs in random states spread over
the hosts that answer.  The expected figure is computed here from the counts,
with integers: floor(2000 u h / (u H + h U)).  Run by
t0320-availability-property.sh with the seed and the number of pools."""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TOP = os.environ["TOP"]
NS = "{http://sls.cern.ch/SLS/XML/update}"
STATES = ["running", "blocked", "paused", "crashed", "shutdown"]
UP = {"running", "blocked"}


def expected_permille(u, U, h, H):
    """The figure every output must show, in tenths of a percent."""
    if U and H:
        return 0 if not u or not h else 2000 * u * h // (u * H + h * U)
    if H:
        return 1000 * h // H
    return 1000 * u // U if U else None


def tenths(v):
    """A printed percentage as an integer of tenths ("75.0", "75" -> 750);
    anything that is not a plain decimal stays as it is, to fail loudly."""
    if v is None or not re.fullmatch(r"[0-9]+(\.[0-9])?", v):
        return v
    whole, _, frac = v.partition(".")
    return int(whole) * 10 + int(frac or 0)


def make_pool(rng, work, n):
    hosts = rng.randint(1, 6)
    answering = [i for i in range(hosts) if rng.random() < 0.8]
    vms = ["vm%02d" % i for i in range(rng.randint(0, 12))]
    placed = {i: [] for i in answering}
    up = 0
    for vm in vms:
        if answering and rng.random() < 0.85:
            state = rng.choice(STATES)
            placed[rng.choice(answering)].append((vm, state))
            up += state in UP
    inv = ["[pool p%d]" % n] + ["vm = %s" % v for v in vms]
    for i in range(hosts):
        path = os.path.join(work, "p%d-h%d.sim" % (n, i))
        inv += ["[host p%d-h%d]" % (n, i), "pool = p%d" % n, "source = sim:%s" % path,
                "timeout = 5s"]
        if i not in answering:
            continue
        text = ["[host]", "name = p%d-h%d" % (n, i), "total_memory = 256G", "free_memory = 64G",
                "cpus = 8", "dom0_memory = 1G"]
        for k, (vm, state) in enumerate(placed[i]):
            text += ["[domain %s]" % vm, "id = %d" % (k + 1), "state = %s" % state, "memory = 1G"]
        with open(path, "w") as f:
            f.write("\n".join(text) + "\n")
    inv_path = os.path.join(work, "p%d.ini" % n)
    with open(inv_path, "w") as f:
        f.write("\n".join(inv) + "\n")
    return inv_path, expected_permille(up, len(vms), len(answering), hosts), len(answering)


def plugin_figures(inv):
    p = subprocess.run([os.path.join(TOP, "plugins/check_xen_pool"), "-i", inv], capture_output=True,
                       text=True, timeout=60)
    first = p.stdout.split("\n", 1)[0]
    text = re.search(r" availability ([0-9.]+)%", first)
    perf = re.search(r"\| availability=([0-9.]+)%", first)
    return (text.group(1) if text else None, perf.group(1) if perf else None, first)


def feed_figures(inv, work, n):
    out = {}
    for fmt_name in ("xsls", "legacy", "json"):
        d = os.path.join(work, "out%d-%s" % (n, fmt_name))
        os.mkdir(d)
        p = subprocess.run([os.path.join(TOP, "sls/xvmon-sls"), "-i", inv, "-o", d, "-q",
                            "--format", fmt_name, "--publish-unavailable"], capture_output=True,
                           text=True, timeout=60)
        if p.returncode != 0:
            out[fmt_name] = "exit %d: %s" % (p.returncode, p.stderr.strip())
            continue
        ext = ".json" if fmt_name == "json" else ".xml"
        path = os.path.join(d, "p%d%s" % (n, ext))
        if not os.path.exists(path):
            out[fmt_name] = None
        elif fmt_name == "json":
            with open(path) as f:
                doc = json.load(f)
            v = doc.get("availability")
            out[fmt_name] = None if v is None else ("%.1f" % v)
        else:
            e = ET.parse(path).getroot().find(NS + "availability")
            out[fmt_name] = None if e is None else e.text
    return out


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="xvmon-prop.") as work:
        for n in range(count):
            inv, pm, answering = make_pool(rng, work, n)
            text, perf, first = plugin_figures(inv)
            feeds = feed_figures(inv, work, n)
            # no host answered: the poll measured nothing, and no output
            # shows a figure (the feeds say "unavailable" without one)
            want = pm if pm is not None and answering else None
            got = {"text": text, "perfdata": perf, **feeds}
            wrong = {k: v for k, v in got.items() if tenths(v) != want}
            if wrong:
                failures += 1
                print("pool %d (seed %d): expected %s, got %s\n  %s" % (n, seed, want, got, first))
    print("%d random pools, %d disagreed" % (count, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
