#!/usr/bin/env python3
"""Slot moves side by side: redis-cli --cluster against the admin service's jobs, same cluster and data.

rebalance (default): 3 primaries holding --keys keys (--value-bytes each) and an empty 4th primary;
          timed: (a) `redis-cli --cluster rebalance --cluster-use-empty-masters` and (b) the admin
          service's rebalance job (POST /api/v1/clusters/{name}/rebalance {"useEmptyPrimaries": true},
          the job list polled every 100 ms until the job is done), each on a fresh cluster loaded with the same
          keys, runs interleaved (redis-cli, admin, redis-cli, ...).
reshard   3 primaries, --slots slots moved from the first primary to the second: (a) `redis-cli
          --cluster reshard` and (b) the admin service's reshard job.

During every move a probe process (python3-redis's RedisCluster, which follows MOVED and ASK) runs
GET and SET of random loaded keys back to back and records each call's latency; reported are the
max, p99.9 and p99 of the calls made while the move ran, and the errors it saw. After every move the
bench checks that the primaries hold every key and `redis-cli --cluster check` is clean.

The nodes are real redis-server processes for both tools (only the tool differs), or Rookery nodes
with --nodes rookery. The admin service runs as one process for the whole bench (as it would in
production: its JVM is warm after the first run), with a data directory in a scratch folder.
Ports: PORT_BASE (default: free ports) .. +19 for the nodes, bus ports +10000, the service at +90.

Usage: bench/rebalance.py [--mode rebalance|reshard] [--keys N] [--value-bytes B] [--large] [--runs R]
                          [--slots S] [--nodes redis|rookery] [--options JSON]
"""
import argparse, json, os, random, signal, socket, statistics, subprocess, sys, tempfile, time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20").split()
NODE_JAR = os.path.join(ROOT, "node-service/target/rookery-node.jar")
ADMIN_JAR = os.path.join(ROOT, "cluster-admin-service/target/rookery-admin.jar")
TOKEN = "bench-token"
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

_next_port = [int(os.environ["PORT_BASE"])] if os.environ.get("PORT_BASE") else None


def port_pair():
    """A node's port and its bus port: PORT_BASE upwards (bus +10000), else two free ports."""
    if _next_port:
        while True:  # bus ports (+10000) may fall in the ephemeral range: skip a pair that is taken
            p = _next_port[0]
            _next_port[0] += 1
            if port_free(p) and port_free(p + 10000):
                return p, p + 10000
    return free_port(), free_port()


def port_free(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cli(port, *args, timeout=60):
    r = subprocess.run(["redis-cli", "-p", str(port)] + [str(a) for a in args], capture_output=True, text=True,
                       timeout=timeout)
    return r.stdout.strip()


def wait_for(what, check, seconds=120):
    end = time.time() + seconds
    while time.time() < end:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for " + what)


class Nodes:
    """Cluster-mode nodes of one kind in fresh processes, each with its own folder."""

    def __init__(self, kind, work):
        self.kind, self.work, self.procs = kind, work, {}

    def start(self):
        port, bus = port_pair()
        d = tempfile.mkdtemp(prefix="node-%d-" % port, dir=self.work)
        log = open(os.path.join(d, "out.log"), "w")
        if self.kind == "redis":
            cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                   "--dir", d, "--cluster-enabled", "yes", "--cluster-port", str(bus),
                   "--cluster-node-timeout", "5000"]
        else:
            cmd = ["java"] + JAVA_OPTS + ["-jar", NODE_JAR, "--rookery.node.port=%d" % port,
                                          "--rookery.node.bind=127.0.0.1", "--rookery.node.directives.save=",
                                          "--rookery.node.directives.dir=" + d, "--server.port=0",
                                          "--logging.level.root=WARN",
                                          "--rookery.node.directives.cluster-enabled=yes",
                                          "--rookery.node.directives.cluster-port=%d" % bus,
                                          "--rookery.node.directives.cluster-node-timeout=5000"]
        self.procs[port] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                            env=dict(os.environ, MALLOC_ARENA_MAX="2"))
        end = time.time() + 120
        while cli(port, "PING") != "PONG":
            if time.time() > end or self.procs[port].poll() is not None:
                raise RuntimeError("%s node on %d did not start (log in %s)" % (self.kind, port, d))
            time.sleep(0.05)
        return port

    def down(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                p.wait()


def make_cluster(nodes, primaries, empty):
    """`primaries` primaries sharing the slots (redis-cli --cluster create) and `empty` slotless primaries."""
    ports = [nodes.start() for _ in range(primaries)]
    out = subprocess.run(["redis-cli", "--cluster", "create"] + ["127.0.0.1:%d" % p for p in ports]
                         + ["--cluster-yes"], capture_output=True, text=True, timeout=300).stdout
    if "All 16384 slots covered" not in out:
        raise RuntimeError("cluster create failed:\n" + out)
    extra = []
    for _ in range(empty):
        p = nodes.start()
        out = subprocess.run(["redis-cli", "--cluster", "add-node", "127.0.0.1:%d" % p, "127.0.0.1:%d" % ports[0]],
                             capture_output=True, text=True, timeout=300).stdout
        if "New node added correctly" not in out:
            raise RuntimeError("add-node failed:\n" + out)
        extra.append(p)
    everyone = ports + extra
    wait_for("every node to know every other", lambda: all(
        "cluster_state:ok" in cli(p, "CLUSTER", "INFO")
        and "cluster_known_nodes:%d" % len(everyone) in cli(p, "CLUSTER", "INFO")
        and "handshake" not in cli(p, "CLUSTER", "NODES") for p in everyone))
    return everyone


def load(ports, keys, value_bytes):
    """Writes key:0..key:N-1 with `value_bytes`-byte values through redis-cli --pipe, node by node."""
    from redis.crc import key_slot
    owners = {}
    for p in ports:
        for line in cli(p, "CLUSTER", "NODES").splitlines():
            f = line.split()
            if "myself" in f[2]:
                for r in f[8:]:
                    if r.startswith("["):
                        continue
                    a, _, b = r.partition("-")
                    for s in range(int(a), int(b or a) + 1):
                        owners[s] = p
    value = (b"v" * value_bytes)
    files = {p: open(os.path.join(WORK, "load-%d.resp" % p), "wb") for p in ports}
    for i in range(keys):
        k = b"key:%d" % i
        files[owners[key_slot(k)]].write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(value), value))
    for p, f in files.items():
        f.close()
        with open(f.name, "rb") as data:
            r = subprocess.run(["redis-cli", "-p", str(p), "--pipe"], stdin=data, capture_output=True, text=True,
                               timeout=3600)
        if "errors: 0" not in r.stdout:
            raise RuntimeError("load into %d failed: %s %s" % (p, r.stdout, r.stderr))
        os.remove(f.name)
    total = total_keys(ports)
    if total != keys:
        raise RuntimeError("loaded %d keys, wanted %d" % (total, keys))


def total_keys(ports):
    n = 0
    for p in ports:
        if "role:master" in cli(p, "INFO", "replication"):
            n += int(cli(p, "DBSIZE"))
    return n


def check(ports, keys):
    r = subprocess.run(["redis-cli", "--cluster", "check", "127.0.0.1:%d" % ports[0]], capture_output=True, text=True,
                       timeout=300)
    if r.returncode != 0 or "[OK] All 16384 slots covered" not in r.stdout or "[WARNING]" in r.stdout:
        raise RuntimeError("cluster check failed:\n" + r.stdout[-2000:])
    total = total_keys(ports)
    if total != keys:
        raise RuntimeError("the primaries hold %d keys, not %d" % (total, keys))


class Probe:
    """A separate process doing GET/SET of random keys through RedisCluster, latencies into a file."""

    def __init__(self, port, keys):
        self.out = os.path.join(WORK, "probe-%d.json" % time.time_ns())
        self.proc = subprocess.Popen([PY, os.path.abspath(__file__), "--probe", str(port), str(keys), self.out])
        wait_for("the probe to start", lambda: os.path.exists(self.out + ".ready"), 60)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)
        with open(self.out) as f:
            return json.load(f)


def probe_main(port, keys, out):
    import logging
    import redis
    logging.disable(logging.CRITICAL)  # redis-py logs every MOVED it follows
    from redis.cluster import RedisCluster
    c = RedisCluster(host="127.0.0.1", port=port, socket_timeout=30)
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *a: stop.__setitem__(0, True))
    lat, errors = [], []
    open(out + ".ready", "w").close()
    rnd = random.Random(7)
    i = 0
    while not stop[0]:
        k = "key:%d" % rnd.randrange(keys)
        t = time.perf_counter()
        try:
            if i % 2:
                c.set(k, "v")
            else:
                c.get(k)
        except redis.RedisError as e:
            errors.append(str(e)[:120])
        lat.append(time.perf_counter() - t)
        i += 1
    with open(out, "w") as f:
        json.dump({"lat": lat, "errors": errors}, f)


def latency(sample):
    lat = sorted(sample["lat"])
    if not lat:
        return {"calls": 0, "max": 0, "p999": 0, "p99": 0, "errors": len(sample["errors"])}
    q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000
    return {"calls": len(lat), "max": lat[-1] * 1000, "p999": q(0.999), "p99": q(0.99), "errors": len(sample["errors"]),
            "first_errors": sample["errors"][:3]}


class Admin:
    """The admin service jar as one process; register clusters, start jobs, poll them."""

    def __init__(self):
        port = int(os.environ["PORT_BASE"]) + 90 if os.environ.get("PORT_BASE") else free_port()
        self.base = "http://127.0.0.1:%d" % port
        d = os.path.join(WORK, "admin")
        os.makedirs(d)
        self.log = os.path.join(d, "out.log")
        # the JVM options of the service's container image (cluster-admin-service/Dockerfile; its
        # MaxRAMPercentage only matters in a container): C1 only, which halves a cold service's CPU
        opts = os.environ.get("ADMIN_JAVA_OPTS", "-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 "
                              "-XX:TieredStopAtLevel=1")
        probe = socket.socket()
        try:  # a service left over from an earlier bench on this port would answer in this one's stead
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError("port %d is taken: stop what listens there (an earlier bench's service?)" % port)
        finally:
            probe.close()
        self.proc = subprocess.Popen(["java"] + opts.split() + ["-jar", ADMIN_JAR, "--server.port=%d" % port,
                                      "--server.address=127.0.0.1", "--rookery.admin.data-dir=" + d,
                                      "--rookery.admin.admin-token=" + TOKEN, "--logging.level.root=WARN"],
                                     stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        try:
            wait_for("the admin service to answer", self.up, 300)
        except BaseException:
            self.proc.kill()  # never leave it running: the next bench would talk to it
            self.proc.wait()
            raise

    def up(self):
        if self.proc.poll() is not None:
            raise RuntimeError("the admin service exited; log: " + self.log)
        try:
            self.call("GET", "/api/v1/clusters")
            return True
        except OSError:
            return False

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"null")

    def run_job(self, path, body):
        job = self.call("POST", path, body)
        while True:  # the job list (progress, no steps) every 100 ms: the lightest read of a job's state
            j = next(x for x in self.call("GET", "/api/v1/jobs?cluster=" + job["cluster"]) if x["id"] == job["id"])
            if j["state"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                if j["state"] != "SUCCEEDED":
                    raise RuntimeError("job %d %s: %s" % (job["id"], j["state"], j.get("error")))
                if os.environ.get("BENCH_JOB_DUMP"):
                    with open(os.environ["BENCH_JOB_DUMP"], "w") as f:
                        json.dump(j, f, indent=1)
                return j
            time.sleep(0.1)

    def cpu_seconds(self):
        """User + system CPU the service's process has used so far."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def down(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def iso(text):
    """Seconds since the epoch of an ISO-8601 instant such as 2026-12-02T00:18:39.175Z."""
    import datetime
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def node_id(port):
    return cli(port, "CLUSTER", "MYID")


def one_run(tool, args, admin, run):
    with tempfile.TemporaryDirectory(dir=WORK) as work:
        nodes = Nodes(args.nodes, work)
        try:
            empty = 1 if args.mode == "rebalance" else 0
            ports = make_cluster(nodes, 3, empty)
            load(ports, args.keys, args.value_bytes)
            seed = "127.0.0.1:%d" % ports[0]
            if tool == "admin":
                name = "bench%d" % run
                admin.call("POST", "/api/v1/clusters", {"name": name, "seeds": [seed]})
            probe = Probe(ports[0], args.keys)
            lat_extra = {}
            start = time.time()
            try:
                if tool == "redis-cli":
                    if args.mode == "rebalance":
                        cmd = ["redis-cli", "--cluster", "rebalance", seed, "--cluster-use-empty-masters"]
                    else:
                        cmd = ["redis-cli", "--cluster", "reshard", seed, "--cluster-from", node_id(ports[0]),
                               "--cluster-to", node_id(ports[1]), "--cluster-slots", str(args.slots), "--cluster-yes"]
                    r = subprocess.run(cmd, capture_output=True, text=True, timeout=7200)
                    if r.returncode != 0:
                        raise RuntimeError("redis-cli failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
                else:
                    options = json.loads(args.options) if args.options else None
                    if args.mode == "rebalance":
                        body = {"useEmptyPrimaries": True}
                        path = "/api/v1/clusters/%s/rebalance" % name
                    else:
                        body = {"slots": args.slots, "from": [node_id(ports[0])], "to": node_id(ports[1])}
                        path = "/api/v1/clusters/%s/reshard" % name
                    if options:
                        body["options"] = options
                    cpu = admin.cpu_seconds()
                    job = admin.run_job(path, body)
                    lat_extra["admin_cpu"] = admin.cpu_seconds() - cpu
                    lat_extra["job_s"] = (iso(job["finishedAt"]) - iso(job["createdAt"]))
                elapsed = time.time() - start
            finally:
                lat = latency(probe.stop())
                lat.update(lat_extra)
            check(ports, args.keys)
            if tool == "admin":
                admin.call("DELETE", "/api/v1/clusters/%s" % name)
            return elapsed, lat
        finally:
            nodes.down()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=["rebalance", "reshard"], default="rebalance")
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--value-bytes", type=int, default=16)
    ap.add_argument("--large", action="store_true", help="about 1 GB of data: 250k keys of 4000 bytes unless given")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--slots", type=int, default=300, help="slots a reshard moves")
    ap.add_argument("--nodes", choices=["redis", "rookery"], default="redis")
    ap.add_argument("--options", help="the admin job's options as JSON, e.g. '{\"concurrency\": 2}'")
    ap.add_argument("--tools", default="redis-cli,admin")
    args = ap.parse_args()
    if args.large and "--keys" not in sys.argv:
        args.keys = 250_000
    if args.large and "--value-bytes" not in sys.argv:
        args.value_bytes = 4000
    for jar in [ADMIN_JAR] + ([NODE_JAR] if args.nodes == "rookery" else []):
        if not os.path.exists(jar):
            subprocess.run(["mvn", "-B", "-q", "-o", "-DskipTests", "package", "-pl",
                            "cluster-admin-service,node-service", "-am"], cwd=ROOT, check=True)
    tools = args.tools.split(",")
    print("%s of %d keys of %d bytes on 3 %s primaries%s, %d run(s), tools %s" % (
        args.mode, args.keys, args.value_bytes, args.nodes, " + an empty 4th" if args.mode == "rebalance" else
        " (%d slots moved)" % args.slots, args.runs, tools), flush=True)
    admin = Admin() if "admin" in tools else None
    results = {t: [] for t in tools}
    try:
        for run in range(args.runs):
            for tool in tools:
                elapsed, lat = one_run(tool, args, admin, run)
                results[tool].append((elapsed, lat))
                print("run %d %-9s %7.1f s  calls %6d  max %7.1f ms  p99.9 %6.1f ms  p99 %6.1f ms  errors %d %s%s" % (
                    run + 1, tool, elapsed, lat["calls"], lat["max"], lat["p999"], lat["p99"], lat["errors"],
                    lat.get("first_errors") or "",
                    "  (job %.1f s from creation, service CPU %.1f s)" % (lat["job_s"], lat["admin_cpu"])
                    if "job_s" in lat else ""), flush=True)
    finally:
        if admin:
            admin.down()
    med = {t: (statistics.median(e for e, _ in r), statistics.median(l["max"] for _, l in r),
               statistics.median(l["p999"] for _, l in r)) for t, r in results.items()}
    for t, (e, m, p) in med.items():
        print("median %-9s %7.1f s  worst latency %7.1f ms  p99.9 %6.1f ms" % (t, e, m, p))
    if "admin" in med and "redis-cli" in med:
        a, r = med["admin"], med["redis-cli"]
        print("ratio admin/redis-cli: time %.2f  worst latency %.2f  p99.9 %.2f" % (
            a[0] / r[0], a[1] / r[1] if r[1] else float("nan"), a[2] / r[2] if r[2] else float("nan")))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--probe":
        probe_main(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        WORK = tempfile.mkdtemp(prefix="rebalance-bench-")
        try:
            main()
        finally:
            subprocess.run(["rm", "-rf", WORK])
