#!/usr/bin/env python3
"""icinga2-perfdata.py FILE...: prints an Icinga 2 DSL expression that parses
every perfdata item of each FILE (one plugin's perfdata each, as printed or as
Icinga stored it) with Icinga's own parse_performance_data(), and yields the
number of items per file: "[n1,n2,...]", which it also prints on stderr for
the caller to compare.  Items are split as Icinga splits them: on spaces
outside single-quoted labels, a quote inside a label written twice.  One item
Icinga cannot read makes the whole evaluation fail (t0200)."""
import sys

def split(text):
    items, cur, quoted, i = [], "", False, 0
    while i < len(text):
        c = text[i]
        if c == "'":
            if quoted and text[i + 1:i + 2] == "'":
                cur += "''"
                i += 2
                continue
            quoted = not quoted
        if c == " " and not quoted:
            if cur:
                items.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if cur:
        items.append(cur)
    return items

def dsl_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

lists, counts = [], []
for path in sys.argv[1:]:
    items = split(open(path, encoding="utf-8", errors="surrogateescape").read().strip())
    lists.append("[" + ", ".join("parse_performance_data(%s)" % dsl_string(x) for x in items) + "].len()")
    counts.append(str(len(items)))
print("[" + ", ".join(lists) + "]")
print("[" + ",".join(counts) + "]", file=sys.stderr)
