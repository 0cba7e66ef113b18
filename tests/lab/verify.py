#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""verify.py RESULTS_DIR [LOG]: the assertions of `make check-xen`.

RESULTS_DIR is what tests/lab/dom0-init.sh wrote in dom0: for each phase, the plugin runs (stdout, stderr,
exit status) and readings of xl info, xl list -v, xl list -l, xenstore and libxenstat (xsmem) taken just
before and just after them; and for the ssh phase, xvmon-snapshot's JSON over ssh:// from dom0 to itself
between two xen: snapshots.  Every plugin figure is compared with those readings; see README.md for the
list.  Writes one line per assertion ("ok"/"not ok"/"xfail"/"XPASS") to LOG (default RESULTS_DIR/verify.log),
prints one line per plugin run (with its failed assertions) and a summary; exits 1 if any failed.

Units: the plugins print memory in bytes (UOM B).  xl info and xl list print MiB, truncated; xl list -l
(b_info.*_memkb), xenstore (memory/target, memory/static-max) and xsmem print KiB.  "One page" is 4 KiB.
"""
import json
import os
import re
import sys

KIB, MIB, PAGE = 1024, 1 << 20, 4096
STATUS = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}

# Known bugs in the xen: source, as (phase, run id, assertion name) -> note.  An xfail that passes is
# reported as "XPASS" and counts as a failure, so a fixed bug cannot leave a stale entry behind.
XFAIL = {}

# The scenario dom0-init.sh builds.  Idle guests are blocked; one may be caught running for an instant
# (a timer tick), which is also up and OK, so "idle" accepts both and at least one reading must be blocked.
EXPECT = {
    "bare": {
        "host": {"status": "OK", "counts": {"domains": 1, "domains_running": 1, "domains_blocked": 0,
                            "domains_paused": 0, "domains_shutdown": 0, "domains_crashed": 0,
                            "domains_dying": 0}},
        "vm-dom0": {"status": "OK", "domain": "Domain-0", "state": "running"},
        "vm-missing": {"status": "CRITICAL", "missing": "no-such-guest"},
        "vm-dom0-uuid": {"status": "OK", "domain": "Domain-0", "state": "running"},
        "host-nobody": {"status": "UNKNOWN", "text": "/dev/xen/privcmd"},
    },
    "vms": {
        # every VM in one check: the crashed and shut-down guests make it CRITICAL, the paused one WARNING
        "vms-all": {"status": "CRITICAL", "vms": 7,
                    "text": ["crashed crashed (!!)", "stopped shutdown (!!)", "paused paused (!)"]},
        # the self-ballooning guest's own figures, read through xen: from its xenstore meminfo
        "vms-guest": {"status": "OK", "vms": 1, "guest": "selfballoon"},
        # the balloon that cannot reach its 64 MiB target: pending on the first run, WARNING once it
        # has lasted the 10 s of --gap-for
        "vms-gap1": {"status": "OK", "vms": 1, "gap": "stuck", "line": "(alerts after 10 s)",
                     "text": ["first run"]},
        "vms-gap2": {"status": "WARNING", "vms": 1, "gap": "stuck", "text": ["stuck balloon "]},
    },
    "guests": {
        "host": {"status": "CRITICAL", "text": "1 crashed (crashed)",
                 "counts": {"domains": 6, "domains_paused": 1, "domains_shutdown": 1,
                            "domains_crashed": 1, "domains_dying": 0}, "up": 3},
        "vm-dom0": {"status": "OK", "domain": "Domain-0", "state": "running"},
        "vm-idle": {"status": "OK", "domain": "idle", "state": "idle"},
        "vm-idle-uuid": {"status": "OK", "domain": "idle", "state": "idle"},
        "vm-ballooned": {"status": "OK", "domain": "ballooned", "state": "idle",
                         "mib": {"mem_current": 128, "mem_target": 128, "mem_max": 256, "balloon_gap": 0}},
        "vm-paused": {"status": "WARNING", "domain": "paused", "state": "paused",
                      "mib": {"mem_current": 128, "mem_target": 96, "mem_max": 128, "balloon_gap": 32}},
        "vm-crashed": {"status": "CRITICAL", "domain": "crashed", "state": "crashed"},
        "vm-stopped": {"status": "CRITICAL", "domain": "stopped", "state": "shutdown"},
    },
}
HOST_LABELS = ["mem_total", "mem_free", "mem_free_pct", "dom0_mem", "domains", "domains_running",
               "domains_blocked", "domains_paused", "domains_shutdown", "domains_crashed",
               "domains_dying", "overcommit"]
VM_LABELS = ["mem_current", "mem_target", "mem_max", "balloon_gap", "vcpus", "cpu_time"]


# --- readings ------------------------------------------------------------------------------------------
def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


class Readings:
    """What xl, xenstore and libxenstat said at one moment (one before/ or after/ directory)."""

    def __init__(self, d):
        self.info = dict(re.findall(r"^(\w+)\s*: ?(.*)$", read(f"{d}/xl-info.txt"), re.M))
        # xl list -v: Name ID Mem VCPUs State Time(s) UUID Reason-Code Security-Label
        self.list = {}
        for line in read(f"{d}/xl-list.txt").splitlines()[1:]:
            f = line.split()
            self.list[f[0]] = {"id": int(f[1]), "mem_mib": int(f[2]), "vcpus": int(f[3]),
                               "state": f[4], "time": float(f[5]), "uuid": f[6]}
        self.json = {e["config"]["c_info"]["name"]: e for e in json.loads(read(f"{d}/xl-list-l.json"))}
        self.xs = dict(re.findall(r'^(\S+) = "(.*)"$', read(f"{d}/xenstore.txt"), re.M))
        x = read(f"{d}/xsmem.txt")
        m = re.search(r"tot_mem=(\d+) KiB free_mem=(\d+) KiB", x)
        self.tot_kib, self.free_kib = int(m.group(1)), int(m.group(2))
        self.xsmem = {m.group(2): {"id": int(m.group(1)), "cur_kib": int(m.group(3)), "max_kib": int(m.group(4))}
                      for m in re.finditer(r"^dom (\d+) name=(\S+) cur_mem=(\d+) KiB max_mem=(?:unlimited/)?(\d+) KiB",
                                           x, re.M)}

        self.meminfo = {}
        for f in os.listdir(d):
            m = re.match(r"meminfo-(.+)\.txt$", f)
            if m:
                # xenstore-read writes a line break in a value as the two characters \n
                text = read(f"{d}/{f}").replace("\\n", "\n")
                self.meminfo[m.group(1)] = {k: int(v) for k, v in
                                            re.findall(r"^(\w+(?:\(\w+\))?):\s+(\d+)", text, re.M)}

    def store_kib(self, name, leaf):
        return int(self.xs[f"/local/domain/{self.list[name]['id']}/memory/{leaf}"])


def xl_state(flags):
    """The one state xl's six flags (rbpscd) mean, worst first, as the plugins name it."""
    for ch, s in (("c", "crashed"), ("d", "dying"), ("s", "shutdown"), ("p", "paused"),
                  ("r", "running"), ("b", "blocked")):
        if ch in flags:
            return s
    return "running"  # "------": runnable, waiting for a CPU


# --- plugin output -----------------------------------------------------------------------------------------
STATUS_RE = re.compile(r"^XEN (HOST|VMS|VM) (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]*?)(?: \| (.*))?$")
PERF_RE = re.compile(r"^('(?:[^']|'')+'|[^=' ]+)=(-?[0-9.]+)([a-zA-Z%]*)((?:;[^;]*){0,4})$")


class Run:
    def __init__(self, d, rid, cmd):
        self.id, self.cmd = rid, cmd
        self.out, self.err = read(f"{d}/{rid}.out"), read(f"{d}/{rid}.err")
        self.rc = int(read(f"{d}/{rid}.rc").strip() or -1)
        self.line = self.out.split("\n", 1)[0]
        m = STATUS_RE.match(self.line)
        self.kind, self.status, self.text = (m.group(1), m.group(2), m.group(3)) if m else (None, None, None)
        self.perf, self.bad_perf = {}, []
        for tok in (m.group(4) or "").split() if m else []:
            p = PERF_RE.match(tok)
            if not p:
                self.bad_perf.append(tok)
                continue
            self.perf[p.group(1).strip("'")] = (float(p.group(2)), p.group(3))


# --- the checks ------------------------------------------------------------------------------------------
def num(x):
    """A reading as people write it: integers without an exponent."""
    return str(int(x)) if float(x).is_integer() else f"{x}"


class Verifier:
    def __init__(self):
        self.results = {}  # (phase, run id) -> [(verdict, name, detail)]

    def check(self, phase, rid, name, ok, detail):
        key = (phase, rid, name)
        if key in XFAIL:
            verdict, detail = ("XPASS" if ok else "xfail"), f"{detail} [{XFAIL[key]}]"
        else:
            verdict = "ok" if ok else "not ok"
        self.results.setdefault((phase, rid), []).append((verdict, name, detail))
        return ok

    def near(self, phase, rid, name, value, refs, tol, unit=""):
        """value equals one of the references (one reading each) within tol."""
        ok = any(abs(value - r) <= tol for r in refs)
        refs_s = " / ".join(num(r) for r in sorted(set(refs)))
        return self.check(phase, rid, name, ok, f"{num(value)}{unit} vs {refs_s}{unit} (tolerance {num(tol)}{unit})")

    def common(self, phase, run, exp):
        c = lambda name, ok, detail: self.check(phase, run.id, name, ok, detail)
        c("stderr empty", run.err == "", repr(run.err[:200]))
        c("status line", run.status is not None, repr(run.line[:200]))
        if run.status is None:
            return False
        c("status", run.status == exp["status"], f"{run.status} (expected {exp['status']})")
        c("exit code", run.rc == STATUS[exp["status"]], f"{run.rc} (expected {STATUS[exp['status']]})")
        c("perfdata parses", not run.bad_perf, " ".join(run.bad_perf) or "all tokens valid")
        return True

    def host(self, phase, run, exp, rs):
        if not self.common(phase, run, exp):
            return
        c = lambda name, ok, detail: self.check(phase, run.id, name, ok, detail)
        if run.status == "UNKNOWN":
            c("text", exp["text"] in run.text, f"{run.text!r} contains {exp['text']!r}")
            c("one line", run.out.count("\n") == 1, f"{run.out.count(chr(10))} lines")
            return
        p = run.perf
        missing = [l for l in HOST_LABELS if l not in p]
        c("perfdata labels", not missing, "missing " + " ".join(missing) if missing else " ".join(HOST_LABELS))
        if missing:
            return
        if "text" in exp:
            c("text", exp["text"] in run.text, f"{run.text!r} contains {exp['text']!r}")
        for label in HOST_LABELS:
            unit = {"mem_free_pct": "%", "domains": "", "overcommit": ""}.get(label, "B" if "mem" in label else "")
            c(f"{label} unit", p[label][1] == unit, f"{p[label][1]!r} (expected {unit!r})")
        v = {k: p[k][0] for k in p}
        # Total memory never moves: libxenstat exactly, xl info as its truncated MiB.
        self.near(phase, run.id, "mem_total = xsmem tot_mem", v["mem_total"], [r.tot_kib * KIB for r in rs], 0, "B")
        self.near(phase, run.id, "mem_total MiB = xl info total_memory", v["mem_total"] // MIB,
                  [int(r.info["total_memory"]) for r in rs], 0, " MiB")
        # Free memory may move between readings (pages being scrubbed, a balloon finishing): it must lie
        # within the readings taken just before and just after the plugin ran, widened by xl's MiB
        # truncation (free_memory is floor(free bytes / MiB)) and one page.
        xl_free = [int(r.info["free_memory"]) * MIB for r in rs]
        lo, hi = min(xl_free) - PAGE, max(xl_free) + MIB + PAGE
        c("mem_free within xl info free_memory before/after", lo <= v["mem_free"] < hi,
          f"{num(v['mem_free'])}B in [{lo}, {hi}) (xl info free_memory {' / '.join(str(x // MIB) for x in xl_free)} MiB)")
        xs_free = [r.free_kib * KIB for r in rs]
        lo, hi = min(xs_free) - PAGE, max(xs_free) + PAGE
        c("mem_free within xsmem free_mem before/after", lo <= v["mem_free"] <= hi, f"{num(v['mem_free'])}B in [{lo}, {hi}]")
        self.near(phase, run.id, "mem_free_pct = 100 mem_free / mem_total", v["mem_free_pct"],
                  [round(100 * v["mem_free"] / v["mem_total"], 2)], 0.005, "%")
        self.near(phase, run.id, "dom0_mem = xsmem Domain-0 cur_mem", v["dom0_mem"],
                  [r.xsmem["Domain-0"]["cur_kib"] * KIB for r in rs], PAGE, "B")
        self.near(phase, run.id, "dom0_mem MiB = xl list Domain-0 Mem", v["dom0_mem"] // MIB,
                  [r.list["Domain-0"]["mem_mib"] for r in rs], 0, " MiB")
        # Overcommit: the guests' configured maxima (xenstore static-max) over the host's total.
        ratios = [sum(r.store_kib(n, "static-max") for n in r.list if n != "Domain-0") / r.tot_kib for r in rs]
        self.near(phase, run.id, "overcommit = sum(domU static-max) / total", v["overcommit"],
                  [round(x, 3) for x in ratios], 0.0005)
        # Domain counts: the scenario's, and the same as xl list's state column says.
        for label, n in exp["counts"].items():
            c(label, v[label] == n, f"{num(v[label])} (expected {n})")
        for r, when in zip(rs, ("before", "after")):
            c(f"domains = xl list ({when})", v["domains"] == len(r.list), f"{num(v['domains'])} vs {len(r.list)}")
        if "up" in exp:
            up = v["domains_running"] + v["domains_blocked"]
            c("domains_running + domains_blocked", up == exp["up"] and v["domains_running"] >= 1,
              f"{num(v['domains_running'])} + {num(v['domains_blocked'])} (expected {exp['up']}, dom0 running)")
        for label, st in (("domains_paused", "paused"), ("domains_shutdown", "shutdown"),
                          ("domains_crashed", "crashed"), ("domains_dying", "dying")):
            xl_n = [sum(xl_state(d["state"]) == st for d in r.list.values()) for r in rs]
            c(f"{label} = xl list", v[label] in xl_n, f"{num(v[label])} vs {xl_n}")

    def vm(self, phase, run, exp, rs):
        if not self.common(phase, run, exp):
            return
        c = lambda name, ok, detail: self.check(phase, run.id, name, ok, detail)
        if "missing" in exp:
            c("text", f"no domain named '{exp['missing']}'" in run.text, repr(run.text))
            c("no perfdata", not run.perf, str(run.perf))
            return
        name = exp["domain"]
        p = run.perf
        missing = [l for l in VM_LABELS if l not in p]
        c("perfdata labels", not missing, "missing " + " ".join(missing) if missing else " ".join(VM_LABELS))
        if missing:
            return
        for label in VM_LABELS:
            unit = {"vcpus": "", "cpu_time": "c"}.get(label, "B")
            c(f"{label} unit", p[label][1] == unit, f"{p[label][1]!r} (expected {unit!r})")
        v = {k: p[k][0] for k in p}
        doms = [r.list[name] for r in rs]
        c("domain", re.match(rf"{re.escape(name)} \(id {doms[0]['id']}\) on ", run.text) is not None,
          f"{run.text[:60]!r} names {name} (id {doms[0]['id']})")
        state = re.match(r"[^:]*: (\w+)", run.text)
        state = state.group(1) if state else None
        if exp["state"] == "idle":
            c("state", state in ("blocked", "running"), f"{state} (expected blocked; running is as good)")
            self.idle_states.append(state)
        else:
            c("state", state == exp["state"], f"{state} (expected {exp['state']})")
        if exp["state"] != "idle":
            c("state = xl list", state in [xl_state(d["state"]) for d in doms],
              f"{state} vs xl list {'/'.join(d['state'] for d in doms)}")
        # Current memory: libxenstat's exact page count; xl list's Mem is the same, truncated to MiB.
        self.near(phase, run.id, "mem_current = xsmem cur_mem", v["mem_current"],
                  [r.xsmem[name]["cur_kib"] * KIB for r in rs], PAGE, "B")
        self.near(phase, run.id, "mem_current MiB = xl list Mem", v["mem_current"] // MIB,
                  [d["mem_mib"] for d in doms], 0, " MiB")
        # Balloon target and configured maximum: xenstore (KiB) exactly, xl list -l within a page (for
        # Domain-0, Xen 4.17's xl list -l reports the xenstore target minus 1 KiB: libxl adds dom0's unset
        # video_memkb, -1, to it).
        self.near(phase, run.id, "mem_target = xenstore memory/target", v["mem_target"],
                  [r.store_kib(name, "target") * KIB for r in rs], 0, "B")
        self.near(phase, run.id, "mem_target = xl list -l b_info.target_memkb", v["mem_target"],
                  [r.json[name]["config"]["b_info"]["target_memkb"] * KIB for r in rs], PAGE, "B")
        self.near(phase, run.id, "mem_max = xenstore memory/static-max", v["mem_max"],
                  [r.store_kib(name, "static-max") * KIB for r in rs], 0, "B")
        self.near(phase, run.id, "mem_max = xl list -l b_info.max_memkb", v["mem_max"],
                  [r.json[name]["config"]["b_info"]["max_memkb"] * KIB for r in rs], PAGE, "B")
        self.near(phase, run.id, "balloon_gap = |mem_current - mem_target|", v["balloon_gap"],
                  [abs(v["mem_current"] - v["mem_target"])], 0, "B")
        for label, mib in exp.get("mib", {}).items():
            self.near(phase, run.id, f"{label} (scenario)", v[label], [mib * MIB], PAGE, "B")
        self.near(phase, run.id, "vcpus = xl list VCPUs", v["vcpus"], [d["vcpus"] for d in doms], 0)
        # CPU time grows: it must lie between xl list's Time(s) before and after (printed to 0.1 s).
        lo, hi = min(d["time"] for d in doms) - 0.1, max(d["time"] for d in doms) + 0.1
        c("cpu_time within xl list Time(s) before/after", lo <= v["cpu_time"] <= hi, f"{num(v['cpu_time'])}s in [{lo:.2f}, {hi:.2f}]")

    def vms(self, phase, run, exp, rs):
        """check_xen_vms on the real host: its figures against xenstore, libxenstat and the meminfo the
        guest published (read just before and just after the run)."""
        if not self.common(phase, run, exp):
            return
        c = lambda name, ok, detail: self.check(phase, run.id, name, ok, detail)
        p = run.perf
        c("vms", p.get("vms", (None,))[0] == exp["vms"], f"{p.get('vms')} (expected {exp['vms']})")
        for t in exp.get("text", []):
            c(f"text has {t!r}", t in run.text or t in run.out, run.line[:300])
        if "guest" in exp:
            g = exp["guest"]
            infos = [r.meminfo.get(g) for r in rs]
            c("meminfo published (before/after)", all(infos), f"{[bool(i) for i in infos]}")
            if not all(infos):
                return
            for label, keys in (("used", ("MemTotal", "-MemFree", "-Buffers", "-Cached")),
                                ("committed", ("Committed_AS",))):
                refs = [sum(-i[k[1:]] if k[0] == "-" else i[k] for k in keys) * KIB for i in infos]
                v = p.get(f"{g}_{label}", (None,))[0]
                ok = v is not None and min(refs) - 4 * MIB <= v <= max(refs) + 4 * MIB
                c(f"{g}_{label} = published meminfo", ok,
                  f"{v} vs {' / '.join(str(x) for x in refs)} (within 4 MiB: the guest republishes every second)")
            m = re.search(rf"^{g} \(id \d+, [-a-z]+, OK\): .*guest uses [0-9.]+ [KMG]iB of ([0-9.]+) ([KMG])iB", run.out, re.M)
            c("long output: guest uses ... of MemTotal", m is not None, run.out[:400])
            # self-ballooned: it holds less than it was created with
            cur = [r.xsmem[g]["cur_kib"] * KIB for r in rs]
            c("ballooned itself down", max(cur) < 256 * MIB, f"{cur} < 256 MiB")
            c(f"{g}_used unit", p.get(f"{g}_used", (0, ""))[1] == "B", str(p.get(f"{g}_used")))
        if "gap" in exp:
            g = exp["gap"]
            v = p.get(f"{g}_gap", (None,))[0]
            refs = [(r.xsmem[g]["cur_kib"] - r.store_kib(g, "target")) * KIB for r in rs]
            self.near(phase, run.id, f"{g}_gap = xsmem cur_mem - xenstore target", v if v is not None else -1,
                      refs, PAGE, "B")
            c("target is 64 MiB", all(r.store_kib(g, "target") == 64 * 1024 for r in rs),
              str([r.store_kib(g, "target") for r in rs]))
            c("the balloon stays above its target", min(refs) > 16 * MIB, f"{refs} > 16 MiB")
            if "line" in exp:
                c(f"long output has {exp['line']!r}", exp["line"] in run.out, run.out[:400])
            if exp["status"] == "WARNING":
                m = re.search(r"stuck balloon (\S+ [KMG]iB) above target 64 MiB for (\d+) s", run.text)
                c("status line names the stuck balloon and how long", m is not None and int(m.group(2)) >= 10,
                  run.text[:300])

    def metrics(self, root, rs):
        """xvmon-metrics on the real host: the file it wrote has the self-ballooning guest's MemTotal as
        published, and the stuck guest's target."""
        phase = "vms"
        c = lambda name, ok, detail: self.check(phase, "metrics", name, ok, detail)
        path = os.path.join(root, phase, "metrics.prom")
        c("written", os.path.exists(path), path)
        if not os.path.exists(path):
            return
        text = read(path)
        m = re.search(r'^xvmon_vm_guest_memory_total_bytes\{host="[^"]*",vm="selfballoon",uuid="[^"]*"\} (\d+)$', text, re.M)
        refs = [r.meminfo["selfballoon"]["MemTotal"] * KIB for r in rs if "selfballoon" in r.meminfo]
        c("selfballoon MemTotal = published", m is not None and refs and min(refs) - 4 * MIB <= int(m.group(1)) <= max(refs) + 4 * MIB,
          f"{m.group(1) if m else None} vs {refs}")
        m = re.search(r'^xvmon_vm_memory_target_bytes\{host="[^"]*",vm="stuck",uuid="[^"]*"\} (\d+)$', text, re.M)
        c("stuck target = 64 MiB", m is not None and int(m.group(1)) == 64 * MIB, m.group(0) if m else "missing")
        c("no guest figures made up for idle", not re.search(r'^xvmon_vm_guest_memory_total_bytes\{[^}]*vm="idle"', text, re.M),
          "idle publishes nothing")

    def phase(self, root, phase):
        d = os.path.join(root, phase)
        rs = [Readings(f"{d}/before"), Readings(f"{d}/after")]
        runs = {}
        for line in read(f"{d}/runs.tsv").splitlines():
            rid, cmd = line.split("\t", 1)
            runs[rid] = Run(d, rid, cmd)
        self.idle_states = []
        for rid, exp in EXPECT[phase].items():
            if rid not in runs:
                self.check(phase, rid, "ran", False, "no such run in runs.tsv")
                continue
            if rid.startswith("host"):
                self.host(phase, runs[rid], exp, rs)
            elif rid.startswith("vms"):
                self.vms(phase, runs[rid], exp, rs)
            else:
                self.vm(phase, runs[rid], exp, rs)
        if phase == "vms":
            self.metrics(root, rs)
        if self.idle_states:
            self.check(phase, "idle-guests", "one is reported blocked", "blocked" in self.idle_states,
                       " ".join(map(str, self.idle_states)))
        return runs


def ssh_phase(v, root):
    """ssh:// from dom0 to itself: xvmon-snapshot on the far side reads xen:, and its snapshot must be
    the one xen: gives locally, read just before and just after (figures that move lie between)."""
    d = f"{root}/ssh"
    c = lambda name, ok, detail: v.check("ssh", "snapshot", name, ok, detail)
    snaps = {}
    for k in ("xen-before", "ssh", "xen-after"):
        rc = read(f"{d}/{k}.rc").strip()
        if c(f"{k} exit 0", rc == "0", f"exit {rc} {read(f'{d}/{k}.err').strip()[:300]}"):
            snaps[k] = json.loads(read(f"{d}/{k}.json"))
    if len(snaps) < 3:
        return
    a, s, b = snaps["xen-before"], snaps["ssh"], snaps["xen-after"]
    for key in ("name", "xen_version", "total_kib", "cpus"):
        c(f"host {key} = xen:'s", a["host"][key] == s["host"][key] == b["host"][key],
          f"{s['host'][key]} vs {a['host'][key]}, {b['host'][key]}")

    def between(name, x, y, z, tol=PAGE // KIB):
        if None in (x, y, z):
            return c(name, x == y == z, f"{y} vs {x}, {z}")
        lo, hi = min(x, z), max(x, z)
        return c(name, lo - tol <= y <= hi + tol, f"{y} vs {x}..{z} (tolerance {tol})")

    for key in ("free_kib", "dom0_kib", "scrub_kib", "outstanding_kib"):
        between(f"host {key} between xen:'s", a["host"][key], s["host"][key], b["host"][key])
    ids = lambda snap: [dom["id"] for dom in snap["domains"]]
    if not c("the same domains as xen:'s", ids(a) == ids(s) == ids(b), f"{ids(s)} vs {ids(a)}, {ids(b)}"):
        return
    for da, ds, db in zip(a["domains"], s["domains"], b["domains"]):
        for key in ("name", "uuid", "target_kib", "max_kib", "vcpus"):
            c(f"{da['name']} {key} = xen:'s", da[key] == ds[key] == db[key], f"{ds[key]} vs {da[key]}, {db[key]}")
        # running or blocked is the scheduler's moment (an idle guest wakes
        # now and then): the flags are those of the reading before or after
        c(f"{da['name']} flags = xen:'s before or after", ds["flags"] in (da["flags"], db["flags"]),
          f"{ds['flags']} vs {da['flags']}, {db['flags']}")
        between(f"{da['name']} cur_kib between xen:'s", da["cur_kib"], ds["cur_kib"], db["cur_kib"])
        between(f"{da['name']} cpu_ns between xen:'s", da["cpu_ns"], ds["cpu_ns"], db["cpu_ns"], 0)
    run = Run(d, "host", "check_xen_host -s ssh://...")
    v.check("ssh", "host", "status CRITICAL (the crashed guest)", run.status == "CRITICAL", run.line)
    v.check("ssh", "host", "1 crashed (crashed)", "1 crashed (crashed)" in (run.text or ""), run.line)
    v.check("ssh", "host", "6 domains", run.perf.get("domains", (0,))[0] == 6, run.line)
    v.check("ssh", "host", "nothing on stderr", run.err == "", run.err[:300])


# --- the SNMP subagent (phase snmp) ------------------------------------------------------------------------
VM, XV = ".1.3.6.1.2.1.236.1", ".1.3.6.1.4.1.8072.9999.9999.786.1"
OPER = {"running": 4, "blocked": 4, "paused": 8, "shutdown": 11, "crashed": 12, "dying": 10}
WALK_RE = re.compile(r"^(\.[0-9.]+) = (?:([\w-]+): )?(.*)$")


def parse_walk(path):
    """A numeric walk (-On -Ox -Ot -Oe) as {oid: value}: hex strings as bytes, numbers as ints."""
    out = {}
    for line in read(path).splitlines():
        m = WALK_RE.match(line)
        if not m:
            continue
        typ, val = m.group(2) or "", m.group(3).strip()
        if typ == "Hex-STRING":
            out[m.group(1)] = bytes(int(x, 16) for x in val.split())
        elif typ == "STRING" or val == '""':
            out[m.group(1)] = val.strip('"').encode()
        else:
            n = re.search(r"-?\d+", val)
            out[m.group(1)] = int(n.group(0)) if n else val
    return out


def rows(walk, prefix):
    """Table cells {index: {column: value}} under prefix (entry OID)."""
    t = {}
    for oid, v in walk.items():
        if oid.startswith(prefix + "."):
            col, idx = oid[len(prefix) + 1:].split(".", 1)
            t.setdefault(idx, {})[int(col)] = v
    return t


def traps(path):
    """snmptrapd's log: one dict {oid: value text} per notification."""
    out = []
    for line in read(path).splitlines():
        if "1.3.6.1.6.3.1.1.4.1.0 = OID:" not in line:
            continue
        out.append(dict(re.findall(r"(\.[0-9.]+) = [\w-]+: ([^\t]*)", line)))
    return out


def uuid_hex(u):
    return u.replace("-", "").lower()


class SnmpVerifier:
    def __init__(self, v, root):
        self.v, self.root = v, os.path.join(root, "snmp")

    def c(self, rid, name, ok, detail):
        return self.v.check("snmp", rid, name, ok, detail)

    def tables(self, which):
        rs = [Readings(f"{self.root}/{which}-before"), Readings(f"{self.root}/{which}-after")]
        w = parse_walk(f"{self.root}/{which}-vm.txt")
        w.update(parse_walk(f"{self.root}/{which}-xvmon.txt"))
        vm, xv = rows(w, VM + ".4.1"), rows(w, XV + ".3.1")
        rid = f"vmtable-{which}"
        names = {r[2].decode(): idx for idx, r in vm.items()}
        xl_names = [set(r.list) for r in rs]
        self.c(rid, "vmNumber = xl list", w.get(VM + ".2.0") in [len(n) for n in xl_names],
               f"{w.get(VM + '.2.0')} vs {[len(n) for n in xl_names]}")
        self.c(rid, "vmName = xl list names", set(names) in xl_names, f"{sorted(names)} vs {[sorted(n) for n in xl_names]}")
        self.c(rid, "vmHvVersion = xl info xen_version", w.get(VM + ".1.2.0", b"").decode() in
               [r.info.get("xen_version") for r in rs], f"{w.get(VM + '.1.2.0')!r}")
        self.c(rid, "xvmonHostTotalMemory = xsmem tot_mem", w.get(XV + ".2.2.0") in [r.tot_kib for r in rs],
               f"{w.get(XV + '.2.2.0')} vs {[r.tot_kib for r in rs]}")
        for name, idx in sorted(names.items()):
            row, aug = vm[idx], xv.get(idx, {})
            doms = [r.list[name] for r in rs if name in r.list]
            if not doms:
                continue
            self.c(rid, f"{name}: xvmonVmDomainId = xl list ID", aug.get(1) in [d["id"] for d in doms],
                   f"{aug.get(1)} vs {[d['id'] for d in doms]}")
            self.c(rid, f"{name}: vmOperState = xl list state", row.get(6) in [OPER[xl_state(d["state"])] for d in doms],
                   f"{row.get(6)} vs xl {'/'.join(d['state'] for d in doms)}")
            self.c(rid, f"{name}: vmUUID = xl list UUID", row.get(3, b"").hex() in [uuid_hex(d["uuid"]) for d in doms],
                   f"{row.get(3, b'').hex()} vs {doms[0]['uuid']}")
            self.c(rid, f"{name}: vmCurCpuNumber = xl list VCPUs", row.get(9) in [d["vcpus"] for d in doms],
                   f"{row.get(9)} vs {[d['vcpus'] for d in doms]}")
            cur = [r.xsmem[name]["cur_kib"] for r in rs if name in r.xsmem]
            self.c(rid, f"{name}: vmCurMem (KiB) = xsmem cur_mem", row.get(12) == 1024 and
                   any(abs(row.get(13, -1) - k) <= 4 for k in cur), f"{row.get(13)} x {row.get(12)} vs {cur} KiB")
            self.c(rid, f"{name}: xvmonVmCurrentMemory = vmCurMem", aug.get(3) == row.get(13), f"{aug.get(3)} vs {row.get(13)}")
            for col, leaf in ((4, "target"), (5, "static-max")):
                ref = [r.store_kib(name, leaf) for r in rs if name in r.list]
                self.c(rid, f"{name}: xvmon {leaf} = xenstore", aug.get(col) in ref, f"{aug.get(col)} vs {ref}")
        return names, vm

    def run(self):
        if os.path.exists(f"{self.root}/disabled"):
            print(f"SKIP snmp: {read(self.root + '/disabled').strip()}")
            return
        before, vm_before = self.tables("guests")
        after, vm_after = self.tables("changed")
        rid = "changes"
        self.c(rid, "idle keeps its vmIndex", before.get("idle") == after.get("idle") is not None,
               f"{before.get('idle')} then {after.get('idle')}")
        self.c(rid, "idle now paused(8)", vm_after.get(after.get("idle"), {}).get(6) == 8,
               str(vm_after.get(after.get("idle"), {}).get(6)))
        self.c(rid, "stopped gone from vmTable", "stopped" not in after, " ".join(sorted(after)))
        ts = traps(f"{self.root}/traps.log")

        # the last such notification: the agent runs from the guests' creation on, so each guest
        # also sent vmPaused (left preparing) when xl created it paused, before the changes here
        def note(n, name):
            for t in reversed(ts):
                if t.get(".1.3.6.1.6.3.1.1.4.1.0") == f".1.3.6.1.2.1.236.0.{n}" and \
                   any(k.startswith(VM + ".4.1.2.") and v.strip('"') == name for k, v in t.items()):
                    return t
            return None
        idx = before.get("idle")
        t = note(4, "idle")
        self.c(rid, "vmPaused for idle", t is not None, f"{len(ts)} notifications")
        if t:
            self.c(rid, "vmPaused carries the state left: running(4)", t.get(f"{VM}.4.1.6.{idx}") == "4",
                   str(t.get(f"{VM}.4.1.6.{idx}")))
        idx = before.get("stopped")
        t = note(10, "stopped")
        self.c(rid, "vmDeleted for stopped", t is not None, f"{len(ts)} notifications")
        if t:
            self.c(rid, "vmDeleted carries its last state: shutdown(11)", t.get(f"{VM}.4.1.6.{idx}") == "11",
                   str(t.get(f"{VM}.4.1.6.{idx}")))
            self.c(rid, "vmDeleted carries vmPersistent", f"{VM}.4.1.8.{idx}" in t, " ".join(t))
        # the plugins read back through snmp:// print what they print through xen:
        g = os.path.join(os.path.dirname(self.root), "guests")
        for name in ("paused", "crashed", "stopped"):
            xen = Run(g, f"vm-{name}", "")
            snmp = Run(f"{self.root}/runs", f"vm-{name}", "")
            self.c("snmp-source", f"check_xen_vm -n {name}: snmp:// = xen:", (snmp.rc, snmp.line) == (xen.rc, xen.line),
                   f"{snmp.line!r} vs {xen.line!r}")
        xen, snmp = Run(g, "host", ""), Run(f"{self.root}/runs", "host", "")
        self.c("snmp-source", "check_xen_host: snmp:// status = xen:", snmp.status == xen.status, f"{snmp.status} vs {xen.status}")
        for label in ("mem_total", "domains", "domains_paused", "domains_crashed", "domains_shutdown", "overcommit"):
            self.c("snmp-source", f"check_xen_host {label}: snmp:// = xen:", snmp.perf.get(label) == xen.perf.get(label),
                   f"{snmp.perf.get(label)} vs {xen.perf.get(label)}")
        log = read(f"{self.root}/agentx.log") if os.path.exists(f"{self.root}/agentx.log") else ""
        self.c("agent", "its log has no failure", "failed" not in log and "cannot" not in log, log[-300:])


# --- the operator tools (phase "tools") -------------------------------------------------------------------
STUB = "stub;touch${IFS}pwned;$(touch${IFS}pwned)"  # no blank: xl list's columns
MAC_RE = re.compile(r"^00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$")


class ToolRun:
    def __init__(self, d, rid, cmd):
        self.id, self.cmd = rid, cmd
        self.out, self.err = read(f"{d}/{rid}.out"), read(f"{d}/{rid}.err")
        self.rc = int(read(f"{d}/{rid}.rc").strip() or -1)
        self.ms = int(read(f"{d}/{rid}.ms").strip() or -1)
        self.line, self.status = cmd.split()[0], "tool"


def hook_calls(path):
    """The argv of each call a recording hook received, in order."""
    if not os.path.exists(path):
        return []
    calls, cur = [], []
    for line in read(path).split("\n")[:-1]:
        if line == "--":
            calls.append(cur)
            cur = []
        else:
            cur.append(line)
    return calls


def check_tools(v, root):
    """xvm-create, xvm-console, xvm-tree and xvm-stop on the guests the tools created through libxl."""
    d, ph = f"{root}/tools", "tools"
    runs = {}
    for line in read(f"{d}/runs.tsv").splitlines():
        rid, cmd = line.split("\t", 1)
        runs[rid] = ToolRun(d, rid, cmd)
    created, running, after = (Readings(f"{d}/{w}") for w in ("created", "running", "after"))
    macs = {}
    for name in ("made", STUB):
        rid = "create-made" if name == "made" else "create-stub"
        r = runs[rid]
        v.check(ph, rid, "exit 0", r.rc == 0, f"exit {r.rc}, stderr {r.err.strip()!r}")
        v.check(ph, rid, "nothing on stderr", r.err == "", repr(r.err))
        dom = created.list.get(name)
        if not v.check(ph, rid, "the domain exists", dom is not None, f"xl list: {sorted(created.list)}"):
            continue
        i = dom["id"]
        m = re.search(rf"^{re.escape(name)}: created on xvlab-dom0 \(domain {i}\), paused; MAC (\S+)$", r.out, re.M)
        v.check(ph, rid, "says where, which domain and its MAC", m is not None, repr(r.out))
        mac = m.group(1) if m else None
        macs[name] = mac
        back, front = (created.xs.get(f"/local/domain/0/backend/vif/{i}/0/mac"),
                       created.xs.get(f"/local/domain/{i}/device/vif/0/mac"))
        v.check(ph, rid, "the MAC is the one libxl gave the vif (backend and frontend in xenstore)",
                mac is not None and mac == back == front, f"printed {mac}, backend {back}, frontend {front}")
        v.check(ph, rid, "a MAC libxl generated (00:16:3e, none in the config)", bool(mac and MAC_RE.match(mac)),
                str(mac))
        v.check(ph, rid, "registered, started, post-install done",
                all(f"{name}: {w}" in r.out for w in ("registered (1 hooks)", "started on xvlab-dom0",
                                                      "post-install done (1 hooks)")), repr(r.out))
        v.check(ph, rid, "started: not paused once running", "p" not in running.list.get(name, {}).get("state", "p"),
                str(running.list.get(name)))
    for what in ("register", "post-install"):
        calls = hook_calls(f"{d}/hook-{what}.txt")
        want = [[n, "xvlab-dom0", macs.get(n)] for n in ("made", STUB)]
        v.check(ph, f"hook-{what}", "called with NAME HOST MAC, the real MAC, names unchanged", calls == want,
                f"calls {calls}, expected {want}")
    v.check(ph, "macs", "the two guests have different MACs", len(set(macs.values())) == 2, str(macs))

    for rid, code, msg in (
            ("create-pci", 69, "xvm-create: cannot create pcig on xvlab-dom0: /etc/xen/pci.cfg:9: xvmon cannot "
             "create a domain with 'pci' (it translates "),
            ("create-disk", 65, "xvm-create: cannot create diskg on xvlab-dom0: /etc/xen/disk.cfg: config parsing "
             "error in disk specification: too many positional parameters: near `bogus'")):
        r = runs[rid]
        v.check(ph, rid, f"exit {code}, the parser's message", r.rc == code and r.err.startswith(msg) and r.out == "",
                f"exit {r.rc}, stdout {r.out!r}, stderr {r.err!r}")
        v.check(ph, rid, "nothing created", rid[7:] + "g" not in created.list, str(sorted(created.list)))
    r = runs["console-made"]
    i = running.list.get("made", {}).get("id")
    v.check(ph, "console-made", "prints xl console DOMID", r.rc == 0 and r.out == f"xl console {i}\n",
            f"exit {r.rc}, {r.out!r}, stderr {r.err!r}")

    r = runs["tree"]
    # the host's guests, as xl lists them; domain 0 is the server itself, not one of its VMs
    guests = {n: x for n, x in running.list.items() if x["id"] != 0}
    want = ".\n|-xvlab-dom0\n|---xvlab-dom0\n" + "".join(
        f"|-----{x['id']}_{n}\n" for n, x in sorted(guests.items(), key=lambda kv: kv[1]["id"]))
    v.check(ph, "tree", "exit 0, every guest xl lists under the server", r.rc == 0 and r.out == want,
            f"exit {r.rc}, got {r.out!r}, expected {want!r}, stderr {r.err!r}")
    r = runs["tree-json"]
    try:
        t = json.loads(r.out)
        vms = {(x["id"], x["name"]) for x in t["pools"][0]["servers"][0]["vms"]}
        ok = (r.rc == 0 and t["answered"] == 1 and t["pools"][0]["master"] == "xvlab-dom0"
              and vms == {(x["id"], n) for n, x in guests.items()})
        v.check(ph, "tree-json", "the same tree as JSON", ok, f"exit {r.rc}, vms {sorted(vms)}")
    except (ValueError, KeyError, IndexError) as e:
        v.check(ph, "tree-json", "the same tree as JSON", False, f"{type(e).__name__}: {e}: {r.out[:200]!r}")

    r = runs["backup"]
    v.check(ph, "backup", "exit 0", r.rc == 0 and r.err == "", f"exit {r.rc}, stderr {r.err!r}")
    found = [f for f in read(f"{d}/restored.txt").split("\n") if f.endswith("/hosts/xvlab-dom0/xl-domains.json")]
    if v.check(ph, "backup", "the archive holds the host's libxl export", len(found) == 1, str(found)):
        # restored.txt holds dom0's paths (/results/...): the same files are under root here
        doms = json.loads(read(os.path.join(root, os.path.relpath(found[0], "/results"))))
        v.check(ph, "backup", "every domain libxl created, by name", set(doms) >= {"made", STUB, "idle"},
                str(sorted(doms)))
        nic = doms.get("made", {}).get("nics", [{}])[0]
        v.check(ph, "backup", "made's stored config holds its MAC", nic.get("mac") == macs.get("made"),
                f"{nic.get('mac')} vs {macs.get('made')}")
    r = runs["stop-made"]
    v.check(ph, "stop-made", "exit 0, shut down cleanly and gone (on_poweroff destroy applied)",
            r.rc == 0 and re.match(r"^made: shut down on xvlab-dom0 in [0-9.]+ s\n$", r.out) is not None,
            f"exit {r.rc}, {r.out!r}, stderr {r.err!r}")
    v.check(ph, "stop-made", "within its 60 s wait", 0 < r.ms < 60000, f"{r.ms} ms")
    v.check(ph, "stop-made", "no longer listed", "made" not in after.list, str(sorted(after.list)))
    r = runs["stop-stub"]
    v.check(ph, "stop-stub", "exit 75 (EX_TEMPFAIL): the guest ignored the shutdown",
            r.rc == 75 and "did not shut down within 10000 ms (-f destroys it)" in r.err and r.out == "",
            f"exit {r.rc}, {r.out!r}, stderr {r.err!r}")
    v.check(ph, "stop-stub", "waited the whole 10 s, not much more", 10000 <= r.ms < 30000, f"{r.ms} ms")
    r = runs["force-stub"]
    v.check(ph, "force-stub", "exit 0, destroyed after the wait",
            r.rc == 0 and r.out == f"{STUB}: did not shut down within 10.0 s on xvlab-dom0; destroyed\n",
            f"exit {r.rc}, {r.out!r}, stderr {r.err!r}")
    v.check(ph, "force-stub", "no longer listed", STUB not in after.list, str(sorted(after.list)))
    files = read(f"{d}/files.txt").split()
    v.check(ph, "shell", "no name reached a shell (no 'pwned' file)", "pwned" not in files, " ".join(files))
    return runs


def main():
    root = sys.argv[1]
    log = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "verify.log")
    v = Verifier()
    if os.path.exists(f"{root}/errors"):
        v.check("dom0", "scenario", "no errors", False, read(f"{root}/errors").strip().replace("\n", "; "))
    runs = {}
    for phase in EXPECT:
        try:
            runs.update({(phase, k): r for k, r in v.phase(root, phase).items()})
        except (OSError, KeyError, ValueError, AttributeError) as e:
            v.check(phase, "readings", "complete", False, f"{type(e).__name__}: {e}")
    try:
        ssh_phase(v, root)
    except (OSError, KeyError, ValueError, AttributeError, TypeError) as e:
        v.check("ssh", "snapshot", "complete", False, f"{type(e).__name__}: {e}")
    try:
        SnmpVerifier(v, root).run()
    except (OSError, KeyError, ValueError, AttributeError) as e:
        v.check("snmp", "readings", "complete", False, f"{type(e).__name__}: {e}")
    try:
        runs.update({("tools", k): r for k, r in check_tools(v, root).items()})
    except (OSError, KeyError, ValueError, AttributeError) as e:
        v.check("tools", "readings", "complete", False, f"{type(e).__name__}: {e}")
    n = failed = xfail = 0
    with open(log, "w", encoding="utf-8") as f:
        for (phase, rid), results in v.results.items():
            bad = [r for r in results if r[0] in ("not ok", "XPASS")]
            n, failed = n + len(results), failed + len(bad)
            xfail += sum(r[0] == "xfail" for r in results)
            run = runs.get((phase, rid))
            what = f"{run.line.split(' - ', 1)[0]}, exit {run.rc}" if run and run.status else results[0][1]
            print(f"{'FAIL' if bad else 'PASS'} {phase}/{rid}: {what} ({len(results)} assertions)")
            for verdict, name, detail in results:
                f.write(f"{verdict} - {phase}/{rid}: {name}: {detail}\n")
                if verdict != "ok":
                    print(f"    {verdict} - {name}: {detail}")
    print(f"check-xen: {n} assertions, {failed} failed, {xfail} known bugs (xfail); details in {log}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
