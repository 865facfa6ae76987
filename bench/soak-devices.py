#!/usr/bin/env python3
"""Soak load for `serve`: N lightweight devices (one UDP socket each) register, then send
an Update every INTERVAL seconds for SECONDS; a device whose answer does not come within
2 s counts it as lost and re-registers when an Update gets 4.04. Prints a summary line.
  bench/soak-devices.py PORT N SECONDS [INTERVAL]"""
import os
import select
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "hostile"))
import peer as p  # noqa: E402  (the hostile-peer suite's CoAP encoder)


def main(argv):
    port, n, secs = int(argv[1]), int(argv[2]), float(argv[3])
    interval = float(argv[4]) if len(argv) > 4 else 1.0
    devs = []
    tag = os.urandom(2).hex()
    for i in range(n):
        d = p.Peer(port)
        d.sock = d.socks[0]
        d.sock.setblocking(False)
        d.ep = "soak-%s-%03d" % (tag, i)
        d.loc = None
        d.pending = {}  # mid -> (kind, sent_at)
        d.next_at = time.monotonic() + interval * i / n  # spread the load over the second
        devs.append(d)
    by_fd = {d.sock.fileno(): d for d in devs}
    stats = {"register": 0, "update": 0, "answered": 0, "lost": 0, "rereg": 0, "bad": 0}
    end = time.monotonic() + secs
    while time.monotonic() < end:
        now = time.monotonic()
        for d in devs:
            for mid, (kind, at) in list(d.pending.items()):
                if now - at > 2.0:
                    del d.pending[mid]
                    stats["lost"] += 1
            if now >= d.next_at:
                d.next_at += interval
                mid = d.next_mid()
                if d.loc is None:
                    msg = p.coap(p.CON, p.POST, mid, os.urandom(4),
                                 p.rd_path("rd") + p.queries("ep=" + d.ep, "lt=30", "b=U")
                                 + [(p.O_CF, b"\x28")], p.LINKS)
                    kind = "register"
                else:
                    msg = p.coap(p.CON, p.POST, mid, os.urandom(4),
                                 p.rd_path(*d.loc) + p.queries("lt=30"))
                    kind = "update"
                d.sock.sendto(msg, d.addr)
                d.pending[mid] = (kind, now)
                stats[kind] += 1
        timeout = max(0.0, min(d.next_at for d in devs) - time.monotonic())
        r, _, _ = select.select(list(by_fd), [], [], min(timeout, 0.05))
        for fd in r:
            d = by_fd[fd]
            try:
                data = d.sock.recv(2048)
            except BlockingIOError:
                continue
            if len(data) < 4:
                continue
            mid = int.from_bytes(data[2:4], "big")
            if mid not in d.pending:
                continue
            kind, _ = d.pending.pop(mid)
            stats["answered"] += 1
            code = p.code_of(data)
            if kind == "register" and code == "2.01":
                d.loc = p.location(data)
            elif kind == "update" and code == "4.04":
                d.loc = None
                stats["rereg"] += 1
            elif code not in ("2.01", "2.04"):
                stats["bad"] += 1
    print("devices=%d seconds=%d registers=%d updates=%d answered=%d lost=%d "
          "re-registered=%d unexpected=%d" % (n, secs, stats["register"], stats["update"],
                                             stats["answered"], stats["lost"], stats["rereg"],
                                             stats["bad"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
