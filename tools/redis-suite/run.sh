#!/usr/bin/env bash
# Measures the node against Redis 7.0.15's own test suite: every unit of units.tsv (beside this
# script) runs through ../shared/tools/redis-tests against a fresh Rookery node of its own (a unit may
# leave any state behind, or shut the server down), and each unit's count of passed tests is printed
# beside real redis-server's with the 98% mark the compatibility issue sets. Exits 1 when a unit is
# below the mark. Logs per unit go to $LOGDIR (default: a new temp folder).
# Usage: tools/redis-suite/run.sh [unit ...]      (default: every unit of units.tsv)
set -uo pipefail
cd "$(dirname "$0")/../.."
runner=../shared/tools/redis-tests
[ -x "$runner" ] || [ -f "$runner" ] || { echo "redis-suite: $runner not found (shared/ sits beside the checkout)" >&2; exit 2; }
command -v tclsh >/dev/null || { echo "redis-suite: tclsh missing (apt-get install -y tcl)" >&2; exit 2; }
JAR=node-service/target/rookery-node.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package || exit 2
logdir=${LOGDIR:-$(mktemp -d)}; mkdir -p "$logdir"
port=${PORT:-17100}
declare -A redis_ok
units=()
while IFS=$'\t' read -r unit ok _; do
  [[ -z "$unit" || "$unit" == \#* ]] && continue
  redis_ok[$unit]=$ok; units+=("$unit")
done < tools/redis-suite/units.tsv
[ $# -gt 0 ] && units=("$@")

node_pid=
stop_node() { [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null; node_pid=; }
trap stop_node EXIT
start_node() { # a fresh node with DEBUG on and its own data directory
  local dir; dir=$(mktemp -d)
  java -XX:+UseSerialGC -jar "$JAR" --rookery.node.port="$port" --rookery.node.bind=127.0.0.1 --server.port=0 \
    --rookery.node.directives.enable-debug-command=yes --rookery.node.directives.dir="$dir" \
    --rookery.node.directives.save= >"$logdir/node-$1.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 1500); do [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.1; done
  echo "redis-suite: the node did not answer PING (log: $logdir/node-$1.log)" >&2; return 1
}

below=0
printf '%-24s %6s %6s %6s %s\n' unit ours redis needed status
for u in "${units[@]}"; do
  name=$(echo "$u" | tr / _)
  start_node "$name" || exit 2
  line=$(LOGDIR="$logdir" "$runner" 127.0.0.1 "$port" "$u" 2>&1 | awk -v u="$u" '$1 == u')
  stop_node
  ok=$(echo "$line" | awk '{print $2}'); ok=${ok:-0}
  status=$(echo "$line" | cut -c 40-)
  want=${redis_ok[$u]:-0}
  need=$(( (want * 98 + 99) / 100 ))
  [ "$ok" -lt "$need" ] && below=$((below + 1))
  printf '%-24s %6d %6d %6d %s\n' "$u" "$ok" "$want" "$need" "$status"
done
echo "logs: $logdir"
[ "$below" -eq 0 ]
