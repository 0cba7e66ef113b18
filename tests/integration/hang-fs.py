#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""hang-fs.py MOUNTPOINT: a file system whose file reads never answer.

A test peer for the deadline of timer-driven tools: it mounts itself with
FUSE (the kernel protocol spoken directly on /dev/fuse, no library), shows

    MOUNTPOINT/hang.ini           an inventory file
    MOUNTPOINT/repo/vm1/vm.cfg    a VM repository entry

and leaves every READ of them unanswered, as a hung NFS server does.  Like
NFS's killable waits, a request the kernel interrupts (the reader got a
fatal signal) is answered with EINTR, so a killed reader is freed.  Prints
"ready" once mounted; stop it with SIGTERM, then unmount (umount -l).
Needs root and /dev/fuse; exits 77 when it cannot mount.
"""
import ctypes
import errno
import os
import signal
import struct
import sys
import time

LOOKUP, FORGET, GETATTR, OPEN, READ, RELEASE, FLUSH, INIT = 1, 2, 3, 14, 15, 18, 25, 26
OPENDIR, READDIR, RELEASEDIR, INTERRUPT, DESTROY, BATCH_FORGET = 27, 28, 29, 36, 38, 42

S_IFDIR, S_IFREG = 0o040000, 0o100000
CONTENT_SIZE = 64

# node id -> (mode, size, {name: child id})
NODES = {
    1: (S_IFDIR | 0o755, 0, {"hang.ini": 2, "repo": 3}),
    2: (S_IFREG | 0o644, CONTENT_SIZE, {}),
    3: (S_IFDIR | 0o755, 0, {"vm1": 4}),
    4: (S_IFDIR | 0o755, 0, {"vm.cfg": 5}),
    5: (S_IFREG | 0o644, CONTENT_SIZE, {}),
}


def attr(node):
    mode, size, children = NODES[node]
    now = int(time.time())
    nlink = 2 + sum(1 for c in children.values() if NODES[c][0] & S_IFDIR == S_IFDIR)
    return struct.pack("<QQQQQQIIIIIIIIII", node, size, (size + 511) // 512, now, now, now,
                       0, 0, 0, mode, nlink if mode & S_IFDIR else 1, 0, 0, 0, 4096, 0)


def main():
    mnt = sys.argv[1].encode()
    try:
        fd = os.open("/dev/fuse", os.O_RDWR)
    except OSError as e:
        print(f"# cannot open /dev/fuse: {e}", flush=True)
        return 77
    libc = ctypes.CDLL(None, use_errno=True)
    opts = f"fd={fd},rootmode=40000,user_id=0,group_id=0,allow_other".encode()
    if libc.mount(b"hangfs", mnt, b"fuse.hangfs", 2 | 4, opts) != 0:
        print(f"# cannot mount FUSE: {os.strerror(ctypes.get_errno())}", flush=True)
        return 77
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print("ready", flush=True)
    held = set()  # READ requests left unanswered

    def reply(unique, err=0, body=b""):
        try:
            os.write(fd, struct.pack("<IiQ", 16 + len(body), -err, unique) + body)
        except OSError:
            pass  # the request was interrupted meanwhile

    while True:
        try:
            req = os.read(fd, 1 << 20)
        except OSError as e:
            if e.errno in (errno.EINTR, errno.EAGAIN, errno.ENOENT):
                continue
            return 0  # unmounted
        length, op, unique, node = struct.unpack_from("<IIQQ", req)
        body = req[40:length]
        if op == INIT:
            major, minor, readahead, _ = struct.unpack_from("<IIII", body)
            reply(unique, 0, struct.pack("<IIIIHHIIHHI7I", 7, 31, readahead, 0, 16, 12,
                                         65536, 1, 0, 0, 0, *([0] * 7)))
        elif op == LOOKUP:
            name = body.split(b"\0", 1)[0].decode()
            child = NODES.get(node, (0, 0, {}))[2].get(name)
            if child is None:
                reply(unique, errno.ENOENT)
            else:
                reply(unique, 0, struct.pack("<QQQQII", child, 0, 1, 1, 0, 0) + attr(child))
        elif op == GETATTR:
            reply(unique, 0, struct.pack("<QII", 1, 0, 0) + attr(node))
        elif op in (OPEN, OPENDIR):
            reply(unique, 0, struct.pack("<QII", 0, 0, 0))
        elif op == READ:
            held.add(unique)  # never answered: the hung server
        elif op == INTERRUPT:
            (target,) = struct.unpack_from("<Q", body)
            if target in held:
                held.discard(target)
                reply(target, errno.EINTR)
        elif op == READDIR:
            _, offset, size = struct.unpack_from("<QQI", body)
            names = [(".", node, S_IFDIR), ("..", 1, S_IFDIR)] + [
                (n, c, NODES[c][0]) for n, c in NODES[node][2].items()]
            out = b""
            for i, (name, child, mode) in enumerate(names[offset:], start=offset + 1):
                raw = name.encode()
                ent = struct.pack("<QQII", child, i, len(raw), (mode >> 12) & 0o17) + raw
                ent += b"\0" * (-len(ent) % 8)
                if len(out) + len(ent) > size:
                    break
                out += ent
            reply(unique, 0, out)
        elif op in (RELEASE, RELEASEDIR, FLUSH):
            reply(unique)
        elif op in (FORGET, BATCH_FORGET):
            pass  # no answer expected
        elif op == DESTROY:
            reply(unique)
            return 0
        else:
            reply(unique, errno.ENOSYS)


if __name__ == "__main__":
    sys.exit(main())
