#!/usr/bin/env bash
# Makes sure PostgreSQL (required) and Redis (used by the tests) answer on this machine.
# Starts them when they are installed but stopped, with the commands their Debian packages
# provide. Exits non-zero with a clear message when one cannot be had. The one thing it installs:
# Chromium and its driver for the browser tests, when missing and running as root on Debian.
set -uo pipefail
pg_host="${DATABASE_HOST:-127.0.0.1}"; pg_port="${DATABASE_PORT:-5432}"
redis_host="${REDIS_HOST:-127.0.0.1}"; redis_port="${REDIS_PORT:-6379}"
want_redis="${1:-redis}"

pg_up() { pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; }
redis_up() { [ "$(redis-cli -h "$redis_host" -p "$redis_port" ping 2>/dev/null)" = "PONG" ]; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "ensure-services: PostgreSQL client tools are missing (Debian: apt-get install postgresql)." >&2
  exit 1
fi
if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for dir in /etc/postgresql/*/; do
      version="$(basename "$dir")"
      echo "ensure-services: starting PostgreSQL $version/main"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
  if ! pg_up; then
    echo "ensure-services: PostgreSQL is not reachable at $pg_host:$pg_port and could not be started." >&2
    echo "                 Install PostgreSQL >= 15 (Debian: apt-get install postgresql) or point DATABASE_HOST/PORT at one." >&2
    exit 1
  fi
fi
echo "ensure-services: PostgreSQL is up at $pg_host:$pg_port"

[ "$want_redis" = "redis" ] || exit 0
if ! command -v redis-cli >/dev/null 2>&1; then
  echo "ensure-services: redis-cli is missing (Debian: apt-get install redis-server)." >&2
  exit 1
fi
if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "ensure-services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  fi
  if ! redis_up; then
    echo "ensure-services: Redis is not reachable at $redis_host:$redis_port and could not be started." >&2
    echo "                 Install it (Debian: apt-get install redis-server)." >&2
    exit 1
  fi
fi
echo "ensure-services: Redis is up at $redis_host:$redis_port"

# Tools the tests drive, from Debian's packages: the browser tests (the dashboards) use chromium and
# chromium-driver, the local-cluster test HAProxy and socat, the backup tests gpg, the PITR drill
# PostgreSQL's server binaries (initdb, pg_ctl), `make lint` ShellCheck, the backup upload test the
# aws CLI (against an S3-compatible server the test installs from npm).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v socat >/dev/null 2>&1 || missing+=(socat)
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-services: installing ${missing[*]} for the tests"
    log="${TMPDIR:-/tmp}/ensure-services-apt.log"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >"$log" 2>&1 \
      || echo "ensure-services: apt-get failed, see $log" >&2
  fi
  still=()
  for pkg in "${missing[@]}"; do
    case "$pkg" in
      chromium-driver) command -v chromedriver >/dev/null 2>&1 || still+=("$pkg") ;;
      gnupg) command -v gpg >/dev/null 2>&1 || still+=("$pkg") ;;
      awscli) command -v aws >/dev/null 2>&1 || still+=("$pkg") ;;
      *) command -v "$pkg" >/dev/null 2>&1 || still+=("$pkg") ;;
    esac
  done
  if [ "${#still[@]}" -gt 0 ]; then
    echo "ensure-services: ${still[*]} missing, so the tests that drive them will fail." >&2
    echo "                 Install them (Debian: sudo apt-get install ${still[*]})." >&2
    echo "                 Chromium elsewhere: set CHROMIUM_BINARY and CHROMEDRIVER to its paths." >&2
  fi
fi
command -v kubectl >/dev/null 2>&1 || echo "ensure-services: kubectl is missing: the Kubernetes manifest tests will fail (install it: https://kubernetes.io/docs/tasks/tools/)." >&2
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  echo "ensure-services: PostgreSQL's server binaries (initdb) are missing: the PITR drill will fail (Debian: apt-get install postgresql)." >&2
fi
echo "ensure-services: test tools checked"
