#!/bin/sh
# Starts a Rookery service in a container. The JVM flags come from JAVA_OPTS (the image sets the ones
# bin/rookery-node uses, sized by the container's memory limit); arguments go to the service as Spring
# properties or Redis-style options.
#
# The image holds the service's jar extracted (/app/jar, made by `java -Djarmode=tools extract` at image
# build time) and a class-data-sharing archive of the classes a start loads (/app/rookery.jsa, from a
# training run at image build time, as bin/lib/fast-start.sh does for bin/rookery-node): the JVM maps
# them ready-made instead of loading and verifying them out of nested jars, about half a start. An
# image built without them runs /app/rookery.jar as it is.
#
# A service that rewrites its own config file (a sentinel rewrites sentinel.conf) needs it writable
# and kept across restarts: with ROOKERY_CONFIG_FILE (a path in the data volume) and
# ROOKERY_CONFIG_SEED (the file's first content), the file is written once, on first start, and left
# alone afterwards.
set -eu
if [ -n "${ROOKERY_CONFIG_FILE:-}" ] && [ -n "${ROOKERY_CONFIG_SEED:-}" ] && [ ! -f "$ROOKERY_CONFIG_FILE" ]; then
  printf '%s\n' "$ROOKERY_CONFIG_SEED" >"$ROOKERY_CONFIG_FILE"
fi
jar=/app/rookery.jar
cds=
if [ -f /app/jar/rookery.jar ]; then
  jar=/app/jar/rookery.jar
  # a JDK or class path that no longer matches the archive makes the JVM warn and start without it
  [ -f /app/rookery.jsa ] && cds=-XX:SharedArchiveFile=/app/rookery.jsa
fi
# Out of heap the JVM exits at once (code 3), so the container's restart policy brings it back
# rather than it living on with a dead thread.
# shellcheck disable=SC2086
exec java -XX:+ExitOnOutOfMemoryError $cds ${JAVA_OPTS:-} -jar "$jar" "$@"
