#!/usr/bin/env bash
# Builds a copy of Redis 7.0.15's suite (from ../shared/tools/redis-tests's cache) in which the named
# units lose their `external:skip` tags, so that external-server mode runs them. Redis's ACL and AUTH
# units are tagged external:skip as a whole (they set users the harness's own clients depend on); run
# against a fresh server, their first server block needs nothing an external server lacks, and the
# later blocks stop the unit at the first override CONFIG SET cannot apply (dir, aclfile), for real
# redis-server as for Rookery, so the two counts compare like for like. units.tsv marks such units with
# `lift-external-skip` in its third column; run.sh and RedisSuiteIT pass the copy to the runner
# through REDIS_TESTS_CACHE.
# Usage: tools/redis-suite/lift-external-skip.sh DEST unit ...     (prints DEST)
set -euo pipefail
dest=${1:?usage: lift-external-skip.sh DEST unit ...}; shift
cache=${REDIS_TESTS_CACHE:-$HOME/.cache/redis-7.0.15-tests}
runner="$(dirname "$0")/../../../shared/tools/redis-tests"
if [ ! -f "$cache/tests/test_helper.tcl" ]; then # the runner fetches the suite on its first use
  bash "$runner" 127.0.0.1 1 no/such-unit >/dev/null 2>&1 || true
fi
[ -f "$cache/tests/test_helper.tcl" ] || { echo "lift-external-skip: no suite in $cache" >&2; exit 2; }
mkdir -p "$dest"
rm -rf "$dest/tests"
cp -r "$cache/tests" "$dest/tests"
for u in "$@"; do
  f="$dest/tests/$u.tcl"
  [ -f "$f" ] || { echo "lift-external-skip: no unit $u" >&2; exit 2; }
  sed -i -E 's/([{" ])external:skip([}" ])/\1\2/g' "$f"
done
echo "$dest"
