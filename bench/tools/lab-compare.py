#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""lab-compare.py [SEEDS] [LABDIR]: the model beside the lab's reference run
(docs/bench.md, "The lab host").  Prints Markdown.  Run from the source tree
after make.

The lab run is a directory of the bench's own outputs (docs/bench-lab/ by
default: summary.json, events.csv, footprint.csv, plan.ini, measure.txt),
made by `xvmon-bench --driver xen` on the lab host.  The model runs that
run's plan on seeds 1..SEEDS (default 10) with what the lab measured and the
plan cannot say:

  - the host's CPUs (the lab's QEMU machine has 2; `cpus` in [host]),
  - the toolstack (xl 4.17: libxl, the default),
  - the stress program's write rate per CPU-second inside a lab guest
    (measure.txt: `xvb-stress --measure` with one rand() thread),

and nothing taken from the figures it is compared with.

The reference run is partial (docs/bench-lab/README.md: it ended on a
libxl console timeout, not at the memory limit); docs/bench.md says what
each row can and cannot show.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH = os.path.join(TOP, "bench", "xvmon-bench")
PLAN_SET = os.path.join(TOP, "bench", "tools", "plan-set.sh")


def plan_set(path, section, key, value):
    out = subprocess.run(["sh", PLAN_SET, path, section, key, value], check=True,
                         capture_output=True, text=True).stdout
    with open(path, "w") as f:
        f.write(out)


def has_key(path, section, key):
    cur = None
    with open(path) as f:
        for line in f:
            s = line.strip()
            if s.startswith("["):
                cur = s[1:-1]
            elif cur == section and re.match(re.escape(key) + r"\s*=", s):
                return True
    return False


def measured_rate(labdir):
    """KiB per CPU-second of one rand() writer in a lab guest, or None."""
    path = os.path.join(labdir, "measure.txt")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            m = re.search(r"threads=1 .*cpu_rate_kib_s=(\d+)", line)
            if m:
                return int(m.group(1))  # the first: one rand() thread
    return None


def figures(summary, events):
    """The compared figures of one run: a dict."""
    cap = summary["capacity"]
    f = {
        "limit": cap["first_failure_guests"],
        "onset": cap["dom0_balloon_onset_guests"],
        "dom0_min": cap["dom0_min_kib"],
    }
    for p in summary["profiles"]:
        f["mean:" + p["name"]] = p["footprint_mean_kib"]
        f["p95:" + p["name"]] = p["footprint_p95_kib"]
        f["settle:" + p["name"]] = p["settle_mean_s"]
    return f


def run_model(plan, seed, tmp):
    out = os.path.join(tmp, "run")
    subprocess.run([BENCH, "run", plan, "--seed", str(seed), "-o", out, "--no-charts", "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "summary.json")) as f:
        return figures(json.load(f), None)


def mib(k):
    return "%.0f" % (k / 1024)


def cell_model(vals, fmt):
    got = [v for v in vals if v is not None]
    never = len(vals) - len(got)
    if not got:
        return "never"
    mean = statistics.mean(got)
    s = "%s (%s-%s)" % (fmt(mean), fmt(min(got)), fmt(max(got)))
    if never:
        s += ", never in %d" % never
    return s


def diff(lab, model_vals):
    got = [v for v in model_vals if v is not None]
    if lab is None or not got or lab == 0:
        return ""
    d = (statistics.mean(got) - lab) / lab * 100
    mark = " **>10%**" if abs(d) > 10 else ""
    return "%+.0f%%%s" % (d, mark)


def main():
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    labdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(TOP, "docs", "bench-lab")
    if not os.path.exists(os.path.join(labdir, "summary.json")):
        sys.exit("%s: no lab run (summary.json); tests/lab/bench-reference.sh keeps one" % labdir)
    with open(os.path.join(labdir, "summary.json")) as f:
        lab_summary = json.load(f)
    lab = figures(lab_summary, None)

    with tempfile.TemporaryDirectory() as tmp:
        plan = os.path.join(tmp, "plan.ini")
        with open(os.path.join(labdir, "plan.ini")) as f:
            text = f.read()
        with open(plan, "w") as f:
            f.write(text)
        notes = []
        if not has_key(plan, "host", "cpus"):
            plan_set(plan, "host", "cpus", "2")
            notes.append("`cpus = 2` (the lab's QEMU machine)")
        if not has_key(plan, "host", "toolstack"):
            plan_set(plan, "host", "toolstack", "libxl")
            notes.append("`toolstack = libxl` (xl 4.17)")
        rate = measured_rate(labdir)
        if rate and not has_key(plan, "profile stress", "write_rate"):
            plan_set(plan, "profile stress", "write_rate", "%dK" % rate)
            notes.append("`write_rate = %dK` (measure.txt: one rand() thread in a lab guest)" % rate)
        elif not rate:
            notes.append("the stress write rate at its default (no lab measurement)")
        runs = [run_model(plan, s, tmp) for s in range(1, seeds + 1)]

    names = [p["name"] for p in lab_summary["profiles"]]
    rows = [("guests at the limit (running when a creation first failed)", "limit", str)]
    rows.append(("dom0's first balloon step (guests running)", "onset", str))
    rows.append(("dom0 at its lowest (MiB)", "dom0_min", mib))
    for n in names:
        rows.append(("footprint of %s, mean (MiB)" % n, "mean:" + n, mib))
        rows.append(("footprint of %s, p95 (MiB)" % n, "p95:" + n, mib))
    for p in lab_summary["profiles"]:
        if p.get("image") != "plain":  # plain guests have no balloon daemon
            rows.append(("balloon settle time of %s, mean (s)" % p["name"], "settle:" + p["name"],
                         lambda v: "%.0f" % v))

    print("The model: %d seeds of the lab's plan with %s." % (seeds, ", ".join(notes)))
    print()
    print("| figure | the lab (one run) | the model: mean (range) | model - lab |")
    print("|---|---|---|---|")
    for label, key, fmt in rows:
        vals = [r.get(key) for r in runs]
        v = lab.get(key)
        labcell = "never" if v is None else fmt(v)
        d = diff(v, vals)
        print("| %s | %s | %s | %s |" % (label, labcell, cell_model(vals, fmt), d))


if __name__ == "__main__":
    main()
