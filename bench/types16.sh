#!/usr/bin/env bash
# Issue 16's types side by side with real redis-server, same machine, same run: XADD, XREADGROUP
# (">" from a fresh group over a preloaded stream), PFADD and PFCOUNT through redis-benchmark custom
# commands at pipeline depth 1 and 16 (rounds interleaved, medians of ops/s, p50 and p99, ratio ours /
# Redis), then the memory of one stream of ENTRIES entries (XADD * with one 16-byte field) loaded with
# redis-cli --pipe into each: used_memory growth and RSS growth, ours / Redis.
# Usage: bench/types16.sh [rounds] [requests] [entries]      (defaults 3, 100000, 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
REQUESTS=${2:-100000}
ENTRIES=${3:-1000000}
CLIENTS=50
for tool in redis-server redis-benchmark redis-cli bc awk; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install -y redis-server redis-tools bc)" >&2; exit 1; }
done
source bench/common.sh
REDIS_PORT=${REDIS_PORT:-16396}; ROOKERY_PORT=${ROOKERY_PORT:-16397}
start_servers() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --daemonize no \
    --logfile "$WORK/redis.log" &
  PIDS+=($!); REDIS_PID=$!
  mkdir -p "$WORK/rookery"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --rookery.node.port="$ROOKERY_PORT" --rookery.node.bind=127.0.0.1 \
    --rookery.node.directives.save= --rookery.node.directives.dir="$WORK/rookery" --server.port=0 \
    --logging.level.root=WARN > "$WORK/rookery.log" 2>&1 &
  PIDS+=($!); ROOKERY_PID=$!
  for p in "$REDIS_PORT" "$ROOKERY_PORT"; do wait_ping "$p"; done
}
stop_servers() { kill "$REDIS_PID" "$ROOKERY_PID" 2>/dev/null || true; wait "$REDIS_PID" "$ROOKERY_PID" 2>/dev/null || true; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
used() { redis-cli -p "$1" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" {print $2}'; }

# XADD ... as RESP, for redis-cli --pipe: $1 key, $2 count
xadds() { awk -v key="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) { v = sprintf("value-%010d", i);
  printf "*5\r\n$4\r\nXADD\r\n$%d\r\n%s\r\n$1\r\n*\r\n$5\r\nfield\r\n$%d\r\n%s\r\n", length(key), key, length(v), v } }'; }

start_servers
# the stream XREADGROUP reads: one entry per request of every round, plus the warm-up
READS=$(( (ROUNDS + 2) * 2 * REQUESTS ))
for p in "$REDIS_PORT" "$ROOKERY_PORT"; do xadds rg:s "$READS" | redis-cli -p "$p" --pipe >/dev/null; done
GROUP=0
bench() { # port pipeline command... -> "rps,p50,p99"
  local port=$1 pipeline=$2; shift 2
  redis-benchmark -p "$port" -c "$CLIENTS" -n "$REQUESTS" -P "$pipeline" -r 1000000 --csv "$@" 2>/dev/null \
    | tail -n 1 | tr -d '"' | awk -F, '{print $2","$5","$7}'
}
run() { # name port pipeline
  case "$1" in
    XADD) bench "$2" "$3" XADD "xs:__rand_int__" '*' field value-0123456 ;;
    XREADGROUP) GROUP=$((GROUP + 1)); redis-cli -p "$2" XGROUP CREATE rg:s "g$GROUP" 0 >/dev/null
      bench "$2" "$3" XREADGROUP GROUP "g$GROUP" c COUNT 1 STREAMS rg:s '>' ;;
    PFADD) bench "$2" "$3" PFADD hll "e:__rand_int__" ;;
    PFCOUNT) bench "$2" "$3" PFCOUNT hll ;;
  esac
}
COMMANDS="XADD XREADGROUP PFADD PFCOUNT"
echo "warming up Rookery's JIT ..."
for c in $COMMANDS; do run "$c" "$ROOKERY_PORT" 16 >/dev/null; run "$c" "$ROOKERY_PORT" 1 >/dev/null; done
for c in $COMMANDS; do run "$c" "$REDIS_PORT" 16 >/dev/null; run "$c" "$REDIS_PORT" 1 >/dev/null; done # same stream position
for r in $(seq 1 "$ROUNDS"); do
  for c in $COMMANDS; do
    for pipeline in 1 16; do
      echo "redis,$c,$pipeline,$(run "$c" "$REDIS_PORT" "$pipeline")" >> "$WORK/all.csv"
      echo "ours,$c,$pipeline,$(run "$c" "$ROOKERY_PORT" "$pipeline")" >> "$WORK/all.csv"
    done
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
col() { awk -F, -v w="$1" -v c="$2" -v p="$3" -v k="$4" '$1 == w && $2 == c && $3 == p {print $k}' "$WORK/all.csv" | median; }
stop_servers

# memory of one stream of ENTRIES entries, on fresh servers
start_servers
sleep 1
r_rss0=$(rss_kb "$REDIS_PID"); o_rss0=$(rss_kb "$ROOKERY_PID")
r_used0=$(used "$REDIS_PORT"); o_used0=$(used "$ROOKERY_PORT")
xadds mem:s "$ENTRIES" > "$WORK/xadd.resp"
for p in "$REDIS_PORT" "$ROOKERY_PORT"; do redis-cli -p "$p" --pipe < "$WORK/xadd.resp" >/dev/null; done
[ "$(redis-cli -p "$ROOKERY_PORT" XLEN mem:s)" = "$ENTRIES" ] || { echo "Rookery's stream is not $ENTRIES long" >&2; exit 1; }
sleep 2
r_rss=$(rss_kb "$REDIS_PID"); o_rss=$(rss_kb "$ROOKERY_PID")
r_used=$(used "$REDIS_PORT"); o_used=$(used "$ROOKERY_PORT")
stop_servers
{
  echo
  echo "Issue 16 types, redis-benchmark -c $CLIENTS -n $REQUESTS, medians of $ROUNDS interleaved rounds"
  printf '%-10s %-3s | %10s %10s %6s | %7s %7s | %7s %7s %6s\n' command P "redis op/s" "ours op/s" ratio \
    "r p50" "o p50" "r p99" "o p99" ratio
  for c in $COMMANDS; do
    for pipeline in 1 16; do
      rr=$(col redis "$c" "$pipeline" 4); orr=$(col ours "$c" "$pipeline" 4)
      r50=$(col redis "$c" "$pipeline" 5); o50=$(col ours "$c" "$pipeline" 5)
      r99=$(col redis "$c" "$pipeline" 6); o99=$(col ours "$c" "$pipeline" 6)
      printf '%-10s %-3s | %10.0f %10.0f %6.2f | %7.3f %7.3f | %7.3f %7.3f %6.2f\n' "$c" "$pipeline" \
        "$rr" "$orr" "$(echo "$orr / $rr" | bc -l)" "$r50" "$o50" "$r99" "$o99" "$(echo "$o99 / $r99" | bc -l)"
    done
  done
  echo
  echo "one stream of $ENTRIES entries (XADD * field <16 bytes>)"
  printf '%-22s %12s %12s %6s\n' "" redis ours ratio
  du=$((r_used - r_used0)); dou=$((o_used - o_used0))
  printf '%-22s %12d %12d %6.2f\n' "used_memory growth" "$du" "$dou" "$(echo "$dou / $du" | bc -l)"
  dr=$(( (r_rss - r_rss0) * 1024 )); dor=$(( (o_rss - o_rss0) * 1024 ))
  printf '%-22s %12d %12d %6.2f\n' "RSS growth" "$dr" "$dor" "$(echo "$dor / $dr" | bc -l)"
  printf '%-22s %12d %12d %6.2f\n' "RSS after" "$((r_rss * 1024))" "$((o_rss * 1024))" "$(echo "$o_rss / $r_rss" | bc -l)"
} | tee "$OUT/types16.txt"
