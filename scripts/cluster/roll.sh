#!/usr/bin/env bash
# `scripts/cluster.sh roll`: the rolling restart under load, with a 5-second request in flight on the
# first instance when it gets SIGTERM. Sourced by scripts/cluster.sh (it uses its functions and
# variables); not meant to be run alone. Variables: see scripts/cluster.sh (CLUSTER_LOAD_*,
# CLUSTER_INFLIGHT_SECONDS, DATABASE_*, DEMO_PASSWORD).
# shellcheck disable=SC2154  # pg_host, dir, port, the instance lists… are scripts/cluster.sh's
set -euo pipefail

load_concurrency="${CLUSTER_LOAD_CONCURRENCY:-4}"
load_rate="${CLUSTER_LOAD_RATE:-40}"
load_max_seconds="${CLUSTER_LOAD_MAX_SECONDS:-300}"
load_max_requests="${CLUSTER_LOAD_MAX_REQUESTS:-30000}"
inflight_seconds="${CLUSTER_INFLIGHT_SECONDS:-5}"
demo_user="${CLUSTER_DEMO_USER:-admin@demo.clinic}"
demo_password="${DEMO_PASSWORD:-demo-password-123}"
generator_pid=""

psql_admin() { psql -h "$pg_host" -p "$pg_port" -U "$pg_admin" -d "$db" -v ON_ERROR_STOP=1 -qtA "$@"; }

# curl with the bearer token from $token, passed through a config on stdin (never on the command line).
curl_auth() { printf 'header = "Authorization: Bearer %s"\n' "$token" | curl -K - "$@"; }

stop_generator() {
  [ -n "$generator_pid" ] || return 0
  touch "$dir/load.stop"
  # The generator stops within a request timeout (10 s) of the stop file; its own bound is the last resort.
  wait_exit "$generator_pid" 30 || kill -KILL "$generator_pid" 2>/dev/null || true
}

start_generator() {
  rm -f "$dir/load.stop" "$dir/load.ready" "$dir/load-report.json"
  "$java" scripts/cluster/LoadGenerator.java --base "http://127.0.0.1:$port" --user "$demo_user" \
    --concurrency "$load_concurrency" --rate "$load_rate" --max-seconds "$load_max_seconds" \
    --max-requests "$load_max_requests" --stop-file "$dir/load.stop" --ready-file "$dir/load.ready" \
    --report "$dir/load-report.json" </dev/null >"$dir/load.log" 2>&1 &
  generator_pid=$!
  local deadline=$((SECONDS + 90))
  until [ -f "$dir/load.ready" ]; do
    kill -0 "$generator_pid" 2>/dev/null || { cat "$dir/load.log" >&2; die "the load generator exited before it was ready"; }
    [ "$SECONDS" -lt "$deadline" ] || { stop_generator; die "the load generator was not ready within 90s ($dir/load.log)"; }
    sleep 0.3
  done
  log "load generator running (pid $generator_pid): $load_concurrency clients, $load_rate requests/s at most"
}

# The in-flight request: PATCH a patient directly on instance $1 (not through HAProxy, which no longer
# sends it anything) while psql holds that patient's row lock for CLUSTER_INFLIGHT_SECONDS, so the
# request is blocked inside the service when the instance gets SIGTERM. Sets inflight_curl_pid.
inflight_begin() {
  local name="$1" patient
  token="$(curl -fsS -m 10 "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "$(jq -cn --arg e "$demo_user" --arg p "$demo_password" '{email: $e, password: $p}')" | jq -r .accessToken)" \
    || die "in-flight probe: cannot sign in as $demo_user"
  patient="$(curl_auth -fsS -m 10 "http://127.0.0.1:$port/api/v1/patients" -H 'Content-Type: application/json' \
    -d '{"givenName":"Inflight","familyName":"Probe","birthDate":"1970-01-01"}' | jq -r .id)"
  [[ "$patient" =~ ^[0-9a-f-]{36}$ ]] || die "in-flight probe: could not create a patient"
  rm -f "$dir/inflight.locked" "$dir/inflight.result"
  psql_admin >/dev/null <<SQL &
BEGIN;
SELECT 1 FROM patients WHERE id = '$patient' FOR UPDATE;
\! touch '$dir/inflight.locked'
SELECT pg_sleep($inflight_seconds);
COMMIT;
SQL
  inflight_lock_pid=$!
  local deadline=$((SECONDS + 10))
  until [ -f "$dir/inflight.locked" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "in-flight probe: psql did not take the row lock within 10s"
    sleep 0.1
  done
  curl_auth -sS -m 60 -o /dev/null -w '%{http_code} %{time_total}\n' -X PATCH \
    "http://127.0.0.1:$(instance_port "$name")/api/v1/patients/$patient" -H 'Content-Type: application/json' \
    -d '{"familyName":"Probe-Patched"}' >"$dir/inflight.result" 2>"$dir/inflight.err" &
  inflight_curl_pid=$!
  # Proof that the request is inside the service: its UPDATE waits for the lock.
  deadline=$((SECONDS + inflight_seconds))
  until [ "$(psql_admin -c "select count(*) from pg_stat_activity where datname = current_database()
      and usename = '${DATABASE_USER:-hb_app}' and wait_event_type = 'Lock'")" -ge 1 ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "in-flight probe: the PATCH never waited on the row lock"
    sleep 0.1
  done
  kill -0 "$inflight_curl_pid" 2>/dev/null || die "in-flight probe: the PATCH answered before SIGTERM: $(cat "$dir/inflight.result")"
  log "in-flight probe: PATCH on $name is blocked on the row lock for ${inflight_seconds}s; sending SIGTERM now"
}

# After SIGTERM: what the instance's readiness answers while it shuts down (the finding for load
# balancers and Kubernetes: 503 "draining", then connection refused once the listener is closed).
watch_readiness() {
  local pid="$1" url code seen=""
  url="http://127.0.0.1:$(instance_port "$2")/health/readiness"
  local deadline=$((SECONDS + stop_timeout))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    code="$(curl -s -m 1 -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)"
    [ "${seen##* }" = "$code" ] || seen="$seen $code"
    sleep 0.1
  done
  echo "${seen# }"
}

inflight_end() {
  local status seconds
  wait "$inflight_curl_pid" || true
  wait "$inflight_lock_pid" || true
  read -r status seconds <"$dir/inflight.result" || true
  inflight_status="${status:-none}"
  inflight_seconds_taken="${seconds:-0}"
  log "in-flight probe: HTTP $inflight_status after ${inflight_seconds_taken}s"
}

cmd_roll() {
  local name t0=$SECONDS pids_before pids_after readiness_seen="" failed=0
  for name in haproxy "${all_instances[@]}"; do alive "$name" || die "$name is not running: make cluster-up first"; done
  require jq jq
  require psql postgresql-client
  java="$(java_bin)"
  install_jar
  trap 'stop_generator' EXIT
  start_generator
  sleep 2
  pids_before="$(for name in "${all_instances[@]}"; do printf '"%s":%s,' "$name" "$(pid_of "$name")"; done)"
  local roll_started_ms
  roll_started_ms="$(date +%s%3N)"
  for name in "${api_instances[@]}"; do
    take_out "$name"
    if [ "$name" = api1 ]; then
      inflight_begin "$name"
      local pid t1=$SECONDS
      pid="$(pid_of "$name")"
      intend_stop "$name"   # its supervisor must not restart it: restart_instance does, below
      kill -TERM "$pid"
      readiness_seen="$(watch_readiness "$pid" "$name")"
      wait_exit "$pid" "$stop_timeout" || die "$name did not exit within ${stop_timeout}s of SIGTERM"
      log "$name exited $((SECONDS - t1))s after SIGTERM; its readiness answered: $readiness_seen (000 = refused)"
      inflight_end
      rm -f "$dir/$name.pid"
    fi
    restart_instance "$name"
    put_back "$name"
  done
  restart_instance worker
  local roll_ended_ms
  roll_ended_ms="$(date +%s%3N)"
  sleep 2
  stop_generator
  trap - EXIT
  pids_after="$(for name in "${all_instances[@]}"; do printf '"%s":%s,' "$name" "$(pid_of "$name")"; done)"
  hap "show stat api -1 -1" >"$dir/roll-haproxy-stats.csv"

  [ -f "$dir/load-report.json" ] || die "the load generator wrote no report ($dir/load.log)"
  cat "$dir/load.log"
  jq -n --slurpfile load "$dir/load-report.json" --argjson before "{${pids_before%,}}" --argjson after "{${pids_after%,}}" \
    --arg status "$inflight_status" --argjson seconds "$inflight_seconds_taken" --arg readiness "$readiness_seen" \
    --argjson started "$roll_started_ms" --argjson ended "$roll_ended_ms" --argjson held "$inflight_seconds" '{
      rollStartedAtMs: $started, rollEndedAtMs: $ended, rollSeconds: (($ended - $started) / 1000),
      load: $load[0], pidsBefore: $before, pidsAfter: $after,
      inflight: {status: ($status | tonumber? // 0), seconds: $seconds, lockHeldSeconds: $held},
      readinessDuringShutdown: $readiness}' >"$dir/roll-report.json"

  local failures ok retries
  failures="$(jq .load.failures "$dir/roll-report.json")"
  ok="$(jq .load.ok "$dir/roll-report.json")"
  retries="$(awk -F, 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
    $2 == "BACKEND" { print $col["wretr"] "/" $col["wredis"] }' "$dir/roll-haproxy-stats.csv")"
  log "rolled 3 API instances and the worker in $(( SECONDS - t0 ))s: $ok requests answered as expected, $failures failed;" \
    "in-flight request HTTP $inflight_status after ${inflight_seconds_taken}s; HAProxy retries/redispatches: $retries"
  log "report: $dir/roll-report.json"
  [ "$failures" = "0" ] || { log "FAILED: $failures request(s) failed during the roll"; failed=1; }
  [[ "$inflight_status" =~ ^2 ]] || { log "FAILED: the in-flight request did not finish with 2xx"; failed=1; }
  return "$failed"
}
