#!/bin/sh
# Image build step (test and product images alike): extracts the service jar /app/rookery.jar into
# /app/jar (java -Djarmode=tools extract: the application jar and its lib/ beside it, which class-data
# sharing can map, unlike nested jars) and writes /app/rookery.jsa, an AppCDS archive of the classes a
# start loads, from a training run: the service started with the given arguments in a scratch
# directory and stopped as soon as its Spring context is refreshed (-Dspring.context.exit=onRefresh,
# -XX:ArchiveClassesAtExit). The archive is kept only if a check run maps it (-Xshare:on); otherwise
# the build fails, so an image never ships an archive its JVM refuses.
#   /app/train.sh TRAINING_ARGS...
set -eu
cd /app
java -Djarmode=tools -jar rookery.jar extract --destination /app/jar
rm -f rookery.jar
mkdir -p /tmp/train
# shellcheck disable=SC2086
(cd /tmp/train && java ${JAVA_OPTS:-} -XX:ArchiveClassesAtExit=/app/rookery.jsa \
   -Dspring.context.exit=onRefresh -jar /app/jar/rookery.jar "$@") >/tmp/train.log 2>&1 \
  || { tail -30 /tmp/train.log; exit 1; }
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -Xshare:on -XX:SharedArchiveFile=/app/rookery.jsa -cp /app/jar/rookery.jar -version
rm -rf /tmp/train /tmp/train.log
chmod 0644 /app/rookery.jsa
