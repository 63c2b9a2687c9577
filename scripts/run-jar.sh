#!/usr/bin/env bash
# Runs the service jar from a private copy, so no build can pull it from under a running JVM: Maven
# rewrites target/healthcare-backend.jar in place, and a JVM still reading that file (a `make run`
# while `make jwt-key`, `make rotate-keys`, … rebuild) fails with missing classes or a corrupt zip.
# Every Makefile target that runs the jar goes through here (DeploySafetyTest checks it).
#
# Usage: scripts/run-jar.sh [JVM options…] -- [application arguments…]
# Environment: JAR [target/healthcare-backend.jar], RUN_DIR [target/run] (where the copies live, one
# per process, removed when it ends), JAVA [$JAVA_HOME/bin/java, else java].
# SIGINT/SIGTERM to this script reach the JVM as SIGTERM (graceful shutdown); the exit status is the JVM's.
set -euo pipefail

jar="${JAR:-target/healthcare-backend.jar}"
run_dir="${RUN_DIR:-target/run}"
java="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
[ -f "$jar" ] || { echo "run-jar: $jar is missing; run 'make build' first" >&2; exit 1; }

jvm=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  jvm+=("$1")
  shift
done
[ $# -gt 0 ] && shift

mkdir -p "$run_dir"
# Copies of processes that are gone (killed with SIGKILL: no trap ran) are removed first.
for old in "$run_dir"/healthcare-backend-*.jar; do
  [ -e "$old" ] || continue
  owner="${old##*/healthcare-backend-}"
  owner="${owner%%.*}"
  kill -0 "$owner" 2>/dev/null || rm -f "$old"
done
copy="$run_dir/healthcare-backend-$$.jar"
cp "$jar" "$copy.tmp"
mv -f "$copy.tmp" "$copy"

child=""
cleanup() { rm -f "$copy"; }
forward() { [ -n "$child" ] && kill -TERM "$child" 2>/dev/null; }
trap cleanup EXIT
trap forward INT TERM

"$java" "${jvm[@]}" -jar "$copy" "$@" <&0 &
child=$!
status=0
wait "$child" || status=$?
# A trapped signal ends `wait` early: wait again until the JVM has really finished.
while kill -0 "$child" 2>/dev/null; do
  status=0
  wait "$child" || status=$?
done
exit "$status"
