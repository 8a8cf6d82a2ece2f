#!/usr/bin/env bash
# Scripting side by side: EVALSHA of a small script (INCR + EXPIRE of a random key, the shape of a
# rate limiter) against real redis-server and a Rookery node, same machine, same run, at pipeline
# depth 1 and 16. Rounds are interleaved; medians of ops/s, p50, p99 and max latency are printed with
# the ratio ours / Redis (for latency, below 1 is better).
# Usage: bench/scripting.sh [rounds] [requests]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
REQUESTS=${2:-200000}
CLIENTS=50
for tool in redis-server redis-benchmark redis-cli bc; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install -y redis-server redis-tools bc)" >&2; exit 1; }
done
source bench/common.sh
REDIS_PORT=16394; ROOKERY_PORT=16395
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --daemonize no \
  --logfile "$WORK/redis.log" &
PIDS+=($!)
mkdir -p "$WORK/rookery"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --rookery.node.port="$ROOKERY_PORT" --rookery.node.bind=127.0.0.1 \
  --rookery.node.directives.save= --rookery.node.directives.dir="$WORK/rookery" --server.port=0 \
  --logging.level.root=WARN > "$WORK/rookery.log" 2>&1 &
PIDS+=($!)
for p in "$REDIS_PORT" "$ROOKERY_PORT"; do wait_ping "$p"; done

SCRIPT="local n = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], ARGV[1]) return n"
SHA=$(redis-cli -p "$REDIS_PORT" SCRIPT LOAD "$SCRIPT")
[ "$(redis-cli -p "$ROOKERY_PORT" SCRIPT LOAD "$SCRIPT")" = "$SHA" ] || { echo "SCRIPT LOAD gave another sha on Rookery" >&2; exit 1; }

bench() { # port pipeline -> "rps,p50,p99,max"
  redis-benchmark -p "$1" -c "$CLIENTS" -n "$REQUESTS" -P "$2" -r 100000 --csv \
    EVALSHA "$SHA" 1 "rate:__rand_int__" 60 2>/dev/null | tail -n 1 | tr -d '"' | awk -F, '{print $2","$5","$7","$8}'
}
echo "warming up Rookery's JIT ..."
for _ in 1 2; do bench "$ROOKERY_PORT" 16 >/dev/null; bench "$ROOKERY_PORT" 1 >/dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  for pipeline in 1 16; do
    echo "redis,$pipeline,$(bench "$REDIS_PORT" "$pipeline")" >> "$WORK/all.csv"
    echo "ours,$pipeline,$(bench "$ROOKERY_PORT" "$pipeline")" >> "$WORK/all.csv"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
col() { awk -F, -v w="$1" -v p="$2" -v c="$3" '$1 == w && $2 == p {print $c}' "$WORK/all.csv" | median; }
{
  echo
  echo "EVALSHA (INCR + EXPIRE), redis-benchmark -c $CLIENTS -n $REQUESTS, medians of $ROUNDS interleaved rounds"
  printf '%-3s | %10s %10s %6s | %7s %7s | %7s %7s %6s | %7s %7s %6s\n' P "redis op/s" "ours op/s" ratio \
    "r p50" "o p50" "r p99" "o p99" ratio "r max" "o max" ratio
  for pipeline in 1 16; do
    rr=$(col redis "$pipeline" 3); orr=$(col ours "$pipeline" 3)
    r50=$(col redis "$pipeline" 4); o50=$(col ours "$pipeline" 4)
    r99=$(col redis "$pipeline" 5); o99=$(col ours "$pipeline" 5)
    rmax=$(col redis "$pipeline" 6); omax=$(col ours "$pipeline" 6)
    printf '%-3s | %10.0f %10.0f %6.2f | %7.3f %7.3f | %7.3f %7.3f %6.2f | %7.3f %7.3f %6.2f\n' "$pipeline" \
      "$rr" "$orr" "$(echo "$orr / $rr" | bc -l)" "$r50" "$o50" "$r99" "$o99" "$(echo "$o99 / $r99" | bc -l)" \
      "$rmax" "$omax" "$(echo "$omax / $rmax" | bc -l)"
  done
} | tee "$OUT/scripting.txt"
