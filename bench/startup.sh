#!/usr/bin/env bash
# Start-up side by side with real Redis: milliseconds from launch to the first PONG on the RESP port,
# empty and with an RDB of N string keys (built once by real Redis with DEBUG POPULATE, the same file
# loaded by both), and for Rookery also to the first 200 from the HTTP readiness endpoint.
# Rookery starts through bin/rookery-node, as users start it; a first, unmeasured start prepares its
# class-data-sharing archive (ROOKERY_CDS=off measures without it). Runs are interleaved.
# Usage: bench/startup.sh [runs] [keys]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
KEYS=${2:-1000000}
REDIS_PORT=${REDIS_PORT:-16581}
ROOKERY_PORT=${ROOKERY_PORT:-16582}
HTTP_PORT=${HTTP_PORT:-16583}
# shellcheck source=bench/common.sh
source bench/common.sh

# The poller's interpreter starts inside the measured time: the system's python3 starts in ~50 ms,
# where a pyenv shim takes ~400 ms, more than Redis needs to answer.
WAIT_PY=${WAIT_PY:-$(command -v /usr/bin/python3 || command -v python3)}
# Waits for PONG on a port and, optionally, a 200 from a URL; prints ms since $1 for each (polls
# every 5 ms with a fresh connection, as a client retrying its connect would).
cat > "$WORK/wait.py" <<'PY'
import socket, sys, time  # urllib only once PONG is in: its import alone takes longer than Redis's start
t0 = int(sys.argv[1]) / 1000.0; port = int(sys.argv[2]); url = sys.argv[3] if len(sys.argv) > 3 else None
deadline = time.time() + 300
def pong():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n"); return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False
def ok():
    import urllib.request
    try:
        return urllib.request.urlopen(url, timeout=1).status == 200
    except Exception:
        return False
out = []
for check in [pong] + ([ok] if url else []):
    while not check():
        if time.time() > deadline: sys.exit("timed out")
        time.sleep(0.005)
    out.append(str(round((time.time() - t0) * 1000)))
print(" ".join(out))
PY

run_redis() { # dir -> "pong_ms"
  local t0; t0=$(now_ms)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$1" --daemonize no \
    --logfile "$1/redis.log" &
  local pid=$!
  "$WAIT_PY" "$WORK/wait.py" "$t0" "$REDIS_PORT"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run_rookery() { # dir -> "pong_ms health_ms"
  local t0; t0=$(now_ms)
  bin/rookery-node --rookery.node.port="$ROOKERY_PORT" --rookery.node.bind=127.0.0.1 \
    --rookery.node.directives.save= --rookery.node.directives.appendonly=no --rookery.node.directives.dir="$1" \
    --server.port="$HTTP_PORT" > "$1/rookery.log" 2>&1 &
  local pid=$!
  "$WAIT_PY" "$WORK/wait.py" "$t0" "$ROOKERY_PORT" "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# the RDB, once, by real Redis
mkdir -p "$WORK/gen" "$WORK/empty-r" "$WORK/empty-o" "$WORK/rdb-r" "$WORK/rdb-o"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --dir "$WORK/gen" --daemonize no \
  --enable-debug-command local --logfile "$WORK/gen/redis.log" &
GEN=$!; PIDS+=("$GEN")
wait_ping "$REDIS_PORT"
redis-cli -p "$REDIS_PORT" debug populate "$KEYS" >/dev/null
redis-cli -p "$REDIS_PORT" save >/dev/null
kill "$GEN"; wait "$GEN" 2>/dev/null || true
cp "$WORK/gen/dump.rdb" "$WORK/rdb-r/"; cp "$WORK/gen/dump.rdb" "$WORK/rdb-o/"
RDB_BYTES=$(stat -c %s "$WORK/gen/dump.rdb")

# the launcher's first start of a build prepares the extracted jar and the archive: not measured
[ "${ROOKERY_CDS:-on}" = off ] || ROOKERY_CDS=wait run_rookery "$WORK/empty-o" > /dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
maximum() { sort -n | tail -1; }
: > "$WORK/re"; : > "$WORK/oe"; : > "$WORK/oh"; : > "$WORK/rr"; : > "$WORK/or"; : > "$WORK/orh"
for i in $(seq 1 "$RUNS"); do
  run_redis "$WORK/empty-r" >> "$WORK/re"
  # through a file, not a process substitution: read would return before run_rookery has waited for
  # the node to exit, and the next start would find the port still taken
  run_rookery "$WORK/empty-o" > "$WORK/line"; read -r p h < "$WORK/line"; echo "$p" >> "$WORK/oe"; echo "$h" >> "$WORK/oh"
  run_redis "$WORK/rdb-r" >> "$WORK/rr"
  run_rookery "$WORK/rdb-o" > "$WORK/line"; read -r p h < "$WORK/line"; echo "$p" >> "$WORK/or"; echo "$h" >> "$WORK/orh"
  echo "run $i: empty redis $(tail -1 "$WORK/re") rookery $(tail -1 "$WORK/oe") (http $(tail -1 "$WORK/oh"));" \
    "$KEYS keys redis $(tail -1 "$WORK/rr") rookery $(tail -1 "$WORK/or") (http $(tail -1 "$WORK/orh")) ms"
done

{
  echo "start-up, launch to first PONG (ms), $RUNS interleaved runs, RDB of $KEYS keys ($RDB_BYTES bytes)," \
    "ROOKERY_CDS=${ROOKERY_CDS:-on}"
  printf "%-22s %10s %10s %10s %10s %12s %12s\n" case redis-med redis-max ours-med ours-max ratio-med ours-http-med
  row() { # name redis-file ours-file http-file
    local rm rx om ox hm
    rm=$(median < "$2"); rx=$(maximum < "$2"); om=$(median < "$3"); ox=$(maximum < "$3"); hm=$(median < "$4")
    printf "%-22s %10s %10s %10s %10s %12.2f %12s\n" "$1" "$rm" "$rx" "$om" "$ox" "$(echo "$om / ($rm + ($rm == 0))" | bc -l)" "$hm"
  }
  row "empty" "$WORK/re" "$WORK/oe" "$WORK/oh"
  row "rdb $KEYS keys" "$WORK/rr" "$WORK/or" "$WORK/orh"
  echo "(ours-http: launch to the first 200 from /actuator/health/readiness)"
} | tee "$OUT/startup.txt"
