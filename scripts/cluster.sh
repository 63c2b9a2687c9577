#!/usr/bin/env bash
# A local multi-instance cluster without containers: 3 API instances and 1 worker of the same jar,
# HAProxy in front on 127.0.0.1:$CLUSTER_PORT, against the local PostgreSQL and Redis.
# docs/local-cluster.md describes it; the make targets (make/cluster.mk) call it.
#
# Usage: scripts/cluster.sh up | down | status | logs [name] | restart | roll   (supervise <name>: internal)
#   up       start what is not running (the first API instance alone first: it creates the development
#            keys and the demo data, the others then share them), wait until every instance is ready.
#            Each instance runs under a small supervisor (scripts/cluster/supervise.sh) that restarts it
#            with back-off when it exits unexpectedly (a crash, kill -9), never when down/restart/roll stop it
#   down     stop HAProxy, then every instance (SIGTERM, bounded wait, then SIGKILL); idempotent
#   status   each instance's pid and readiness, HAProxy's view of the API servers
#   logs     follow the logs (tail -F) of all instances and HAProxy, or of one (api1, api2, api3, worker, haproxy)
#   restart  rolling restart onto the current jar, API instances one at a time through HAProxy's drain,
#            then the worker; starts the cluster instead when it is not running
#   roll     the same rolling restart under load: a bounded load generator (scripts/cluster/LoadGenerator.java)
#            runs through HAProxy meanwhile, and a 5-second request in flight on the first instance when
#            it gets SIGTERM must still answer 2xx. Exits 1 when any request failed; the report is
#            $CLUSTER_DIR/roll-report.json
#
# Environment (defaults in brackets):
#   CLUSTER_DIR [var/cluster]            pids, logs, rendered haproxy.cfg, runtime socket, reports, jar copy
#   CLUSTER_PORT [8080]                  HAProxy's port (127.0.0.1)
#   CLUSTER_INSTANCE_BASE_PORT [8090]    api1..api3 on base+1..base+3, the worker on base+4
#   CLUSTER_HEAP [384m]                  -Xmx of each instance (4 JVMs share the machine)
#   CLUSTER_JAR [target/healthcare-backend.jar]
#   CLUSTER_READY_TIMEOUT [120]          seconds a starting instance may go without progress (no new log
#                                        line, no CPU time) before the wait for its readiness fails
#   CLUSTER_READY_MAX [300 x load]       overall bound of that wait: 300 s times the load average per core
#                                        (at least 1, at most 10) unless set
#   CLUSTER_RESTART_MAX_DELAY [30]       the supervisor's back-off between restarts: 1 s, doubling, capped here
#   CLUSTER_START_ATTEMPTS [3]           consecutive starts that never became ready before the supervisor gives up
#   CLUSTER_DRAIN_TIMEOUT [30]           seconds to wait for a drained server's sessions to end
#   CLUSTER_STOP_TIMEOUT [45]            seconds between SIGTERM and SIGKILL (above SHUTDOWN_TIMEOUT, 30 s)
#   CLUSTER_LOAD_CONCURRENCY [4] CLUSTER_LOAD_RATE [40] CLUSTER_LOAD_MAX_SECONDS [300]
#   CLUSTER_LOAD_MAX_REQUESTS [30000]    bounds of the load generator during `roll`
#   CLUSTER_INFLIGHT_SECONDS [5]         how long the in-flight request of `roll` is held
#   JAVA_OPTS                            JVM flags (the Makefile passes its own); -Xmx$CLUSTER_HEAP is added
#   DATABASE_NAME [healthcare], DATABASE_HOST/PORT, DATABASE_ADMIN_USER [postgres] (for the in-flight lock),
#   REDIS_URL [redis://127.0.0.1:6379], DEMO_PASSWORD, APP_PROFILE and every other variable of the
#   README's "Configuration" reach the instances unchanged. The per-address, per-user and per-clinic
#   API rate limits default to 100000 per minute here (RATE_LIMIT_IP/_USER/_CLINIC override): the
#   whole load comes from one user at one address.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${CLUSTER_DIR:-var/cluster}"
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac
port="${CLUSTER_PORT:-8080}"
base_port="${CLUSTER_INSTANCE_BASE_PORT:-8090}"
heap="${CLUSTER_HEAP:-384m}"
jar_source="${CLUSTER_JAR:-target/healthcare-backend.jar}"
ready_stall="${CLUSTER_READY_TIMEOUT:-120}"
drain_timeout="${CLUSTER_DRAIN_TIMEOUT:-30}"
stop_timeout="${CLUSTER_STOP_TIMEOUT:-45}"
java_opts="${JAVA_OPTS:--XX:+UseSerialGC -Xms64m -XX:+ExitOnOutOfMemoryError}"
db="${DATABASE_NAME:-healthcare}"
pg_host="${DATABASE_HOST:-127.0.0.1}"
pg_port="${DATABASE_PORT:-5432}"
pg_admin="${DATABASE_ADMIN_USER:-postgres}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
api_instances=(api1 api2 api3)
all_instances=(api1 api2 api3 worker)
sock="$dir/haproxy.sock"
jar="$dir/healthcare-backend.jar"

log() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

instance_port() {
  case "$1" in
    api1) echo $((base_port + 1)) ;; api2) echo $((base_port + 2)) ;; api3) echo $((base_port + 3)) ;;
    worker) echo $((base_port + 4)) ;; *) die "unknown instance '$1' (api1, api2, api3, worker)" ;;
  esac
}

java_bin() {
  local home="${JAVA_HOME:-}"
  if [ -z "$home" ] || ! "$home/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    home="$(scripts/find-jdk.sh)" || die "no JDK 25 or newer (see the message above)"
  fi
  echo "$home/bin/java"
}

# Installs a Debian package when its command is missing and we run as root; otherwise says how.
require() {
  local command="$1" package="$2"
  command -v "$command" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing $package"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq -o DPkg::Lock::Timeout=300 "$package" >/dev/null \
      || die "could not install $package (apt-get install -y $package)"
  fi
  command -v "$command" >/dev/null 2>&1 || die "$command is missing: install it (Debian: sudo apt-get install $package)"
}

# --- process bookkeeping -------------------------------------------------------------------------

pid_of() { [ -f "$dir/$1.pid" ] && cat "$dir/$1.pid" || true; }

# Alive and still the process we started (a recycled pid would not carry our jar or config path).
alive() {
  local pid
  pid="$(pid_of "$1")"
  [ -n "$pid" ] && ! gone "$pid" && alive_pid "$pid"
}

# Gone: no such process, or a zombie (exited, waiting for init to collect it).
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" = Z ]; }

# Waits up to $2 seconds for process $1 to exit, then briefly for it to be collected.
wait_exit() {
  local pid="$1" deadline=$((SECONDS + $2))
  until gone "$pid"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
  deadline=$((SECONDS + 3))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
}

# Process $1 (from a pid file) is ours and has not finished exiting: it runs our jar or config, or it
# is exiting (an exiting process has no command line any more).
ours() { [ -n "$1" ] && ! gone "$1" && { [ -z "$(tr -d '\0' <"/proc/$1/cmdline" 2>/dev/null)" ] || alive_pid "$1"; }; }
alive_pid() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$dir/"; }

# The supervisor of instance $1 runs (it restarts the instance when it exits unexpectedly).
supervised() {
  local pid
  pid="$(pid_of "$1.supervisor")"
  [ -n "$pid" ] && ! gone "$pid" && alive_pid "$pid"
}

# Tells the supervisor of instance $1 that its next exit is intended (down, restart, roll): no restart.
intend_stop() { touch "$dir/$1.stopping"; }

# SIGTERM (the service shuts down gracefully: in-flight requests finish), then SIGKILL past the bound;
# then the supervisor, which exits once the instance has.
stop_process() {
  local name="$1" pid
  intend_stop "$name"
  pid="$(pid_of "$name")"
  if ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_exit "$pid" "$stop_timeout"; then
      log "$name (pid $pid) still running ${stop_timeout}s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_exit "$pid" 10 || die "$name (pid $pid) survived SIGKILL"
    fi
  fi
  pid="$(pid_of "$name.supervisor")"
  if ours "$pid" && ! wait_exit "$pid" 10; then
    # It was starting a new instance as the stop came: its TERM trap stops that one too.
    kill -TERM "$pid" 2>/dev/null || true
    wait_exit "$pid" "$stop_timeout" || { kill -KILL "$pid" 2>/dev/null || true; wait_exit "$pid" 5 || true; }
  fi
  rm -f "$dir/$name.pid" "$dir/$name.supervisor.pid" "$dir/$name.stopping"
}

ready() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$(instance_port "$1")/health/readiness" 2>/dev/null; }

# Starts instance $1 (unless it runs) under its supervisor, a background process of its own session
# that launches the JVM, logging to $dir/$1.log, and restarts it when it exits unexpectedly.
start_instance() {
  local name="$1"
  { supervised "$name" || alive "$name"; } && return 0
  rm -f "$dir/$name.stopping"
  # The JDK found once here (java_bin starts a JVM to check its version: seconds on a busy machine).
  CLUSTER_JAVA="${java:-$(java_bin)}" setsid scripts/cluster.sh supervise "$name" "$dir/$name" </dev/null \
    >>"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.supervisor.pid"
  local deadline=$((SECONDS + 10))
  until alive "$name"; do
    supervised "$name" || { tail -n 20 "$dir/$name.log" >&2 || true; die "$name's supervisor exited (log: $dir/$name.log)"; }
    [ "$SECONDS" -lt "$deadline" ] || die "$name's supervisor started no JVM within 10s (log: $dir/$name.log)"
    sleep 0.1
  done
  log "started $name (pid $(pid_of "$name"), supervisor $(pid_of "$name.supervisor"), port $(instance_port "$name"))"
}

# The JVM of instance $1, in the foreground of the calling supervisor's background job (see supervise.sh).
launch_instance() {
  local name="$1" role=api demo=false
  [ "$name" = worker ] && role=worker
  # Demo data is seeded by one instance only (the seed checks, then inserts: two at once could race).
  [ "$name" = api1 ] && demo="${DEMO_ENABLED:-true}"
  # shellcheck disable=SC2086 # java_opts is a list of flags
  APP_ROLE="$role" PORT="$(instance_port "$name")" DEMO_ENABLED="$demo" DATABASE_NAME="$db" REDIS_URL="$redis_url" \
    TRUSTED_PROXIES="${TRUSTED_PROXIES:-127.0.0.1}" \
    RATE_LIMIT_IP="${RATE_LIMIT_IP:-100000}" RATE_LIMIT_USER="${RATE_LIMIT_USER:-100000}" \
    RATE_LIMIT_CLINIC="${RATE_LIMIT_CLINIC:-100000}" RATE_LIMIT_EXPECTED_INSTANCES="${RATE_LIMIT_EXPECTED_INSTANCES:-3}" \
    exec "$java" $java_opts "-Xmx$heap" -jar "$jar" </dev/null
}

# CPU time (clock ticks) process $1 has used so far; 0 when it is gone.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0; }

# The overall bound of a readiness wait: CLUSTER_READY_MAX, or 300 s per unit of load average per core
# (1 to 10 units), so a start on a busy machine is not failed for being slow.
ready_bound() {
  if [ -n "${CLUSTER_READY_MAX:-}" ]; then
    echo "$CLUSTER_READY_MAX"
    return
  fi
  awk -v cores="$(nproc 2>/dev/null || echo 1)" '{ f = $1 / cores; f = (f < 1) ? 1 : (f > 10 ? 10 : f);
    printf "%d\n", 300 * f }' /proc/loadavg 2>/dev/null || echo 300
}

# Waits until instance $1 answers 200 on /health/readiness. Keeps waiting while the instance makes
# progress (its log grows or it uses CPU time) and while its supervisor restarts it; fails (with its
# last log lines) when it made no progress for CLUSTER_READY_TIMEOUT, when the wait passes
# ready_bound, or when its supervisor gave up.
wait_ready() {
  local name="$1" started=$SECONDS progress=$SECONDS bound mark="" now pid
  bound="$(ready_bound)"
  until ready "$name"; do
    if ! alive "$name" && ! supervised "$name"; then
      tail -n 20 "$dir/$name.log" >&2 || true
      die "$name exited while starting and its supervisor gave up (log: $dir/$name.log)"
    fi
    pid="$(pid_of "$name")"
    now="$(stat -c %s "$dir/$name.log" 2>/dev/null || echo 0):${pid:-none}:$(cpu_ticks "${pid:-0}")"
    [ "$now" = "$mark" ] || { mark="$now"; progress=$SECONDS; }
    if [ $((SECONDS - progress)) -ge "$ready_stall" ]; then
      tail -n 20 "$dir/$name.log" >&2 || true
      die "$name is not ready and made no progress for ${ready_stall}s (CLUSTER_READY_TIMEOUT; log: $dir/$name.log)"
    fi
    [ $((SECONDS - started)) -lt "$bound" ] || die "$name not ready within ${bound}s (CLUSTER_READY_MAX; log: $dir/$name.log)"
    sleep 0.5
  done
}

# --- HAProxy -------------------------------------------------------------------------------------

hap() { printf '%s\n' "$*" | socat -t 5 stdio "unix-connect:$sock"; }

# Field $2 (a column name of "show stat") of API server $1.
server_stat() {
  hap "show stat api 4 -1" | awk -F, -v server="$1" -v field="$2" '
    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
    $2 == server { print $col[field] }'
}

render_haproxy() {
  local servers="" name
  for name in "${api_instances[@]}"; do
    servers+="    server $name 127.0.0.1:$(instance_port "$name")"$'\n'
  done
  awk -v socket="$sock" -v port="$port" -v servers="$servers" '
    { gsub(/@SOCKET@/, socket); gsub(/@CLUSTER_PORT@/, port) }
    /^@SERVERS@$/ { printf "%s", servers; next }
    { print }' deploy/haproxy/haproxy.cfg.template >"$dir/haproxy.cfg"
  haproxy -c -q -f "$dir/haproxy.cfg" || die "HAProxy refused $dir/haproxy.cfg (see above)"
}

start_haproxy() {
  alive haproxy && return 0
  render_haproxy
  rm -f "$sock"
  setsid haproxy -db -f "$dir/haproxy.cfg" </dev/null >>"$dir/haproxy.log" 2>&1 &
  echo $! >"$dir/haproxy.pid"
  local deadline=$((SECONDS + 10))
  until [ -S "$sock" ] && hap "show info" >/dev/null 2>&1; do
    alive haproxy || { tail -n 20 "$dir/haproxy.log" >&2; die "HAProxy exited (log: $dir/haproxy.log)"; }
    [ "$SECONDS" -lt "$deadline" ] || die "HAProxy's runtime API did not answer within 10s"
    sleep 0.2
  done
  log "started haproxy (pid $(pid_of haproxy)) on 127.0.0.1:$port"
}

# Waits until HAProxy's health checks show API server $1 as UP.
wait_up() {
  local name="$1" deadline=$((SECONDS + 30)) status=""
  while :; do
    status="$(server_stat "$name" status)"
    [ "$status" = "UP" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || die "HAProxy does not see $name UP within 30s (status '$status')"
    sleep 0.3
  done
}

# --- commands ------------------------------------------------------------------------------------

running() { alive haproxy || alive api1 || alive api2 || alive api3 || alive worker; }

install_jar() {
  [ -f "$jar_source" ] || die "$jar_source is missing: build it first (make build)"
  # The instances run a copy: rebuilding target/ under a running JVM would pull the jar from under it.
  # A rename leaves running instances on their old file and restarts pick up the new one.
  cp "$jar_source" "$jar.new"
  mv -f "$jar.new" "$jar"
}

cmd_up() {
  require haproxy haproxy
  require socat socat
  require curl curl
  mkdir -p "$dir"
  chmod 700 "$dir"
  java="$(java_bin)"
  scripts/ensure-services.sh no-redis
  if [ "$(redis-cli -u "$redis_url" ping 2>/dev/null)" != "PONG" ]; then
    scripts/ensure-services.sh   # starts an installed Redis
  fi
  local started=$SECONDS name
  alive api1 || install_jar
  # One instance first: in the development profile it generates the JWT, audit, PHI and MFA keys
  # into var/ and seeds the demo data; instances started together would each write their own keys.
  start_instance api1
  wait_ready api1
  for name in api2 api3 worker; do start_instance "$name"; done
  for name in api2 api3 worker; do wait_ready "$name"; done
  start_haproxy
  for name in "${api_instances[@]}"; do wait_up "$name"; done
  log "up in $((SECONDS - started))s"
  cmd_status
}

cmd_down() {
  local name pid stopping=()
  pid="$(pid_of haproxy)"
  if ours "$pid"; then
    kill -USR1 "$pid" 2>/dev/null || true   # soft stop: open requests finish (hard-stop-after 15s)
    wait_exit "$pid" 20 || { kill -KILL "$pid" 2>/dev/null || true; wait_exit "$pid" 10 || true; }
    log "stopped haproxy"
  fi
  rm -f "$dir/haproxy.pid" "$sock"
  # SIGTERM to all at once (each shuts down gracefully), then wait for each, SIGKILL past the bound;
  # their supervisors are told first, so none restarts its instance.
  for name in "${all_instances[@]}"; do
    pid="$(pid_of "$name")"
    { ours "$pid" || supervised "$name"; } && intend_stop "$name"
    if ours "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
    { ours "$pid" || supervised "$name"; } && stopping+=("$name")
  done
  for name in "${stopping[@]}"; do
    stop_process "$name"
    log "stopped $name"
  done
  for name in "${all_instances[@]}"; do rm -f "$dir/$name.pid" "$dir/$name.supervisor.pid" "$dir/$name.stopping"; done
  log "down"
}

cmd_status() {
  local name state
  printf '%-8s %-8s %-6s %-10s %s\n' instance pid port readiness haproxy
  for name in "${all_instances[@]}"; do
    if alive "$name"; then
      if ready "$name"; then state=ready; else state=not-ready; fi
      printf '%-8s %-8s %-6s %-10s %s\n' "$name" "$(pid_of "$name")" "$(instance_port "$name")" "$state" \
        "$( [ "$name" = worker ] || ! alive haproxy || server_stat "$name" status)"
    elif supervised "$name"; then
      printf '%-8s %-8s %-6s %-10s\n' "$name" - "$(instance_port "$name")" restarting
    else
      printf '%-8s %-8s %-6s %-10s\n' "$name" - "$(instance_port "$name")" stopped
    fi
  done
  if alive haproxy; then
    echo "haproxy  $(pid_of haproxy)  http://127.0.0.1:$port  (runtime API: $sock)"
  else
    echo "haproxy  stopped"
  fi
  echo "logs: $dir/<name>.log   database: $db   redis: $redis_url"
}

cmd_logs() {
  if [ $# -gt 0 ]; then
    [ -f "$dir/$1.log" ] || die "no log $dir/$1.log"
    exec tail -n 50 -F "$dir/$1.log"
  fi
  exec tail -n 20 -F "$dir"/api1.log "$dir"/api2.log "$dir"/api3.log "$dir"/worker.log "$dir"/haproxy.log
}

# Takes API server $1 out of HAProxy: drain (no new requests), wait for its open sessions, then maint
# (health checks stop, so its restart raises no alarms).
take_out() {
  local name="$1" deadline=$((SECONDS + drain_timeout)) current
  hap "set server api/$name state drain" >/dev/null
  while :; do
    current="$(server_stat "$name" scur)"
    [ "$current" = "0" ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name still has $current open session(s) after ${drain_timeout}s (event streams?): the shutdown ends them"
      break
    fi
    sleep 0.2
  done
  hap "set server api/$name state maint" >/dev/null
}

put_back() {
  hap "set server api/$1 state ready" >/dev/null
  wait_up "$1"
}

# Restarts one instance: SIGTERM, wait for the graceful exit, start, wait until ready.
restart_instance() {
  local name="$1" t0=$SECONDS
  stop_process "$name"
  start_instance "$name"
  wait_ready "$name"
  log "$name restarted in $((SECONDS - t0))s (pid $(pid_of "$name"))"
}

cmd_restart() {
  if ! running; then
    log "not running: starting it"
    cmd_up
    return
  fi
  local name
  alive haproxy || die "haproxy is not running: make cluster-up first"
  for name in "${all_instances[@]}"; do
    alive "$name" || supervised "$name" || die "$name is not running: make cluster-up first"
  done
  java="$(java_bin)"
  install_jar
  for name in "${api_instances[@]}"; do
    take_out "$name"
    restart_instance "$name"
    put_back "$name"
  done
  restart_instance worker
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  restart) cmd_restart ;;
  roll) source scripts/cluster/roll.sh; cmd_roll ;;
  supervise) source scripts/cluster/supervise.sh; supervise "$2" ;;
  *) echo "usage: scripts/cluster.sh up | down | status | logs [name] | restart | roll" >&2; exit 2 ;;
esac
