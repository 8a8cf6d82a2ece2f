#!/usr/bin/env python3
"""MIGRATE's worst pause, side by side with real Redis (whose MIGRATE blocks the node).

Per run and kind (real redis-server, Rookery node jar), two fresh nodes on loopback: the source gets a
hash of FIELDS fields (1 000 000 by default, `f<n>` -> `v<n>`), then `MIGRATE <target> "" 0 60000 KEYS
big` moves it while another client PINGs the source back to back. Reported per kind: how long MIGRATE
took, the number of PINGs answered while it ran, and their worst and p99.9 latency (a PING counts when
its round trip overlaps the MIGRATE); the ratio is ours / Redis (below 1 is better). DUMP of the same
value is timed first: the source's own serialization share of the pause (the rest is the transfer and
the target's RESTORE, which MIGRATE waits for).

The nodes run standalone (cluster-enabled no): MIGRATE serializes and ships the value the same way in
both modes, and a standalone target takes plain RESTORE. Ports come from PORT_BASE (default 17400).
Usage: bench/migrate-pause.py [runs] [fields]      (defaults: 1 run, 1000000 fields)
"""
import os, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20").split()
NODE_JAR = os.path.join(ROOT, "node-service/target/rookery-node.jar")
PORT_BASE = int(os.environ.get("PORT_BASE", "17400"))


def start(kind, port, work):
    d = os.path.join(work, "%s-%d" % (kind, port))
    os.makedirs(d)
    log = open(os.path.join(d, "out.log"), "w")
    if kind == "redis":
        cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", d]
    else:
        cmd = ["java"] + JAVA_OPTS + ["-jar", NODE_JAR, "--rookery.node.port=%d" % port,
                                      "--rookery.node.bind=127.0.0.1", "--rookery.node.directives.save=",
                                      "--rookery.node.directives.dir=" + d, "--server.port=0",
                                      "--logging.level.root=WARN"]
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, MALLOC_ARENA_MAX="2"))
    deadline = time.time() + 300  # a JVM on a loaded machine may take minutes
    while time.time() < deadline:
        try:
            with Conn(port) as c:
                if c.call("PING") == b"+PONG":
                    return p
        except OSError:
            time.sleep(0.2)
    p.kill()
    raise RuntimeError("%s on port %d did not start (see %s)" % (kind, port, d))


class Conn:
    """A bare RESP connection: enough for PING, HSET, MIGRATE and friends (first reply line only)."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.s.makefile("rb")

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.s.close()

    @staticmethod
    def encode(*args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def send(self, data):
        self.s.sendall(data)

    def line(self):
        return self.f.readline().rstrip(b"\r\n")

    def call(self, *args):
        self.send(self.encode(*args))
        return self.line()

    def bulk(self, *args):
        """Sends a command whose reply is a bulk string and reads all of it; returns its length."""
        head = self.call(*args)
        n = int(head[1:])
        remaining = n + 2
        while remaining > 0:
            remaining -= len(self.f.read(min(remaining, 1 << 20)))
        return n


def fill(port, fields):
    """HSET big with `fields` fields, 1000 per command, 100 commands in flight."""
    with Conn(port) as c:
        batch, sent = [], 0
        for start in range(0, fields, 1000):
            args = ["HSET", "big"]
            for i in range(start, min(fields, start + 1000)):
                args += ["f%d" % i, "v%d" % i]
            batch.append(Conn.encode(*args))
            if len(batch) == 100:
                c.send(b"".join(batch))
                for _ in batch:
                    c.line()
                batch = []
        if batch:
            c.send(b"".join(batch))
            for _ in batch:
                c.line()
        n = int(c.call("HLEN", "big")[1:])
        if n != fields:
            raise RuntimeError("HLEN big is %d, expected %d" % (n, fields))


def measure(kind, fields, work):
    src_port, dst_port = PORT_BASE + (0 if kind == "redis" else 2), PORT_BASE + (1 if kind == "redis" else 3)
    src = start(kind, src_port, work)
    dst = start(kind, dst_port, work)
    try:
        fill(src_port, fields)
        pings = []  # (start, end) of each round trip
        stop = threading.Event()

        def pinger():
            with Conn(src_port) as c:
                while not stop.is_set():
                    t0 = time.perf_counter()
                    c.call("PING")
                    pings.append((t0, time.perf_counter()))

        with Conn(src_port) as c:  # the source's share of the pause: serializing the value (as DUMP does)
            d0 = time.perf_counter()
            payload = c.bulk("DUMP", "big")
            dump_ms = (time.perf_counter() - d0) * 1000
        t = threading.Thread(target=pinger, daemon=True)
        t.start()
        time.sleep(1.0)  # steady state before the MIGRATE
        with Conn(src_port) as c:
            m0 = time.perf_counter()
            reply = c.call("MIGRATE", "127.0.0.1", dst_port, "", 0, 60000, "KEYS", "big")
            m1 = time.perf_counter()
        time.sleep(0.5)
        stop.set()
        t.join(10)
        if reply != b"+OK":
            raise RuntimeError("%s MIGRATE replied %r" % (kind, reply))
        with Conn(dst_port) as c:
            n = int(c.call("HLEN", "big")[1:])
            if n != fields:
                raise RuntimeError("%s target has %d fields, expected %d" % (kind, n, fields))
        during = sorted((e - s) * 1000 for s, e in pings if e >= m0 and s <= m1)
        before = sorted((e - s) * 1000 for s, e in pings if e < m0)
        if not during:
            during = [0.0]
        p999 = during[min(len(during) - 1, int(len(during) * 0.999))]
        return {"dump_ms": dump_ms, "payload_mb": payload / 1e6, "migrate_ms": (m1 - m0) * 1000, "pings": len(during), "worst_ms": during[-1], "p999_ms": p999,
                "idle_p999_ms": before[min(len(before) - 1, int(len(before) * 0.999))] if before else 0.0}
    finally:
        for p in (src, dst):
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    fields = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    if not os.path.exists(NODE_JAR):
        subprocess.run(["mvn", "-B", "-q", "-o", "-pl", "node-service", "-am", "package", "-DskipTests"], cwd=ROOT,
                       check=True)
    results = {"redis": [], "rookery": []}
    with tempfile.TemporaryDirectory(prefix="migrate-pause-") as work:
        for r in range(runs):
            for kind in ("redis", "rookery"):
                res = measure(kind, fields, work)
                results[kind].append(res)
                print("run %d %-7s DUMP %7.1f ms (%.1f MB)  MIGRATE %8.1f ms  pings during %5d  worst %8.1f ms  "
                      "p99.9 %8.1f ms  (idle p99.9 %.2f ms)"
                      % (r + 1, kind, res["dump_ms"], res["payload_mb"], res["migrate_ms"], res["pings"], res["worst_ms"],
                         res["p999_ms"], res["idle_p999_ms"]), flush=True)
    print()
    for key, label in (("dump_ms", "DUMP time"), ("migrate_ms", "MIGRATE time"), ("worst_ms", "worst PING"), ("p999_ms", "p99.9 PING")):
        ours = sorted(x[key] for x in results["rookery"])[len(results["rookery"]) // 2]
        theirs = sorted(x[key] for x in results["redis"])[len(results["redis"]) // 2]
        print("%-13s median  redis %8.1f ms  rookery %8.1f ms  ours/redis %.2f"
              % (label, theirs, ours, ours / theirs if theirs else float("nan")))


if __name__ == "__main__":
    main()
