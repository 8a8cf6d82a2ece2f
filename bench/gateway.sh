#!/usr/bin/env bash
# The gateway against the alternatives, in one run (see bench/README.md, "gateway"):
#   gateway    redis-benchmark through the Rookery gateway in front of a 3-primary real Redis cluster
#   direct     redis-benchmark --cluster straight at the same cluster
#   twemproxy  redis-benchmark through Debian's nutcracker sharding over 3 plain redis-servers
#              (twemproxy cannot front cluster-enabled nodes: they would answer MOVED)
# SET and GET, -c 50, at -P 1 and -P 16; median ops/s over the rounds, ratios gateway/direct and
# gateway/twemproxy. Usage: bench/gateway.sh [requests] [rounds] [base-port]
# Needs redis-server, redis-cli, redis-benchmark, nutcracker (apt-get install nutcracker), java, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-200000}
ROUNDS=${2:-3}
BASE=${3:-17600}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC -Xms256m -Xmx1g"}
JAR=gateway/target/rookery-gateway.jar
OUT=bench/results
mkdir -p "$OUT"
for bin in redis-server redis-cli redis-benchmark nutcracker java python3; do
  command -v "$bin" >/dev/null || { echo "bench/gateway.sh needs $bin" >&2; exit 1; }
done
[ -f "$JAR" ] || mvn -B -q -DskipTests -pl gateway -am package
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
wait_ping() { for _ in $(seq 1 600); do [ "$(redis-cli -p "$1" ping 2>/dev/null)" = "PONG" ] && return; sleep 0.05; done; echo "no PONG on $1" >&2; exit 1; }

start_redis() { # port [extra args]
  local port=$1; shift
  mkdir -p "$WORK/$port"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK/$port" \
    --logfile "$WORK/$port/log" "$@" & PIDS+=($!)
  wait_ping "$port"
}

# the cluster: BASE..BASE+2
for i in 0 1 2; do start_redis $((BASE + i)) --cluster-enabled yes --cluster-config-file "$WORK/nodes-$i.conf"; done
redis-cli --cluster create 127.0.0.1:$BASE 127.0.0.1:$((BASE + 1)) 127.0.0.1:$((BASE + 2)) --cluster-yes >/dev/null
for _ in $(seq 1 200); do
  ok=0; for i in 0 1 2; do redis-cli -p $((BASE + i)) cluster info | grep -q cluster_state:ok && ok=$((ok + 1)); done
  [ $ok = 3 ] && break; sleep 0.1
done

# the gateway: BASE+10 (HTTP BASE+11)
GW=$((BASE + 10))
java $JAVA_OPTS -jar "$JAR" --rookery.gateway.port=$GW --rookery.gateway.bind=127.0.0.1 \
  "--rookery.gateway.seeds[0]=127.0.0.1:$BASE" --server.port=$((BASE + 11)) ${GATEWAY_ARGS:-} >"$WORK/gateway.log" 2>&1 & PIDS+=($!)
GW_PID=$!
wait_ping $GW

# twemproxy over three plain servers: BASE+20..22, proxy on BASE+30
for i in 0 1 2; do start_redis $((BASE + 20 + i)); done
cat >"$WORK/nutcracker.yml" <<YML
bench:
  listen: 127.0.0.1:$((BASE + 30))
  hash: fnv1a_64
  distribution: ketama
  redis: true
  server_connections: 1
  servers:
   - 127.0.0.1:$((BASE + 20)):1
   - 127.0.0.1:$((BASE + 21)):1
   - 127.0.0.1:$((BASE + 22)):1
YML
nutcracker -c "$WORK/nutcracker.yml" -s $((BASE + 31)) -o "$WORK/nutcracker.log" & PIDS+=($!)
NUT_PID=$!
for _ in $(seq 1 100); do redis-cli -p $((BASE + 30)) set probe 1 >/dev/null 2>&1 && break; sleep 0.05; done

# warm the gateway's JIT (on a loaded machine one short pass leaves SET, the first test, at a third of its speed)
for _ in 1 2 3; do redis-benchmark -p $GW -c 50 -n 200000 -r 100000 -t set,get -P 16 -q >/dev/null; done
redis-benchmark -p $GW -c 50 -n 50000 -r 100000 -t set,get -P 1 -q >/dev/null

ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; } # user + system CPU of a process, in clock ticks
run() { # target pipeline -> "SET ops GET ops proxy-CPU-us-per-request" (the proxy's CPU: the gateway's or nutcracker's; - direct)
  local target=$1 p=$2 args pid="" t0=0
  case $target in
    gateway) args=(-p $GW); pid=$GW_PID ;;
    direct) args=(-p $BASE --cluster) ;;
    twemproxy) args=(-p $((BASE + 30))); pid=$NUT_PID ;;
  esac
  [ -z "$pid" ] || t0=$(ticks "$pid")
  local out
  out=$(redis-benchmark -h 127.0.0.1 "${args[@]}" -c 50 -n "$REQUESTS" -r 100000 -t set,get -P "$p" --csv 2>/dev/null \
    | awk -F'","' '/^"SET"/{s=$2} /^"GET"/{g=$2} END{print s, g}')
  if [ -z "$pid" ]; then echo "$out -"; else
    echo "$out $(( ($(ticks "$pid") - t0) * 1000000 / $(getconf CLK_TCK) / (2 * REQUESTS) ))"
  fi
}

RESULTS="$WORK/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  for p in 1 16; do
    for target in gateway direct twemproxy; do
      read -r set get cpu < <(run $target $p)
      echo "$target $p SET $set" >>"$RESULTS"
      echo "$target $p GET $get" >>"$RESULTS"
      echo "$target $p CPU $cpu" >>"$RESULTS"
    done
  done
done

python3 - "$RESULTS" "$REQUESTS" "$ROUNDS" <<'PY' | tee "$OUT/gateway.txt"
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    target, p, cmd, value = line.split()
    if value != "-":
        rows.setdefault((cmd, int(p), target), []).append(float(value))
print(f"gateway bench: redis-benchmark -c 50 -n {sys.argv[2]} -r 100000, median of {sys.argv[3]} rounds (ops/s)")
print(f"{'test':<10}{'gateway':>12}{'direct':>12}{'twemproxy':>12}{'gw/direct':>11}{'gw/twem':>9}")
for p in (1, 16):
    for cmd in ("SET", "GET"):
        m = {t: statistics.median(rows[(cmd, p, t)]) for t in ("gateway", "direct", "twemproxy")}
        print(f"{cmd + ' -P ' + str(p):<10}{m['gateway']:>12.0f}{m['direct']:>12.0f}{m['twemproxy']:>12.0f}"
              f"{m['gateway'] / m['direct']:>11.2f}{m['gateway'] / m['twemproxy']:>9.2f}")
print("proxy CPU per request (user + system, microseconds; median over rounds, SET and GET together):")
for p in (1, 16):
    g, t = (statistics.median(rows[("CPU", p, x)]) for x in ("gateway", "twemproxy"))
    print(f"  -P {p:<3} gateway {g:5.1f}   twemproxy {t:5.1f}   ratio {g / t if t else float('nan'):.2f}")
PY
