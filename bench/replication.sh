#!/usr/bin/env bash
# Replication side by side with real Redis: full-sync time for N keys, replication lag under a
# redis-benchmark write load, and primary SET throughput with two replicas attached.
# Each side runs a primary and two replicas of its own kind. Usage: bench/replication.sh [keys] [requests]
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${1:-1000000}
REQUESTS=${2:-200000}
BASE_R=${BASE_R:-16579}
BASE_O=${BASE_O:-16589}
# shellcheck source=bench/common.sh
source bench/common.sh
start() { # kind port
  local d="$WORK/$1-$2"; mkdir -p "$d"
  if [ "$1" = redis ]; then
    redis-server --port "$2" --bind 127.0.0.1 --save "" --dir "$d" --daemonize no --logfile "$d/log" &
  else
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$JAR" --rookery.node.port="$2" --rookery.node.bind=127.0.0.1 \
      --rookery.node.directives.save= --rookery.node.directives.dir="$d" --server.port=0 --logging.level.root=WARN > "$d/log" 2>&1 &
  fi
  PIDS+=($!)
  wait_ping "$2"
}
field() { redis-cli -p "$1" info replication | awk -F: -v f="$2" '$1 == f {print $2}' | tr -d '\r'; }

python3 - "$KEYS" > "$WORK/load.resp" <<'PY'
import sys
n = int(sys.argv[1]); v = b"v" * 32; out = sys.stdout.buffer
for i in range(n):
    k = b"key:%07d" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$32\r\n%s\r\n" % (len(k), k, v))
PY

measure() { # kind base -> "sync_ms,max_lag_bytes,catchup_ms,ops"
  local kind=$1 p=$2 r1=$(($2 + 1)) r2=$(($2 + 2))
  start "$kind" "$p"; start "$kind" "$r1"; start "$kind" "$r2"
  redis-cli -p "$p" --pipe < "$WORK/load.resp" >/dev/null
  local t0; t0=$(now_ms)
  redis-cli -p "$r1" replicaof 127.0.0.1 "$p" >/dev/null
  until [ "$(field "$r1" master_link_status)" = up ] && [ "$(redis-cli -p "$r1" dbsize)" = "$KEYS" ]; do sleep 0.02; done
  local sync_ms=$(( $(now_ms) - t0 ))
  redis-cli -p "$r2" replicaof 127.0.0.1 "$p" >/dev/null
  until [ "$(field "$r2" master_link_status)" = up ]; do sleep 0.05; done
  redis-benchmark -p "$p" -c 50 -n "$REQUESTS" -P 16 -t set -r 1000000 -q >/dev/null 2>&1  # warm up
  ( maxlag=0
    while [ ! -f "$WORK/stop-$kind" ]; do
      m=$(field "$p" master_repl_offset); s=$(field "$r1" slave_repl_offset)
      [ -n "$m" ] && [ -n "$s" ] && [ $((m - s)) -gt "$maxlag" ] && maxlag=$((m - s))
      sleep 0.05
    done
    echo "$maxlag" > "$WORK/lag-$kind" ) &
  local sampler=$!
  local ops; ops=$(redis-benchmark -p "$p" -c 50 -n "$REQUESTS" -P 16 -t set -r 1000000 --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2)
  local t1; t1=$(now_ms)
  until [ "$(field "$p" master_repl_offset)" = "$(field "$r1" slave_repl_offset)" ]; do sleep 0.01; done
  local catchup=$(( $(now_ms) - t1 ))
  touch "$WORK/stop-$kind"; wait "$sampler"
  echo "$sync_ms,$(cat "$WORK/lag-$kind"),$catchup,$ops"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=()
}
IFS=, read -r rsync rlag rcatch rops < <(measure redis "$BASE_R")
IFS=, read -r osync olag ocatch oops < <(measure rookery "$BASE_O")
ratio() { echo "$1 / $2" | bc -l; }
{
  echo "replication, $KEYS keys of 32-byte values, primary + 2 replicas each (ratio = ours / Redis)"
  printf '%-44s %12s %12s %7s\n' metric redis ours ratio
  printf '%-44s %12d %12d %7.2f\n' "full sync of the first replica (ms)" "$rsync" "$osync" "$(ratio "$osync" "$rsync")"
  printf '%-44s %12d %12d\n' "max replica lag during SET -P16 load (bytes)" "$rlag" "$olag"
  printf '%-44s %12d %12d\n' "catch-up after the load stops (ms)" "$rcatch" "$ocatch"
  printf '%-44s %12.0f %12.0f %7.2f\n' "primary SET -P16 ops/s with 2 replicas" "$rops" "$oops" "$(ratio "$oops" "$rops")"
} | tee "$OUT/replication.txt"
