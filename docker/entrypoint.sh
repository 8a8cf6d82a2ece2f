#!/bin/sh
# Starts a Rookery service's jar (/app/rookery.jar) in a container. The JVM flags come from
# JAVA_OPTS (the image sets the ones bin/rookery-node uses, sized by the container's memory limit);
# arguments go to the service as Spring properties or Redis-style options.
#
# A service that rewrites its own config file (a sentinel rewrites sentinel.conf) needs it writable
# and kept across restarts: with ROOKERY_CONFIG_FILE (a path in the data volume) and
# ROOKERY_CONFIG_SEED (the file's first content), the file is written once, on first start, and left
# alone afterwards.
set -eu
if [ -n "${ROOKERY_CONFIG_FILE:-}" ] && [ -n "${ROOKERY_CONFIG_SEED:-}" ] && [ ! -f "$ROOKERY_CONFIG_FILE" ]; then
  printf '%s\n' "$ROOKERY_CONFIG_SEED" >"$ROOKERY_CONFIG_FILE"
fi
# Out of heap the JVM exits at once (code 3), so the container's restart policy brings it back
# rather than it living on with a dead thread.
# shellcheck disable=SC2086
exec java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar /app/rookery.jar "$@"
