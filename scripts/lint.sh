#!/usr/bin/env bash
# Static checks: the shell scripts (bash -n and ShellCheck at severity "warning" over scripts/,
# deploy/ and .ci/run) and the GitHub Actions workflows (action-validator: the workflow schema and
# its expressions). The CI workflow's static-checks job and .ci/run both call this through `make lint`.
# Installs ShellCheck from Debian's packages when it is missing and this runs as root, and
# action-validator (pinned) from npm into target/lint-tools; otherwise stops and says how.
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

validator_version=0.6.0
tools=target/lint-tools
validator="$tools/node_modules/.bin/action-validator"
if [ ! -x "$validator" ] || ! grep -q "\"version\": \"$validator_version\"" "$tools/node_modules/@action-validator/cli/package.json" 2>/dev/null; then
  command -v npm >/dev/null 2>&1 || { echo "lint: npm is missing, needed for action-validator (Debian: apt-get install npm)." >&2; exit 1; }
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" "@action-validator/cli@$validator_version" \
    "@action-validator/core@$validator_version" >/dev/null \
    || { echo "lint: could not install @action-validator/cli@$validator_version from npm" >&2; exit 1; }
fi
mapfile -t workflows < <(find .github/workflows -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
for w in "${workflows[@]}"; do
  "$validator" "$w" >/dev/null || { "$validator" "$w" >&2 || true; echo "lint: $w is not a valid workflow" >&2; exit 1; }
done
echo "lint: ${#workflows[@]} GitHub Actions workflows pass action-validator $validator_version"
