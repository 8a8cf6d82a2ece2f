#!/bin/sh
# One-shot start-up step of docker-compose.yml: asks the admin service to create the declared
# cluster (CLUSTER_NODES, CLUSTER_REPLICAS replicas per primary) and waits for the job to succeed.
# Idempotent: when the admin service already manages CLUSTER_NAME (a restart, the admin's database
# is in a volume) it exits 0 at once. Uses only sh and curl (both in the service images).
#
# env: ADMIN_URL, ADMIN_TOKEN, CLUSTER_NAME, CLUSTER_NODES (comma separated host:port), CLUSTER_REPLICAS
# The admin service has no start-up option for this yet (issue 12); this step stands in for it.
set -eu
: "${ADMIN_URL:=http://admin:8080}" "${CLUSTER_NAME:=rookery}" "${CLUSTER_REPLICAS:=1}"
: "${CLUSTER_NODES:?CLUSTER_NODES is required}" "${ADMIN_TOKEN:?ADMIN_TOKEN is required}"
say() { echo "cluster-init: $*"; }
api() { curl -sS --max-time 30 -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' "$@"; }

code=$(api -o /dev/null -w '%{http_code}' "$ADMIN_URL/api/v1/clusters/$CLUSTER_NAME")
if [ "$code" = 200 ]; then say "cluster $CLUSTER_NAME already managed"; exit 0; fi

nodes=$(printf '%s' "$CLUSTER_NODES" | sed 's/[^,][^,]*/"&"/g')
body="{\"name\":\"$CLUSTER_NAME\",\"nodes\":[$nodes],\"replicas\":$CLUSTER_REPLICAS}"
say "creating: $body"
answer=$(api -X POST -d "$body" "$ADMIN_URL/api/v1/clusters/create")
id=$(printf '%s' "$answer" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
[ -n "$id" ] || { say "create refused: $answer"; exit 1; }
say "job $id"
i=0
while [ $i -lt 300 ]; do
  state=$(api "$ADMIN_URL/api/v1/jobs/$id" | grep -o '"state":"[A-Z]*"' | head -1 | cut -d'"' -f4)   # the job's own, before its steps' 
  case $state in
    SUCCEEDED) say "cluster $CLUSTER_NAME created"; exit 0 ;;
    FAILED|CANCELLED) say "job $id $state: $(api "$ADMIN_URL/api/v1/jobs/$id")"; exit 1 ;;
  esac
  i=$((i + 1)); sleep 1
done
say "job $id did not finish in 300 s (state $state)"; exit 1
