#!/usr/bin/env bash
# Persistence side by side with real Redis: SAVE time, RDB size, start-up load time for N keys;
# SET throughput at -P 16 under appendfsync always and everysec; SET p99 while BGSAVE runs.
# Usage: bench/persistence.sh [keys] [requests]
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${1:-1000000}
REQUESTS=${2:-200000}
REDIS_PORT=${REDIS_PORT:-16479}
ROOKERY_PORT=${ROOKERY_PORT:-16480}
# shellcheck source=bench/common.sh
source bench/common.sh
start_redis() { # dir extra-args...
  local d=$1; shift
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --dir "$d" --daemonize no --logfile "$d/redis.log" "$@" &
  REDIS_PID=$!; PIDS+=("$REDIS_PID")
}
start_rookery() { # dir directives...
  local d=$1; shift
  local args=()
  for kv in "$@"; do args+=("--rookery.node.directives.${kv%%=*}=${kv#*=}"); done
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --rookery.node.port="$ROOKERY_PORT" --rookery.node.bind=127.0.0.1 \
    --rookery.node.directives.save= --rookery.node.directives.dir="$d" "${args[@]}" --server.port=0 \
    --logging.level.root=WARN --logging.level.io.rookery.node.persistence=INFO > "$d/rookery.log" 2>&1 &
  ROOKERY_PID=$!; PIDS+=("$ROOKERY_PID")
}
stop_both() { kill "$REDIS_PID" "$ROOKERY_PID" 2>/dev/null || true; wait "$REDIS_PID" "$ROOKERY_PID" 2>/dev/null || true; }
ratio() { echo "$1 / $2" | bc -l; }

python3 - "$KEYS" > "$WORK/load.resp" <<'PY'
import sys
n = int(sys.argv[1]); v = b"v" * 32; out = sys.stdout.buffer
for i in range(n):
    k = b"key:%07d" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$32\r\n%s\r\n" % (len(k), k, v))
PY

mkdir -p "$WORK/r" "$WORK/o"
start_redis "$WORK/r"; start_rookery "$WORK/o"
wait_ping "$REDIS_PORT"; wait_ping "$ROOKERY_PORT"
for p in "$REDIS_PORT" "$ROOKERY_PORT"; do redis-cli -p "$p" --pipe < "$WORK/load.resp" >/dev/null; done
t0=$(now_ms); redis-cli -p "$REDIS_PORT" save >/dev/null; rs=$(( $(now_ms) - t0 ))
t0=$(now_ms); redis-cli -p "$ROOKERY_PORT" save >/dev/null; os=$(( $(now_ms) - t0 ))
rsize=$(stat -c %s "$WORK/r/dump.rdb"); osize=$(stat -c %s "$WORK/o/dump.rdb")
mkdir -p "$WORK/rl" "$WORK/ol"
cp "$WORK/r/dump.rdb" "$WORK/rl/"; cp "$WORK/o/dump.rdb" "$WORK/ol/"

# p99 of SET while background saves run back to back
p99_during_bgsave() { # port pid -> "ops/s,p99,peak extra memory bytes"
  local before; before=$(ps -o rss= -p "$2")
  ( peak=0; cow=0
    for _ in $(seq 1 40); do
      redis-cli -p "$1" bgsave >/dev/null 2>&1
      for _ in 1 2 3 4 5; do
        r=$(ps -o rss= -p "$2"); [ "$r" -gt "$peak" ] && peak=$r
        c=$(redis-cli -p "$1" info persistence | awk -F: '/^(rdb_last_cow_size|current_cow_size):/ {print $2}' | tr -d '\r' | sort -n | tail -1)
        [ -n "$c" ] && [ "$c" -gt "$cow" ] && cow=$c
        sleep 0.1
      done
    done
    echo "$peak $cow" > "$WORK/peak.$1" ) &
  local saver=$!
  local res; res=$(redis-benchmark -p "$1" -c 50 -n "$REQUESTS" -t set -r 1000000 --csv 2>/dev/null | tail -n +2 | tr -d '"' | awk -F, '{print $2","$7}')
  kill "$saver" 2>/dev/null || true; wait "$saver" 2>/dev/null || true
  local peak cow; read -r peak cow < "$WORK/peak.$1" 2>/dev/null || { peak=$before; cow=0; }
  echo "$res,$(( (peak - before) * 1024 )),$cow"
}
redis-benchmark -p "$ROOKERY_PORT" -c 50 -n "$REQUESTS" -t set -r 1000000 -q >/dev/null 2>&1  # warm up
IFS=, read -r rbops rbp99 rbmem rbcow < <(p99_during_bgsave "$REDIS_PORT" "$REDIS_PID")
IFS=, read -r obops obp99 obmem obcow < <(p99_during_bgsave "$ROOKERY_PORT" "$ROOKERY_PID")
stop_both

# start-up with the SAVEd file: process start to first PING, and the load time each server logs
t0=$(now_ms); start_redis "$WORK/rl"; wait_ping "$REDIS_PORT"; rl=$(( $(now_ms) - t0 ))
t0=$(now_ms); start_rookery "$WORK/ol"; wait_ping "$ROOKERY_PORT"; ol=$(( $(now_ms) - t0 ))
rkeys=$(redis-cli -p "$REDIS_PORT" dbsize); okeys=$(redis-cli -p "$ROOKERY_PORT" dbsize)
rlog=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$WORK/rl/redis.log" | awk '{print $5 * 1000}')
olog=$(grep -o 'keys ([0-9]* already expired) in [0-9]* ms' "$WORK/ol/rookery.log" | awk '{print $6}')
stop_both

# SET throughput under the AOF fsync policies
aof_set() { # policy
  rm -rf "$WORK/ra" "$WORK/oa"; mkdir -p "$WORK/ra" "$WORK/oa"
  start_redis "$WORK/ra" --appendonly yes --appendfsync "$1"
  start_rookery "$WORK/oa" appendonly=yes appendfsync="$1"
  wait_ping "$REDIS_PORT"; wait_ping "$ROOKERY_PORT"
  redis-benchmark -p "$ROOKERY_PORT" -c 50 -n "$REQUESTS" -P 16 -t set -r 1000000 -q >/dev/null 2>&1
  local r o
  r=$(redis-benchmark -p "$REDIS_PORT" -c 50 -n "$REQUESTS" -P 16 -t set -r 1000000 --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2)
  o=$(redis-benchmark -p "$ROOKERY_PORT" -c 50 -n "$REQUESTS" -P 16 -t set -r 1000000 --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2)
  stop_both
  echo "$r,$o"
}
IFS=, read -r ralways oalways < <(aof_set always)
IFS=, read -r revery oevery < <(aof_set everysec)

{
  echo "persistence, $KEYS keys of 32-byte values (ratio = ours / Redis; lower is better for times and sizes)"
  printf '%-34s %14s %14s %6s\n' metric redis ours ratio
  printf '%-34s %14d %14d %6.2f\n' "SAVE time (ms)" "$rs" "$os" "$(ratio "$os" "$rs")"
  printf '%-34s %14d %14d %6.2f\n' "RDB size (bytes)" "$rsize" "$osize" "$(ratio "$osize" "$rsize")"
  printf '%-34s %14.0f %14.0f %6.2f\n' "load time as logged (ms)" "$rlog" "$olog" "$(ratio "$olog" "$rlog")"
  printf '%-34s %14d %14d %6.2f\n' "start to first PING, loaded (ms)" "$rl" "$ol" "$(ratio "$ol" "$rl")"
  printf '%-34s %14s %14s\n' "keys after load" "$rkeys" "$okeys"
  printf '%-34s %14.0f %14.0f %6.2f\n' "SET -P16 ops/s, appendfsync always" "$ralways" "$oalways" "$(ratio "$oalways" "$ralways")"
  printf '%-34s %14.0f %14.0f %6.2f\n' "SET -P16 ops/s, appendfsync everysec" "$revery" "$oevery" "$(ratio "$oevery" "$revery")"
  printf '%-34s %14.0f %14.0f %6.2f\n' "SET ops/s while BGSAVE runs" "$rbops" "$obops" "$(ratio "$obops" "$rbops")"
  printf '%-34s %14.3f %14.3f %6.2f\n' "SET p99 ms while BGSAVE runs" "$rbp99" "$obp99" "$(ratio "$obp99" "$rbp99")"
  printf '%-34s %14d %14d\n' "extra memory during BGSAVE (bytes)" "$rbcow" "$obmem"
  echo "(Redis: largest copy-on-write size it reports for the forked child; ours: peak RSS growth of the process)"
} | tee "$OUT/persistence.txt"
