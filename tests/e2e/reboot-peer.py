#!/usr/bin/env python3
"""A minimal NoSec LwM2M server pair for tests/e2e/restart.sh: raw UDP on loopback.

  reboot-peer.py MODE LIFETIME -- SIMDEV-COMMAND...

Starts the simulated device (SIMDEV-COMMAND, in which {P1} and {P2} stand for the two
servers' UDP ports) and plays two servers to it:
  1. waits for its Register on both servers (from the one local port it must use);
  2. writes server 1's Lifetime /1/0/1 = LIFETIME (text/plain) and waits for the Update;
  3. executes Reboot /3/0/4 on server 1 and expects 2.04;
  4. MODE exit: expects the process to end with status 0 and starts it again;
     MODE reexec / in-process: expects the same process to come back;
  5. waits for its Register on both servers again and prints what it carried.
Every socket read and process wait has a deadline (DEADLINE seconds, scaled by
E2E_TIME_SCALE); nothing sleeps. Prints "key=value" lines for the shell to check; exits 1
when a step did not happen in time."""
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

CON, NON, ACK, RST = 0, 1, 2, 3
GET, POST, PUT, DELETE = 1, 2, 3, 4
DEADLINE = 10.0 * float(os.environ.get("E2E_TIME_SCALE", "1"))


def opt_bytes(options):
    out, last = b"", 0
    for num, val in sorted(options, key=lambda o: o[0]):
        delta, length = num - last, len(val)
        last = num

        def nib(v):
            if v < 13:
                return v, b""
            if v < 269:
                return 13, bytes([v - 13])
            return 14, struct.pack(">H", v - 269)
        d, dx = nib(delta)
        ln, lx = nib(length)
        out += bytes([(d << 4) | ln]) + dx + lx + val
    return out


def coap(mtype, code, mid, token=b"", options=(), payload=b""):
    msg = bytes([0x40 | (mtype << 4) | len(token), code]) + struct.pack(">H", mid & 0xFFFF)
    msg += token + opt_bytes(list(options))
    return msg + (b"\xff" + payload if payload else b"")


def parse(data):
    """-> (type, code, mid, token, [(num, bytes)], payload) or None"""
    if len(data) < 4 or data[0] >> 6 != 1:
        return None
    mtype, tkl, code = (data[0] >> 4) & 3, data[0] & 15, data[1]
    mid = struct.unpack(">H", data[2:4])[0]
    token, i, num, opts = data[4:4 + tkl], 4 + tkl, 0, []
    while i < len(data) and data[i] != 0xFF:
        d, ln = data[i] >> 4, data[i] & 15
        i += 1
        if d == 13:
            d, i = data[i] + 13, i + 1
        elif d == 14:
            d, i = struct.unpack(">H", data[i:i + 2])[0] + 269, i + 2
        if ln == 13:
            ln, i = data[i] + 13, i + 1
        elif ln == 14:
            ln, i = struct.unpack(">H", data[i:i + 2])[0] + 269, i + 2
        num += d
        opts.append((num, data[i:i + ln]))
        i += ln
    payload = data[i + 1:] if i < len(data) else b""
    return mtype, code, mid, token, opts, payload


def path_of(opts):
    return "/" + "/".join(v.decode() for n, v in opts if n == 11)


def queries(opts):
    return [v.decode() for n, v in opts if n == 15]


class Server:
    def __init__(self, name):
        self.name = name
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.mid = random.randrange(65536)
        self.regs = 0
        self.peer = None

    def handle(self, data, addr):
        """Answers the device's own requests; returns (what, detail) for the waits."""
        m = parse(data)
        if not m:
            return None
        mtype, code, mid, token, opts, payload = m
        if code == POST and path_of(opts) == "/rd":
            self.regs += 1
            self.peer = addr
            loc = [(8, b"rd"), (8, b"%d" % self.regs)]
            self.sock.sendto(coap(ACK, 0x41, mid, token, loc), addr)
            return ("register", ";".join(q for q in queries(opts) if q.startswith("lt=")))
        if code == POST and path_of(opts).startswith("/rd/"):
            self.sock.sendto(coap(ACK, 0x44, mid, token), addr)
            return ("update", ";".join(queries(opts)))
        if code == DELETE:
            self.sock.sendto(coap(ACK, 0x42, mid, token), addr)
            return ("deregister", "")
        if mtype == CON and code == 0:
            self.sock.sendto(coap(RST, 0, mid), addr)
            return None
        if mtype == ACK and code >= 0x40:
            return ("response", "%d.%02d" % (code >> 5, code & 31), token)
        return None

    def request(self, code, segs, payload=b"", cf=None):
        self.mid = (self.mid + 1) & 0xFFFF
        token = os.urandom(4)
        opts = [(11, s.encode()) for s in segs]
        if cf is not None:
            opts.append((12, bytes([cf]) if cf else b""))
        self.sock.sendto(coap(CON, code, self.mid, token, opts, payload), self.peer)
        return token


def wait_for(servers, want, count, proc=None):
    """Serves both sockets until `count` events `want` (on any server) arrived, the
    deadline passed or (given proc) the process ended."""
    got, end = [], time.monotonic() + DEADLINE
    while len(got) < count:
        left = end - time.monotonic()
        if left <= 0 or (proc is not None and proc.poll() is not None):
            return got

        r, _, _ = select.select([s.sock for s in servers], [], [], min(left, 0.2))
        for s in servers:
            if s.sock in r:
                data, addr = s.sock.recvfrom(2048)
                ev = s.handle(data, addr)
                if ev and ev[0] == want:
                    got.append((s, addr) + ev[1:])
    return got


def main():
    mode, lifetime = sys.argv[1], sys.argv[2]
    cmd_t = sys.argv[sys.argv.index("--") + 1:]
    s1, s2 = Server("server 1"), Server("server 2")
    cmd = [a.replace("{P1}", str(s1.port)).replace("{P2}", str(s2.port)) for a in cmd_t]
    log = open(os.environ.get("REBOOT_PEER_LOG", os.devnull), "a")
    proc = subprocess.Popen(cmd, stdout=log, stderr=log)
    status = 1
    try:
        regs = wait_for([s1, s2], "register", 2)
        print("first_registers=%d" % len(regs))
        print("first_ports=%s" % ",".join(sorted({str(a[1]) for _, a, _ in regs})))
        if len(regs) < 2:
            return 1
        s1.request(PUT, ["1", "0", "1"], lifetime.encode(), cf=0)
        upd = wait_for([s1, s2], "update", 1)
        print("update=%s" % (upd[0][2] if upd else "none"))
        tok = s1.request(POST, ["3", "0", "4"])
        resp = wait_for([s1, s2], "response", 1)
        print("reboot_response=%s" % (resp[0][2] if resp else "none"))
        pid_before = proc.pid
        if mode == "exit":
            try:
                rc = proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                rc = "running"
            print("exit_status=%s" % rc)
            proc = subprocess.Popen(cmd, stdout=log, stderr=log)
        regs = wait_for([s1, s2], "register", 2)
        print("second_registers=%d" % len(regs))
        print("second_ports=%s" % ",".join(sorted({str(a[1]) for _, a, _ in regs})))
        print("second_lifetime=%s" % ",".join(sorted(lt for s, _, lt in regs if s is s1)))
        print("same_process=%s" % ("yes" if mode != "exit" and proc.poll() is None
                                   and proc.pid == pid_before else "no"))
        status = 0 if len(regs) == 2 else 1
    finally:
        proc.terminate()
        end = time.monotonic() + DEADLINE
        while proc.poll() is None and time.monotonic() < end:
            wait_for([s1, s2], "deregister", 2, proc)  # answers its goodbyes while it stops
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
