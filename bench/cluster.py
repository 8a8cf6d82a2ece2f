#!/usr/bin/env python3
"""Cluster mode, side by side with real Redis: failover time and throughput.

failover  (per run, fresh processes on loopback, cluster-node-timeout 2000): 3 primaries + 3 replicas
          made by `redis-cli --cluster create --cluster-replicas 1`; the primary of key "foo" is
          killed with SIGKILL; reported is the time from the kill to the first `SET foo` a node of the
          cluster accepts (polled every 20 ms on every live node, no redirects followed).
throughput one primary serving all 16384 slots, cluster mode on, and the same node with cluster mode
          off: redis-benchmark SET/GET at -P 1 and -P 16 (-c 50, -n 200000), ours and Redis's. Each
          fresh server first finishes starting (for Rookery: its HTTP readiness, as RESP answers while
          the application context is still being built) and gets one unmeasured pass of the same
          tests, so the first measured row does not pay the JVM's start-up and JIT warm-up.

Runs are interleaved (redis, rookery, redis, ...); medians are reported with the ratio ours / Redis.
Usage: bench/cluster.py [failover|throughput] [runs]     (defaults: both, 5 runs)
"""
import os, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20").split()
NODE_JAR = os.path.join(ROOT, "node-service/target/rookery-node.jar")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cli(port, *args, timeout=30):
    r = subprocess.run(["redis-cli", "-p", str(port)] + [str(a) for a in args], capture_output=True, text=True,
                       timeout=timeout)
    return r.stdout.strip()


class Nodes:
    """Cluster-mode nodes of one kind in fresh processes, each with its own folder and bus port."""

    def __init__(self, kind, work):
        self.kind, self.work, self.procs = kind, work, {}

    def start(self, cluster=True, ready=False):
        """Starts a node; with ready, a Rookery node's start-up must also have finished (HTTP readiness)."""
        port, bus, http = free_port(), free_port(), free_port()
        d = os.path.join(self.work, "node-%d" % port)
        os.makedirs(d)
        log = open(os.path.join(d, "out.log"), "w")
        if self.kind == "redis":
            cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                   "--dir", d]
            if cluster:
                cmd += ["--cluster-enabled", "yes", "--cluster-port", str(bus), "--cluster-node-timeout", "2000"]
        else:
            cmd = ["java"] + JAVA_OPTS + ["-jar", NODE_JAR, "--rookery.node.port=%d" % port,
                                          "--rookery.node.bind=127.0.0.1", "--rookery.node.directives.save=",
                                          "--rookery.node.directives.dir=" + d, "--server.port=%d" % http,
                                          "--server.address=127.0.0.1", "--logging.level.root=WARN"]
            if cluster:
                cmd += ["--rookery.node.directives.cluster-enabled=yes", "--rookery.node.directives.cluster-port=%d" % bus,
                        "--rookery.node.directives.cluster-node-timeout=2000"]
        self.procs[port] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                            env=dict(os.environ, MALLOC_ARENA_MAX="2"))
        end = time.time() + 120
        while cli(port, "PING") != "PONG":
            if time.time() > end or self.procs[port].poll() is not None:
                raise RuntimeError("%s node on %d did not start (log in %s)" % (self.kind, port, d))
            time.sleep(0.05)
        if ready and self.kind != "redis":
            wait_for("readiness of the node on %d" % port, lambda: http_ok(
                "http://127.0.0.1:%d/actuator/health/readiness" % http), seconds=600)
        return port

    def kill(self, port):
        self.procs[port].send_signal(signal.SIGKILL)
        self.procs[port].wait()

    def down(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                p.wait()


def http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def wait_for(what, check, seconds=120):
    end = time.time() + seconds
    while time.time() < end:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for " + what)


def failover_once(kind):
    with tempfile.TemporaryDirectory() as work:
        nodes = Nodes(kind, work)
        try:
            ports = [nodes.start() for _ in range(6)]
            out = subprocess.run(["redis-cli", "--cluster", "create"] + ["127.0.0.1:%d" % p for p in ports]
                                 + ["--cluster-replicas", "1", "--cluster-yes"], capture_output=True, text=True,
                                 timeout=120).stdout
            if "All 16384 slots covered" not in out:
                raise RuntimeError("cluster create failed:\n" + out)
            wait_for("every node ok with 6 known nodes", lambda: all(
                "cluster_state:ok" in cli(p, "CLUSTER", "INFO") and "cluster_known_nodes:6" in cli(p, "CLUSTER", "INFO")
                for p in ports))
            owner = next(p for p in ports if cli(p, "SET", "foo", "bar") == "OK")
            wait_for("the owner's replica in sync", lambda: cli(owner, "WAIT", "1", "1000") == "1")
            alive = [p for p in ports if p != owner]
            start = time.time()
            nodes.kill(owner)
            while True:
                for p in alive:
                    if cli(p, "SET", "foo", "baz", timeout=5) == "OK":
                        return (time.time() - start) * 1000
                if time.time() - start > 60:
                    raise RuntimeError("no node took over within 60 s")
                time.sleep(0.02)
        finally:
            nodes.down()


def bench(port, test, pipeline):
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-t", test, "-n", "200000", "-c", "50", "-P", str(pipeline),
                          "-q", "--csv"], capture_output=True, text=True, timeout=600).stdout
    line = [l for l in out.splitlines() if l.startswith('"%s"' % test.upper())][0]
    return float(line.split(",")[1].strip('"'))


def throughput_once(kind, cluster):
    with tempfile.TemporaryDirectory() as work:
        nodes = Nodes(kind, work)
        try:
            port = nodes.start(cluster, ready=True)
            if cluster:
                cli(port, "CLUSTER", "ADDSLOTSRANGE", "0", "16383")
                wait_for("cluster ok", lambda: "cluster_state:ok" in cli(port, "CLUSTER", "INFO"))
            for t in ("set", "get"):  # unmeasured warm-up pass (the JIT's, for Rookery)
                for p in (16, 1):
                    bench(port, t, p)
            return {(t, p): bench(port, t, p) for t in ("set", "get") for p in (1, 16)}
        finally:
            nodes.down()


def main():
    what = [a for a in sys.argv[1:] if not a.isdigit()] or ["failover", "throughput"]
    runs = int(next((a for a in sys.argv[1:] if a.isdigit()), "5"))
    if not os.path.exists(NODE_JAR):
        subprocess.run(["mvn", "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True)
    if "failover" in what:
        times = {"redis": [], "rookery": []}
        for i in range(runs):
            for kind in ("redis", "rookery"):
                times[kind].append(failover_once(kind))
                print("run %d %-7s failover %.0f ms" % (i + 1, kind, times[kind][-1]), flush=True)
        r, o = statistics.median(times["redis"]), statistics.median(times["rookery"])
        print("failover (kill -9 of a primary -> first accepted write), median of %d: redis %.0f ms, rookery %.0f ms,"
              " ratio %.2f" % (runs, r, o, o / r))
    if "throughput" in what:
        results = {}
        for i in range(runs):
            for kind in ("redis", "rookery"):
                for cluster in (True, False):
                    for key, v in throughput_once(kind, cluster).items():
                        results.setdefault((kind, cluster) + key, []).append(v)
        print("| test | P | Redis cluster | ours cluster | ratio | Redis plain | ours plain | ratio | ours cluster/plain |")
        print("|---|---|---|---|---|---|---|---|---|")
        for t in ("set", "get"):
            for p in (1, 16):
                m = {(k, c): statistics.median(results[(k, c, t, p)]) for k in ("redis", "rookery") for c in (True, False)}
                print("| %s | %d | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.2f |" % (
                    t.upper(), p, m[("redis", True)], m[("rookery", True)], m[("rookery", True)] / m[("redis", True)],
                    m[("redis", False)], m[("rookery", False)], m[("rookery", False)] / m[("redis", False)],
                    m[("rookery", True)] / m[("rookery", False)]))


if __name__ == "__main__":
    main()
