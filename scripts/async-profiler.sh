#!/usr/bin/env bash
# Prints the path of async-profiler's agent library (linux-x64), fetching it from Maven Central
# (tools.profiler:async-profiler, the linux-x64 classifier) into target/tools on first use.
# Used by `BENCH_PROFILE=1 make bench` (scripts/bench.sh), which loads it into the running service
# with `jcmd <pid> JVMTI.agent_load`.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${ASYNC_PROFILER_VERSION:-4.2}"
dir="$PWD/target/tools/async-profiler-$version"
lib="$dir/linux-x64/libasyncProfiler.so"
if [ ! -f "$lib" ]; then
  if [ "$(uname -m)" != x86_64 ]; then
    echo "async-profiler.sh: only linux-x64 is set up here (this machine: $(uname -m))" >&2
    exit 1
  fi
  mkdir -p "$dir"
  ./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$version:jar:linux-x64" \
    -DoutputDirectory="$dir" >&2
  (cd "$dir" && unzip -q -o "async-profiler-$version-linux-x64.jar" 'linux-x64/*')
fi
echo "$lib"
