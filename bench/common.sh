# Shared by the side-by-side benchmark scripts (sourced, from the repository root): the Rookery JVM
# defaults of bin/rookery-node, the node jar (built when missing), a results directory, a scratch
# directory, and background processes (append their pids to PIDS) cleaned up on exit.
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
JAR=node-service/target/rookery-node.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package
OUT=bench/results
mkdir -p "$OUT"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
# waits until the server on port $1 answers PING (up to 30 s)
wait_ping() { for _ in $(seq 1 600); do [ "$(redis-cli -p "$1" ping 2>/dev/null)" = "PONG" ] && return; sleep 0.05; done; }
