#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""sls-values.py [--json] FILE...: the values of SLS feeds, one line per file,
for exact comparison in tests:

    ID availability=75.0 hosts=4 hosts_reachable=3 ...     (XML)
    ID status=unavailable hosts=4 ...
    ID degraded availability=75 hosts=4 ...                (--json)

poll_time is left out: it changes from run to run."""
import json
import sys
import xml.etree.ElementTree as ET

NS = "{http://sls.cern.ch/SLS/XML/update}"


def xml_line(path):
    root = ET.parse(path).getroot()
    assert root.tag == NS + "serviceupdate", root.tag
    out = [root.find(NS + "id").text]
    for tag in ("availability", "status"):
        e = root.find(NS + tag)
        if e is not None:
            out.append("%s=%s" % (tag, e.text))
    for v in root.iter(NS + "numericvalue"):
        if v.get("name") != "poll_time":
            out.append("%s=%s" % (v.get("name"), v.text))
    return " ".join(out)


def json_line(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out = [doc["serviceid"], doc["service_status"]]
    if "availability" in doc:
        out.append("availability=%s" % doc["availability"])
    out += ["%s=%s" % (k, v) for k, v in doc["data"].items() if k != "poll_time"]
    return " ".join(out)


as_json = sys.argv[1:2] == ["--json"]
for p in sys.argv[2 if as_json else 1:]:
    print(json_line(p) if as_json else xml_line(p))
