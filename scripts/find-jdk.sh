#!/usr/bin/env bash
# Prints the path of a JDK >= 25: JAVA_HOME if it is one, else the newest in the system's JVM
# directory (/usr/lib/jvm, or JVM_DIR). Exits 1 with a clear message when there is none.
set -euo pipefail
required=25

major_of() {
  local java="$1/bin/java"
  [ -x "$java" ] && [ -x "$1/bin/javac" ] || return 1
  "$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

if [ -n "${JAVA_HOME:-}" ]; then
  v=$(major_of "$JAVA_HOME" || true)
  if [ -n "$v" ] && [ "$v" -ge "$required" ] 2>/dev/null; then
    echo "$JAVA_HOME"
    exit 0
  fi
fi

best=""; best_v=0
for dir in "${JVM_DIR:-/usr/lib/jvm}"/*; do
  [ -d "$dir" ] && [ ! -L "$dir" ] || continue
  v=$(major_of "$dir" || true)
  if [ -n "$v" ] && [ "$v" -ge "$required" ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then
    best="$dir"; best_v="$v"
  fi
done

if [ -z "$best" ]; then
  echo "No JDK >= $required found (JAVA_HOME='${JAVA_HOME:-}', searched ${JVM_DIR:-/usr/lib/jvm})." >&2
  echo "Install one, e.g. Temurin 25 (apt: temurin-25-jdk from the Adoptium repository), or set JAVA_HOME." >&2
  exit 1
fi
echo "$best"
