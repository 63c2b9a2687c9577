#!/usr/bin/env bash
# Builds a JDK AOT cache (JEP 483/514) for faster start-up: extracts the jar into
# target/extracted/ (the layout the cache needs) and records one training start that stops
# right after the application context is refreshed. Skips the work when the cache is newer
# than the jar. The training start connects to the database named by DATABASE_NAME (it runs
# the Flyway migrations there, nothing else).
# Usage: scripts/aot-cache.sh    then: java -XX:AOTCache=target/app.aot -jar target/extracted/healthcare-backend.jar
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
jar=target/healthcare-backend.jar
cache=target/app.aot

[ -f "$jar" ] || { echo "aot-cache: $jar is missing; run 'make build' first" >&2; exit 1; }
if [ -f "$cache" ] && [ "$cache" -nt "$jar.original" ]; then
  exit 0
fi
rm -rf target/extracted "$cache"
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination target/extracted >/dev/null
echo "aot-cache: training start (about 15 s on 2 cores)"
DEMO_ENABLED=false LOG_LEVEL=WARN "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:AOTCacheOutput="$cache" -Xlog:aot=error \
  -Dspring.context.exit=onRefresh -jar target/extracted/healthcare-backend.jar --server.port=0 \
  >target/aot-training.log 2>&1 || { echo "aot-cache: training failed, see target/aot-training.log" >&2; exit 1; }
echo "aot-cache: wrote $cache"
