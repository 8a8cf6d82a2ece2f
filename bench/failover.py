#!/usr/bin/env python3
"""Failover time, side by side: kill -9 of the primary to the first +switch-master a subscriber sees.

Topologies (fresh processes every run, all on loopback, down-after-milliseconds 1000, quorum 2):
  redis    3 redis-server (primary + 2 replicas) watched by 3 redis-sentinel
  rookery  3 Rookery nodes watched by 3 Rookery sentinels
  mixed    3 redis-server watched by 3 Rookery sentinels (the sentinels alone compared)

Before each kill every sentinel must know both replicas (links up) and both other sentinels. Every
sentinel has a subscriber on +switch-master; reported are the time to the first one any subscriber
sees and to the one a subscriber on the first sentinel sees.
Usage: bench/failover.py [runs] [topologies...]   (defaults: 5, all three)
"""
import os, signal, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20").split()
NODE_JAR = os.path.join(ROOT, "node-service/target/rookery-node.jar")
SENTINEL_JAR = os.path.join(ROOT, "sentinel-service/target/rookery-sentinel.jar")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def encode(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(b), b)
    return out


class Conn:
    def __init__(self, port, timeout=2.0):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError
            self.buf += d
        i = self.buf.index(b"\r\n")
        l, self.buf = self.buf[:i], self.buf[i + 2:]
        return l

    def reply(self):
        l = self.line()
        t, body = l[:1], l[1:]
        if t == b"$":
            n = int(body)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                d = self.s.recv(65536)
                if not d:
                    raise EOFError
                self.buf += d
            v, self.buf = self.buf[:n], self.buf[n + 2:]
            return v.decode()
        if t in (b"*", b"%"):
            n = int(body)
            return None if n < 0 else [self.reply() for _ in range(n * (2 if t == b"%" else 1))]
        if t == b":":
            return int(body)
        if t == b"-":
            return RuntimeError(body.decode())
        return body.decode()

    def call(self, *args):
        self.s.sendall(encode(*args))
        return self.reply()

    def close(self):
        self.s.close()


def call(port, *args):
    c = Conn(port)
    try:
        return c.call(*args)
    finally:
        c.close()


def wait_port(port, proc, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError("process for port %d exited" % port)
        try:
            if call(port, "PING") == "PONG":
                return
        except (OSError, EOFError):
            pass
        time.sleep(0.05)
    raise RuntimeError("port %d never answered" % port)


class Topology:
    def __init__(self, kind, work):
        self.kind, self.work, self.procs = kind, work, []
        self.nodes = [free_port() for _ in range(3)]
        self.sentinels = [free_port() for _ in range(3)]

    def spawn(self, name, cmd):
        log = open(os.path.join(self.work, name + ".log"), "w")
        env = dict(os.environ, MALLOC_ARENA_MAX="2")
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        self.procs.append(p)
        return p

    def start_node(self, i):
        port = self.nodes[i]
        d = os.path.join(self.work, "node-%d" % port)
        os.makedirs(d, exist_ok=True)
        if self.kind in ("redis", "mixed"):
            cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", d]
            if i > 0:
                cmd += ["--replicaof", "127.0.0.1", str(self.nodes[0])]
        else:
            cmd = ["java"] + JAVA_OPTS + ["-jar", NODE_JAR, "--rookery.node.port=%d" % port, "--rookery.node.bind=127.0.0.1",
                                          "--rookery.node.directives.save=", "--rookery.node.directives.dir=" + d,
                                          "--server.port=0", "--logging.level.root=WARN"]
            if i > 0:
                cmd.append("--rookery.node.directives.replicaof=127.0.0.1 %d" % self.nodes[0])
        return self.spawn("node-%d" % port, cmd)

    def start_sentinel(self, i):
        port = self.sentinels[i]
        conf = os.path.join(self.work, "sentinel-%d.conf" % port)
        with open(conf, "w") as f:
            f.write("port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor mymaster 127.0.0.1 %d 2\n"
                    "sentinel down-after-milliseconds mymaster 1000\n" % (port, self.work, self.nodes[0]))
        if self.kind == "redis":
            cmd = ["redis-sentinel", conf]
        else:
            cmd = ["java"] + JAVA_OPTS + ["-jar", SENTINEL_JAR, "--config", conf, "--server.port=0", "--logging.level.root=WARN"]
        return self.spawn("sentinel-%d" % port, cmd)

    def up(self):
        node_procs = [self.start_node(i) for i in range(3)]
        for port, p in zip(self.nodes, node_procs):
            wait_port(port, p)
        self.primary = node_procs[0]
        sentinel_procs = [self.start_sentinel(i) for i in range(3)]
        for port, p in zip(self.sentinels, sentinel_procs):
            wait_port(port, p)

    def ready(self):
        for s in self.sentinels:
            try:
                m = call(s, "SENTINEL", "MASTER", "mymaster")
                fields = dict(zip(m[::2], m[1::2]))
                if fields.get("num-slaves") != "2" or fields.get("num-other-sentinels") != "2" or fields.get("flags") != "master":
                    return False
                for r in call(s, "SENTINEL", "REPLICAS", "mymaster"):
                    rf = dict(zip(r[::2], r[1::2]))
                    if rf.get("flags") != "slave" or rf.get("master-link-status") != "ok":
                        return False
            except (OSError, EOFError, TypeError):
                return False
        return True

    def down(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
        for p in self.procs:
            p.wait()


def run_once(kind):
    work = tempfile.mkdtemp(prefix="failover-%s-" % kind)
    t = Topology(kind, work)
    try:
        t.up()
        end = time.time() + 90
        while not t.ready():
            if time.time() > end:
                raise RuntimeError("topology never settled (%s)" % work)
            time.sleep(0.1)
        time.sleep(1.0)
        subs = []
        for s in t.sentinels:
            c = Conn(s, timeout=None)
            c.call("SUBSCRIBE", "+switch-master")
            c.s.setblocking(False)
            subs.append(c)
        t0 = time.monotonic()
        t.primary.send_signal(signal.SIGKILL)
        seen = [None, None, None]
        deadline = t0 + 60
        import select
        while None in seen and time.monotonic() < deadline:
            readable, _, _ = select.select([c.s for c in subs], [], [], 0.05)
            now = time.monotonic()
            for i, c in enumerate(subs):
                if c.s in readable and seen[i] is None:
                    try:
                        d = c.s.recv(65536)
                    except BlockingIOError:
                        continue
                    if b"+switch-master" in d:
                        seen[i] = now - t0
        for c in subs:
            c.close()
        if seen[0] is None and all(s is None for s in seen):
            raise RuntimeError("no +switch-master within 60 s (%s)" % work)
        first = min(s for s in seen if s is not None)
        return first, seen[0]
    finally:
        t.down()


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    kinds = sys.argv[2:] or ["redis", "rookery", "mixed"]
    for jar in (NODE_JAR, SENTINEL_JAR):
        if not os.path.exists(jar):
            subprocess.check_call(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT)
    results = {}
    for kind in kinds:
        firsts, fixed = [], []
        for r in range(runs):
            first, own = run_once(kind)
            firsts.append(first)
            if own is not None:
                fixed.append(own)
            print("%-8s run %d: first +switch-master %.3f s, on sentinel #1 %s" % (
                kind, r + 1, first, "%.3f s" % own if own is not None else "not seen"), flush=True)
        results[kind] = (firsts, fixed)
    print()
    print("%-8s %8s %8s %8s %8s   %s" % ("topology", "median", "min", "max", "#1 med", "(seconds from kill -9 to +switch-master)"))
    for kind, (firsts, fixed) in results.items():
        print("%-8s %8.3f %8.3f %8.3f %8.3f" % (kind, statistics.median(firsts), min(firsts), max(firsts),
                                               statistics.median(fixed) if fixed else float("nan")))
    if "redis" in results:
        base = statistics.median(results["redis"][0])
        for kind in results:
            if kind != "redis":
                print("ratio %s / redis (median, first seen): %.2f" % (kind, statistics.median(results[kind][0]) / base))


if __name__ == "__main__":
    main()
