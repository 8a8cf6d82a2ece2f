#!/usr/bin/env bash
# Cluster mode side by side with real Redis: failover time and throughput (see bench/cluster.py).
# Usage: bench/cluster.sh [failover|throughput] [runs]   Results also go to bench/results/cluster.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
python3 bench/cluster.py "$@" | tee bench/results/cluster.txt
