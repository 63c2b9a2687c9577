#!/usr/bin/env bash
# Static checks of the repository's shell scripts: syntax (bash -n) and ShellCheck at severity
# "warning" over scripts/, deploy/ and .ci/run. The CI workflow's static-checks job and .ci/run
# both call this through `make lint`.
# Installs ShellCheck from Debian's packages when it is missing and this runs as root; otherwise
# stops and says how to install it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "lint: installing shellcheck"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
  fi
  command -v shellcheck >/dev/null 2>&1 || {
    echo "lint: shellcheck is missing (Debian/Ubuntu: apt-get install shellcheck; macOS: brew install shellcheck)." >&2
    exit 1
  }
fi

mapfile -t files < <({ find scripts deploy -type f -name '*.sh' 2>/dev/null; echo .ci/run; } | sort -u)
for f in "${files[@]}"; do
  bash -n "$f"
done
shellcheck -S warning -x "${files[@]}"
echo "lint: ${#files[@]} shell scripts pass bash -n and shellcheck"
