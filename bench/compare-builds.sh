#!/usr/bin/env bash
# Regression check between two builds of the node: runs the same redis-benchmark tests against a
# node from BASE_JAR (e.g. the build before a refactor) and one from NEW_JAR (default: this checkout's
# jar), with real redis-server beside them as the reference, in one run. Rounds are interleaved
# (base, new, redis, base, new, redis, ...) so that machine noise hits all three alike; the medians
# per test are printed with the ratios new / base and new / redis.
# Usage: bench/compare-builds.sh BASE_JAR [NEW_JAR] [rounds] [requests]
# Ports: BASE_PORT/NEW_PORT/REDIS_PORT (defaults 16391-16393); tests: TESTS (comma-separated).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_JAR=${1:?usage: bench/compare-builds.sh BASE_JAR [NEW_JAR] [rounds] [requests]}
NEW_JAR=${2:-node-service/target/rookery-node.jar}
ROUNDS=${3:-3}
REQUESTS=${4:-200000}
CLIENTS=50
TESTS=${TESTS:-set,get,incr,lpush,lpop,sadd,hset,zadd}
for tool in redis-server redis-benchmark redis-cli bc; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install -y redis-server redis-tools bc)" >&2; exit 1; }
done
[ -f "$NEW_JAR" ] || mvn -B -q -DskipTests package
source bench/common.sh

BASE_PORT=${BASE_PORT:-16391}; NEW_PORT=${NEW_PORT:-16392}; REDIS_PORT=${REDIS_PORT:-16393}
start_node() { # jar port
  mkdir -p "$WORK/$2"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$1" --rookery.node.port="$2" --rookery.node.bind=127.0.0.1 \
    --rookery.node.directives.save= --rookery.node.directives.dir="$WORK/$2" --server.port=0 \
    --server.address=127.0.0.1 --logging.level.root=WARN > "$WORK/$2.log" 2>&1 &
  PIDS+=($!)
}
start_node "$BASE_JAR" "$BASE_PORT"
start_node "$NEW_JAR" "$NEW_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --daemonize no \
  --logfile "$WORK/redis.log" &
PIDS+=($!)
for p in "$BASE_PORT" "$NEW_PORT" "$REDIS_PORT"; do wait_ping "$p"; done

bench() { # port pipeline -> "test,rps" lines
  redis-benchmark -p "$1" -c "$CLIENTS" -n "$REQUESTS" -P "$2" -t "$TESTS" -r 1000000 --csv 2>/dev/null \
    | tail -n +2 | tr -d '"' | awk -F, '{print $1","$2}'
}
echo "warming up both JVMs ..."
for p in "$BASE_PORT" "$NEW_PORT"; do for _ in 1 2; do bench "$p" 16 >/dev/null; bench "$p" 1 >/dev/null; done; done

for r in $(seq 1 "$ROUNDS"); do
  for pipeline in 1 16; do
    for who in base new redis; do
      case $who in base) port=$BASE_PORT ;; new) port=$NEW_PORT ;; redis) port=$REDIS_PORT ;; esac
      bench "$port" "$pipeline" | sed "s/^/$who,$pipeline,/" >> "$WORK/all.csv"
    done
  done
  echo "round $r of $ROUNDS done"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
{
  echo
  echo "median ops/s over $ROUNDS interleaved rounds, redis-benchmark -c $CLIENTS -n $REQUESTS -r 1000000"
  echo "base: $BASE_JAR   new: $NEW_JAR"
  printf '%-8s %-3s | %10s %10s %10s | %8s %9s\n' test P base new redis new/base new/redis
  for pipeline in 1 16; do
    for t in $(awk -F, -v p="$pipeline" '$2 == p {print $3}' "$WORK/all.csv" | sort -u); do
      b=$(awk -F, -v p="$pipeline" -v t="$t" '$1 == "base" && $2 == p && $3 == t {print $4}' "$WORK/all.csv" | median)
      n=$(awk -F, -v p="$pipeline" -v t="$t" '$1 == "new" && $2 == p && $3 == t {print $4}' "$WORK/all.csv" | median)
      x=$(awk -F, -v p="$pipeline" -v t="$t" '$1 == "redis" && $2 == p && $3 == t {print $4}' "$WORK/all.csv" | median)
      printf '%-8s %-3s | %10.0f %10.0f %10.0f | %8.2f %9.2f\n' "$t" "$pipeline" "$b" "$n" "$x" \
        "$(echo "$n / $b" | bc -l)" "$(echo "$n / $x" | bc -l)"
    done
  done
} | tee "$OUT/compare-builds.txt"
