#!/usr/bin/env bash
# Side-by-side benchmark: real redis-server vs a Rookery node, same machine, same run.
# Prints throughput, p50 and p99 per test and pipeline depth, and memory for 1M keys, with the
# ratio ours / Redis. Usage: bench/run.sh [requests] [keys]
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${1:-200000}
KEYS=${2:-1000000}
CLIENTS=50
REDIS_PORT=${REDIS_PORT:-16379}
ROOKERY_PORT=${ROOKERY_PORT:-16380}
TESTS=${TESTS:-set,get,incr,mset,lpush,lpop,sadd,hset,zadd}
# The launcher's defaults (bin/rookery-node): a compact serial heap that gives memory back.
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
OUT=bench/results
mkdir -p "$OUT"

for tool in redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install -y redis-server redis-tools)" >&2; exit 1; }
done
JAR=node-service/target/rookery-node.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package

WORK=$(mktemp -d)
cleanup() {
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  [ -n "${ROOKERY_PID:-}" ] && kill "$ROOKERY_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

start_servers() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
    --daemonize no --logfile "$WORK/redis.log" &
  REDIS_PID=$!
  mkdir -p "$WORK/rookery"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --rookery.node.port="$ROOKERY_PORT" --rookery.node.bind=127.0.0.1 \
    --rookery.node.directives.save= --rookery.node.directives.dir="$WORK/rookery" --server.port=0 \
    --logging.level.root=WARN > "$WORK/rookery.log" 2>&1 &
  ROOKERY_PID=$!
  for port in "$REDIS_PORT" "$ROOKERY_PORT"; do
    for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
  done
}
stop_servers() {
  kill "$REDIS_PID" "$ROOKERY_PID" 2>/dev/null || true
  wait "$REDIS_PID" "$ROOKERY_PID" 2>/dev/null || true
}
start_servers

# --- memory for KEYS keys of 32-byte values, on the fresh processes ----------------------
python3 - "$KEYS" > "$WORK/load.resp" <<'PY'
import sys
n = int(sys.argv[1]); v = b"v" * 32; out = sys.stdout.buffer
for i in range(n):
    k = b"key:%07d" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$32\r\n%s\r\n" % (len(k), k, v))
PY
rss_of() { ps -o rss= -p "$1" | awk '{print $1 * 1024}'; }
used_of() { redis-cli -p "$1" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
for port in "$REDIS_PORT" "$ROOKERY_PORT"; do redis-cli -p "$port" flushall >/dev/null; done
base_redis=$(rss_of "$REDIS_PID")
base_ours=$(rss_of "$ROOKERY_PID")
for port in "$REDIS_PORT" "$ROOKERY_PORT"; do redis-cli -p "$port" --pipe < "$WORK/load.resp" >/dev/null; done
sleep 2
redis_used=$(used_of "$REDIS_PORT"); ours_used=$(used_of "$ROOKERY_PORT")
redis_rss=$(rss_of "$REDIS_PID"); ours_rss=$(rss_of "$ROOKERY_PID")
{
  echo
  echo "memory for $KEYS keys (key:NNNNNNN, 32-byte values)"
  printf '%-22s %14s %14s %6s\n' metric redis ours ratio
  printf '%-22s %14d %14d %6.2f\n' used_memory "$redis_used" "$ours_used" "$(echo "$ours_used / $redis_used" | bc -l)"
  printf '%-22s %14d %14d %6.2f\n' rss "$redis_rss" "$ours_rss" "$(echo "$ours_rss / $redis_rss" | bc -l)"
  printf '%-22s %14d %14d %6.2f\n' "rss growth" "$((redis_rss - base_redis))" "$((ours_rss - base_ours))" \
    "$(echo "($ours_rss - $base_ours) / ($redis_rss - $base_redis)" | bc -l)"
  echo "JAVA_OPTS: $JAVA_OPTS; rss growth = rss after loading - rss of the idle process"
} | tee "$OUT/memory.txt"
for port in "$REDIS_PORT" "$ROOKERY_PORT"; do redis-cli -p "$port" flushall >/dev/null; done

# --- memory for 100k hashes of 10 fields and 100k sorted sets of 10 members -----------------
python3 - 100000 > "$WORK/collections.resp" <<'PY'
import sys
n = int(sys.argv[1]); out = sys.stdout.buffer
def cmd(*args):
    out.write(b"*%d\r\n" % len(args))
    for a in args:
        out.write(b"$%d\r\n%s\r\n" % (len(a), a))
for i in range(n):
    h = [b"HSET", b"hash:%06d" % i]
    z = [b"ZADD", b"zset:%06d" % i]
    for f in range(10):
        h += [b"field:%d" % f, b"value:%d" % (i + f)]
        z += [b"%d" % (i * 10 + f), b"member:%d" % f]
    cmd(*h)
    cmd(*z)
PY
stop_servers
start_servers
base_redis=$(rss_of "$REDIS_PID"); base_ours=$(rss_of "$ROOKERY_PID")
for port in "$REDIS_PORT" "$ROOKERY_PORT"; do redis-cli -p "$port" --pipe < "$WORK/collections.resp" >/dev/null; done
sleep 2
{
  echo
  echo "memory for 100000 hashes of 10 fields + 100000 sorted sets of 10 members (fresh processes)"
  printf '%-22s %14s %14s %6s\n' metric redis ours ratio
  ru=$(used_of "$REDIS_PORT"); ou=$(used_of "$ROOKERY_PORT")
  printf '%-22s %14d %14d %6.2f\n' used_memory "$ru" "$ou" "$(echo "$ou / $ru" | bc -l)"
  rr=$(rss_of "$REDIS_PID"); orr=$(rss_of "$ROOKERY_PID")
  printf '%-22s %14d %14d %6.2f\n' rss "$rr" "$orr" "$(echo "$orr / $rr" | bc -l)"
  printf '%-22s %14d %14d %6.2f\n' "rss growth" "$((rr - base_redis))" "$((orr - base_ours))" \
    "$(echo "($orr - $base_ours) / ($rr - $base_redis)" | bc -l)"
} | tee "$OUT/memory-collections.txt"
stop_servers
start_servers

# --- throughput and latency -------------------------------------------------------------
run_benchmark() { # port pipeline -> csv lines "test,rps,p50,p99"
  redis-benchmark -p "$1" -c "$CLIENTS" -n "$REQUESTS" -P "$2" -t "$TESTS" -r 1000000 --csv 2>/dev/null \
    | tail -n +2 | tr -d '"' | awk -F, '{print $1","$2","$5","$7}'
}

echo "warming up Rookery's JIT ..."
for _ in 1 2 3; do
  redis-benchmark -p "$ROOKERY_PORT" -c "$CLIENTS" -n "$REQUESTS" -P 16 -t "$TESTS" -r 1000000 -q >/dev/null 2>&1
done
redis-benchmark -p "$ROOKERY_PORT" -c "$CLIENTS" -n "$REQUESTS" -t "$TESTS" -r 1000000 -q >/dev/null 2>&1
redis-cli -p "$ROOKERY_PORT" flushall >/dev/null

printf '\n%-18s %-3s | %12s %12s %6s | %8s %8s %6s | %8s %8s %6s\n' test P "redis ops/s" "ours ops/s" ratio \
  "r p50ms" "o p50ms" ratio "r p99ms" "o p99ms" ratio | tee "$OUT/throughput.txt"
# ZRANGE by score, 10 results, over a 1000-member sorted set loaded into both
for port in "$REDIS_PORT" "$ROOKERY_PORT"; do
  for i in $(seq 0 999); do echo "ZADD zbench $i m$i"; done | redis-cli -p "$port" >/dev/null
done
zrange_benchmark() { # port pipeline -> csv line
  redis-benchmark -p "$1" -c "$CLIENTS" -n "$REQUESTS" -P "$2" --csv ZRANGE zbench 100 900 BYSCORE LIMIT 0 10 2>/dev/null \
    | tail -n +2 | tr -d '"' | awk -F, '{print "ZRANGE_BYSCORE_10,"$2","$5","$7}'
}
zrange_benchmark "$ROOKERY_PORT" 16 >/dev/null
for pipeline in 1 16; do
  { run_benchmark "$REDIS_PORT" "$pipeline"; zrange_benchmark "$REDIS_PORT" "$pipeline"; } > "$WORK/redis.csv"
  { run_benchmark "$ROOKERY_PORT" "$pipeline"; zrange_benchmark "$ROOKERY_PORT" "$pipeline"; } > "$WORK/ours.csv"
  join -t, <(sort "$WORK/redis.csv") <(sort "$WORK/ours.csv") | while IFS=, read -r test rr rp50 rp99 orr op50 op99; do
    printf '%-18s %-3s | %12.0f %12.0f %6.2f | %8.3f %8.3f %6.2f | %8.3f %8.3f %6.2f\n' "$test" "$pipeline" \
      "$rr" "$orr" "$(echo "$orr / $rr" | bc -l)" "$rp50" "$op50" "$(echo "$op50 / $rp50" | bc -l)" \
      "$rp99" "$op99" "$(echo "$op99 / $rp99" | bc -l)"
  done | tee -a "$OUT/throughput.txt"
done

