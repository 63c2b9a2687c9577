#!/usr/bin/env bash
# Extracts the packaged Spring Boot jar into its four layers (dependencies, spring-boot-loader,
# snapshot-dependencies, application), the exploded layout the container image runs with
# `java org.springframework.boot.loader.launch.JarLauncher`. The Dockerfile's build stage runs this
# script and COPYs each layer into the runtime stage separately (a code change then rebuilds only
# the small application layer); ContainerImageIT runs the same script to rebuild that layout here.
# Usage: deploy/container/extract-layers.sh <jar> <destination-directory>
# Env:   JAVA_HOME (optional): the JDK/JRE whose bin/java runs the extraction; else `java` on PATH.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 <jar> <destination-directory>" >&2
  exit 2
fi
jar="$1"
dest="$2"
java_bin="java"
if [ -n "${JAVA_HOME:-}" ]; then
  java_bin="$JAVA_HOME/bin/java"
fi
if ! command -v "$java_bin" >/dev/null 2>&1; then
  echo "extract-layers: no java found (set JAVA_HOME or put a JDK/JRE 25 on PATH)." >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  echo "extract-layers: $jar is missing; build it first (./mvnw -B -DskipTests package)." >&2
  exit 1
fi
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
  echo "extract-layers: $dest is not empty; give a new or empty directory." >&2
  exit 1
fi

"$java_bin" -Djarmode=tools -jar "$jar" extract --layers --launcher --destination "$dest"

for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  if [ ! -d "$dest/$layer" ]; then
    echo "extract-layers: layer '$layer' is missing in $dest (is the jar layered?)." >&2
    exit 1
  fi
done
echo "extract-layers: extracted $jar into $dest"
