#!/usr/bin/env bash
# The load benchmark behind `make bench`:
#   1. builds the jar if it is missing or older than the sources,
#   2. recreates the database hb_bench and starts the service on 127.0.0.1:$BENCH_PORT,
#   3. records the start-up time (launch to the first /health 200) and the idle RSS,
#   4. seeds 1 clinic, 50 practitioners and 2,000 patients over HTTP (bench/seed.py),
#   5. runs the Gatling simulation bench/.../FrontDeskSimulation (bounded ramp, then constant rate),
#   6. stops the service and writes target/bench/summary.md (bench/summary.py).
# Expects PostgreSQL and Redis to be up (the Makefile runs scripts/ensure-services.sh first).
# Knobs (environment): BENCH_USERS (32), BENCH_RPS (8000), BENCH_RAMP_SECONDS (20),
# BENCH_STEADY_SECONDS (120), BENCH_PRACTITIONERS (50), BENCH_PATIENTS (2000), BENCH_PORT (18088),
# BENCH_MIX ("25,25,50": % availability, booking, patient read), BENCH_JAVA_OPTS, BENCH_DB_POOL_MAX (20),
# BENCH_AOT (1: start from the JDK AOT cache, scripts/aot-cache.sh; 0: plain java -jar),
# BENCH_PRELOAD_APPOINTMENTS (0: how many past appointments to write before the load).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
export PATH="$JAVA_HOME/bin:$PATH"

port="${BENCH_PORT:-18088}"
db=hb_bench
out="$root/target/bench"
jar="$root/target/healthcare-backend.jar"
base_url="http://127.0.0.1:$port"
java_opts="${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx1g -XX:+ExitOnOutOfMemoryError}"
# The command as run, with the knobs the caller set (the exports below come after).
command_line="$(env | grep '^BENCH_' | sort | tr '\n' ' ' || true)make bench"

export BENCH_BASE_URL="$base_url"
export BENCH_SEED_DIR="$out/seed"
export BENCH_STATUS_FILE="$out/booking-statuses.json"
export BENCH_CLINIC_ADMIN_EMAIL="bench-admin@bench.invalid"
export BENCH_USER_EMAIL="bench-desk@bench.invalid"
BENCH_PASSWORD="bench-password-$(date +%s)"
export BENCH_PASSWORD
export BOOTSTRAP_ADMIN_EMAIL="bench-platform@bench.invalid"
export BOOTSTRAP_ADMIN_PASSWORD="bench-platform-password"

log() { echo "bench: $*"; }
. scripts/bench-common.sh
health() { curl -fsS -o /dev/null --max-time 2 "$base_url/health" 2>/dev/null; }
vm_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status" 2>/dev/null || true; }

rm -rf "$out"
mkdir -p "$out"

# 1. The jar.
bench_build_jar

# 2. A fresh database and the service.
if health; then
  echo "bench: something already answers on $base_url; stop it or set BENCH_PORT." >&2
  exit 1
fi
bench_fresh_database "$db"

service_pid=""
stop_service() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid"
    wait "$service_pid" 2>/dev/null || true
  fi
  service_pid=""
}
trap stop_service EXIT

# The JDK AOT cache (what a deployment ships): trained once against this database, so the timed
# start below finds its schema migrated. BENCH_AOT=0 measures a plain start instead.
launch=(-jar "$jar")
if [ "${BENCH_AOT:-1}" = 1 ]; then
  DATABASE_NAME="$db" scripts/aot-cache.sh
  launch=(-XX:AOTCache="$root/target/app.aot" -jar "$root/target/extracted/healthcare-backend.jar")
fi

log "starting the service on port $port (log: $out/service.log)"
# The load comes from one address and a few users: rate limits stay on (their cost is measured)
# but far above what the load generator can send; each virtual user signs in, so a user holds far
# more than the 5 sessions a person may (the session cap is checked on login, not on the hot path).
launched=$(date +%s.%N)
# shellcheck disable=SC2086 # java_opts is a list of options
DATABASE_NAME="$db" PORT="$port" APP_PROFILE=development DEMO_ENABLED=false \
  REDIS_URL=redis://127.0.0.1:6379 REDIS_KEY_PREFIX=hb-bench: ACCESS_TOKEN_TTL=30m LOG_LEVEL=WARN \
  JWT_DEV_KEY_FILE="$out/dev-jwt-signing-key.pem" DB_POOL_MAX="${BENCH_DB_POOL_MAX:-20}" \
  RATE_LIMIT_LOGIN_IP=100000000 RATE_LIMIT_IP=100000000 RATE_LIMIT_USER=100000000 RATE_LIMIT_CLINIC=100000000 \
  SESSION_MAX_PER_USER=100000 \
  java $java_opts "${launch[@]}" >"$out/service.log" 2>&1 &
service_pid=$!

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

# 3b. Optional history: BENCH_PRELOAD_APPOINTMENTS past appointments (20 % of them still active),
# written straight into the table, to show that latency does not grow with the table.
preload="${BENCH_PRELOAD_APPOINTMENTS:-0}"
if [ "$preload" -gt 0 ]; then
  log "preloading $preload past appointments"
  preload_started=$(date +%s)
  psql -h "${DATABASE_HOST:-127.0.0.1}" -p "${DATABASE_PORT:-5432}" -U "${DATABASE_ADMIN_USER:-postgres}" \
    -d "$db" -v ON_ERROR_STOP=1 -q -v n="$preload" <<'SQL'
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

# 4. Load, with CPU samples every 2 s to see where the cores go (bench/cpu.py).
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
( while kill -0 "$service_pid" 2>/dev/null; do
    python3 bench/cpu.py "$service_pid" >>"$out/cpu.jsonl" 2>/dev/null && echo >>"$out/cpu.jsonl"
    sleep 2
  done ) &
sampler_pid=$!
log "running Gatling (log: $out/gatling.log)"
gatling_rc=0
./mvnw -B -f bench/pom.xml gatling:test -Dgatling.simulationClass=io.healthcarebackend.bench.FrontDeskSimulation \
  2>&1 | tee "$out/gatling.log" | grep --line-buffered -v -E '^\[(INFO|WARNING)\]' || gatling_rc=${PIPESTATUS[0]}
rss_peak=$(vm_kb "$service_pid" VmHWM)
rss_after=$(vm_kb "$service_pid" VmRSS)

# 5. Stop, then summarise.
stop_service
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
run_dir=$(ls -td bench/target/gatling/frontdesksimulation-*/ 2>/dev/null | head -1)
if [ -z "$run_dir" ] || [ ! -f "$run_dir/index.html" ]; then
  echo "bench: no Gatling report found (Gatling exit status $gatling_rc); see $out/gatling.log" >&2
  exit 1
fi
python3 bench/summary.py --report "$run_dir" --gatling-log "$out/gatling.log" --statuses "$BENCH_STATUS_FILE" \
  --cpu "$out/cpu.jsonl" --ramp "${BENCH_RAMP_SECONDS:-20}" --steady "${BENCH_STEADY_SECONDS:-120}" \
  --startup "$startup" --rss-idle-kb "$rss_idle" --rss-peak-kb "$rss_peak" --rss-after-kb "$rss_after" \
  --command "$command_line" --java "$(java -version 2>&1 | sed -n 2p)" --loadavg "$loadavg" --out "$out/summary.md"
exit "$gatling_rc"
