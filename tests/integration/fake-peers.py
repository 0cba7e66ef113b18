#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""fake-peers.py: the remote peers of the ssh:// xapi:// ovs:// tests.

  fake-peers.py xapi CONFIG.json PORTFILE   a XenAPI pool (or several)
  fake-peers.py ovs CONFIG.json PORTFILE    Oracle VM 2.x agents
  fake-peers.py ctl PORTFILE [https://]ADDRESS METHOD [ARG]   fake.set_mode, fake.stats
  fake-peers.py project SNAPSHOT.json KIND [MASTER]   the .sim of what KIND
                          (xapi, ovs) can carry of that snapshot, MASTER its
                          pool master as the peer names it

CONFIG.json:
  {"user": "root", "password": "...", "tls": {"cert": F, "key": F} | null,
   "pools": [{"name": "prod", "master": "xen-a",
              "hosts": [{"name": "xen-a", "address": "127.0.0.11",
                         "snapshot": {...xvmon-snapshot --json...},
                         "extra_vms": 0, "hang": false,
                         "ignores_shutdown": ["vm", ...],
                         "control_label": "Control domain on host: xen-a"}]}],
   "shutdown_delay_ms": 300}

Every host listens on its own loopback address, all on one port (written to
PORTFILE once every listener is up).  XenAPI: a pool's master answers
logins, its other hosts answer HOST_IS_SLAVE with the master's address; the
data is the snapshots of the pool's hosts turned into pool, host,
host_metrics, VM and VM_metrics records (ints as strings, as XAPI sends
them), plus a template and a halted VM that must be skipped.  Sessions are
counted: fake.stats() says how many were opened, closed and are still open.

Modes (fake.set_mode, global): normal, auth-fail, expire-once (the first
data call after the mode is set finds its session expired), no-event-from, hang (no call is
ever answered), hang-data (logins are, data calls are not), slow-login:MS,
delay:MS, and malformed:KIND for the data call (not-xml, truncated,
bad-type, missing-field, huge-string, other-host, fault, bad-number, deep,
not-utf8, doctype, no-status).

Pool option "templates": [{"name": N, "memory_kib": K, "vifs": V}, ...]: the
pool's templates (default one, "Debian Bookworm 12", 2 GiB, one VIF); two
of one name are allowed, as XAPI allows them.

VM actions, as the XenAPI does them (errors in its Failure form:
HANDLE_INVALID, VM_BAD_POWER_STATE [vm, expected, actual],
OPERATION_NOT_ALLOWED, SESSION_INVALID): VM.get_by_name_label, VM.get_record,
VM.clean_shutdown (Halted after shutdown_delay_ms; a VM the host lists in
ignores_shutdown stays Running and the call fails with
VM_FAILED_SHUTDOWN_ACKNOWLEDGMENT), Async.VM.clean_shutdown (the same, its
task returned at once), VM.hard_shutdown, VM.pause, VM.unpause,
VM.get_consoles, console.get_protocol, console.get_location,
console.get_record.  A halted VM leaves its host (resident_on NULL, domid
-1) and so the snapshots; it has no consoles.

Tasks: Async.VM.clean_shutdown returns a task (pending, then success when
the VM halts; one a VM ignores stays pending until a hard shutdown cancels
it); task.get_status, task.get_record, task.cancel, task.destroy; XAPI keeps
a task until it is destroyed, and fake.stats counts the live ones ("tasks").

Creating from templates, as xe vm-install does it: VM.clone (of a halted VM
or template: a new reference, a new uuid, new VIFs with generated MACs),
VM.provision, VM.set_is_a_template, VM.set_memory_limits (the ordering
checked: MEMORY_CONSTRAINT_VIOLATION), VM.start and VM.start_on (VM_IS_TEMPLATE,
VM_BAD_POWER_STATE, HOST_NOT_ENOUGH_FREE_MEMORY [needed, available]), and
the getters CLASS.get_FIELD / get_record of VM, VIF, host, pool and task
(HANDLE_INVALID [class, ref] for a reference the pool does not have).
fake.macs() (a control call) gives the MACs of every VM by name.

HTTP: GET /pool/xmldbdump?session_id=REF answers the pool's database as
XAPI dumps it (<database><manifest/><table name=CLASS><row .../>...), 401
without a valid session; never a redirect.  Modes for it alone: dump:hang
(never answers), dump:huge (more than 256 MiB, without Content-Length),
dump:not-xml (an HTML page), dump:bad-session (the session expires as the
dump is asked: 401)."""
import hashlib
import http.server
import json
import os
import socket
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse
import uuid as uuidlib
import xml.sax.saxutils
import xmlrpc.client

LOCK = threading.Lock()
STATE = {"mode": "normal", "sessions": {}, "opened": 0, "closed": 0, "calls": {},
         "expire_pending": False, "tasks": 0}


def kib_bytes(v, default=0):
    return str((v if v is not None else default) * 1024)


def ref(kind, *parts):
    return "OpaqueRef:%s-%s" % (kind, "-".join(str(p) for p in parts))


def stable_uuid(*parts):
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, "/".join(str(p) for p in parts)))


# --- XenAPI objects from snapshots ------------------------------------------

def xapi_objects(pool):
    """All objects of one pool: {class: {ref: record}}."""
    objs = {c: {} for c in ("pool", "host", "host_metrics", "VM", "VM_metrics")}
    master_ref = ref("host", pool["master"])
    objs["pool"][ref("pool", pool["name"])] = {
        "uuid": stable_uuid("pool", pool["name"]), "name_label": pool["name"],
        "name_description": "", "master": master_ref, "default_SR": "OpaqueRef:NULL"}
    for h in pool["hosts"]:
        s = h["snapshot"]
        hn = s["host"]
        href = ref("host", h["name"])
        mref = ref("host_metrics", h["name"])
        objs["host"][href] = {
            "uuid": stable_uuid("host", h["name"]), "name_label": hn["name"],
            "name_description": "Default install", "hostname": hn["name"],
            "address": h["address"], "enabled": True, "metrics": mref,
            "software_version": {"product_version": "8.2.1",
                                 "xen": hn["xen_version"] or "4.13.5"},
            "cpu_info": {"cpu_count": str(hn["cpus"]), "vendor": "GenuineIntel"},
            "host_CPUs": [ref("host_cpu", h["name"], i) for i in range(hn["cpus"])],
            "resident_VMs": [], "memory_overhead": "0"}
        objs["host_metrics"][mref] = {
            "uuid": stable_uuid("host_metrics", h["name"]),
            "memory_total": kib_bytes(hn["total_kib"]),
            "memory_free": kib_bytes(hn["free_kib"]), "live": True,
            "last_updated": xmlrpc.client.DateTime("20260101T00:00:00Z")}
        doms = list(s["domains"])
        for i in range(h.get("extra_vms", 0)):
            doms.append({"id": 1000 + i, "name": "bulk-%s-%05d" % (h["name"], i),
                         "uuid": stable_uuid("bulk", h["name"], i), "flags": "-b----",
                         "cur_kib": 1048576, "target_kib": 1048576, "max_kib": 2097152,
                         "vcpus": 1})
        for d in doms:
            vref = ref("VM", h["name"], d["id"])
            vmref = ref("VM_metrics", h["name"], d["id"])
            flags = d["flags"]
            gone = any(c in flags for c in "scd")
            state = "Halted" if gone else "Paused" if "p" in flags else "Running"
            cur = d["cur_kib"]
            target = d["target_kib"] if d["target_kib"] is not None else cur
            mx = d["max_kib"] if d["max_kib"] is not None else max(cur, target)
            label = d["name"]
            if d["id"] == 0 and h.get("control_label"):
                label = h["control_label"]
            objs["VM"][vref] = dict({
                "uuid": d["uuid"], "name_label": label,
                "name_description": "", "power_state": state,
                "domid": "-1" if gone else str(d["id"]), "is_a_template": False,
                "is_a_snapshot": False, "is_control_domain": d["id"] == 0,
                "resident_on": "OpaqueRef:NULL" if gone else href,
                "memory_static_max": kib_bytes(mx), "memory_dynamic_max": kib_bytes(mx),
                "memory_dynamic_min": kib_bytes(min(cur, target)),
                "memory_static_min": kib_bytes(min(cur, target)),
                "memory_target": kib_bytes(target),
                "VCPUs_max": str(d["vcpus"]), "VCPUs_at_startup": str(d["vcpus"]),
                "metrics": vmref, "other_config": {"xvmon-test": "yes"},
                "tags": [], "allowed_operations": ["clean_shutdown", "pause"],
                "PV_bootloader": "pygrub", "HVM_boot_policy": "",
                "platform": {"acpi": "1", "apic": "true", "pae": "true"}},
                **{"padding_%02d" % k: "x" * 24 for k in range(20)})
            objs["VM_metrics"][vmref] = {
                "uuid": stable_uuid("VM_metrics", h["name"], d["id"]),
                "memory_actual": kib_bytes(cur), "VCPUs_number": str(d["vcpus"]),
                "state": [], "last_updated": xmlrpc.client.DateTime("20260101T00:00:00Z")}
            objs["VM"][vref]["consoles"] = []
            if not gone:
                objs["host"][href]["resident_VMs"].append(vref)
                add_consoles(objs, vref, h["address"], d["uuid"])
            objs["VM"][vref]["ignores_shutdown"] = d["name"] in h.get("ignores_shutdown", [])
    # what every real pool has and xvmon must skip
    templates = pool.get("templates", [{"name": "Debian Bookworm 12",
                                        "memory_kib": 2097152, "vifs": 1}])
    objs["VIF"] = {}
    for i, t in enumerate(templates):
        tref = ref("VM", "template", i) if i else ref("VM", "template")
        mref = ref("VM_metrics", "template", i) if i else ref("VM_metrics", "template")
        size = kib_bytes(t.get("memory_kib", 2097152))
        tuuid = stable_uuid("template", i) if i else stable_uuid("template")
        objs["VM"][tref] = {
            "uuid": tuuid, "name_label": t["name"],
            "name_description": "", "power_state": "Halted", "domid": "-1",
            "is_a_template": True, "is_a_snapshot": False, "is_control_domain": False,
            "resident_on": "OpaqueRef:NULL", "memory_static_max": size,
            "memory_dynamic_max": size, "memory_dynamic_min": size,
            "memory_static_min": str(256 << 20), "memory_target": "0",
            "VCPUs_max": "1", "VCPUs_at_startup": "1", "metrics": mref, "consoles": [],
            "VIFs": [], "other_config": {"disks": "<provision/>"}, "tags": [],
            "allowed_operations": ["clone", "provision"], "ignores_shutdown": False}
        objs["VM_metrics"][mref] = {
            "uuid": stable_uuid("tm", i), "memory_actual": "0", "VCPUs_number": "1"}
        for dev in range(t.get("vifs", 1)):
            add_vif(objs, tref, tuuid, dev)
    return objs


def add_vif(objs, vref, vm_uuid, device):
    """A VIF with the MAC XAPI would generate: locally administered,
    unicast, derived from the VM and the device."""
    h = hashlib.sha1(("%s/%d" % (vm_uuid, device)).encode()).digest()
    mac = "02:" + ":".join("%02x" % b for b in h[:5])
    vif = "OpaqueRef:VIF-%s-%d" % (vm_uuid, device)
    objs["VIF"][vif] = {"uuid": stable_uuid("VIF", vm_uuid, device), "device": str(device),
                        "MAC": mac, "MAC_autogenerated": True, "VM": vref,
                        "network": "OpaqueRef:network-0", "MTU": "1500"}
    objs["VM"][vref].setdefault("VIFs", []).append(vif)


def add_consoles(objs, vref, address, vm_uuid):
    """The consoles XAPI gives a running VM: a VNC one (rfb) and a text one
    (vt100), reached through the host's HTTPS console proxy."""
    objs.setdefault("console", {})
    for proto in ("rfb", "vt100"):
        cref = "OpaqueRef:console-%s-%s" % (proto, vm_uuid)
        cuuid = stable_uuid("console", proto, vm_uuid)
        objs["console"][cref] = {"uuid": cuuid, "protocol": proto, "VM": vref,
                                 "location": "https://%s/console?uuid=%s" % (address, cuuid),
                                 "other_config": {}}
        objs["VM"][vref]["consoles"].append(cref)


def success(value):
    return {"Status": "Success", "Value": value}


def failure(*desc):
    return {"Status": "Failure", "ErrorDescription": list(desc)}


MALFORMED = {
    "not-xml": b"<html><body>502 Bad Gateway</body></html>",
    "truncated": None,  # the real answer cut in half
    "fault": xmlrpc.client.dumps(xmlrpc.client.Fault(-32601, "server error: no such method"),
                                 methodresponse=True).encode(),
    "not-utf8": b"<?xml version='1.0'?><methodResponse><params><param><value>"
                b"<string>\xff\xfe</string></value></param></params></methodResponse>",
    "doctype": b"<?xml version='1.0'?><!DOCTYPE lol [<!ENTITY a 'aaaa'>]>"
               b"<methodResponse><params><param><value>&a;</value></param></params>"
               b"</methodResponse>",
    "deep": (b"<?xml version='1.0'?><methodResponse><params><param>" +
             b"<value><array><data>" * 200 + b"</data></array></value>" * 200 +
             b"</param></params></methodResponse>"),
}


class XapiState:
    def __init__(self, cfg):
        self.cfg = cfg
        self.pools = cfg["pools"]
        self.by_address = {}
        for p in self.pools:
            for h in p["hosts"]:
                self.by_address[h["address"]] = (p, h)
        self.objects = {p["name"]: xapi_objects(p) for p in self.pools}

    def master_address(self, pool):
        for h in pool["hosts"]:
            if h["name"] == pool["master"]:
                return h["address"]
        raise KeyError(pool["master"])


def malformed_answer(kind, pool_objs):
    if kind in MALFORMED and MALFORMED[kind] is not None:
        return MALFORMED[kind]
    objs = json.loads(json.dumps(pool_objs, default=str))
    if kind == "bad-type":
        for r in objs["host_metrics"].values():
            r["memory_total"] = {"bytes": r["memory_total"]}
    elif kind == "missing-field":
        for r in objs["VM"].values():
            r.pop("memory_static_max", None)
    elif kind == "bad-number":
        for r in objs["host_metrics"].values():
            r["memory_free"] = "12x"
    elif kind == "huge-string":  # 80 MiB in one string, built as bytes (fast)
        return (b"<?xml version='1.0'?><methodResponse><params><param><value><struct>"
                b"<member><name>Status</name><value>Success</value></member>"
                b"<member><name>Value</name><value>" + b"n" * (80 << 20) +
                b"</value></member></struct></value></param></params></methodResponse>")
    elif kind == "other-host":
        for r in objs["pool"].values():
            r["master"] = "OpaqueRef:host-somebody-else"
    elif kind == "no-status":
        return xmlrpc.client.dumps(({"Value": "x"},), methodresponse=True).encode()
    body = xmlrpc.client.dumps((success(events_of(objs)),), methodresponse=True,
                               allow_none=True).encode()
    if kind == "truncated":
        body = xmlrpc.client.dumps((success(events_of(pool_objs)),),
                                   methodresponse=True).encode()
        body = body[: len(body) // 2]
    return body


DATA_CLASSES = ("pool", "host", "host_metrics", "VM", "VM_metrics")
PRIVATE = ("ignores_shutdown", "provisioned")


def public(rec):
    """A record as XAPI shows it: without the fake's own flags."""
    return {k: v for k, v in rec.items() if k not in PRIVATE}


def events_of(objs):
    events = []
    n = 0
    for cls, table in objs.items():
        if cls not in DATA_CLASSES:
            continue
        for r, rec in table.items():
            n += 1
            rec = public(rec)
            events.append({"id": str(n), "timestamp": "20260101T00:00:00Z",
                           "class": cls.lower(), "operation": "add", "ref": r,
                           "snapshot": rec})
    return {"events": events, "valid_ref_counts": {}, "token": "%d,0" % n}


def mode_arg(prefix):
    m = STATE["mode"]
    return int(m.split(":", 1)[1]) if m.startswith(prefix + ":") else None


class PeerHandler(http.server.BaseHTTPRequestHandler):
    """What the XenAPI and OVS agent fakes answer alike: keep-alive, quiet."""
    protocol_version = "HTTP/1.1"  # keep-alive, as XAPI and the agent

    def log_message(self, *args):
        pass

    def plain(self, status, body, ctype="text/html", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PeerServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """One listening address of a fake pool, over TLS when the test says so."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, handler, tls):
        super().__init__(addr, handler)
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tls["cert"], tls["key"])
            self.socket = ctx.wrap_socket(self.socket, server_side=True)

    def handle_error(self, request, client_address):
        # clients hanging up mid-answer are part of the tests; bugs are not
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class XapiHandler(PeerHandler):
    def do_POST(self):
        try:
            length = int(self.headers.get("content-length", "0"))
            data = self.rfile.read(length)
            params, method = xmlrpc.client.loads(data)
        except Exception:  # noqa: BLE001 - a fake answers garbage with 400
            self.send_response(400)
            self.end_headers()
            return
        body = self.server.answer(self.connection.getsockname()[0], method, params)
        if body is None:  # hang: keep the connection, never answer
            while True:
                time.sleep(3600)
        self.plain(200, body, "text/xml")


    def do_GET(self):
        """XAPI's HTTP handlers; here /pool/xmldbdump."""
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        with LOCK:
            STATE["calls"]["GET " + url.path] = STATE["calls"].get("GET " + url.path, 0) + 1
            mode = STATE["mode"]
        if url.path != "/pool/xmldbdump":
            return self.plain(404, b"<html><body>404 Not Found</body></html>")
        pool, _ = self.server.state.by_address[self.connection.getsockname()[0]]
        session = query.get("session_id", [""])[0]
        with LOCK:
            if mode == "dump:bad-session" and session in STATE["sessions"]:
                del STATE["sessions"][session]  # expired as it was asked
            valid = STATE["sessions"].get(session) == pool["name"]
            body = db_dump(self.server.state.objects[pool["name"]]) if valid else None
        if not valid:
            return self.plain(401, b"<html><body>401 Unauthorised</body></html>")
        if mode == "dump:hang":
            while True:
                time.sleep(3600)
        if mode == "dump:not-xml":
            return self.plain(200, b"<html><body>Internal error</body></html>", "text/html")
        if mode == "dump:huge":  # a database of 257 MiB, sent until the connection ends
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            chunk = b"<!-- " + b"x" * ((1 << 20) - 9) + b" -->"
            try:
                self.wfile.write(body[:-len("</database>\n")])
                for _ in range(257):
                    self.wfile.write(chunk)
                self.wfile.write(b"</database>\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        self.plain(200, body, "text/xml")


class XapiServer(PeerServer):
    def __init__(self, addr, state, tls):
        self.state = state
        super().__init__(addr, XapiHandler, tls)

    def answer(self, address, method, params):
        with LOCK:
            STATE["calls"][method] = STATE["calls"].get(method, 0) + 1
            mode = STATE["mode"]
        if method == "fake.set_mode":
            with LOCK:
                STATE["mode"] = params[0]
                STATE["expire_pending"] = params[0] == "expire-once"
            return dump(True)
        if method == "fake.stats":
            with LOCK:
                return dump({"open": len(STATE["sessions"]), "opened": STATE["opened"],
                             "closed": STATE["closed"], "calls": dict(STATE["calls"]),
                             "tasks": sum(len(o.get("task", {}))
                                          for o in self.state.objects.values())})
        if method == "fake.macs":
            with LOCK:
                return dump({v["name_label"]: [o["VIF"][f]["MAC"] for f in v.get("VIFs", [])]
                             for o in self.state.objects.values()
                             for v in o["VM"].values() if not v["is_a_template"]})
        pool, host = self.state.by_address[address]
        if mode == "hang" or host.get("hang"):
            return None
        delay = mode_arg("delay")
        if delay:
            time.sleep(delay / 1000)
        if method == "session.login_with_password":
            slow = mode_arg("slow-login")
            if slow:
                time.sleep(slow / 1000)
            if host["name"] != pool["master"]:
                return dump(failure("HOST_IS_SLAVE", self.state.master_address(pool)))
            user, password = params[0], params[1]
            if mode == "auth-fail" or user != self.state.cfg["user"] or \
                    password != self.state.cfg["password"]:
                return dump(failure("SESSION_AUTHENTICATION_FAILED", user,
                                    "Authentication failure"))
            with LOCK:
                STATE["opened"] += 1
                s = "OpaqueRef:session-%d" % STATE["opened"]
                STATE["sessions"][s] = pool["name"]
            return dump(success(s))
        session = params[0] if params else ""
        with LOCK:
            valid = STATE["sessions"].get(session) == pool["name"]
        if method == "session.logout":
            with LOCK:
                if valid:
                    del STATE["sessions"][session]
                    STATE["closed"] += 1
            return dump(success("") if valid else failure("SESSION_INVALID", session))
        if not valid:
            return dump(failure("SESSION_INVALID", session))
        if mode == "expire-once":
            with LOCK:
                if STATE["expire_pending"]:
                    STATE["expire_pending"] = False
                    del STATE["sessions"][session]  # expired: no logout needed
                    return dump(failure("SESSION_INVALID", session))
        if mode == "hang-data":
            return None
        objs = self.state.objects[pool["name"]]
        if mode.startswith("malformed:"):
            return malformed_answer(mode.split(":", 1)[1], objs)
        if method == "event.from":
            if mode == "no-event-from":
                return dump(failure("MESSAGE_METHOD_UNKNOWN", "event.from"))
            with LOCK:  # a shutdown may be halting a VM meanwhile
                return dump(success(events_of(objs)))
        cls, _, what = method.partition(".")
        if what == "get_all_records" and cls in DATA_CLASSES:
            with LOCK:
                return dump(success({r: public(v) for r, v in objs[cls].items()}))
        if method in VM_ACTIONS or cls == "console":
            return self.vm_action(objs, method, params[1:])
        if method in CREATE_ACTIONS or cls == "task":
            with LOCK:
                return dump(create_action(objs, pool, method, params[1:]))
        if cls in GETTER_CLASSES and what.startswith("get_"):
            with LOCK:
                return dump(getter(objs, cls, what, params[1:]))
        return dump(failure("MESSAGE_METHOD_UNKNOWN", method))

    def vm_action(self, objs, method, args):
        cls = "console" if method.startswith("console.") else "VM"
        if method == "VM.get_by_name_label":
            with LOCK:
                return dump(success([r for r, v in objs["VM"].items()
                                     if v["name_label"] == args[0]]))
        ref_ = args[0] if args else ""
        with LOCK:
            rec = objs.get(cls, {}).get(ref_)
            if rec is None:
                return dump(failure("HANDLE_INVALID", cls, ref_))
            if cls == "console":
                field = method.split(".", 1)[1]
                if field == "get_record":
                    return dump(success(rec))
                key = field[len("get_"):]
                if key not in rec:
                    return dump(failure("MESSAGE_METHOD_UNKNOWN", method))
                return dump(success(rec[key]))
            if method == "VM.get_record":
                return dump(success(public(rec)))
            if method == "VM.get_consoles":
                return dump(success(list(rec["consoles"])))
            state = rec["power_state"]
            if rec["is_control_domain"] or rec["is_a_template"]:
                return dump(failure("OPERATION_NOT_ALLOWED",
                                    "%s is not allowed on a control domain or template"
                                    % method))
            want = {"VM.pause": "Running", "VM.unpause": "Paused",
                    "VM.clean_shutdown": "Running", "Async.VM.clean_shutdown": "Running"}
            if method in want and state != want[method]:
                return dump(failure("VM_BAD_POWER_STATE", ref_, want[method].lower(),
                                    state.lower()))
            if method == "VM.hard_shutdown":
                if state == "Halted":
                    return dump(failure("VM_BAD_POWER_STATE", ref_, "running", "halted"))
                halt(objs, ref_)
                for t in objs.get("task", {}).values():
                    if t["VM"] == ref_ and t["status"] == "pending":
                        t["status"] = "cancelled"  # XAPI cancels the clean shutdown
                return dump(success(""))
            if method in ("VM.pause", "VM.unpause"):
                rec["power_state"] = "Paused" if method == "VM.pause" else "Running"
                return dump(success(""))
            ignores = rec["ignores_shutdown"]
            STATE["tasks"] += 1
            task = "OpaqueRef:task-%d" % STATE["tasks"]
            if method == "Async.VM.clean_shutdown":
                objs.setdefault("task", {})[task] = {
                    "uuid": stable_uuid("task", STATE["tasks"]),
                    "name_label": "Async.VM.clean_shutdown", "status": "pending",
                    "progress": "0.", "result": "", "error_info": [], "VM": ref_}
        delay = self.state.cfg.get("shutdown_delay_ms", 300) / 1000
        if method == "Async.VM.clean_shutdown":
            if not ignores:
                t = threading.Timer(delay, halt, (objs, ref_, True, task))
                t.daemon = True
                t.start()
            return dump(success(task))
        time.sleep(delay)  # VM.clean_shutdown answers when the VM has halted
        if ignores:
            return dump(failure("VM_FAILED_SHUTDOWN_ACKNOWLEDGMENT", ref_))
        halt(objs, ref_, True)
        return dump(success(""))


VM_ACTIONS = ("VM.get_by_name_label", "VM.get_record", "VM.get_consoles", "VM.clean_shutdown",
              "Async.VM.clean_shutdown", "VM.hard_shutdown", "VM.pause", "VM.unpause")


def halt(objs, vref, lock=False, task=None):
    """The VM is Halted: off its host, no domain, no consoles (and the
    task that halted it, if any, has succeeded)."""
    if lock:
        with LOCK:
            t = objs.get("task", {}).get(task)
            if t and t["status"] == "pending":
                t.update(status="success", progress="1.")
            return halt(objs, vref)
    rec = objs["VM"][vref]
    if rec["power_state"] == "Halted":
        return
    host = objs["host"].get(rec["resident_on"])
    if host and vref in host["resident_VMs"]:
        host["resident_VMs"].remove(vref)
    rec.update(power_state="Halted", domid="-1", resident_on="OpaqueRef:NULL")
    for c in rec["consoles"]:
        objs.get("console", {}).pop(c, None)
    rec["consoles"] = []


CREATE_ACTIONS = ("VM.clone", "VM.provision", "VM.set_is_a_template", "VM.set_memory_limits",
                  "VM.start", "VM.start_on")
GETTER_CLASSES = ("VM", "VIF", "host", "pool", "task")


def getter(objs, cls, what, args):
    """CLASS.get_record and CLASS.get_FIELD, as XAPI answers them."""
    table = objs.get(cls, {})
    r = args[0] if args else ""
    if r not in table:
        return failure("HANDLE_INVALID", cls, r)
    rec = public(table[r])
    if what == "get_record":
        return success(rec)
    field = what[len("get_"):]
    if field not in rec:
        return failure("MESSAGE_METHOD_UNKNOWN", "%s.%s" % (cls, what))
    return success(rec[field])


def int_arg(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def create_action(objs, pool, method, args):
    """What XAPI does for vm-install's calls and the task calls (under LOCK)."""
    if method.startswith("task."):
        tasks = objs.setdefault("task", {})
        t = args[0] if args else ""
        if t not in tasks:
            return failure("HANDLE_INVALID", "task", t)
        if method == "task.destroy":
            del tasks[t]
            return success("")
        if method == "task.cancel":
            if tasks[t]["status"] == "pending":
                tasks[t]["status"] = "cancelled"
            return success("")
        return getter(objs, "task", method.split(".", 1)[1], args)
    vref = args[0] if args else ""
    rec = objs["VM"].get(vref)
    if rec is None:
        return failure("HANDLE_INVALID", "VM", vref)
    if method == "VM.clone":
        if rec["power_state"] != "Halted":
            return failure("VM_BAD_POWER_STATE", vref, "halted", rec["power_state"].lower())
        STATE["tasks"] += 1  # one counter for every generated name
        n = STATE["tasks"]
        new = "OpaqueRef:VM-clone-%d" % n
        new_uuid = stable_uuid("clone", pool["name"], n)
        mref = "OpaqueRef:VM_metrics-clone-%d" % n
        objs["VM"][new] = dict(json.loads(json.dumps(rec)), uuid=new_uuid,
                               name_label=args[1], VIFs=[], consoles=[], metrics=mref,
                               allowed_operations=["start", "provision"])
        objs["VM_metrics"][mref] = {"uuid": stable_uuid("clone-metrics", n),
                                    "memory_actual": "0", "VCPUs_number": "1"}
        for v in rec.get("VIFs", []):  # new VIFs, new MACs
            add_vif(objs, new, new_uuid, int(objs["VIF"][v]["device"]))
        return success(new)
    if method == "VM.provision":
        if rec["power_state"] != "Halted":
            return failure("VM_BAD_POWER_STATE", vref, "halted", rec["power_state"].lower())
        rec["provisioned"] = True
        return success("")
    if method == "VM.set_is_a_template":
        rec["is_a_template"] = bool(args[1])
        return success("")
    if method == "VM.set_memory_limits":
        smin, smax, dmin, dmax = (int_arg(a) for a in args[1:5])
        if None in (smin, smax, dmin, dmax):
            return failure("FIELD_TYPE_ERROR", "memory")
        if not smin <= dmin <= dmax <= smax:
            return failure("MEMORY_CONSTRAINT_VIOLATION",
                           "Memory limits must satisfy: static_min <= dynamic_min <= "
                           "dynamic_max <= static_max")
        rec.update(memory_static_min=str(smin), memory_static_max=str(smax),
                   memory_dynamic_min=str(dmin), memory_dynamic_max=str(dmax))
        return success("")
    # VM.start(vm, paused, force) / VM.start_on(vm, host, paused, force)
    if method == "VM.start_on":
        href, paused = args[1], bool(args[2])
        if href not in objs["host"]:
            return failure("HANDLE_INVALID", "host", href)
    else:
        href = [r for r, p in objs["pool"].items()][0]
        href, paused = objs["pool"][href]["master"], bool(args[1])
    if rec["is_a_template"]:
        return failure("VM_IS_TEMPLATE", vref)
    if rec["power_state"] != "Halted":
        return failure("VM_BAD_POWER_STATE", vref, "halted", rec["power_state"].lower())
    host = objs["host"][href]
    hm = objs["host_metrics"][host["metrics"]]
    need, free = int(rec["memory_static_max"]), int(hm["memory_free"])
    if need > free:
        return failure("HOST_NOT_ENOUGH_FREE_MEMORY", str(need), str(free))
    used = {int(objs["VM"][v]["domid"]) for v in host["resident_VMs"]}
    domid = max(used | {0}) + 1
    rec.update(power_state="Paused" if paused else "Running", domid=str(domid),
               resident_on=href, memory_target=rec["memory_dynamic_max"])
    host["resident_VMs"].append(vref)
    hm["memory_free"] = str(free - need)
    objs["VM_metrics"][rec["metrics"]].update(memory_actual=rec["memory_dynamic_max"],
                                              VCPUs_number=rec["VCPUs_at_startup"])
    add_consoles(objs, vref, host["address"], rec["uuid"])
    return success("")


def db_value(v):
    """A field as XAPI's database holds it: maps and sets as s-expressions."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "(%s)" % "".join("('%s' '%s')" % (k, x) for k, x in v.items())
    if isinstance(v, list):
        return "(%s)" % "".join("'%s'" % x for x in v)
    return str(v)


DB_NAMES = {"name_label": "name__label", "name_description": "name__description"}


def db_dump(objs):
    """The pool database as GET /pool/xmldbdump sends it."""
    q = xml.sax.saxutils.quoteattr
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<database><manifest>'
           '<pair key="schema_major_vsn" value="5"/><pair key="schema_minor_vsn" '
           'value="771"/><pair key="generation_count" value="%d"/></manifest>'
           % STATE["opened"]]
    for cls in sorted(objs):
        out.append('<table name=%s>' % q(cls))
        for r, rec in sorted(objs[cls].items()):
            # the database names namespaced fields with "__": name__label
            attrs = "".join(" %s=%s" % (DB_NAMES.get(k, k), q(db_value(v)))
                            for k, v in sorted(public(rec).items()))
            out.append('<row ref=%s%s/>' % (q(r), attrs))
        out.append('</table>')
    out.append('</database>\n')
    return "".join(out).encode()


def dump(value):
    return xmlrpc.client.dumps((value,), methodresponse=True, allow_none=True).encode()


# --- the Oracle VM 2.x agent -------------------------------------------------

def ovs_vm_string(d):
    return ("name=%s;domid=%d;uuid=%s;state=%s;memory_kib=%d;maxmem_kib=%d;vcpus=%d;"
            "cpu_time=%.9f" % (d["name"], d["id"], d["uuid"], d["flags"], d["cur_kib"],
                               d["max_kib"] if d["max_kib"] is not None else d["cur_kib"],
                               d["vcpus"], d["cpu_ns"] / 1e9))


class OvsHandler(PeerHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        data = self.rfile.read(length)
        auth = self.headers.get("authorization", "")
        import base64
        want = "Basic " + base64.b64encode(("%s:%s" % (self.server.cfg["user"],
                                                        self.server.cfg["password"])
                                            ).encode()).decode()
        params, method = xmlrpc.client.loads(data)
        if method in ("fake.set_mode", "fake.stats"):  # the test's control, no auth
            with LOCK:
                if method == "fake.set_mode":
                    STATE["mode"] = params[0]
                body = dump(True if method == "fake.set_mode" else
                            {"calls": dict(STATE["calls"])})
            return self.plain(200, body, "text/xml")
        with LOCK:
            mode = STATE["mode"]
            STATE["calls"][method] = STATE["calls"].get(method, 0) + 1
        _, host = self.server.by_address[self.connection.getsockname()[0]]
        if mode == "hang" or host.get("hang"):
            while True:
                time.sleep(3600)
        if auth != want or mode == "auth-fail":
            return self.plain(401, b"", headers=[("WWW-Authenticate", 'Basic realm="ovs-agent"')])
        s = host["snapshot"]
        if mode.startswith("malformed:"):
            kind = mode.split(":", 1)[1]
            value = {"no-success": "failed:agent busy",
                     "bad-number": "success:hostname=%s;total_memory_kib=lots" % s["host"]["name"],
                     "not-string": 42}.get(kind, "success:")
            body = dump(value)
        elif method == "get_host_info":
            hn = s["host"]
            body = dump("success:hostname=%s;total_memory_kib=%d;free_memory_kib=%d;cpus=%d;"
                        "xen_version=%s" % (hn["name"], hn["total_kib"], hn["free_kib"],
                                            hn["cpus"], hn["xen_version"] or "3.4.0"))
        elif method == "get_master_ip":
            pool, _ = self.server.by_address[self.connection.getsockname()[0]]
            master = [h for h in pool["hosts"] if h["name"] == pool["master"]][0]
            body = dump("success:master_ip=%s" % master["address"])
        elif method == "list_vm":
            doms = [d for d in s["domains"]]
            body = dump(["success:" + ovs_vm_string(d) for d in doms])
        else:
            body = xmlrpc.client.dumps(xmlrpc.client.Fault(1, "unknown method %s" % method),
                                       methodresponse=True).encode()
        self.plain(200, body, "text/xml")


class OvsServer(PeerServer):
    def __init__(self, addr, cfg, tls):
        self.cfg = cfg
        self.by_address = {h["address"]: (p, h) for p in cfg["pools"] for h in p["hosts"]}
        super().__init__(addr, OvsHandler, tls)


# --- main ---------------------------------------------------------------------

def serve(kind, cfg_path, portfile):
    with open(cfg_path) as f:
        cfg = json.load(f)
    addresses = [h["address"] for p in cfg["pools"] for h in p["hosts"]]
    servers = []
    port = cfg.get("port", 0)
    state = XapiState(cfg) if kind == "xapi" else None  # one pool, however many doors
    for a in addresses:
        if kind == "xapi":
            srv = XapiServer((a, port), state, cfg.get("tls"))
        else:
            srv = OvsServer((a, port), cfg, cfg.get("tls"))
        port = srv.server_address[1]
        servers.append(srv)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, portfile)
    while True:
        time.sleep(3600)


def ctl(portfile, address, method, *args):
    """ADDRESS may say https://ADDRESS (the certificate is not checked)."""
    with open(portfile) as f:
        port = int(f.read())
    scheme, _, host = address.rpartition("://")
    proxy = xmlrpc.client.ServerProxy("%s://%s:%d/" % (scheme or "http", host, port),
                                      context=ssl._create_unverified_context())
    out = getattr(proxy, method)(*args)
    print(json.dumps(out, sort_keys=True))


def project(snapshot_path, kind, master=None):
    """The sim: scenario of what `kind` can say about this snapshot, whose
    pool master is `master` (the name or address the peer gives)."""
    with open(snapshot_path) as f:
        s = json.load(f)
    h = s["host"]
    out = ["# what %s:// carries of %s (written by fake-peers.py project)" % (kind, h["name"]),
           "[host]", "name = " + h["name"], "total_memory = %d" % h["total_kib"],
           "free_memory = %d" % h["free_kib"], "cpus = %d" % h["cpus"]]
    if h["xen_version"]:
        out.append("xen_version = " + h["xen_version"])
    if master:
        out.append("master = " + master)
    for d in s["domains"]:
        flags = d["flags"]
        if kind == "xapi":
            if any(c in flags for c in "scd"):
                continue  # not resident: XenAPI has no such domain
            state = "paused" if "p" in flags else "running"
        else:
            names = {"r": "running", "b": "blocked", "p": "paused", "s": "shutdown",
                     "c": "crashed", "d": "dying"}
            if "c" in flags:  # xm shows a crash as shut down and crashed
                flags = flags.replace("s", "-")
            state = ", ".join(names[c] for c in flags if c != "-") or None
        out += ["", "[domain %s]" % d["name"], "id = %d" % d["id"]]
        if state:
            out.append("state = " + state)
        else:
            out.append("state = running")
        out += ["uuid = " + d["uuid"], "memory = %d" % d["cur_kib"],
                "vcpus = %d" % d["vcpus"]]
        if kind == "xapi":
            cur = d["cur_kib"]
            target = d["target_kib"] if d["target_kib"] is not None else cur
            mx = d["max_kib"] if d["max_kib"] is not None else max(cur, target)
            # XenAPI keeps no CPU time: unknown, as the xapi:// source says
            out += ["target = %d" % target, "maxmem = %d" % mx, "cpu_time = unknown"]
        else:
            out += ["target = unknown",
                    "maxmem = %d" % (d["max_kib"] if d["max_kib"] is not None else d["cur_kib"]),
                    "cpu_time = %.9f" % (d["cpu_ns"] / 1e9)]
    print("\n".join(out))


def main():
    if len(sys.argv) >= 4 and sys.argv[1] in ("xapi", "ovs"):
        serve(sys.argv[1], sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 5 and sys.argv[1] == "ctl":
        ctl(*sys.argv[2:])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "project":
        project(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
