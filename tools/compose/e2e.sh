#!/usr/bin/env bash
# End-to-end run of docker-compose.yml against a real Docker engine (issue 14's proof). `mvn verify` runs
# it as deploy's ComposeEndToEndIT (tag compose); it also runs alone on a built tree. Steps, each timed; a failed check is counted and the run goes on (a failed
# start stops it); the topology is taken down at the end with `docker compose down -v` unless KEEP=1:
#   1. tools/compose/docker-here (engine, compose v2, local base images), the jars if missing
#   2. the images built, then docker compose up --wait: the time from up to ready, and memory per service
#      and in total (RSS of each container's processes, docker stats' cgroup figure, the JVM's own start)
#   3. 10 000 keys through the gateway; `redis-cli --cluster check` is clean; the keys are all there
#   4. scale-out: node-7 (profile scale-out) added as a primary through the admin API, rebalanced,
#      the job succeeds, the keys are intact and node-7 holds slots
#   5. the sentinel group fails over when its primary's container is killed
#   6. every Prometheus target is up; every dashboard panel query returns series
#   7. docker compose down -v leaves no container, volume or network of the project
# At the end: where the time went, step by step, with the load average (the machine may be shared).
# env: ROOKERY_GATEWAY_PORT (18079), ROOKERY_ADMIN_PORT (18080), PROMETHEUS_PORT (18090), KEEP=1 (leave it up),
#      E2E_REUSE=1 (no build, no container recreated: check the topology already up)
set -uo pipefail
DIR=$(cd "$(dirname "$0")/../.." && pwd)
cd "$DIR"
export ROOKERY_GATEWAY_PORT=${ROOKERY_GATEWAY_PORT:-18079} ROOKERY_ADMIN_PORT=${ROOKERY_ADMIN_PORT:-18080}
export PROMETHEUS_PORT=${PROMETHEUS_PORT:-18090} ROOKERY_ADMIN_TOKEN=${ROOKERY_ADMIN_TOKEN:-e2e-token}
NET=${ROOKERY_NET:-172.30.0}
ADMIN=http://127.0.0.1:$ROOKERY_ADMIN_PORT
PROM=http://127.0.0.1:$PROMETHEUS_PORT
failures=0
T0=$(date +%s)
say() { printf '[e2e %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
fail() { say "FAIL: $*"; failures=$((failures + 1)); }
load() { cut -d' ' -f1-3 /proc/loadavg; }
step() { STEP_T=$(date +%s); STEP_NAME=$*; say "== $* (load $(load))"; }
TIMES=()
done_step() { # records the step's time for the summary
  local t=$(( $(date +%s) - STEP_T ))
  TIMES+=("$(printf '%5ss  %s' "$t" "$STEP_NAME")")
  say "   took ${t}s (load $(load))"
}
sub_time() { # label, start: a timed part of a step, in the summary
  local t=$(( $(date +%s) - $2 ))
  TIMES+=("$(printf '%5ss    %s' "$t" "$1")")
  say "   $1: ${t}s"
}
api() { curl -sS --max-time 30 -H "Authorization: Bearer $ROOKERY_ADMIN_TOKEN" -H 'Content-Type: application/json' "$@"; }
await_job() { # id, seconds; gives up early after 60 answers in a row without a job state (the admin broken)
  local id=$1 state="" i answer misses=0
  for i in $(seq 1 "$2"); do
    answer=$(api "$ADMIN/api/v1/jobs/$id")
    state=$(printf '%s' "$answer" | grep -o '"state":"[A-Z]*"' | head -1 | cut -d'"' -f4)
    case $state in SUCCEEDED|FAILED|CANCELLED) break ;; "") misses=$((misses + 1)) ;; *) misses=0 ;; esac
    [ "$misses" -lt 60 ] || { state="no state: $answer"; break; }
    sleep 1
  done
  echo "$state"
}
total_keys() { # sum of DBSIZE over the cluster's primaries
  redis-cli -h "$NET.11" -p 6379 --cluster info "$NET.11:6379" 2>/dev/null | sed -n 's/.*\] \([0-9]*\) keys in.*/\1/p'
}
finish() {
  if [ "${KEEP:-0}" != 1 ]; then
    step "docker compose down -v"
    docker compose --profile scale-out --profile grafana down -v --remove-orphans >/dev/null 2>&1
    left=$(docker ps -aq --filter label=com.docker.compose.project=rookery; docker volume ls -q --filter label=com.docker.compose.project=rookery; docker network ls -q --filter label=com.docker.compose.project=rookery)
    [ -z "$left" ] || fail "left behind: $left"
    done_step
  fi
  say "where the time went (total $(( $(date +%s) - T0 ))s, load at the end $(load)):"
  printf '  %s\n' "${TIMES[@]}"
  say "failures: $failures"
  exit $(( failures > 0 ))
}
trap finish EXIT

step "tooling"
tools/compose/docker-here || { fail "docker-here"; exit 1; }
if [ ! -f node-service/target/rookery-node.jar ] || [ ! -f gateway/target/rookery-gateway.jar ] \
   || [ ! -f cluster-admin-service/target/rookery-admin.jar ] || [ ! -f sentinel-service/target/rookery-sentinel.jar ]; then
  mvn -B -q -o -DskipTests package || { fail "maven package"; exit 1; }
fi
done_step

UP=(up -d --wait --wait-timeout 900)
[ "${E2E_REUSE:-0}" = 1 ] && UP+=(--no-recreate)   # checks against the topology already running
step "docker compose build"
if [ "${E2E_REUSE:-0}" != 1 ]; then
  DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0} COMPOSE_DOCKER_CLI_BUILD=0 docker compose --profile scale-out build >/tmp/rookery-e2e-build.txt 2>&1 \
    || { tail -40 /tmp/rookery-e2e-build.txt | tr '\r' '\n' | grep -v '^Sending build context'; fail "build"; exit 1; }
fi
done_step

step "docker compose up --wait"
docker compose "${UP[@]}" || { fail "up --wait"; docker compose ps -a; docker compose logs --tail 30; exit 1; }
done_step
say "time from docker compose up to ready: $(( $(date +%s) - STEP_T ))s"
docker compose ps --format '{{.Service}}: {{.Status}}'
memory() { # per service: RSS of the container's processes (the JVM is its pid 1) and the cgroup's figure; totals
  local c pid rss cg cpu total_rss=0 total_cg=0 total_cpu=0 stats hz
  hz=$(getconf CLK_TCK)
  stats=$(docker stats --no-stream --format '{{.ID}} {{.MemUsage}}')
  # CPU s: the processes' CPU time so far (user + system), which unlike wall times does not depend on the
  # load other work puts on the machine
  printf '  %-14s %8s %10s %7s   %s\n' service 'RSS MiB' 'cgroup MiB' 'CPU s' 'JVM start (Spring, wall)'
  for c in $(docker compose ps -q | xargs docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}={{.State.Pid}}={{.Id}}' | sort); do
    IFS== read -r svc pid id <<<"$c"
    rss=0
    cpu=0
    for p in $pid $(pgrep -P "$pid" 2>/dev/null); do
      rss=$(( rss + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) ))
      cpu=$(( cpu + $(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0) ))
    done
    cg=$(printf '%s\n' "$stats" | awk -v id="${id:0:12}" '$1==id {v=$2; u=v; gsub(/[0-9.]/,"",u); gsub(/[A-Za-z]/,"",v); printf "%.0f", v*(u=="GiB"?1048576:(u=="MiB"?1024:1))}')
    started=$(docker logs "$id" 2>&1 | grep -o 'Started [A-Za-z]* in [0-9.]* seconds' | tail -1 | awk '{print $4"s"}')
    printf '  %-14s %8d %10d %7d   %s\n' "$svc" $(( rss / 1024 )) $(( cg / 1024 )) $(( cpu / hz )) "${started:--}"
    total_rss=$(( total_rss + rss )); total_cg=$(( total_cg + cg )); total_cpu=$(( total_cpu + cpu ))
  done
  printf '  %-14s %8d %10d %7d\n' TOTAL $(( total_rss / 1024 )) $(( total_cg / 1024 )) $(( total_cpu / hz ))
}
say "memory after up (idle; RSS = resident set of the container's processes, cgroup = docker stats):"
memory | tee /tmp/rookery-e2e-mem.txt

step "10 000 keys through the gateway"
# pipelined (redis-cli --pipe: RESP in, the count of replies and errors out)
seq 1 10000 | awk '{k="key:"$1; v="value-"$1; printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v}' \
  | redis-cli -p "$ROOKERY_GATEWAY_PORT" --pipe --pipe-timeout 60 >/tmp/rookery-e2e-set.txt 2>&1
grep -q 'errors: 0, replies: 10000' /tmp/rookery-e2e-set.txt || fail "SET x 10000 through the gateway: $(tail -3 /tmp/rookery-e2e-set.txt)"
[ "$(redis-cli -p "$ROOKERY_GATEWAY_PORT" GET key:4242)" = value-4242 ] || fail "GET key:4242 through the gateway"
[ "$(total_keys | paste -sd+ | bc)" = 10000 ] || fail "primaries hold $(total_keys | paste -sd+ | bc) keys, not 10000"
redis-cli --cluster check "$NET.11:6379" >/tmp/rookery-e2e-check.txt 2>&1 || fail "cluster check: $(tail -5 /tmp/rookery-e2e-check.txt)"
grep -q '\[OK\] All 16384 slots covered' /tmp/rookery-e2e-check.txt || fail "not all slots covered"
done_step

step "scale-out: a fourth primary, added and rebalanced through the admin API"
t=$(date +%s)
docker compose --profile scale-out up -d --wait node-7 || fail "node-7 up"
sub_time "node-7 up --wait" "$t"; t=$(date +%s)
answer=$(api -X POST -d "{\"address\":\"$NET.17:6379\",\"role\":\"primary\"}" "$ADMIN/api/v1/clusters/rookery/nodes")
id=$(printf '%s' "$answer" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
if [ -z "$id" ]; then fail "add node refused: $answer"; else
  st=$(await_job "$id" 120); [ "$st" = SUCCEEDED ] || fail "add-node job $id: $st"
  sub_time "add-node job" "$t"; t=$(date +%s)
  answer=$(api -X POST -d '{"useEmptyPrimaries":true}' "$ADMIN/api/v1/clusters/rookery/rebalance")
  id=$(printf '%s' "$answer" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
  if [ -z "$id" ]; then fail "rebalance refused: $answer"; else
    st=$(await_job "$id" 1800); [ "$st" = SUCCEEDED ] || fail "rebalance job $id: $st"
    sub_time "rebalance job" "$t"
  fi
fi
[ "$(total_keys | paste -sd+ | bc)" = 10000 ] || fail "after rebalance the primaries hold $(total_keys | paste -sd+ | bc) keys"
slots7=$(redis-cli -h "$NET.17" -p 6379 cluster nodes | awk '/myself/ {n=0; for (i=9;i<=NF;i++) {split($i,r,"-"); n+= (r[2]==""?1:r[2]-r[1]+1)}; print n}')
[ "${slots7:-0}" -gt 0 ] || fail "node-7 holds no slots after the rebalance"
say "node-7 holds ${slots7:-0} slots"
redis-cli --cluster check "$NET.11:6379" >/tmp/rookery-e2e-check2.txt 2>&1 || fail "cluster check after rebalance: $(tail -5 /tmp/rookery-e2e-check2.txt)"
done_step

step "sentinel failover when the primary's container is killed"
before=$(redis-cli -h "$NET.31" -p 26379 SENTINEL GET-MASTER-ADDR-BY-NAME mymaster | head -1)
docker compose kill ha-primary >/dev/null
after=$before
for _ in $(seq 1 90); do
  after=$(redis-cli -h "$NET.31" -p 26379 SENTINEL GET-MASTER-ADDR-BY-NAME mymaster | head -1)
  [ -n "$after" ] && [ "$after" != "$before" ] && break
  sleep 1
done
[ "$after" != "$before" ] || fail "sentinels did not fail over from $before"
say "primary $before -> $after"
docker compose start ha-primary >/dev/null
done_step

step "Prometheus: every target up, every dashboard query has series"
for _ in $(seq 1 30); do
  down=$(curl -s "$PROM/api/v1/targets?state=active" | python3 -c 'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"]; print(" ".join(x["labels"]["instance"] for x in t if x["health"]!="up"))')
  [ -z "$down" ] && break
  sleep 2
done
[ -z "$down" ] || fail "targets not up: $down"
python3 - "$PROM" <<'EOF' || { fail "dashboard queries"; docker compose ps -a; }
# A query without series is asked again after each scrape interval for up to a minute, so one scrape that
# Prometheus missed (a target whose scrape timed out drops its series until the next one) is reported but
# is not a failure; a query that stays empty, or that Prometheus refuses, is. Each target's last scrape
# (duration, error) is printed when it was slow, failed, or anything failed.
import json, re, sys, glob, time, urllib.parse, urllib.request
prom = sys.argv[1]

def get(path, **params):
    try:
        return json.load(urllib.request.urlopen(prom + path + "?" + urllib.parse.urlencode(params), timeout=20))
    except urllib.error.HTTPError as e:
        return {"status": f"HTTP {e.code}: {e.read().decode(errors='replace')}"}

queries = []
for f in sorted(glob.glob("deploy/grafana/dashboards/*.json")):
    for p in json.load(open(f))["panels"]:
        for t in p.get("targets", []):
            # Grafana's interval macros as 1m, then every variable on "All" ($instance, $master, $cluster
            # are used in =~ matchers), as deploy's ShippedQueries resolves them
            q = re.sub(r"\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}", "1m", t["expr"])
            q = re.sub(r"\$\{?[A-Za-z_]\w*\}?", ".*", q)
            queries.append((f.split("/")[-1], p["title"], q))

refused, pending, deadline = [], queries, time.time() + 60
while True:
    empty = []
    for q in pending:
        r = get("/api/v1/query", query=q[2])
        if r.get("status") != "success":
            refused.append((q, r.get("status")))
        elif not r["data"]["result"]:
            empty.append(q)
    if not empty or time.time() > deadline:
        break
    print(f"  {len(empty)} queries without series, asked again after a scrape: "
          + ", ".join(sorted({q[2].split("{")[0].split("(")[-1] for q in empty})))
    pending = empty
    time.sleep(5)
for q, why in refused:
    print(f"  {why}: {q[0]} / {q[1]}: {q[2]}")
for q in empty:
    print(f"  no series: {q[0]} / {q[1]}: {q[2]}")
bad = len(refused) + len(empty)
for t in get("/api/v1/targets", state="active")["data"]["activeTargets"]:
    if bad or t["health"] != "up" or t.get("lastError") or t.get("lastScrapeDuration", 0) > 1:
        print(f"  target {t['labels']['instance']} ({t['labels']['job']}): {t['health']}, last scrape "
              f"{t.get('lastScrapeDuration', 0):.3f}s at {t.get('lastScrape', '?')}{', error: ' + t['lastError'] if t.get('lastError') else ''}")
print(f"  {len(queries) - bad} of {len(queries)} panel queries return series")
sys.exit(1 if bad else 0)
EOF
done_step
