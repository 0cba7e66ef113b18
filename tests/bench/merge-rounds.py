#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Merges hyperfine --export-json files of rounds of the same commands into
one, as if each command had run all its runs in one go: the benches run
their commands in alternating rounds, so that the machine's drift within
seconds weighs on each alike.  Prints hyperfine's JSON (results with
command, mean, user, system and times) on stdout."""
import json
import sys

merged = {}
for path in sys.argv[1:]:
    for x in json.load(open(path))["results"]:
        t = merged.setdefault(x["command"], {"command": x["command"], "times": [],
                                             "user": 0.0, "system": 0.0})
        t["times"] += x["times"]
        t["user"] += x["user"] * len(x["times"])
        t["system"] += x["system"] * len(x["times"])
for t in merged.values():
    n = len(t["times"])
    t["mean"] = sum(t["times"]) / n
    t["user"] /= n
    t["system"] /= n
json.dump({"results": list(merged.values())}, sys.stdout)
