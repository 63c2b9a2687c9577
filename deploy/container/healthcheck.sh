#!/usr/bin/env bash
# The container's health check: GET <path> (default /health/readiness) on this container's own
# port and healthy only on HTTP 200. Readiness turns 503 while the instance drains on shutdown and
# while the database is unreachable. Needs nothing but bash: the JRE base image has no curl or
# wget, so the request goes through bash's /dev/tcp. The image installs it as
# /usr/local/bin/healthcheck (Dockerfile HEALTHCHECK, Compose healthchecks).
# Usage: healthcheck [path]
# Env:   PORT (default 8088): the service's HTTP port; HEALTHCHECK_TIMEOUT (default 4): seconds
#        to wait for the status line.
set -euo pipefail

path="${1:-/health/readiness}"
port="${PORT:-8088}"
timeout="${HEALTHCHECK_TIMEOUT:-4}"

if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  echo "healthcheck: nothing answers on 127.0.0.1:$port" >&2
  exit 1
fi
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: healthcheck\r\nConnection: close\r\n\r\n' "$path" >&3
status=""
if ! IFS= read -r -t "$timeout" status <&3; then
  echo "healthcheck: no answer from $path within ${timeout}s" >&2
  exit 1
fi
exec 3<&-
status="${status%$'\r'}"
if [[ "$status" =~ ^HTTP/1\.[01]\ 200([[:space:]]|$) ]]; then
  exit 0
fi
echo "healthcheck: $path answered '$status'" >&2
exit 1
