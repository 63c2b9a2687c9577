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

# The browser tests (the /logger dashboard) drive Debian's chromium and chromium-driver, headless.
have_chromium() { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }
if ! have_chromium; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-services: installing chromium and chromium-driver for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) || true
  fi
  if have_chromium; then
    echo "ensure-services: Chromium installed"
  else
    echo "ensure-services: chromium and chromedriver are missing, so the browser tests will fail." >&2
    echo "                 Install them (Debian: sudo apt-get install chromium chromium-driver)," >&2
    echo "                 or set CHROMIUM_BINARY and CHROMEDRIVER to their paths." >&2
  fi
else
  echo "ensure-services: Chromium is installed for the browser tests"
fi
