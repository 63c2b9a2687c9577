#!/usr/bin/env bash
# `scripts/cluster.sh supervise <name>`: keeps one instance of the local cluster running. Started by
# scripts/cluster.sh (start_instance) in a session of its own, logging to $CLUSTER_DIR/<name>.log like
# the instance; sourced by scripts/cluster.sh (it uses its functions and variables), not run alone.
#
# Launches the JVM, writes its pid to <name>.pid and waits for it. When the JVM exits:
#   - intended (down, restart, roll wrote <name>.stopping first): the supervisor ends;
#   - unexpected (a crash, an out-of-memory exit, kill -9): it is restarted after a back-off of 1 s,
#     doubling up to CLUSTER_RESTART_MAX_DELAY (30 s), back to 1 s once an instance stayed up 60 s;
#   - it never became ready, CLUSTER_START_ATTEMPTS (3) times in a row (bad configuration, no
#     database): the supervisor gives up and ends, and `up` reports the failure with the log.
# SIGTERM to the supervisor stops its instance (SIGTERM, then SIGKILL past CLUSTER_STOP_TIMEOUT) too.
# shellcheck disable=SC2154  # dir, stop_timeout… are scripts/cluster.sh's
set -euo pipefail

supervise() {
  local name="$1" child="" status delay=1 failures=0 started became_ready
  local max_delay="${CLUSTER_RESTART_MAX_DELAY:-30}" attempts="${CLUSTER_START_ATTEMPTS:-3}"
  # shellcheck disable=SC2034  # used by launch_instance (scripts/cluster.sh)
  java="${CLUSTER_JAVA:-$(java_bin)}"
  say() { echo "cluster supervisor: $name: $*"; }
  stopping() { [ -f "$dir/$name.stopping" ]; }
  # shellcheck disable=SC2317  # invoked by the trap
  terminate() {
    touch "$dir/$name.stopping"
    if [ -n "$child" ] && ! gone "$child"; then
      kill -TERM "$child" 2>/dev/null || true
      wait_exit "$child" "$stop_timeout" || kill -KILL "$child" 2>/dev/null || true
    fi
    exit 0
  }
  trap terminate TERM INT
  while :; do
    stopping && break
    launch_instance "$name" &
    child=$!
    echo "$child" >"$dir/$name.pid"
    started=$SECONDS
    became_ready=false
    # Polls rather than blocks in `wait`, to notice readiness (a start that never became ready is a
    # failed start, not a crash) and to keep the TERM trap responsive.
    until gone "$child"; do
      if ! $became_ready && ready "$name"; then
        became_ready=true
        failures=0
      fi
      sleep 1
    done
    status=0
    wait "$child" || status=$?
    stopping && break
    if $became_ready; then
      [ $((SECONDS - started)) -lt 60 ] || delay=1
      say "exited unexpectedly (status $status) after $((SECONDS - started))s: restarting in ${delay}s"
    else
      failures=$((failures + 1))
      if [ "$failures" -ge "$attempts" ]; then
        say "exited $failures times in a row (last status $status) before becoming ready: giving up"
        rm -f "$dir/$name.pid"
        exit 1
      fi
      say "exited (status $status) before becoming ready: attempt $((failures + 1)) of $attempts in ${delay}s"
    fi
    local until_at=$((SECONDS + delay))
    while [ "$SECONDS" -lt "$until_at" ] && ! stopping; do sleep 0.2; done
    delay=$((delay * 2 > max_delay ? max_delay : delay * 2))
  done
  rm -f "$dir/$name.stopping"
}
