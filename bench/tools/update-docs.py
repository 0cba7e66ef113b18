#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""update-docs.py [FILE]: regenerates the generated tables of docs/bench.md
(or FILE) in place.  A generated block is

    <!-- generated: COMMAND ARGS -->
    ...
    <!-- end generated -->

and its body is replaced by what `COMMAND ARGS` prints, run from the source
tree (COMMAND is one of bench/tools/).  Run after make; the stress tables
take minutes.  Only the named tools run: nothing else from the file is
executed."""
import os
import re
import shlex
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOLS = {"bench/tools/seed-compare.sh", "bench/tools/sensitivity.sh", "bench/tools/rate-scan.sh",
         "bench/tools/lab-compare.py"}
BLOCK = re.compile(r"(<!-- generated: (.*?) -->\n)(.*?)(<!-- end generated -->)", re.S)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "docs", "bench.md")
    with open(path) as f:
        text = f.read()

    def regen(m):
        argv = shlex.split(m.group(2))
        if not argv or argv[0] not in TOOLS:
            sys.exit("%s: not a table tool: %s" % (path, m.group(2)))
        cmd = (["python3"] if argv[0].endswith(".py") else ["sh"]) + [os.path.join(TOP, argv[0])] + argv[1:]
        print("running %s" % m.group(2), file=sys.stderr)
        out = subprocess.run(cmd, cwd=TOP, check=True, capture_output=True, text=True).stdout
        return m.group(1) + out + m.group(4)

    new = BLOCK.sub(regen, text)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(new)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
