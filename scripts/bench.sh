#!/usr/bin/env bash
# The load benchmark behind `make bench`: each hot path on its own against the service with every
# production feature on, and against its DB-only ceiling (docs/benchmarks.md):
#   1. builds the jar if it is missing or older than the sources,
#   2. recreates the database hb_bench and starts the service on 127.0.0.1:$BENCH_PORT (APP_ROLE=api,
#      Redis), recording the start-up time (launch to the first /health 200) and the idle RSS,
#   3. seeds 1 clinic, 64 receptionists, 50 practitioners and 2,000 patients over HTTP (bench/seed.py),
#   4. checks that the ceiling's statements (bench/ceiling/<path>.sql) are still what the service
#      sends: a second instance, its database connections through a recording relay, answers one
#      request per path (CeilingDriftCheck); a difference stops the run here, with a diff,
#   5. computes the ceiling's parameter values (bench/ceiling.py prepare),
#   6. runs the Gatling simulation HotPathsSimulation for each path alone, one after the other,
#      BENCH_CONNECTIONS users, ramp + warm-up + measured window (ANALYZE before each measurement),
#   7. stops the service and runs the ceiling: pgbench with each path's statements, same connections,
#      a warm-up (statement preparation), then the measured seconds,
#   8. writes target/bench/summary.md (bench/summary.py): per path req/s, p50/p95/p99, CPU per
#      process and service ÷ ceiling. CPU is sampled every second throughout (bench/cpu.py).
# Expects PostgreSQL and Redis to be up (the Makefile runs scripts/ensure-services.sh first).
# Knobs (environment; docs/benchmarks.md): BENCH_PATHS (patient-read,patient-search,booking,availability),
# BENCH_CONNECTIONS (64), BENCH_RAMP_SECONDS (5), BENCH_WARMUP_SECONDS (35), BENCH_MEASURE_SECONDS (20),
# BENCH_CEILING_WARMUP_SECONDS (5), BENCH_CEILING_SECONDS (20), BENCH_PRACTITIONERS (50),
# BENCH_PATIENTS (2000, a multiple of 20), BENCH_PORT (18088; the drift check's instance takes the
# next port), BENCH_TAP_PORT (15433), BENCH_JAVA_OPTS, BENCH_DB_POOL_MAX (20), BENCH_AOT (1: start
# from the JDK AOT cache, scripts/aot-cache.sh; 0: plain java -jar), BENCH_PRELOAD_APPOINTMENTS (0:
# how many past appointments to write before the load), BENCH_PRELOAD_PATIENTS (0: how many more
# patient rows), BENCH_PROFILE (unset; 1: profile the service's
# CPU with async-profiler during each path's load, target/bench/profile/<path>.{html,collapsed,top.txt}),
# BENCH_TRACING (unset; 1: OpenTelemetry tracing on, OTEL_TRACES_SAMPLER_ARG (0.1) of the traces
# exported to a local stand-in collector, bench/otlp_sink.py on BENCH_OTLP_PORT (14318)).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
export PATH="$JAVA_HOME/bin:$PATH"

port="${BENCH_PORT:-18088}"
check_port=$((port + 1))
tap_port="${BENCH_TAP_PORT:-15433}"
db=hb_bench
out="$root/target/bench"
jar="$root/target/healthcare-backend.jar"
base_url="http://127.0.0.1:$port"
check_url="http://127.0.0.1:$check_port"
java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx1g -XX:+ExitOnOutOfMemoryError}"
connections="${BENCH_CONNECTIONS:-64}"
ceiling_seconds="${BENCH_CEILING_SECONDS:-20}"
ceiling_warmup="${BENCH_CEILING_WARMUP_SECONDS:-5}"
paths="${BENCH_PATHS:-patient-read,patient-search,booking,availability}"
# The command as run, with the knobs the caller set (the exports below come after).
command_line="$(env | grep '^BENCH_' | sort | tr '\n' ' ' || true)make bench"
# 35 s of warm-up: on 2 cores shared with the load, the JIT compiler still took a fifth of the
# service's CPU 20 s into a path (async-profiler); the measured window is steady state.
export BENCH_RAMP_SECONDS="${BENCH_RAMP_SECONDS:-5}" BENCH_WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-35}"
export BENCH_MEASURE_SECONDS="${BENCH_MEASURE_SECONDS:-20}"

export BENCH_BASE_URL="$base_url"
export BENCH_SEED_DIR="$out/seed"
export BENCH_STATUS_FILE="$out/booking-statuses.json"
export BENCH_PHASES_FILE="$out/phases.jsonl"
export BENCH_CLINIC_ADMIN_EMAIL="bench-admin@bench.invalid"
export BENCH_USER_EMAIL="bench-desk@bench.invalid"
export BENCH_DESK_USERS="$connections"
export BENCH_DATABASE="$db"
BENCH_PASSWORD="bench-password-$(date +%s)"
export BENCH_PASSWORD
export BOOTSTRAP_ADMIN_EMAIL="bench-platform@bench.invalid"
export BOOTSTRAP_ADMIN_PASSWORD="bench-platform-password"

log() { echo "bench: $*"; }
. scripts/bench-common.sh
health() { curl -fsS -o /dev/null --max-time 2 "${1:-$base_url}/health" 2>/dev/null; }
# psql on the bench database as the administrator, stopping at the first error.
bench_psql() {
  psql -h "${DATABASE_HOST:-127.0.0.1}" -p "${DATABASE_PORT:-5432}" -U "${DATABASE_ADMIN_USER:-postgres}" \
    -d "$db" -v ON_ERROR_STOP=1 -q "$@"
}
vm_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status" 2>/dev/null || true; }

# Every production feature on: the API role (enqueues jobs, runs none), Redis sessions and rate
# limits, the audit trail, field encryption. The rules stay the production ones (same keys,
# algorithms, windows: the same Redis work per request); only their budgets are raised, since all
# the load comes from one address and one clinic. The instance serves nobody else, so that raises
# them for the bench's users and clinic alone. Sign-in counts on its own rule and is not a hot path.
service_env=(DATABASE_NAME="$db" APP_PROFILE=development APP_ROLE=api DEMO_ENABLED=false
  REDIS_URL=redis://127.0.0.1:6379 REDIS_KEY_PREFIX=hb-bench: ACCESS_TOKEN_TTL=30m LOG_LEVEL=WARN
  JWT_DEV_KEY_FILE="$out/dev-jwt-signing-key.pem" DB_POOL_MAX="${BENCH_DB_POOL_MAX:-20}"
  RATE_LIMIT_LOGIN_IP=100000000 RATE_LIMIT_IP=100000000 RATE_LIMIT_USER=100000000 RATE_LIMIT_CLINIC=100000000)

rm -rf "$out" bench/target/gatling
mkdir -p "$out"

sink_pid=""
if [ "${BENCH_TRACING:-0}" = 1 ]; then
  otlp_port="${BENCH_OTLP_PORT:-14318}"
  python3 bench/otlp_sink.py --port "$otlp_port" --stats "$out/otlp.json" &
  sink_pid=$!
  service_env+=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$otlp_port"
    OTEL_TRACES_SAMPLER_ARG="${OTEL_TRACES_SAMPLER_ARG:-0.1}")
fi

# 1. The jar.
bench_build_jar

# 2. A fresh database and the service.
for url in "$base_url" "$check_url"; do
  if health "$url"; then
    echo "bench: something already answers on $url; stop it or set BENCH_PORT." >&2
    exit 1
  fi
done
bench_fresh_database "$db"

service_pid=""
check_pid=""
checker_pid=""
sampler_pid=""
stop() { # pids of processes this script started
  local pid
  for pid in "$@"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      wait "$pid" 2>/dev/null || true
    fi
  done
}
stop_all() { stop "$checker_pid" "$check_pid" "$service_pid" "$sampler_pid" "$sink_pid"; }
trap stop_all EXIT

# The JDK AOT cache (what a deployment ships): trained once against this database, so the timed
# start below finds its schema migrated. BENCH_AOT=0 measures a plain start instead.
launch=(-jar "$jar")
if [ "${BENCH_AOT:-1}" = 1 ]; then
  DATABASE_NAME="$db" scripts/aot-cache.sh
  launch=(-XX:AOTCache="$root/target/app.aot" -jar "$root/target/extracted/healthcare-backend.jar")
fi

# CPU samples every second, whichever service is up (bench/cpu.py reads its pid from the file).
echo 0 >"$out/service.pid"
python3 bench/cpu.py --every 1 --pid-file "$out/service.pid" >"$out/cpu.jsonl" &
sampler_pid=$!

log "starting the service on port $port (log: $out/service.log)"
launched=$(date +%s.%N)
# shellcheck disable=SC2086 # java_opts is a list of options
env "${service_env[@]}" PORT="$port" java $java_opts "${launch[@]}" >"$out/service.log" 2>&1 &
service_pid=$!
echo "$service_pid" >"$out/service.pid"

for _ in $(seq 1 2400); do
  health && break
  kill -0 "$service_pid" 2>/dev/null || { echo "bench: the service exited; see $out/service.log" >&2; exit 1; }
  sleep 0.05
done
health || { echo "bench: no /health 200 within 120 s; see $out/service.log" >&2; exit 1; }
startup=$(awk -v a="$launched" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
# Idle RSS: measured a few seconds after start-up, before any data or load.
sleep 5
rss_idle=$(vm_kb "$service_pid" VmRSS)
log "up after ${startup} s; idle RSS $((rss_idle / 1024)) MiB"

# 3. Data.
python3 bench/seed.py | tee "$out/seed.log"

# 3b. Optional volume: BENCH_PRELOAD_PATIENTS more patient rows, copies of the seeded ones under new
# ids with random search tokens (no search or read of the load reaches them; their fields stay sealed
# to the originals' keys, so they are volume, not readable records), then BENCH_PRELOAD_APPOINTMENTS
# past appointments (20 % of them still active), written straight into the tables, to show that
# latency does not grow with them.
preload_patients="${BENCH_PRELOAD_PATIENTS:-0}"
if [ "$preload_patients" -gt 0 ]; then
  log "preloading $preload_patients patient rows"
  preload_started=$(date +%s)
  bench_psql -v n="$preload_patients" <<'SQL'
CREATE TEMP TABLE volume AS
  SELECT p.* FROM patients p, generate_series(1, (SELECT ceil(:n::numeric / count(*)) FROM patients)::int);
UPDATE volume SET id = gen_random_uuid(), name_index = ARRAY[md5(random()::text)],
                  birth_date_index = md5(random()::text), mrn_index = NULL;
INSERT INTO patients SELECT * FROM volume LIMIT :n;
ANALYZE patients;
SQL
  log "preloaded in $(( $(date +%s) - preload_started )) s"
fi
preload="${BENCH_PRELOAD_APPOINTMENTS:-0}"
if [ "$preload" -gt 0 ]; then
  log "preloading $preload past appointments"
  preload_started=$(date +%s)
  bench_psql -v n="$preload" <<'SQL'
WITH pr AS (SELECT array_agg(id ORDER BY id) AS a, count(*) AS k FROM practitioners),
     pt AS (SELECT array_agg(id ORDER BY id) AS a, count(*) AS k FROM patients),
     c AS (SELECT clinic_id AS id FROM practitioners LIMIT 1)
INSERT INTO appointments (id, clinic_id, patient_id, practitioner_id, start_at, end_at, status, booked_by,
                          created_at, updated_at)
SELECT gen_random_uuid(), c.id, pt.a[1 + i % pt.k], pr.a[1 + i % pr.k],
       timestamptz '2023-01-02 00:00+00' + (i / pr.k) * interval '30 minutes',
       timestamptz '2023-01-02 00:30+00' + (i / pr.k) * interval '30 minutes',
       (ARRAY['COMPLETED','COMPLETED','COMPLETED','COMPLETED','COMPLETED','COMPLETED',
              'CANCELLED','NO_SHOW','BOOKED','CHECKED_IN'])[1 + i % 10],
       gen_random_uuid(), now(), now()
  FROM generate_series(0, :n - 1) AS i, pr, pt, c;
ANALYZE appointments;
SQL
  log "preloaded in $(( $(date +%s) - preload_started )) s"
fi

# 4. The drift check: a second instance (same jar and settings) whose database connections go
# through the check's recording relay; one warm-up and one recorded request per path, compared
# with bench/ceiling/<path>.sql. It runs while the measured instance idles, and stops before the load.
log "checking the ceiling's statements against the service (log: $out/drift.log)"
java src/test/java/io/healthcarebackend/bench/CeilingDriftCheck.java --tap-port "$tap_port" \
  --database-host "${DATABASE_HOST:-127.0.0.1}" --database-port "${DATABASE_PORT:-5432}" \
  --base-url "$check_url" --seed-dir "$BENCH_SEED_DIR" --ceiling-dir bench/ceiling --out "$out/drift" \
  >"$out/drift.log" 2>&1 &
checker_pid=$!
for _ in $(seq 1 600); do # the relay listens once the check is compiled and started
  (exec 3<>"/dev/tcp/127.0.0.1/$tap_port") 2>/dev/null && break
  kill -0 "$checker_pid" 2>/dev/null || break
  sleep 0.1
done
# shellcheck disable=SC2086 # java_opts is a list of options
env "${service_env[@]}" PORT="$check_port" DATABASE_PORT="$tap_port" \
  java $java_opts -jar "$jar" >"$out/drift-service.log" 2>&1 &
check_pid=$!
drift_rc=0
wait "$checker_pid" || drift_rc=$?
checker_pid=""
stop "$check_pid"
check_pid=""
cat "$out/drift.log"
if [ "$drift_rc" -ne 0 ]; then
  if [ "$drift_rc" -eq 1 ]; then
    echo "bench: the ceiling's statements drifted from what the service sends (above; $out/drift/)." >&2
  else
    echo "bench: the drift check failed (see $out/drift.log and $out/drift-service.log)." >&2
  fi
  exit 1
fi

# 5. The ceiling's values (outside any measurement).
python3 bench/ceiling.py setup --clinic "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clinic"])' "$BENCH_SEED_DIR/bench.json")" \
  --desk-user "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["deskUser"])' "$BENCH_SEED_DIR/bench.json")"
IFS=, read -r -a path_list <<<"$paths"
for path in "${path_list[@]}"; do
  python3 bench/ceiling.py prepare "$path" --seconds "$((ceiling_warmup + ceiling_seconds))" --out "$out/ceiling"
done

# Fresh planner statistics before each measurement, service's and ceiling's alike (autovacuum keeps
# them so in production; in a fresh database a table that grows during a run would otherwise be
# planned from its empty state, or not, depending on when autovacuum comes by).
analyze() {
  bench_psql -c ANALYZE
}

# 6. Load, each path alone: one Gatling run per path.
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
reports=()
profiler=""
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  profiler=$(scripts/async-profiler.sh)
  mkdir -p "$out/profile"
fi
# ANALYZE before each path and once more 5 s before its measured window: a table the path fills from
# empty (booking's idempotency keys) would otherwise keep the plans its prepared statements cached
# while it was empty — sequential scans of a growing table, which in production last until
# autovacuum's next ANALYZE of it (within about a minute), not for a whole measured window.
since_start() { # waits until Gatling has started $1's simulation, then $2 more seconds
  for _ in $(seq 1 1200); do grep -qs 'Simulation .* started' "$out/gatling-$1.log" && break; sleep 0.1; done
  sleep "$2"
}
for path in "${path_list[@]}"; do
  analyze
  (since_start "$path" $((BENCH_RAMP_SECONDS + BENCH_WARMUP_SECONDS - 5)) && analyze) &
  if [ -n "$profiler" ]; then # the measured window only: Gatling's ramp and warm-up are unprofiled
    # (jcmd reads name=value pairs: the agent's options go quoted, as one value)
    (since_start "$path" $((BENCH_RAMP_SECONDS + BENCH_WARMUP_SECONDS))
      jcmd "$service_pid" JVMTI.agent_load "$profiler" '"start,event=cpu,interval=5ms"' >/dev/null) &
  fi
  log "running Gatling: $path, $connections connections (log: $out/gatling-$path.log)"
  gatling_rc=0
  BENCH_PATHS="$path" ./mvnw -B -f bench/pom.xml gatling:test \
    -Dgatling.simulationClass=io.healthcarebackend.bench.HotPathsSimulation 2>&1 | tee "$out/gatling-$path.log" \
    | grep --line-buffered -v -E '^\[(INFO|WARNING)\]' || gatling_rc=${PIPESTATUS[0]}
  run_dir=$(ls -td bench/target/gatling/hotpathssimulation-*/ 2>/dev/null | head -1 || true)
  if [ "$gatling_rc" -ne 0 ] || [ -z "$run_dir" ] || [ ! -f "$run_dir/index.html" ] \
    || printf '%s\n' "${reports[@]}" | grep -qxF "$run_dir"; then
    echo "bench: Gatling failed for $path (exit status $gatling_rc); see $out/gatling-$path.log" >&2
    exit 1
  fi
  reports+=(--report "$run_dir")
  if [ -n "$profiler" ]; then
    jcmd "$service_pid" JVMTI.agent_load "$profiler" "\"stop,file=$out/profile/$path.collapsed,collapsed\"" >/dev/null
    jcmd "$service_pid" JVMTI.agent_load "$profiler" "\"dump,file=$out/profile/$path.html,flamegraph\"" >/dev/null || true
    python3 bench/profile_top.py "$out/profile/$path.collapsed" >"$out/profile/$path.top.txt"
    log "profile of $path: $out/profile/$path.top.txt (flame graph: $path.html)"
  fi
done
rss_peak=$(vm_kb "$service_pid" VmHWM)
rss_after=$(vm_kb "$service_pid" VmRSS)

# 7. The ceiling, with the service stopped (its audit sealer would otherwise chain pgbench's rows).
stop "$service_pid"
service_pid=""
echo 0 >"$out/service.pid"
for path in "${path_list[@]}"; do
  analyze
  python3 bench/ceiling.py run "$path" --warmup "$ceiling_warmup" --seconds "$ceiling_seconds" \
    --clients "$connections" --threads 2 --out "$out/ceiling"
done
stop "$sampler_pid"
sampler_pid=""
if [ -n "$sink_pid" ]; then
  stop "$sink_pid"
  sink_pid=""
  log "tracing: spans exported to the stand-in collector: $(cat "$out/otlp.json" 2>/dev/null || echo none)"
fi

# 8. Summary.
python3 bench/summary.py "${reports[@]}" --phases "$BENCH_PHASES_FILE" --statuses "$BENCH_STATUS_FILE" \
  --cpu "$out/cpu.jsonl" --ceiling "$out/ceiling" --connections "$connections" \
  --drift "all $(grep -c 'the script matches' "$out/drift.log") paths match" \
  --startup "$startup" --rss-idle-kb "$rss_idle" --rss-peak-kb "$rss_peak" --rss-after-kb "$rss_after" \
  --command "$command_line" --java "$(java -version 2>&1 | sed -n 2p)" --loadavg "$loadavg" --out "$out/summary.md"
