#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""hostile.py: hostile inputs to the plugins, as files and as options.

Each case writes its files into a fresh directory ($W in the case), runs one
plugin and asserts its exit code and its exact first line (the message), that
nothing reached stderr, that the output is valid UTF-8, and that no data broke
the status line: one line before the long output, at most one '|', and only
perfdata after it.  Run by t0130-hostile-plugins.sh; exits 1 at the first
failure with what differed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.environ["TOP"]
H, V, P = "plugins/check_xen_host", "plugins/check_xen_vm", "plugins/check_xen_pool"
C = "plugins/check_xen_capacity"

HOST = "[host]\nname = h1\ntotal_memory = 16G\nfree_memory = 4G\ncpus = 4\ndom0_memory = 1G\n"
DOM = "[domain web1]\nid = 1\nstate = running\nmemory = 2G\n"
GOOD = HOST + DOM
POOL = "[pool p]\nvm = web1\n[host h1]\npool = p\nsource = sim:good.sim\n"

U = "XEN HOST UNKNOWN - "
# the schemes this build knows, as the plugins list them
SCHEMES = subprocess.run([os.path.join(os.environ["TOP"], "plugins/check_xen_host"), "-V"],
                         capture_output=True, text=True).stdout.rstrip().rsplit("sources: ", 1)[1][:-1]
UV = "XEN VM UNKNOWN - "
UP = "XEN POOL UNKNOWN - "
UC = "XEN CAPACITY UNKNOWN - "


def sim(text, name="s.sim"):
    """A check_xen_host run on one scenario file written from `text`."""
    return {"files": {name: text}, "argv": [H, "-s", "sim:$W/" + name]}


def inv(text, extra=None, argv=()):
    """A check_xen_pool run on an inventory written from `text`."""
    files = {"inv.ini": text, "good.sim": GOOD}
    files.update(extra or {})
    return {"files": files, "argv": [P, "-i", "$W/inv.ini", *argv]}


CASES = []


def case(rc, first, run, name=None):
    CASES.append((rc, first, run, name or first))


# --- scenario files: syntax -------------------------------------------------
case(3, U + "$W/s.sim:1: no [host] section", sim(""))
case(3, U + "$W/s.sim:1: no [host] section", sim("; only a comment\n# and another\n"))
case(3, U + "$W/s.sim:1: syntax error (expected [section] or key = value)", sim("garbage\n"))
case(3, U + "$W/s.sim:1: syntax error (expected [section] or key = value)",
     sim("\x7fELF\x02\x01\x01\n"))
case(3, U + "$W/s.sim:2: NUL byte in file (is it a text file?)", sim("[host]\nname = a\x00b\n"))
case(3, U + "$W/s.sim:3: indented line (xvmon files have no continuation lines: remove the "
     "leading blanks)", sim("[host]\nname = h1\n  total_memory = 16G\n"))
case(3, U + "$W/s.sim:3: indented line (xvmon files have no continuation lines: remove the "
     "leading blanks)", sim("[host]\nname = h1\n\tcpus = 4\n"))
case(3, U + "$W/s.sim:2: unbalanced double quote in the value of 'name'", sim("[host]\nname = \"h1\n"))
case(3, U + "$W/s.sim:2: a double quote inside the quoted value of 'name'",
     sim("[host]\nname = \"h\"1\"\n"))
case(3, U + "$W/s.sim:1: text after the section header", sim("[host] extra\nname = h1\n"))
case(3, U + "$W/s.sim:1: section header without ']'", sim("[host\nname = h1\n"))
case(3, U + "$W/s.sim:1: section name longer than 49 characters", sim("[domain " + "x" * 60 + "]\n"))
case(3, U + "$W/s.sim:2: key name longer than 49 characters", sim("[host]\n" + "k" * 60 + " = 1\n"))
case(3, U + "$W/s.sim:2: line too long (the limit is 197 characters)",
     sim("[host]\nname = " + "n" * 250 + "\n"))
case(3, U + "$W/s.sim:2: a value without a key", sim("[host]\n= h1\n"))
case(3, U + "$W/s.sim:1: syntax error (expected [section] or key = value)",
     sim("\ufeff\ufeff[host]\n"), "two byte-order marks")
case(0, "XEN HOST OK - h1: free 4 GiB of 16 GiB (25%), 2 domains (2 up), overcommit 0.125",
     sim("\ufeff" + GOOD), "one byte-order mark is accepted")
case(0, "XEN HOST OK - h1: free 4 GiB of 16 GiB (25%), 2 domains (2 up), overcommit 0.125",
     sim(GOOD.replace("\n", "\r\n")), "CRLF line ends are accepted")
case(3, U + "$W/s.sim:3: duplicate key 'name' in [host]", sim("[host]\nname = a\nname = b\n"))
case(3, U + "$W/s.sim:2: unknown key 'nmae' in [host]", sim("[host]\nnmae = h1\n"))
case(3, U + "$W/s.sim:1: unknown section [hosts] (expected [host], [domain NAME] or [sim])",
     sim("[hosts]\n"))
case(3, U + "$W/s.sim:1: 'name' is outside any section (start with [host])", sim("name = h1\n"))
case(3, U + "$W/s.sim:7: duplicate [host] section (first on line 1)", sim(HOST + "[host]\n"))
case(3, U + "$W/s.sim:7: [domain] needs a name: [domain NAME]", sim(HOST + "[domain]\n"))
case(3, U + "$W/s.sim:7: [domain] needs a name: [domain NAME]", sim(HOST + "[domain   ]\n"))
case(3, U + "$W/s.sim:1: [host] lacks 'name'", sim("[host]\ntotal_memory = 1G\n"))
case(3, U + "$W/s.sim:7: [domain] lacks 'memory'", sim(HOST + "[domain a]\nid = 1\nstate = running\n"))
# --- scenario files: numbers and bounds ---------------------------------------
for key, val, why in [
    ("total_memory", "-1G", "is not valid (number out of range)"),
    ("total_memory", "16X", "is not valid (unknown unit)"),
    ("total_memory", "16 G", "is not valid (unknown unit)"),
    ("total_memory", "0x10", "is not valid (unknown unit)"),
    ("total_memory", "1e9", "is not valid (unknown unit)"),
    ("total_memory", "", "is not valid (empty value)"),
    ("total_memory", "G", "is not valid (not a number)"),
    ("total_memory", "nan", "is not valid (not a number)"),
    ("total_memory", "inf", "is not valid (not a number)"),
    ("total_memory", "+16G", "is not valid (not a number)"),
    ("free_memory", "4,5G", "is not valid (unknown unit)"),
    ("cpus", "0", "is not valid (number out of range)"),
    ("cpus", "65537", "is not valid (number out of range)"),
    ("cpus", "4.5", "is not valid (not a number)"),
    ("cpus", "-4", "is not valid (not a number)"),
]:
    text = HOST.replace("%s = " % key + re.search(r"%s = (\S+)" % key, HOST).group(1),
                        ("%s = %s" % (key, val)).rstrip())
    line = text.split("\n").index(("%s = %s" % (key, val)).rstrip()) + 1
    case(3, U + "$W/s.sim:%d: %s: '%s' %s" % (line, key, val, why), sim(text),
         "%s = %s" % (key, val))
case(3, U + "$W/s.sim:3: total_memory: '2P' is not valid (unknown unit)",
     sim(HOST.replace("total_memory = 16G", "total_memory = 2P")))
case(3, U + "$W/s.sim:3: total_memory: '1025T' is not a size from 0 to 1P (the largest xvmon takes)",
     sim(HOST.replace("total_memory = 16G", "total_memory = 1025T")))
case(3, U + "$W/s.sim:3: total_memory: '8589934592T' is not a size from 0 to 1P (the largest xvmon "
     "takes)", sim(HOST.replace("total_memory = 16G", "total_memory = 8589934592T")))
case(3, U + "$W/s.sim:10: memory: '8589934592T' is not a size from 0 to 1P (the largest xvmon "
     "takes)", sim(HOST + "[domain a]\nid = 1\nstate = running\nmemory = 8589934592T\n"),
     "the audit's two 8589934592T domains")
case(3, U + "$W/s.sim:3: total_memory: '18446744073709551616' is not a size from 0 to 1P (the "
     "largest xvmon takes)", sim(HOST.replace("total_memory = 16G", "total_memory = 18446744073709551616")))
case(3, U + "$W/s.sim:3: total_memory: '99999999999999999999999' is not a size from 0 to 1P (the "
     "largest xvmon takes)",
     sim(HOST.replace("total_memory = 16G", "total_memory = 99999999999999999999999")))
case(3, U + "$W/s.sim:1: free_memory 20 GiB exceeds total_memory 16 GiB",
     sim(HOST.replace("free_memory = 4G", "free_memory = 20G")))
case(3, U + "$W/s.sim:1: domains hold 20 GiB and 4 GiB is free, more than total_memory 16 GiB",
     sim(HOST + "[domain a]\nid = 1\nstate = running\nmemory = 19G\n"))
case(3, U + "$W/s.sim:1: domains hold 17 GiB and 4 GiB is free, more than total_memory 16 GiB",
     sim(HOST + "[domain a]\nid = 1\nstate = running\nmemory = 8G\n"
         "[domain b]\nid = 2\nstate = running\nmemory = 8G\n"))
case(3, U + "$W/s.sim:8: id: '32752' is not a domain id (0-32751)",
     sim(HOST + "[domain a]\nid = 32752\n"))
case(3, U + "$W/s.sim:8: id: '-1' is not a domain id (0-32751)", sim(HOST + "[domain a]\nid = -1\n"))
case(3, U + "$W/s.sim:8: id: '1x' is not a domain id (0-32751)", sim(HOST + "[domain a]\nid = 1x\n"))
case(3, U + "$W/s.sim:8: state: unknown state 'up' (use running, blocked, paused, shutdown, crashed "
     "or dying)", sim(HOST + "[domain a]\nstate = up\n"))
case(3, U + "$W/s.sim:8: state: empty", sim(HOST + "[domain a]\nstate = ,\n"))
case(3, U + "$W/s.sim:8: state: a domain is either shut down or crashed, not both",
     sim(HOST + "[domain a]\nstate = shutdown,crashed\n"))
case(3, U + "$W/s.sim:8: vcpus: '0' is not valid (number out of range)",
     sim(HOST + "[domain a]\nvcpus = 0\n"))
case(3, U + "$W/s.sim:8: vcpus: '4097' is not valid (number out of range)",
     sim(HOST + "[domain a]\nvcpus = 4097\n"))
case(3, U + "$W/s.sim:8: cpu_time: '-1' is not valid (number out of range)",
     sim(HOST + "[domain a]\ncpu_time = -1\n"))
case(3, U + "$W/s.sim:8: cpu_time: '1e12' is not valid (not a number)",
     sim(HOST + "[domain a]\ncpu_time = 1e12\n"))
case(3, U + "$W/s.sim:8: cpu_time: '99999999999' is not valid (number out of range)",
     sim(HOST + "[domain a]\ncpu_time = 99999999999\n"))
case(3, U + "$W/s.sim:8: uuid: 'not-a-uuid' is not a UUID (8-4-4-4-12 hex digits)",
     sim(HOST + "[domain a]\nuuid = not-a-uuid\n"))
case(3, U + "$W/s.sim:8: uuid: '0000000-0000-0000-0000-0000000000000' is not a UUID (8-4-4-4-12 hex "
     "digits)", sim(HOST + "[domain a]\nuuid = 0000000-0000-0000-0000-0000000000000\n"))
case(3, U + "$W/s.sim:7: domain 'a': memory 3 GiB exceeds maxmem 2 GiB",
     sim(HOST + "[domain a]\nid = 1\nstate = running\nmemory = 3G\nmaxmem = 2G\n"))
case(3, U + "$W/s.sim:7: domain 'a': target 3 GiB exceeds maxmem 2 GiB",
     sim(HOST + "[domain a]\nid = 1\nstate = running\nmemory = 1G\ntarget = 3G\nmaxmem = 2G\n"))
case(3, U + "$W/s.sim:11: duplicate domain 'a' (first on line 7)",
     sim(HOST + "[domain a]\nid = 1\nstate = running\nmemory = 1G\n[domain a]\n"))
case(3, U + "$W/s.sim:11: domain 'b': id 1 is already used by 'a' (line 7)",
     sim(HOST + "[domain a]\nid = 1\nstate = running\nmemory = 1G\n"
         "[domain b]\nid = 1\nstate = running\nmemory = 1G\n"))
case(3, U + "$W/s.sim:12: domain 'b': uuid 11111111-1111-4111-8111-111111111111 is already used by "
     "'a' (line 7)", sim(HOST + "[domain a]\nid = 1\nstate = running\nmemory = 1G\n"
                         "uuid = 11111111-1111-4111-8111-111111111111\n"
                         "[domain b]\nid = 2\nstate = running\nmemory = 1G\n"
                         "uuid = 11111111-1111-4111-8111-111111111111\n"))
case(3, U + "$W/s.sim:1: dom0_memory and [domain d0] (id 0) both describe domain 0: keep one",
     sim(HOST + "[domain d0]\nid = 0\nstate = running\nmemory = 1G\n"))
case(3, U + "$W/s.sim:1: no domain 0: add dom0_memory to [host] or a [domain Domain-0] section with "
     "id = 0", sim(HOST.replace("dom0_memory = 1G\n", "")))
case(3, U + "$W/s.sim:12: delay: '2d' is not a duration like 300ms or 2s (unknown unit)",
     sim(GOOD + "[sim]\ndelay = 2d\n"))
case(3, U + "$W/s.sim:12: delay: '25h' is not a duration like 300ms or 2s (number out of range)",
     sim(GOOD + "[sim]\ndelay = 25h\n"))
case(3, U + "$W/s.sim:12: hang: 'maybe' is not yes or no", sim(GOOD + "[sim]\nhang = maybe\n"))
case(3, U + "$W/s.sim:12: hang: 'YES' is not yes or no", sim(GOOD + "[sim]\nhang = YES\n"))
case(3, U + "$W/s.sim:2: name: empty host name", sim("[host]\nname =\n"))
case(3, U + "$W/s.sim:2: name: empty host name", sim("[host]\nname = \"\"\n"))
# --- scenario files: what the file is -----------------------------------------
case(3, U + "cannot open '$W/nope.sim': No such file or directory",
     {"files": {}, "argv": [H, "-s", "sim:$W/nope.sim"]})
case(3, U + "cannot open '$W/link.sim': it is a dangling symbolic link",
     {"files": {}, "links": {"link.sim": "$W/gone.sim"}, "argv": [H, "-s", "sim:$W/link.sim"]})
case(3, U + "cannot read '$W/fifo.sim': it is a FIFO, not a regular file",
     {"files": {}, "fifos": ["fifo.sim"], "argv": [H, "-s", "sim:$W/fifo.sim", "-t", "5"]})
case(3, U + "cannot read '$W': it is a directory, not a regular file",
     {"files": {}, "argv": [H, "-s", "sim:$W"]})
case(3, U + "cannot read '/dev/zero': it is a character device, not a regular file",
     {"files": {}, "argv": [H, "-s", "sim:/dev/zero"]})
case(3, U + "cannot read '/dev/null': it is a character device, not a regular file",
     {"files": {}, "argv": [H, "-s", "sim:/dev/null"]})
case(3, U + "'$W/big.sim' is 16777217 bytes, over the limit of 16777216",
     {"files": {}, "sparse": {"big.sim": 16777217}, "argv": [H, "-s", "sim:$W/big.sim"]})
case(3, U + "sim: needs a scenario file, as in sim:tests/data/healthy.sim",
     {"files": {}, "argv": [H, "-s", "sim:"]})
case(3, U + "unknown source scheme in 'foo:bar' (this build knows: " + SCHEMES + ")",
     {"files": {}, "argv": [H, "-s", "foo:bar"]})
case(3, U + "source 'healthy.sim' has no scheme (try sim:healthy.sim or xen:)",
     {"files": {}, "argv": [H, "-s", "healthy.sim"]})
case(3, U + "xen: takes no argument (got 'xen:foo'); it reads the local hypervisor",
     {"files": {}, "argv": [H, "-s", "xen:foo"]})

# --- inventories ------------------------------------------------------------
case(3, UP + "$W/inv.ini:3: indented line (xvmon files have no continuation lines: remove the "
     "leading blanks)", inv("[pool p]\nvm = web1\n  vm = web2\n[host h1]\npool = p\nsource = sim:good.sim\n"),
     "the audit's indented vm line")
case(3, UP + "$W/inv.ini:2: vm: 'Domain-0' is the control domain of every host, not a VM of the pool",
     inv("[pool p]\nvm = Domain-0\n[host h1]\npool = p\nsource = sim:good.sim\n"))
case(3, UP + "$W/inv.ini:5: source: unknown source scheme in 'foo:bar' (this build knows: " + SCHEMES + ")",
     inv("[pool p]\nvm = web1\n[host h1]\npool = p\nsource = foo:bar\n"))
case(3, UP + "$W/inv.ini:5: source: sim: needs a scenario file, as in sim:tests/data/healthy.sim",
     inv("[pool p]\nvm = web1\n[host h1]\npool = p\nsource = sim:\n"))
case(3, UP + "$W/inv.ini:5: source: source 'good.sim' has no scheme (try sim:good.sim or xen:)",
     inv("[pool p]\nvm = web1\n[host h1]\npool = p\nsource = good.sim\n"))
case(3, UP + "$W/inv.ini:3: [host h1] lacks 'source'", inv("[pool p]\nvm = web1\n[host h1]\npool = p\n"))
case(3, UP + "$W/inv.ini:3: [host h1] lacks 'pool'", inv("[pool p]\nvm = web1\n[host h1]\nsource = sim:good.sim\n"))
case(3, UP + "$W/inv.ini:4: pool: 'q' is not defined (no [pool q] section)",
     inv("[pool p]\nvm = web1\n[host h1]\npool = q\nsource = sim:good.sim\n"))
case(3, UP + "$W/inv.ini:1: no [pool NAME] section", inv(""))
case(3, UP + "$W/inv.ini:1: no [pool NAME] section", inv("; nothing\n"))
case(3, UP + "$W/inv.ini:3: duplicate pool 'p' (first on line 1)", inv("[pool p]\nvm = a\n[pool p]\n"))
case(3, UP + "$W/inv.ini:6: duplicate host 'h1' (first on line 3)",
     inv("[pool p]\nvm = a\n[host h1]\npool = p\nsource = sim:good.sim\n[host h1]\npool = p\n"
         "source = sim:good.sim\n"))
case(3, UP + "$W/inv.ini:3: vm: 'web1' is listed twice (first on line 2)",
     inv("[pool p]\nvm = web1\nvm = web1\n"))
case(3, UP + "$W/inv.ini:2: vm: empty VM name", inv("[pool p]\nvm =\n"))
case(3, UP + "$W/inv.ini:1: [pool] needs a name: [pool NAME]", inv("[pool]\n"))
case(3, UP + "$W/inv.ini:1: [host] needs a name: [host NAME]", inv("[host]\n"))
case(3, UP + "$W/inv.ini:1: unknown section [pools p] (expected [pool NAME] or [host NAME])",
     inv("[pools p]\n"))
case(3, UP + "$W/inv.ini:2: text after the section header", inv("[pool p] ; fine\n[pool q] x\n"))
case(3, UP + "$W/inv.ini:2: unknown key 'vms' in [pool p]", inv("[pool p]\nvms = a\n"))
case(3, UP + "$W/inv.ini:3: duplicate key 'timeout' in [pool p]", inv("[pool p]\ntimeout = 1s\ntimeout = 2s\n"))
for val, why in [("0", "number out of range"), ("2h", "number out of range"), ("5x", "unknown unit"),
                 ("-1s", "number out of range"), ("", "empty value"), ("1.5.2s", "unknown unit")]:
    case(3, UP + "$W/inv.ini:2: timeout: '%s' is not a duration from 1ms to 1h, like 5s or 500ms (%s)"
         % (val, why), inv("[pool p]\ntimeout = %s\n" % val), "pool timeout %r" % val)
for val in ["0", "4097", "x", "-1", "1.5"]:
    case(3, UP + "$W/inv.ini:2: parallel: '%s' is not a number from 1 to 4096" % val,
         inv("[pool p]\nparallel = %s\n" % val), "parallel %r" % val)
case(3, UP + "$W/inv.ini:2: sls_id: empty", inv("[pool p]\nsls_id =\n"))
case(3, UP + "$W/inv.ini:2: vm_repository: cannot scan VM repository '$W/nope': No such file or "
     "directory", inv("[pool p]\nvm_repository = nope\n"))
case(3, UP + "$W/inv.ini:2: vm_repository: cannot read '$W/repo/a.cfg': it is a dangling symbolic "
     "link", inv("[pool p]\nvm_repository = repo\n", {"repo/keep": ""}) | {"links": {"repo/a.cfg": "$W/gone"}})
case(3, UP + "$W/inv.ini:2: vm_repository: cannot read '$W/repo/b.cfg': it is a FIFO, not a regular "
     "file", inv("[pool p]\nvm_repository = repo\n", {"repo/keep": ""}) | {"fifos": ["repo/b.cfg"]})
case(3, UP + "$W/inv.ini:2: vm_repository: $W/repo/c/vm.cfg:1: the name is not a quoted string",
     inv("[pool p]\nvm_repository = repo\n", {"repo/c/vm.cfg": "name = c\n"}))
case(3, UP + "$W/inv.ini:2: vm_repository: $W/repo/d.cfg:2: 'Domain-0' is the control domain of every "
     "host, not a VM of the pool", inv("[pool p]\nvm_repository = repo\n",
                                       {"repo/d.cfg": "memory = 512\nname = 'Domain-0'\n"}))
case(3, UP + "$W/inv.ini:2: vm_repository: $W/repo/e.cfg: no name = \"...\" line",
     inv("[pool p]\nvm_repository = repo\n", {"repo/e.cfg": "memory = 512\n"}))
case(3, UP + "cannot open '$W/none.ini': No such file or directory",
     {"files": {}, "argv": [P, "-i", "$W/none.ini"]})
case(3, UP + "cannot read '$W/fifo.ini': it is a FIFO, not a regular file",
     {"files": {}, "fifos": ["fifo.ini"], "argv": [P, "-i", "$W/fifo.ini"]})
case(3, UP + "cannot read '/dev/zero': it is a character device, not a regular file",
     {"files": {}, "argv": [P, "-i", "/dev/zero"]})
case(3, UP + "no pool 'q' in $W/inv.ini (pools: p)", inv(POOL, argv=["-p", "q"]))
case(3, UP + "$W/inv.ini defines 2 pools (p, q): choose one with -p", inv(POOL + "[pool q]\n"))
case(3, UP + "p: the pool expects no hosts and no VMs: nothing to measure (check the inventory)",
     inv("[pool p]\n"))
case(0, "XEN POOL OK - p: availability 100.0%, 1/1 VMs up, 1/1 hosts answered", inv(POOL))
case(0, "XEN POOL OK - p: availability 100.0%, 1/1 VMs up, 1/1 hosts answered",
     inv("\ufeff" + POOL), "an inventory with a byte-order mark")

# --- options ----------------------------------------------------------------
for argv, first in [
    ([H, "-s"], U + "option '-s' needs a value"),
    ([H, "--source"], U + "option '--source' needs a value"),
    ([H, "-x"], U + "unknown option '-x'"),
    ([H, "-vx"], U + "unknown option '-x'"),
    ([H, "--warning=10", "--warning"], U + "option '--warning' needs a value"),
    ([H, "-t", ""], U + "invalid timeout '': seconds must be a whole number from 1 to 86400"),
    ([H, "-t", "1:"], U + "invalid timeout '1:': '' is not OK, WARNING, CRITICAL or UNKNOWN"),
    ([H, "-t", "99999999999999999999"], U + "invalid timeout '99999999999999999999': seconds must be a "
     "whole number from 1 to 86400"),
    ([H, "-t", "1.5"], U + "invalid timeout '1.5': seconds must be a whole number from 1 to 86400"),
    ([H, "-w", "10%:", "-s", "sim:tests/data/healthy.sim", "--dom0-critical", "x"],
     U + "invalid dom0 critical threshold 'x': end is not a number"),
    ([H, "--crashed", "DEAD"], U + "invalid crashed state 'DEAD': use OK, WARNING, CRITICAL or UNKNOWN"),
    ([V], UV + "name the domain with exactly one of -n NAME and -u UUID"),
    ([V, "-n", "a", "-u", "11111111-1111-1111-1111-111111111111"],
     UV + "name the domain with exactly one of -n NAME and -u UUID"),
    ([V, "-u", "zzz"], UV + "invalid uuid 'zzz': expected 8-4-4-4-12 hex digits"),
    ([V, "-n", ""], UV + "the domain name is empty"),
    ([V, "-n", "web1", "--missing", "GONE"], UV + "invalid missing state 'GONE': use OK, WARNING, "
     "CRITICAL or UNKNOWN"),
    ([V, "-n", "web1", "--gap-warning", "10x"], UV + "invalid gap warning threshold '10x': unknown unit "
     "(use %, B, K, M, G or T)"),
    ([P], UP + "no inventory: give one with -i FILE"),
    ([P, "-i", "x", "-P", "0"], UP + "invalid parallel '0': a number from 1 to 4096"),
    ([P, "-i", "x", "-P", "4097"], UP + "invalid parallel '4097': a number from 1 to 4096"),
    ([P, "-i", "x", "--duplicate", "MAYBE"], UP + "invalid duplicate state 'MAYBE': use OK, WARNING, "
     "CRITICAL or UNKNOWN"),
    ([P, "-i", "x", "-w", "1G:"], UP + "invalid warning threshold '1G:': this threshold does not take "
     "that unit"),
    ([P, "-i", "x", "extra"], UP + "unexpected argument 'extra'"),
]:
    case(3, first, {"files": {}, "argv": argv}, " ".join(argv))

# --- hostile names reach no output raw -----------------------------------------
case(0, "XEN HOST OK - a/b?c: free 4 GiB of 16 GiB (25%), 2 domains (2 up), overcommit 0.125",
     sim(HOST.replace("name = h1", "name = a|b\x01c") + DOM), "a '|' and a control byte in the host name")
case(0, "XEN HOST OK - bad\ufffd\ufffdname: free 4 GiB of 16 GiB (25%), 2 domains (2 up), overcommit 0.125",
     sim(HOST.replace("name = h1", "name = bad\udcff\udcfename") + DOM), "invalid UTF-8 in the host name")
case(0, "XEN HOST OK - " + "h" * 61 + "...: free 4 GiB of 16 GiB (25%), 2 domains (2 up), overcommit 0.125",
     sim(HOST.replace("name = h1", "name = " + "h" * 150) + DOM), "a long host name is cut")
case(2, "XEN HOST CRITICAL - h1: 1 crashed (x/y?z) (!!), free 4 GiB of 16 GiB (25%), 2 domains (1 up), "
     "overcommit 0.125", sim(HOST + "[domain x|y\x02z]\nid = 5\nstate = crashed\nmemory = 2G\n"),
     "a '|' in a crashed domain's name")
case(0, "XEN VM OK - x/y (id 5) on h1: running, 2 GiB of 2 GiB max, at target 2 GiB",
     {"files": {"s.sim": HOST + "[domain x|y]\nid = 5\nstate = running\nmemory = 2G\n"},
      "argv": [V, "-s", "sim:$W/s.sim", "-n", "x|y"]}, "check_xen_vm on a name with '|'")
case(2, "XEN VM CRITICAL - h1: no domain named 'a/b?c' (2 domains on the host)",
     {"files": {"s.sim": GOOD}, "argv": [V, "-s", "sim:$W/s.sim", "-n", "a|b\nc"]},
     "a missing name with '|' and a newline")
case(2, "XEN HOST CRITICAL - plugin timed out after 1 seconds (source sim:$W/a/b?c.sim)",
     {"files": {"a|b\nc.sim": GOOD + "[sim]\nhang = yes\n"}, "argv": [H, "-s", "sim:$W/a|b\nc.sim", "-t", "1"]},
     "a path with '|' and a newline in the timeout line")

# --- check_xen_capacity: sizes beyond reason, hostile names -----------------------
for argv, first in [
    ([C, "-s", "sim:x", "-m", "2P"], UC + "invalid memory '2P': a size like 512M or 4G"),
    ([C, "-s", "sim:x", "-m", "-1G"], UC + "invalid memory '-1G': a size like 512M or 4G"),
    ([C, "-s", "sim:x", "-m", "0"], UC + "no guest size: give one with -m SIZE"),
    ([C, "-s", "sim:x", "-m", "1G", "--seeds", "0"], UC + "invalid seeds '0': a number from 1 to 100"),
    ([C, "-s", "sim:x", "-m", "1G", "--step", "25h"], UC + "invalid step '25h': a duration up to 24h, "
     "like 10m"),
    ([C, "-s", "sim:x", "-m", "1G", "--max-guests", "1e9"], UC + "invalid max-guests '1e9': a number "
     "from 1 to 10000"),
]:
    case(3, first, {"files": {}, "argv": argv}, " ".join(argv))
case(0, "XEN CAPACITY OK - a/b?c: room for 2 more plain guests of 2 GiB (creation fails at the 3rd)",
     {"files": {"s.sim": HOST.replace("name = h1", "name = a|b\x01c") + DOM},
      "argv": [C, "-s", "sim:$W/s.sim", "-m", "2G", "--image", "plain"]},
     "check_xen_capacity: a '|' and a control byte in the host name")
case(0, "XEN CAPACITY OK - p: room for 2 more plain guests of 2 GiB on 1 host (a/b 2)",
     {"files": {"inv.ini": "[pool p]\n[host a|b]\npool = p\nsource = sim:good.sim\n", "good.sim": GOOD},
      "argv": [C, "-i", "$W/inv.ini", "-m", "2G", "--image", "plain", "-w", "1:", "-c", "0:"]},
     "check_xen_capacity: a '|' in a pool host's name and its perfdata label")


def check_output(out, rc):
    """The status line is one line, valid UTF-8, with at most one '|'."""
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as e:
        return "output is not valid UTF-8: %s" % e
    first = text.split("\n", 1)[0]
    if first.count("|") > 1:
        return "more than one '|' in the status line"
    if "|" in first:
        perf = first.split("|", 1)[1].strip()
        for item in re.findall(r"('(?:[^']|'')*'|[^ =']+)=(\S+)", perf):
            if not re.fullmatch(r"-?[0-9.]+[a-zA-Z%]*(;[^;]*){0,4}", item[1]):
                return "perfdata item %r=%r is malformed" % item
    if not re.match(r"XEN (HOST|VM|POOL|CAPACITY) (OK|WARNING|CRITICAL|UNKNOWN) - ", first):
        return "the first line is not a status line"
    return None


def run(rc, first, spec, name, root):
    work = tempfile.mkdtemp(dir=root)
    for path, content in spec.get("files", {}).items():
        full = os.path.join(work, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content)
    for path, target in spec.get("links", {}).items():
        full = os.path.join(work, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.symlink(target.replace("$W", work), full)
    for path in spec.get("fifos", []):
        full = os.path.join(work, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.mkfifo(full)
    for path, size in spec.get("sparse", {}).items():
        with open(os.path.join(work, path), "wb") as f:
            f.truncate(size)
    argv = [a.replace("$W", work) for a in spec["argv"]]
    p = subprocess.run(argv, cwd=TOP, capture_output=True, timeout=30)
    expected = first.replace("$W", work)
    got = p.stdout.decode("utf-8", "replace").split("\n", 1)[0]
    if "|" in got:
        got = got.split(" | ", 1)[0]
    problems = []
    if p.returncode != rc:
        problems.append("exit %d, expected %d" % (p.returncode, rc))
    if got != expected:
        problems.append("first line differs:\n  expected: %s\n  got:      %s" % (expected, got))
    if p.stderr:
        problems.append("stderr: %r" % p.stderr[:300])
    bad = check_output(p.stdout, p.returncode)
    if bad:
        problems.append(bad)
    shutil.rmtree(work, ignore_errors=True)
    return problems


def main():
    cases = CASES
    root = tempfile.mkdtemp(prefix="xvmon-hostile.")
    failed = 0
    try:
        for rc, first, spec, name in cases:
            problems = run(rc, first, spec, name, root)
            if problems:
                failed += 1
                print("FAIL %s\n  %s" % (name, "\n  ".join(problems)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("%d hostile cases, %d failed" % (len(cases), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
