#!/usr/bin/env bash
# The idle-connections benchmark behind `make bench-sse` (docs/benchmarks.md, "Real-time event streams"):
#   1. builds the jar if it is missing or older than the sources,
#   2. recreates the database hb_bench_sse and starts the service on 127.0.0.1:$SSE_BENCH_PORT
#      (Redis on, rate limits far above the load, a per-user stream cap above it too),
#   3. seeds one clinic, a practitioner, a patient and a few users, and signs them in (the tokens),
#   4. measures the service (RSS, live heap after a full GC, OS threads, CPU) with no stream open,
#   5. opens SSE_BENCH_CONNECTIONS idle streams with src/test/java/.../bench/SseIdleConnections.java
#      (one thread, non-blocking sockets) and holds them for SSE_BENCH_HOLD_SECONDS; meanwhile
#      measures the service again after a heartbeat round, and books one appointment to see it fan
#      out to every stream,
#   6. stops everything and writes target/bench-sse/summary.md.
# Knobs (environment): SSE_BENCH_CONNECTIONS (10000), SSE_BENCH_HOLD_SECONDS (90), SSE_BENCH_TOKENS (4),
# SSE_BENCH_PORT (18089), SSE_BENCH_JAVA_OPTS (as make bench, but -Xmx4g).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
export PATH="$JAVA_HOME/bin:$PATH"

connections="${SSE_BENCH_CONNECTIONS:-10000}"
hold="${SSE_BENCH_HOLD_SECONDS:-90}"
token_count="${SSE_BENCH_TOKENS:-4}"
port="${SSE_BENCH_PORT:-18089}"
db=hb_bench_sse
out="$root/target/bench-sse"
jar="$root/target/healthcare-backend.jar"
base_url="http://127.0.0.1:$port"
# Open streams take about 140 KiB of heap each (the service caps them at half the heap): 4 GB for 10,000.
java_opts="${SSE_BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx4g -XX:+ExitOnOutOfMemoryError}"
command_line="$(env | grep '^SSE_BENCH_' | sort | tr '\n' ' ' || true)make bench-sse"

log() { echo "bench-sse: $*"; }
. scripts/bench-common.sh
health() { curl -fsS -o /dev/null --max-time 2 "$base_url/health" 2>/dev/null; }
vm_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status" 2>/dev/null || true; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Every stream is a socket on both ends (service and load generator): raise the soft limit of
# open files to the hard one; both processes inherit it.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt $((connections + 2000)) ]; then
  echo "bench-sse: $connections connections need 'ulimit -n' of at least $((connections + 2000)); the hard limit is $hard." >&2
  exit 1
fi
ulimit -n "$hard"

rm -rf "$out"
mkdir -p "$out"

# 1. The jar.
bench_build_jar

# 2. A fresh database and the service.
if health; then
  echo "bench-sse: something already answers on $base_url; stop it or set SSE_BENCH_PORT." >&2
  exit 1
fi
bench_fresh_database "$db"

service_pid=""
load_pid=""
stop_all() {
  if [ -n "$load_pid" ] && kill -0 "$load_pid" 2>/dev/null; then kill "$load_pid"; wait "$load_pid" 2>/dev/null || true; fi
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then kill "$service_pid"; wait "$service_pid" 2>/dev/null || true; fi
  load_pid=""
  service_pid=""
}
trap stop_all EXIT

password="bench-password-$(date +%s)"
export BOOTSTRAP_ADMIN_EMAIL="bench-platform@bench.invalid"
export BOOTSTRAP_ADMIN_PASSWORD="bench-platform-password"
log "starting the service on port $port (log: $out/service.log)"
# shellcheck disable=SC2086 # java_opts is a list of options
DATABASE_NAME="$db" PORT="$port" APP_PROFILE=development DEMO_ENABLED=false \
  REDIS_URL=redis://127.0.0.1:6379 REDIS_KEY_PREFIX=hb-bench-sse: ACCESS_TOKEN_TTL=30m LOG_LEVEL=WARN \
  JWT_DEV_KEY_FILE="$out/dev-jwt-signing-key.pem" \
  RATE_LIMIT_LOGIN_IP=100000000 RATE_LIMIT_IP=100000000 RATE_LIMIT_USER=100000000 RATE_LIMIT_CLINIC=100000000 \
  SESSION_MAX_PER_USER=100000 EVENTS_STREAM_MAX_PER_USER=$((connections + 100)) \
  java $java_opts -jar "$jar" >"$out/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 2400); do
  health && break
  kill -0 "$service_pid" 2>/dev/null || { echo "bench-sse: the service exited; see $out/service.log" >&2; exit 1; }
  sleep 0.05
done
health || { echo "bench-sse: no /health 200 within 120 s; see $out/service.log" >&2; exit 1; }

# 3. Data and tokens (a clinic administrator, then receptionists, each signed in once).
SSE_BASE_URL="$base_url" SSE_PASSWORD="$password" SSE_TOKENS="$token_count" SSE_OUT="$out" python3 - <<'PY'
import http.client, json, os, sys, urllib.parse
base = urllib.parse.urlsplit(os.environ["SSE_BASE_URL"])
conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = conn.getresponse(); text = r.read().decode()
    if r.status not in (200, 201):
        sys.exit(f"seed: {method} {path} -> {r.status} {text[:300]}")
    return json.loads(text) if text else {}
login = lambda email, pw: call("POST", "/api/v1/auth/login", {"email": email, "password": pw})["accessToken"]
pw = os.environ["SSE_PASSWORD"]
platform = login(os.environ["BOOTSTRAP_ADMIN_EMAIL"], os.environ["BOOTSTRAP_ADMIN_PASSWORD"])
clinic = call("POST", "/api/v1/clinics", {"name": "SSE Bench Clinic", "timeZone": "UTC"}, platform)["id"]
call("POST", f"/api/v1/clinics/{clinic}/users", {"email": "sse-admin@bench.invalid", "name": "Admin",
     "role": "CLINIC_ADMIN", "password": pw}, platform)
admin = login("sse-admin@bench.invalid", pw)
tokens = [admin]
for n in range(1, int(os.environ["SSE_TOKENS"])):
    email = f"sse-desk-{n}@bench.invalid"
    call("POST", f"/api/v1/clinics/{clinic}/users", {"email": email, "name": f"Desk {n}", "role": "RECEPTIONIST",
         "password": pw}, admin)
    tokens.append(login(email, pw))
practitioner = call("POST", "/api/v1/practitioners", {"givenName": "Ada", "familyName": "Bench"}, admin)["id"]
days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
call("PUT", f"/api/v1/practitioners/{practitioner}/schedule",
     {"slotMinutes": 30, "weeklyHours": [{"day": d, "start": "00:00", "end": "23:30"} for d in days]}, admin)
patient = call("POST", "/api/v1/patients", {"givenName": "Sam", "familyName": "Bench", "birthDate": "1980-01-01"},
               admin)["id"]
out = os.environ["SSE_OUT"]
open(f"{out}/tokens.txt", "w").write("\n".join(tokens) + "\n")
json.dump({"admin": admin, "practitioner": practitioner, "patient": patient}, open(f"{out}/seed.json", "w"))
PY

# /metrics answers only METRICS_TOKEN when the service has one (README "Metrics").
scrape() {
  curl -fsS --max-time 10 -H 'Accept: text/plain' ${METRICS_TOKEN:+-H "Authorization: Bearer $METRICS_TOKEN"} \
    "$base_url/metrics"
}
heap_bytes() {
  scrape | awk '
    /^jvm_memory_used_bytes\{/ && /area="heap"/ {sum += $NF} END {printf "%d", sum}'
}
gauge() {
  scrape | awk '
    /^healthcare_event_stream_connections\{/ && !seen {printf "%d", $NF; seen = 1}'
}
# RSS, live heap (after a full collection), OS threads, open streams.
measure() {
  jcmd "$service_pid" GC.run >/dev/null
  sleep 2
  echo "$(vm_kb "$service_pid" VmRSS) $(heap_bytes) $(vm_kb "$service_pid" Threads) $(gauge) $(ls "/proc/$service_pid/fd" | wc -l)"
}

# 4. Before: warmed by the seeding, settled.
sleep 5
read -r rss_before heap_before threads_before streams_before files_before <<<"$(measure)"
log "before: RSS $((rss_before / 1024)) MiB, live heap $((heap_before / 1048576)) MiB, $threads_before OS threads, $streams_before streams, $files_before open files"

# 5. The load.
log "opening $connections streams with $token_count tokens, holding them $hold s (log: $out/load.log)"
java -Xmx256m src/test/java/io/healthcarebackend/bench/SseIdleConnections.java --url "$base_url" \
  --connections "$connections" --hold "$hold" --tokens-file "$out/tokens.txt" --open-file "$out/open" \
  >"$out/load.log" 2>&1 &
load_pid=$!
while [ ! -f "$out/open" ]; do
  kill -0 "$load_pid" 2>/dev/null || { echo "bench-sse: the load generator exited; see $out/load.log" >&2; exit 1; }
  sleep 1
done
log "$(cat "$out/open") streams open"
# A full heartbeat round (20 s: every stream wrote a comment and re-checked its session), with its CPU.
ticks_start=$(cpu_ticks "$service_pid")
sleep 25
ticks_end=$(cpu_ticks "$service_pid")
idle_cpu=$(awk -v t=$((ticks_end - ticks_start)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", 100 * t / hz / 25}')
read -r rss_during heap_during threads_during streams_during files_during <<<"$(measure)"
# What the live heap is made of while the streams are open (largest classes first).
jcmd "$service_pid" GC.class_histogram | head -45 >"$out/histogram.txt"
log "holding: RSS $((rss_during / 1024)) MiB, live heap $((heap_during / 1048576)) MiB, $threads_during OS threads, $streams_during streams, $files_during open files, ${idle_cpu}% of one core"
# One booking, fanned out to every open stream.
SSE_BASE_URL="$base_url" SSE_OUT="$out" python3 - <<'PY'
import datetime, http.client, json, os, urllib.parse
seed = json.load(open(os.environ["SSE_OUT"] + "/seed.json"))
base = urllib.parse.urlsplit(os.environ["SSE_BASE_URL"])
start = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).replace(hour=10, minute=0,
         second=0, microsecond=0)
body = {"patientId": seed["patient"], "practitionerId": seed["practitioner"], "start": start.isoformat(),
        "end": (start + datetime.timedelta(minutes=30)).isoformat()}
conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
conn.request("POST", "/api/v1/appointments", json.dumps(body),
             {"Content-Type": "application/json", "Authorization": "Bearer " + seed["admin"]})
r = conn.getresponse(); r.read()
print(f"bench-sse: booked one appointment: {r.status}")
PY
wait "$load_pid" || true
load_pid=""
rss_peak=$(vm_kb "$service_pid" VmHWM)
# A stream whose client went away is noticed when a heartbeat cannot be written: the first write
# after the close still succeeds (the peer answers it with a reset), the next fails — within 40 s.
sleep 45
read -r rss_after heap_after threads_after streams_after files_after <<<"$(measure)"
jcmd "$service_pid" GC.class_histogram | head -45 >"$out/histogram-after.txt"
log "after: RSS $((rss_after / 1024)) MiB, live heap $((heap_after / 1048576)) MiB, $threads_after OS threads, $streams_after streams, $files_after open files"
stop_all

# 6. Summary.
open_streams=$(sed -n 's/^RESULT open=\([0-9]*\).*/\1/p' "$out/load.log")
open_seconds=$(sed -n 's/^RESULT open_seconds=\([0-9.]*\).*/\1/p' "$out/load.log")
{
  echo "# make bench-sse — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`$command_line\` · $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM · $(java -version 2>&1 | sed -n 2p)"
  echo "Service: \`java $java_opts -jar\`, Redis on, heartbeat 20 s."
  echo
  echo "| | streams | RSS | live heap (after full GC) | OS threads | open files |"
  echo "|---|---|---|---|---|---|"
  echo "| before | $streams_before | $((rss_before / 1024)) MiB | $((heap_before / 1048576)) MiB | $threads_before | $files_before |"
  echo "| holding | $streams_during | $((rss_during / 1024)) MiB | $((heap_during / 1048576)) MiB | $threads_during | $files_during |"
  echo "| after (clients gone) | $streams_after | $((rss_after / 1024)) MiB | $((heap_after / 1048576)) MiB | $threads_after | $files_after |"
  echo
  if [ -n "$open_streams" ] && [ "$open_streams" -gt 0 ]; then
    echo "Per open stream: $(( (rss_during - rss_before) * 1024 / open_streams / 1024 )) KiB of RSS, $(( (heap_during - heap_before) / open_streams / 1024 )) KiB of live heap."
  fi
  echo "All $connections attempts done in ${open_seconds:-?} s. CPU of the service while holding (one heartbeat round): ${idle_cpu}% of one core. Peak RSS: $((rss_peak / 1024)) MiB."
  echo
  echo '```'
  grep -v '^RESULT' "$out/load.log" | grep -v '^  ' || true
  echo '```'
} >"$out/summary.md"
cat "$out/summary.md"
