#!/usr/bin/env python3
"""A hostile LwM2M peer for the hostile-peer suite: raw UDP only, loopback only.

Each subcommand sends a bounded number of datagrams to the tool and exits; every socket
read has a timeout, so nothing here can hang.

  peer.py register-flood PORT N          N Registers with distinct endpoint names
  peer.py update-flood PORT N            one Register, then N Updates of it
  peer.py malformed PORT                 the malformed-CoAP battery (headers, tokens, options)
  peer.py unknown-ids PORT               Update / De-register for registrations never made
  peer.py register PORT EP               one valid Register; prints the response code
  peer.py register-vanish PORT1 PORT2    registers on both servers, then goes silent
  peer.py dtls-garbage PORT N            garbage and replayed DTLS records
  peer.py hello-flood PORT N             N ClientHellos from N source ports
  peer.py half-handshake PORT SRC        a handshake from port SRC abandoned after ServerHello
Prints one summary line "sent=… answered=… codes=…" and exits 0 unless the tool stopped
answering a probe it must answer (then 1)."""
import os
import random
import socket
import struct
import sys
import time

HOST = "127.0.0.1"
CON, NON, ACK, RST = 0, 1, 2, 3
POST, DELETE = 2, 4
O_URI_PATH, O_CF, O_URI_QUERY = 11, 12, 15


def opt_bytes(options):
    """options: [(number, bytes)] -> encoded, sorted, with extended delta/length."""
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
        l, lx = nib(length)
        out += bytes([(d << 4) | l]) + dx + lx + val
    return out


def coap(mtype, code, mid, token=b"", options=(), payload=b""):
    head = bytes([0x40 | (mtype << 4) | len(token), code]) + struct.pack(">H", mid & 0xFFFF)
    msg = head + token + opt_bytes(list(options))
    if payload:
        msg += b"\xff" + payload
    return msg


def rd_path(*segs):
    return [(O_URI_PATH, s.encode()) for s in segs]


def queries(*qs):
    return [(O_URI_QUERY, q.encode()) for q in qs]


LINKS = b"</1/0>,</3/0>"


class Peer:
    def __init__(self, port, sockets=1):
        self.addr = (HOST, port)
        self.socks = []
        for _ in range(sockets):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            s.bind((HOST, 0))
            s.settimeout(2.0)
            self.socks.append(s)
        self.mid = random.randint(0, 0xFFFF)
        self.sent = 0
        self.answered = 0
        self.codes = {}

    def next_mid(self):
        self.mid = (self.mid + 1) & 0xFFFF
        return self.mid

    def send(self, data, sock=0):
        self.socks[sock % len(self.socks)].sendto(data, self.addr)
        self.sent += 1

    def recv(self, sock=0, timeout=2.0):
        s = self.socks[sock % len(self.socks)]
        s.settimeout(timeout)
        try:
            data, _ = s.recvfrom(65536)
        except socket.timeout:
            return None
        self.answered += 1
        if len(data) >= 2:
            c = "%d.%02d" % (data[1] >> 5, data[1] & 31)
            self.codes[c] = self.codes.get(c, 0) + 1
        return data

    def request(self, code, options, payload=b"", sock=0, timeout=2.0):
        """One CON request, waits for the response with the same message id."""
        mid = self.next_mid()
        tok = os.urandom(4)
        self.send(coap(CON, code, mid, tok, options, payload), sock)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r = self.recv(sock, max(0.01, end - time.monotonic()))
            if r is None:
                return None
            if len(r) >= 4 and struct.unpack(">H", r[2:4])[0] == mid:
                return r
        return None

    def windowed(self, messages, window=32, sock_count=1):
        """Sends a stream of CON messages keeping at most `window` unanswered per socket;
        a lost answer only costs the read timeout once."""
        outstanding = [0] * sock_count
        for i, msg in enumerate(messages):
            s = i % sock_count
            self.send(msg, s)
            outstanding[s] += 1
            if outstanding[s] >= window:
                while outstanding[s] > window // 2:
                    if self.recv(s, 1.0) is None:
                        outstanding[s] = 0
                        break
                    outstanding[s] -= 1
        for s in range(sock_count):
            while outstanding[s] > 0 and self.recv(s, 0.5) is not None:
                outstanding[s] -= 1

    def summary(self):
        codes = ",".join("%s:%d" % kv for kv in sorted(self.codes.items()))
        print("sent=%d answered=%d codes=%s" % (self.sent, self.answered, codes))


def code_of(resp):
    return None if resp is None else "%d.%02d" % (resp[1] >> 5, resp[1] & 31)


def options(resp):
    """The options of a message: [(number, value bytes)]."""
    out = []
    if resp is None or len(resp) < 4:
        return out
    i, num = 4 + (resp[0] & 15), 0
    try:
        while i < len(resp) and resp[i] != 0xFF:
            d, l = resp[i] >> 4, resp[i] & 15
            i += 1
            if d == 13:
                d = resp[i] + 13; i += 1
            elif d == 14:
                d = struct.unpack(">H", resp[i:i + 2])[0] + 269; i += 2
            if l == 13:
                l = resp[i] + 13; i += 1
            elif l == 14:
                l = struct.unpack(">H", resp[i:i + 2])[0] + 269; i += 2
            num += d
            out.append((num, resp[i:i + l]))
            i += l
    except (IndexError, struct.error):
        pass
    return out


def location(resp):
    """The Location-Path segments of a response."""
    return [v.decode("ascii", "replace") for n, v in options(resp) if n == 8]


def max_age(resp):
    """The Max-Age option of a response, or None."""
    ages = [int.from_bytes(v, "big") for n, v in options(resp) if n == 14]
    return ages[0] if ages else None


def register_msg(peer, ep, lt=86400):
    return coap(CON, POST, peer.next_mid(), os.urandom(4),
                rd_path("rd") + queries("ep=" + ep, "lt=%d" % lt, "lwm2m=1.0", "b=U")
                + [(O_CF, b"\x28")], LINKS)


def cmd_register_flood(port, n):
    p = Peer(port, sockets=8)
    tag = os.urandom(3).hex()
    p.windowed((register_msg(p, "flood-%s-%d" % (tag, i)) for i in range(n)), 32, 8)
    p.summary()
    return 0


def cmd_update_flood(port, n):
    p = Peer(port)
    ep = "updater-" + os.urandom(3).hex()
    print("ep=" + ep)
    r = p.request(POST, rd_path("rd") + queries("ep=" + ep, "lt=86400")
                  + [(O_CF, b"\x28")], LINKS)
    loc = location(r)
    if code_of(r) != "2.01" or len(loc) != 2:
        print("register before the Update flood answered %s" % code_of(r))
        return 1
    p.windowed((coap(CON, POST, p.next_mid(), os.urandom(4),
                     rd_path(*loc) + queries("lt=86400"), b"") for _ in range(n)), 32)
    p.summary()
    return 0


def cmd_register_vanish(port1, port2):
    """Registers as one device on both servers, then vanishes: its sockets close and
    every request the tool sends it goes unanswered."""
    codes = []
    for port in (port1, port2):
        p = Peer(port)
        codes.append(code_of(p.request(POST, rd_path("rd") + queries("ep=vanisher", "lt=60", "b=U")
                                       + [(O_CF, b"\x28")], LINKS, timeout=5.0)))
        for s in p.socks:
            s.close()
    print("registered: %s, then gone" % " ".join(str(c) for c in codes))
    return 0 if codes == ["2.01", "2.01"] else 1


def cmd_register(port, ep):
    """One Register; prints "2.01", or "5.03 max-age=N" when refused."""
    p = Peer(port)
    r = p.request(POST, rd_path("rd") + queries("ep=" + ep, "lt=60") + [(O_CF, b"\x28")], LINKS,
                  timeout=5.0)
    if r is not None and max_age(r) is not None:
        print("%s max-age=%d" % (code_of(r), max_age(r)))
    else:
        print(code_of(r) or "none")
    return 0 if r is not None else 1


def malformed_battery(p):
    """Datagrams no conformant CoAP peer sends. Each is a (name, bytes) pair."""
    tok = b"\x01\x02\x03\x04"
    reg = rd_path("rd") + queries("ep=x")
    m = []
    m.append(("empty datagram", b""))
    m.append(("one byte", b"\x40"))
    m.append(("three bytes", b"\x40\x02\x00"))
    m.append(("version 0", bytes([0x00 | 4, POST, 0, 1]) + tok))
    m.append(("version 3", bytes([0xC0 | 4, POST, 0, 2]) + tok))
    for tkl in (9, 10, 15):
        m.append(("token length %d" % tkl, bytes([0x40 | tkl, POST, 0, 3]) + b"\xaa" * 15))
    m.append(("token longer than the datagram", bytes([0x48, POST, 0, 4]) + b"\xaa\xbb"))
    m.append(("empty message with a token", bytes([0x44, 0, 0, 5]) + tok))
    m.append(("empty message with a payload", bytes([0x40, 0, 0, 6, 0xFF, 0x41])))
    m.append(("reserved code class 1", bytes([0x40, 0x21, 0, 7])))
    m.append(("reserved code class 7", bytes([0x40, 0xE1, 0, 8])))
    m.append(("option delta 15", bytes([0x40, POST, 0, 9, 0xF1, 0x41])))
    m.append(("option length 15", bytes([0x40, POST, 0, 10, 0xBF, 0x41])))
    m.append(("delta 13 without its byte", bytes([0x40, POST, 0, 11, 0xD0])))
    m.append(("delta 14 without its bytes", bytes([0x40, POST, 0, 12, 0xE0, 0x01])))
    m.append(("length 14 without its bytes", bytes([0x40, POST, 0, 13, 0xBE])))
    m.append(("option value past the end", bytes([0x40, POST, 0, 14, 0xB8]) + b"rd"))
    m.append(("option number overflow", bytes([0x40, POST, 0, 15, 0xE0, 0xFF, 0xFF, 0xE0, 0xFF, 0xFF])))
    m.append(("payload marker, no payload", coap(CON, POST, 16, tok, reg) + b"\xff"))
    m.append(("unknown critical option 9", coap(CON, POST, 17, tok, reg + [(9, b"x")])))
    m.append(("Content-Format of 5 bytes", coap(CON, POST, 18, tok, reg + [(O_CF, b"\x01\x02\x03\x04\x05")])))
    m.append(("Uri-Path of 1000 bytes", coap(CON, POST, 19, tok, [(O_URI_PATH, b"r" * 1000)])))
    m.append(("300 Uri-Path options", coap(CON, POST, 20, tok, [(O_URI_PATH, b"rd")] * 300)))
    m.append(("300 Uri-Query options", coap(CON, POST, 21, tok, rd_path("rd") + [(O_URI_QUERY, b"ep=a")] * 300)))
    m.append(("Uri-Query of 1200 bytes", coap(CON, POST, 22, tok, rd_path("rd") + [(O_URI_QUERY, b"ep=" + b"e" * 1200)])))
    m.append(("payload of 60000 bytes", coap(CON, POST, 23, tok, reg, b"<" * 60000)))
    m.append(("payload of 1400 bytes", coap(CON, POST, 24, tok, reg, b"</1/0>," * 200)))
    for i, links in enumerate([b"<", b"</1/0", b"</1/0>;", b"</1/0>;=x", b"<>,<>", b"</1/0>;a=\"unterminated",
                               b"\x00\x01\x02", b"</1/0>,,,", b",", b"</a/b/c/d/e>", b"</65536/0>",
                               b"</1/0>;" + b"a=1;" * 500, b"\xff\xfe</1/0>"]):
        m.append(("invalid link format %d" % i, coap(CON, POST, 30 + i, tok,
                                                       reg + [(O_CF, b"\x28")], links)))
    for i, q in enumerate([["ep="], ["lt=-1"], ["ep=a", "lt=99999999999999999999"], ["ep=a", "b=Q" * 100],
                           ["ep=a", "lwm2m=9.9"], ["=", "&&&"], ["ep=a", "ep=b"], ["ep=\x00"]]):
        m.append(("bad Register query %d" % i, coap(CON, POST, 60 + i, tok,
                                                    rd_path("rd") + queries(*q), LINKS)))
    m.append(("RST for nothing", bytes([0x70, 0, 0, 99])))
    m.append(("ACK for nothing", bytes([0x60, 0x44, 0, 100]) + tok))
    m.append(("NON request", coap(NON, POST, 101, tok, reg, LINKS)))
    m.append(("GET on /rd", coap(CON, 1, 102, tok, rd_path("rd"))))
    m.append(("PUT on /rd/x", coap(CON, 3, 103, tok, rd_path("rd", "x"))))
    m.append(("response code as a request", coap(CON, 0x44, 104, tok, reg)))
    rnd = random.Random(11)
    for i in range(40):
        m.append(("random bytes %d" % i, bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 64)))))
    for i in range(40):
        base = bytearray(coap(CON, POST, 200 + i, tok, reg + [(O_CF, b"\x28")], LINKS))
        for _ in range(3):
            base[rnd.randrange(len(base))] = rnd.getrandbits(8)
        m.append(("mutated Register %d" % i, bytes(base)))
    return m


def cmd_malformed(port):
    p = Peer(port)
    for name, data in malformed_battery(p):
        try:
            p.send(data)
        except OSError as e:  # 60000 bytes is fine on loopback; report anything else
            print("could not send %s: %s" % (name, e))
        while p.recv(0, 0.01) is not None:
            pass
    # the tool must still answer a well-formed request afterwards
    r = p.request(POST, rd_path("rd", "no-such-id") + queries("lt=60"), timeout=5.0)
    p.summary()
    print("probe after the battery: %s" % code_of(r))
    return 0 if code_of(r) == "4.04" else 1


def cmd_unknown_ids(port):
    p = Peer(port)
    codes = []
    for i in range(50):
        codes.append(code_of(p.request(POST, rd_path("rd", "unknown%d" % i) + queries("lt=60"))))
        codes.append(code_of(p.request(DELETE, rd_path("rd", "unknown%d" % i))))
    p.summary()
    return 0 if all(c == "4.04" for c in codes) else 1


# ---- DTLS ------------------------------------------------------------------------------

def dtls_record(ctype, epoch, seq, body, version=b"\xfe\xfd"):
    return bytes([ctype]) + version + struct.pack(">H", epoch) + seq.to_bytes(6, "big") + \
        struct.pack(">H", len(body)) + body


def client_hello(identity_hint=b"", cookie=b"", rnd=None, seq=0):
    """A DTLS 1.2 ClientHello offering the PSK suites (CCM_8 and CBC); seq is both the
    record's sequence number and the handshake message_seq."""
    suites = [0xC0A8, 0x00AE, 0xC0A4]
    body = b"\xfe\xfd" + (rnd or os.urandom(32)) + b"\x00" + bytes([len(cookie)]) + cookie
    body += struct.pack(">H", 2 * len(suites)) + b"".join(struct.pack(">H", s) for s in suites)
    body += b"\x01\x00"
    hs = bytes([1]) + len(body).to_bytes(3, "big") + struct.pack(">H", seq) + b"\x00\x00\x00" + len(body).to_bytes(3, "big") + body
    return dtls_record(22, 0, seq, hs)


def cmd_dtls_garbage(port, n):
    p = Peer(port)
    rnd = random.Random(7)
    hello = client_hello()
    msgs = [b"", b"\x16", b"\x16\xfe\xfd", hello[:20], hello + b"\x00" * 10,
            dtls_record(23, 1, 5, os.urandom(40)),          # application data, unknown epoch
            dtls_record(21, 0, 1, b"\x02\x28"),             # alert
            dtls_record(20, 0, 2, b"\x01"),                 # change cipher spec
            dtls_record(22, 0, 3, b"\x00" * 12),            # empty handshake
            dtls_record(22, 0, 4, os.urandom(200)),
            dtls_record(22, 0, 5, b"", version=b"\x03\x03"),
            dtls_record(99, 0, 6, os.urandom(10))]
    for _ in range(n):
        m = rnd.choice(msgs)
        if rnd.random() < 0.3:
            b = bytearray(hello)
            b[rnd.randrange(len(b))] ^= 1 << rnd.randrange(8)
            m = bytes(b)
        p.send(m)
        p.send(m)  # and its replay
    # a ClientHello still gets a HelloVerifyRequest
    p.send(client_hello())
    r = p.recv(0, 5.0)
    ok = r is not None and len(r) > 13 and r[0] == 22
    p.summary()
    print("hello-verify after the garbage: %s" % ("yes" if ok else "no"))
    return 0 if ok else 1


def cmd_hello_probe(port, seconds):
    """Sends a ClientHello every 0.2 s from a fresh port until one is answered; prints after
    how long. Exit 1 when none is within `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((HOST, 0))
        s.settimeout(0.2)
        s.sendto(client_hello(), (HOST, port))
        try:
            r = s.recv(2048)
            if r and r[0] == 22:
                print("answered after %.1f s" % (time.monotonic() - start))
                return 0
        except socket.timeout:
            pass
        finally:
            s.close()
    print("no answer within %d s" % seconds)
    return 1


def cmd_half_handshake(port, src):
    """From UDP port src: a ClientHello, the HelloVerifyRequest's cookie returned in a second
    ClientHello, the server's ServerHello, then silence. The server is left with a session
    in the middle of its handshake for that address, as a device that restarted while it
    handshook leaves it. Exit 1 when the server's flight does not come."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, src))
    s.settimeout(2.0)
    rnd = os.urandom(32)
    try:
        s.sendto(client_hello(rnd=rnd), (HOST, port))
        hvr = s.recv(2048)
        if len(hvr) < 28 or hvr[0] != 22 or hvr[13] != 3:
            print("no HelloVerifyRequest")
            return 1
        cookie = hvr[28:28 + hvr[27]]
        s.sendto(client_hello(cookie=cookie, rnd=rnd, seq=1), (HOST, port))
        r = s.recv(4096)
        ok = len(r) > 13 and r[0] == 22 and r[13] == 2
        print("server-hello=%s" % ("yes" if ok else "no"))
        return 0 if ok else 1
    except socket.timeout:
        print("no answer")
        return 1
    finally:
        s.close()


def cmd_hello_flood(port, n):
    """ClientHellos from many source ports, each answered by a HelloVerifyRequest that
    nobody follows up: half-open sessions for the tool to bound."""
    answered = 0
    socks = []
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((HOST, 0))
        s.setblocking(False)
        s.sendto(client_hello(), (HOST, port))
        socks.append(s)
        if len(socks) >= 64:
            for t in socks:
                try:
                    t.recv(2048)
                    answered += 1
                except OSError:
                    pass
                t.close()
            socks = []
    end = time.monotonic() + 1.0
    for t in socks:
        t.settimeout(max(0.01, end - time.monotonic()))
        try:
            t.recv(2048)
            answered += 1
        except OSError:
            pass
        t.close()
    print("sent=%d answered=%d" % (n, answered))
    return 0


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd, port = argv[1], int(argv[2])
    if cmd == "register-flood":
        return cmd_register_flood(port, int(argv[3]))
    if cmd == "update-flood":
        return cmd_update_flood(port, int(argv[3]))
    if cmd == "register":
        return cmd_register(port, argv[3])
    if cmd == "malformed":
        return cmd_malformed(port)
    if cmd == "unknown-ids":
        return cmd_unknown_ids(port)
    if cmd == "dtls-garbage":
        return cmd_dtls_garbage(port, int(argv[3]))
    if cmd == "register-vanish":
        return cmd_register_vanish(port, int(argv[3]))
    if cmd == "hello-probe":
        return cmd_hello_probe(port, int(argv[3]))
    if cmd == "hello-flood":
        return cmd_hello_flood(port, int(argv[3]))
    if cmd == "half-handshake":
        return cmd_half_handshake(port, int(argv[3]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
