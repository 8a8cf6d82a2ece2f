#!/usr/bin/env python3
"""Sends each line of a scenario to two servers and prints the replies that differ, byte for byte.
Usage: respdiff.py REDIS_PORT ROOKERY_PORT < scenario.txt   (lines split like redis-cli; '#' comments)"""
import socket, sys, shlex

def conn(port):
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(2); return s

def encode(args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        b = a.encode("latin-1") if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(b), b)
    return out

class Reader:
    def __init__(self, s): self.s, self.buf = s, b""
    def fill(self):
        d = self.s.recv(65536)
        if not d: raise EOFError
        self.buf += d
    def line(self):
        while b"\r\n" not in self.buf: self.fill()
        i = self.buf.index(b"\r\n"); l = self.buf[:i + 2]; self.buf = self.buf[i + 2:]; return l
    def exact(self, n):
        while len(self.buf) < n: self.fill()
        d = self.buf[:n]; self.buf = self.buf[n:]; return d
    def reply(self):
        l = self.line(); t = l[:1]; body = l[1:-2]
        if t in b"$=!":
            n = int(body)
            return l if n < 0 else l + self.exact(n + 2)
        if t in b"*~>%|":
            n = int(body)
            if n < 0: return l
            k = n * 2 if t in b"%|" else n
            out = l
            for _ in range(k): out += self.reply()
            if t == b"|": out += self.reply()
            return out
        return l

def canon(r):
    """Sorts the elements of every aggregate, for replies whose order is a hash order."""
    def parse(buf, i):
        t = buf[i:i+1]; j = buf.index(b"\r\n", i); body = buf[i+1:j]; i = j + 2
        if t in b"$=!":
            n = int(body)
            return (buf[:0] if n < 0 else buf[i:i+n]), (i if n < 0 else i + n + 2)
        if t in b"*~>%":
            n = int(body); items = []
            for _ in range(max(n, 0) * (2 if t == b"%" else 1)):
                v, i = parse(buf, i); items.append(v)
            return tuple(sorted(items, key=repr)), i
        return body, i
    try: return repr(parse(r, 0)[0]).encode()
    except Exception: return r

a, b = conn(int(sys.argv[1])), conn(int(sys.argv[2]))
ra, rb = Reader(a), Reader(b)
bad = 0
if len(sys.argv) > 3 and sys.argv[3] == "resp3":
    for s_, r_ in ((a, ra), (b, rb)):
        s_.sendall(encode(["HELLO", "3"])); r_.reply()
for n, line in enumerate(sys.stdin, 1):
    line = line.strip()
    if not line or line.startswith("#"): continue
    unordered = line.startswith("~ ")
    if unordered: line = line[2:]
    args = shlex.split(line)
    for s in (a, b): s.sendall(encode(args))
    try: x = ra.reply()
    except Exception as e: x = b"redis failed: " + repr(e).encode()
    try: y = rb.reply()
    except Exception as e: y = b"rookery failed: " + repr(e).encode()
    if unordered: x, y = canon(x), canon(y)
    if x != y:
        bad += 1
        print("line %d: %s\n  redis:   %r\n  rookery: %r" % (n, line, x[:300], y[:300]))
print("%d differences" % bad)
