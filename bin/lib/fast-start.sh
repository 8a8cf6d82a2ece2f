# Sourced by the service launchers (bin/rookery-node): a faster start for a Spring Boot service jar,
# from an extracted copy of the jar and a class-data-sharing (AppCDS) archive of the classes a start
# loads. About half of a start is loading and verifying classes out of the nested jars; the archive
# maps them ready-made.
#
#   fast_start JAR TRAINING_ARGS...
# sets RUN_JAR (the jar to run) and ARCHIVE (the archive for -XX:SharedArchiveFile, empty for none).
#
# The first start after a build runs JAR as it is and prepares, in the background, an extracted copy
# (java -Djarmode=tools extract) and an archive from a training run: the service started with
# TRAINING_ARGS in a scratch directory and stopped as soon as its context is refreshed
# (-Dspring.context.exit=onRefresh, -XX:ArchiveClassesAtExit). Later starts run the copy with the
# archive. Everything lives beside the jar (target/, so mvn clean removes it) in a directory named
# after the jar's size and time, so a rebuilt jar never meets an old archive. The archive is
# published only after a check run has mapped it (-Xshare:on): a half-written file is never used. A
# JDK or class path that no longer matches it makes the JVM warn and start without it.
#
# ROOKERY_CDS=off: run JAR as it is, prepare nothing. ROOKERY_CDS=wait: prepare in the foreground
# first (image builds, benchmarks). A failed preparation leaves its log in the directory
# (prepare.log) and is not retried for that jar; one cut short is retried after ten minutes.
fast_start() {
  FS_JAR=$1; shift
  RUN_JAR=$FS_JAR
  ARCHIVE=
  [ "${ROOKERY_CDS:-on}" = off ] && return 0
  FS_NAME=$(basename "$FS_JAR" .jar)
  FS_STAMP=$(stat -c '%s-%Y' "$FS_JAR" 2>/dev/null) || return 0
  FS_DIR="$(dirname "$FS_JAR")/fast-start/$FS_NAME-$FS_STAMP"
  if [ ! -f "$FS_DIR/ready" ] && [ ! -f "$FS_DIR/failed" ]; then
    if [ -d "$FS_DIR" ] && [ -n "$(find "$FS_DIR" -maxdepth 0 -mmin +10 2>/dev/null)" ]; then
      rm -rf "$FS_DIR" # a preparation that was cut short
    fi
    mkdir -p "$(dirname "$FS_DIR")" 2>/dev/null
    if mkdir "$FS_DIR" 2>/dev/null; then # the first start to get here prepares; the others go on
      if [ "${ROOKERY_CDS:-on}" = wait ]; then
        fast_start_prepare "$@" > "$FS_DIR/prepare.log" 2>&1 < /dev/null
      else
        fast_start_prepare "$@" > "$FS_DIR/prepare.log" 2>&1 < /dev/null &
      fi
    fi
  fi
  if [ -f "$FS_DIR/ready" ]; then
    RUN_JAR="$FS_DIR/app/$FS_NAME.jar"
    ARCHIVE="$FS_DIR/$FS_NAME.jsa"
  fi
}

fast_start_prepare() {
  fs_train_flags="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
  mkdir -p "$FS_DIR/train" \
    && java -Djarmode=tools -jar "$FS_JAR" extract --destination "$FS_DIR/app" \
    && (cd "$FS_DIR/train" && exec java $fs_train_flags -XX:ArchiveClassesAtExit="$FS_DIR/$FS_NAME.jsa.tmp" \
         -Dspring.context.exit=onRefresh -jar "$FS_DIR/app/$FS_NAME.jar" "$@") \
    && java -XX:+UseSerialGC -Xshare:on -XX:SharedArchiveFile="$FS_DIR/$FS_NAME.jsa.tmp" \
         -cp "$FS_DIR/app/$FS_NAME.jar" -version \
    && mv -f "$FS_DIR/$FS_NAME.jsa.tmp" "$FS_DIR/$FS_NAME.jsa" \
    && : > "$FS_DIR/ready" \
    || : > "$FS_DIR/failed"
  rm -rf "$FS_DIR/train" "$FS_DIR/$FS_NAME.jsa.tmp"
}
