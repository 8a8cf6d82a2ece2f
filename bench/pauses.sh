#!/usr/bin/env bash
# Tail latency with a large dataset, side by side with real Redis, for one or more JVM collector
# settings: loads KEYS string keys (32-byte values) into a fresh redis-server and a fresh node, runs
# redis-benchmark -c 50 -P 1 SET then GET on random keys over them, and prints p99, p99.9 and max
# latency (redis-benchmark's own distribution) with the ratios ours / Redis, the JVM's longest
# safepoint (its threads all stopped: a collector's pause or other; while measured, and from
# launch, loading included), and the memory after the run (RSS and PSS: ZGC maps its heap three
# times, so its RSS counts pages more than once; PSS counts each page once). Each round runs every
# variant, each beside a Redis run of its own.
# Usage: bench/pauses.sh [keys] [requests] [rounds]   (defaults 2000000 400000 1)
# PAUSE_VARIANTS: "name=JAVA_OPTS|name=JAVA_OPTS..." (default: the launcher's serial heap, G1 and ZGC).
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${1:-2000000}
REQUESTS=${2:-400000}
ROUNDS=${3:-1}
REDIS_PORT=${REDIS_PORT:-16591}
ROOKERY_PORT=${ROOKERY_PORT:-16592}
# shellcheck source=bench/common.sh
source bench/common.sh
DEFAULT_VARIANTS="serial=$JAVA_OPTS|g1=-XX:+UseG1GC -Xms16m -XX:MaxGCPauseMillis=20|zgc=-XX:+UseZGC -Xms16m"
IFS='|' read -r -a VARIANTS <<< "${PAUSE_VARIANTS:-$DEFAULT_VARIANTS}"

python3 - "$KEYS" > "$WORK/load.resp" <<'PY'
import sys
n = int(sys.argv[1]); v = b"v" * 32; out = sys.stdout.buffer
for i in range(n):
    k = b"key:%012d" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$32\r\n%s\r\n" % (len(k), k, v))
PY

# "p99 p99.9 max" in ms from redis-benchmark's percentile distribution (the first row at or past each)
cat > "$WORK/tail.py" <<'PY'
import re, sys
text = sys.stdin.read().split("Latency by percentile distribution:")[1].split("Cumulative distribution")[0]
rows = [(float(p), float(ms)) for p, ms in re.findall(r"^\s*([\d.]+)% <= ([\d.]+) milliseconds", text, re.M)]
def at(q): return next(ms for p, ms in rows if p >= q)
print("%.3f %.3f %.3f" % (at(99.0), at(99.9), rows[-1][1]))
PY
# the longest stop of the JVM's threads (ms) in its safepoint log, from line $2 on: every collector's
# pauses, and any other safepoint, measured alike
longest_pause() {
  tail -n +"$2" "$1" | grep -oE 'Total: [0-9]+ ns' | awk '{ if ($2 > m) m = $2 } END { printf "%.1f", m / 1e6 }'
}
memory() { # pid -> "rss_mb pss_mb"
  awk '/^Rss:/{r=$2} /^Pss:/{p=$2} END{printf "%.0f %.0f", r/1024, p/1024}' "/proc/$1/smaps_rollup"
}

# port [jvm log] -> the two benchmark lines "SET p99 p99.9 max" and "GET ..."; notes in
# $WORK/gc.mark the JVM log's first line written while measured
bench_server() {
  redis-cli -p "$1" --pipe < "$WORK/load.resp" > /dev/null
  redis-benchmark -p "$1" -c 50 -n 100000 -r "$KEYS" -t set,get -q > /dev/null # warm-up
  [ -z "${2:-}" ] || echo $(( $(wc -l < "$2") + 1 )) > "$WORK/gc.mark"
  for t in set get; do
    echo "$t $(redis-benchmark -p "$1" -c 50 -n "$REQUESTS" -r "$KEYS" -t "$t" -P 1 | python3 "$WORK/tail.py")"
  done
}

RESULTS="$OUT/pauses.txt"
echo "pauses: $KEYS keys of 32 bytes, redis-benchmark -c 50 -P 1 -n $REQUESTS -r $KEYS, $ROUNDS round(s)" | tee "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for v in "${VARIANTS[@]}"; do
    name=${v%%=*}; opts=${v#*=}
    mkdir -p "$WORK/redis" "$WORK/rookery"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK/redis" \
      --daemonize no --logfile "$WORK/redis/redis.log" &
    rpid=$!
    wait_ping "$REDIS_PORT"
    redis_lines=$(bench_server "$REDIS_PORT")
    redis_mem=$(memory "$rpid")
    kill "$rpid"; wait "$rpid" 2>/dev/null || true
    # shellcheck disable=SC2086
    java -XX:+ExitOnOutOfMemoryError $opts -Xlog:gc,safepoint:file="$WORK/gc.log" -jar "$JAR" \
      --rookery.node.port="$ROOKERY_PORT" --rookery.node.bind=127.0.0.1 --rookery.node.directives.save= \
      --rookery.node.directives.dir="$WORK/rookery" --server.port=0 --logging.level.root=WARN \
      > "$WORK/rookery.log" 2>&1 &
    jpid=$!
    wait_ping "$ROOKERY_PORT"
    ours_lines=$(bench_server "$ROOKERY_PORT" "$WORK/gc.log")
    ours_mem=$(memory "$jpid")
    kill "$jpid"; wait "$jpid" 2>/dev/null || true
    pause=$(longest_pause "$WORK/gc.log" "$(cat "$WORK/gc.mark")")
    pause_all=$(longest_pause "$WORK/gc.log" 1)
    paste <(echo "$redis_lines") <(echo "$ours_lines") | while read -r t r99 r999 rmax _ o99 o999 omax; do
      printf 'round %s %-7s %s  p99 %7s / %7s (%5.2f)  p99.9 %7s / %7s (%5.2f)  max %8s / %8s (%6.2f) ms\n' \
        "$round" "$name" "$t" "$o99" "$r99" "$(echo "$o99 / $r99" | bc -l)" "$o999" "$r999" \
        "$(echo "$o999 / $r999" | bc -l)" "$omax" "$rmax" "$(echo "$omax / $rmax" | bc -l)"
    done | tee -a "$RESULTS"
    cp "$WORK/gc.log" "$OUT/pauses-$name-jvm.log"
    echo "round $round $name  longest safepoint ${pause} ms while measured, ${pause_all} ms from launch; memory after, RSS / PSS MB: ours ${ours_mem/ / / } Redis ${redis_mem/ / / }" \
      | tee -a "$RESULTS"
    rm -rf "$WORK/redis" "$WORK/rookery" "$WORK/gc.log"
  done
done
