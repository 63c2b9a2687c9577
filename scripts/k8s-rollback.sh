#!/usr/bin/env bash
# Rolls every healthcare-backend Deployment (API and worker) back to its previous revision, or to
# REVISION, and waits until they are available again. See docs/runbooks/rollback.md.
# Usage: scripts/k8s-rollback.sh            (previous revision)
#        REVISION=7 scripts/k8s-rollback.sh (a revision from `kubectl rollout history`)
# Environment: KUBE_CONTEXT (default: current context), ROLLOUT_TIMEOUT (default 10m).
set -euo pipefail
command -v kubectl >/dev/null 2>&1 || { echo "k8s-rollback: kubectl is missing" >&2; exit 1; }
kc=(kubectl); [ -n "${KUBE_CONTEXT:-}" ] && kc+=(--context "$KUBE_CONTEXT")
namespace=healthcare-backend
"${kc[@]}" version --request-timeout=10s >/dev/null 2>&1 || { echo "k8s-rollback: no Kubernetes cluster answers" >&2; exit 1; }
mapfile -t deployments < <("${kc[@]}" -n "$namespace" get deployments -l app.kubernetes.io/part-of=healthcare-backend -o name)
[ "${#deployments[@]}" -gt 0 ] || { echo "k8s-rollback: no healthcare-backend Deployments in $namespace" >&2; exit 1; }
for d in "${deployments[@]}"; do
  if [ -n "${REVISION:-}" ]; then
    "${kc[@]}" -n "$namespace" rollout undo "$d" --to-revision="$REVISION"
  else
    "${kc[@]}" -n "$namespace" rollout undo "$d"
  fi
done
for d in "${deployments[@]}"; do
  "${kc[@]}" -n "$namespace" rollout status "$d" --timeout="${ROLLOUT_TIMEOUT:-10m}"
done
echo "k8s-rollback: ${deployments[*]} rolled back and available"
