#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""verify-bench.py RESULTS: checks the bench run that dom0 made in `make check-xen` (tests/lab/README.md).

RESULTS is the unpacked results disk of the bench boot: bench/run/ (xvmon-bench's output directory and the
xen driver's per-second trace), bench/bench.rc, .out, .err, xl listings before and after, guest consoles.

Asserted:
  - xvmon-bench exited 0 and said nothing on stderr;
  - its CSV is complete: samples.csv has the plan's 20 samples for every step from 0 to the last, one
    second apart within a step, every figure present; guests.csv has a row per live guest at every sample;
    events.csv has a create for every guest that guests.csv names;
  - dom0 ballooned: a dom0_balloon event, and dom0's size in samples.csv fell by at least 64 MiB;
  - creation failed cleanly at the limit: exactly one create_failed, the last event of the ramp, whose
    text says what was missing; every guest created before it still ran in the last step; and after the
    run `xl list` shows Domain-0 alone (no half-built domain left);
  - the per-second trace has a host row for at least every 2 s of the run.
Prints the key figures (guests at the limit per profile, dom0 onset, footprints, settle times).
"""
import csv
import os
import re
import sys

failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)
    return cond


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main(results):
    b = os.path.join(results, "bench")
    run = os.path.join(b, "run")
    rc = open(os.path.join(b, "bench.rc")).read().strip() if os.path.exists(os.path.join(b, "bench.rc")) else "?"
    err = open(os.path.join(b, "bench.err")).read() if os.path.exists(os.path.join(b, "bench.err")) else ""
    check(rc == "0", f"xvmon-bench --driver xen exited {rc}" + (f": {err.strip()[:300]}" if rc != "0" else ""))
    check(err.strip() == "", "xvmon-bench wrote nothing on stderr" + (f" (it wrote: {err.strip()[:300]})" if err.strip() else ""))
    for name in ("samples.csv", "guests.csv", "events.csv", "summary.json", "report.txt"):
        if not check(os.path.exists(os.path.join(run, name)), f"{name} written"):
            return
    plan = open(os.path.join(b, "plan.ini")).read()
    SAMPLES_PER_STEP = int(re.search(r"^samples = (\d+)", plan, re.M).group(1))
    samples = rows(os.path.join(run, "samples.csv"))
    guests = rows(os.path.join(run, "guests.csv"))
    events = rows(os.path.join(run, "events.csv"))

    # --- complete
    steps = {}
    for s in samples:
        steps.setdefault(int(s["step"]), []).append(s)
    last = max(steps) if steps else -1
    check(last >= 3, f"samples for steps 0..{last}")
    check(all(len(steps.get(k, [])) == SAMPLES_PER_STEP for k in range(last + 1)),
          f"{SAMPLES_PER_STEP} samples in every step (counts: {sorted(set(len(v) for v in steps.values()))})")
    gaps = []
    for k, v in steps.items():
        t = [float(s["time_s"]) for s in v]
        gaps += [b - a for a, b in zip(t, t[1:])]
    check(gaps and max(gaps) < 3.0 and min(gaps) >= 0.9,
          f"samples 1 s apart within a step (min {min(gaps):.2f} s, max {max(gaps):.2f} s)" if gaps else "sample gaps")
    check(all(all(v != "" for v in s.values()) for s in samples), "every sample figure present")
    # guests.csv has a row when a guest's figures changed, and always at its
    # first sample (docs/bench.md): every live guest has had a row by then
    first = {}
    for g in guests:
        t = float(g["time_s"])
        first[g["guest"]] = min(t, first.get(g["guest"], t))
    check(all(sum(1 for t in first.values() if t <= float(s["time_s"])) == int(s["guests"])
              for s in samples),
          "guests.csv has a row for every live guest by each sample")
    created = [e for e in events if e["event"] == "create"]
    names = {g["guest"] for g in guests}
    check(names <= {e["guest"] for e in created}, f"every sampled guest was created ({len(created)} creations)")

    # --- dom0 ballooned
    d0 = [int(s["dom0_kib"]) for s in samples]
    balloons = [e for e in events if e["event"] == "dom0_balloon"]
    check(len(balloons) >= 1, f"dom0 auto-ballooned ({len(balloons)} steps)")
    check(d0 and max(d0) - min(d0) >= 64 * 1024, f"dom0 fell from {max(d0) // 1024} to {min(d0) // 1024} MiB")

    # --- failed cleanly at the limit
    fails = [e for e in events if e["event"] == "create_failed"]
    check(len(fails) == 1, f"exactly one failed creation ({len(fails)})")
    if fails:
        f = fails[0]
        later = [e for e in events if e["event"] == "create" and float(e["time_s"]) > float(f["time_s"])]
        check(not later, "no creation after the failure")
        check(re.search(r"needs \d+ KiB", f["text"] or "") is not None, f"the failure says why: {f['text']}")
        check(int(f["guests"]) == len(created), f"all {len(created)} created guests ran when it failed")
    lst = open(os.path.join(b, "xl-list-after.txt")).read().splitlines() if os.path.exists(os.path.join(b, "xl-list-after.txt")) else []
    doms = [l.split()[0] for l in lst[1:] if l.strip()]
    check(doms == ["Domain-0"], f"after the run xl list shows Domain-0 alone ({doms})")

    # --- the per-second trace
    th = os.path.join(b, "trace", "trace-host.csv")
    if check(os.path.exists(th), "trace-host.csv written"):
        t = [float(r["time_s"]) for r in rows(th)]
        holes = [b - a for a, b in zip(t, t[1:])]
        big = [h for h in holes if h > 2.0]
        # the only holes are the creations themselves (libxl builds the domain, dom0 balloons)
        check(len(big) <= len(created) + len(fails) + 1,
              f"trace-host.csv: {len(t)} rows, {len(big)} holes over 2 s (creations: {len(created)})")

    # --- key figures
    print("-- key figures")
    per = ", ".join("%s %d" % (p, sum(1 for e in created if e["profile"] == p)) for p in sorted({e["profile"] for e in created}))
    print(f"guests at the limit: {len(created)} ({per})")
    if balloons:
        print(f"dom0 began ballooning at guest {balloons[0]['added']} (t={balloons[0]['time_s']} s)")
    if fails:
        print(f"creation failed at guest {int(fails[0]['added']) + 1}: {fails[0]['text']}")
    fp = os.path.join(run, "footprint.csv")
    if os.path.exists(fp):
        for r in rows(fp):
            print("footprint: " + ", ".join(f"{k}={v}" for k, v in r.items()))


if __name__ == "__main__":
    main(sys.argv[1])
    if failures:
        print(f"{len(failures)} bench assertion(s) failed")
        sys.exit(1)
