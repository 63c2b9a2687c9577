#!/usr/bin/env bash
# Sourced by the other scripts here: require_cluster stops with a clear message when kubectl is
# missing or no cluster answers in the current context. Env: KUBECTL (default kubectl).
set -euo pipefail

require_cluster() {
  local kubectl="${KUBECTL:-kubectl}" caller="$1"
  command -v "$kubectl" >/dev/null 2>&1 || {
    echo "$caller: kubectl not found. Install it: https://kubernetes.io/docs/tasks/tools/" >&2
    exit 1
  }
  if ! "$kubectl" version --request-timeout=5s >/dev/null 2>&1; then
    echo "$caller: no Kubernetes cluster is reachable from kubectl's current context" \
      "($("$kubectl" config current-context 2>/dev/null || echo 'none set'))." >&2
    echo "$caller: start one first (e.g. 'kind create cluster'), then run this again." >&2
    exit 1
  fi
}
