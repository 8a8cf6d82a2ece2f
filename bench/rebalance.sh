#!/usr/bin/env bash
# Slot moves side by side: `redis-cli --cluster rebalance --cluster-use-empty-masters` against the admin
# service's rebalance job on fresh 3+1-primary clusters loaded with the same keys, with the worst client
# latency during each (see bench/rebalance.py for the options: --keys, --value-bytes, --large, --runs,
# --nodes rookery, --mode reshard, --options). Results also go to bench/results/rebalance.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3   # Debian's python3-redis
"$PY" bench/rebalance.py "$@" | tee bench/results/rebalance.txt
