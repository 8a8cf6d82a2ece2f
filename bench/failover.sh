#!/usr/bin/env bash
# Failover time side by side with real Redis Sentinel (see bench/failover.py for the method).
# Usage: bench/failover.sh [runs] [topologies...]   Results also go to bench/results/failover.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
python3 bench/failover.py "$@" | tee bench/results/failover.txt
