#!/usr/bin/env bash
# Deploys one Kustomize overlay with a given image, waits for the rollout and the service's health,
# and rolls every Deployment back when either fails. The deploy workflow (.github/workflows/deploy.yml)
# and the deploy runbook (docs/runbooks/deploy.md) both go through this script.
#
# Usage: scripts/k8s-deploy.sh OVERLAY IMAGE            deploy (needs a reachable cluster)
#        scripts/k8s-deploy.sh --render OVERLAY IMAGE   print the manifests that would be applied
#   OVERLAY  local | staging | production (deploy/kubernetes/overlays/<OVERLAY>)
#   IMAGE    the full image reference to run, e.g. registry.example.com/healthcare-backend:1.4.2
#            (a tag or a digest; "latest" is refused outside the local overlay)
# Environment:
#   KUBE_CONTEXT      kubectl context to use (default: the current one)
#   ROLLOUT_TIMEOUT   how long each Deployment may take to become available (default 10m)
#   HEALTH_TIMEOUT    seconds to wait for GET /health to answer 200 "ok" after the rollout (default 120)
#   API_SERVICE       the API Service checked through a port-forward (default healthcare-backend-api)
set -euo pipefail
cd "$(dirname "$0")/.."

render_only=false
if [ "${1:-}" = "--render" ]; then render_only=true; shift; fi
overlay="${1:-}"; image="${2:-}"
usage() { sed -n '6,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ -n "$overlay" ] && [ -n "$image" ] || usage
overlay_dir="deploy/kubernetes/overlays/$overlay"
[ -f "$overlay_dir/kustomization.yaml" ] || { echo "k8s-deploy: no overlay '$overlay' ($overlay_dir)" >&2; exit 2; }
if [[ ! "$image" =~ ^[a-z0-9.:/_-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$ ]]; then
  echo "k8s-deploy: '$image' is not an image reference with a tag or digest" >&2; exit 2
fi
if [ "$overlay" != "local" ] && [[ "$image" =~ :latest$ ]]; then
  echo "k8s-deploy: refusing the 'latest' tag for $overlay: deploy an immutable tag or digest" >&2; exit 2
fi
command -v kubectl >/dev/null 2>&1 || { echo "k8s-deploy: kubectl is missing (https://kubernetes.io/docs/tasks/tools/)" >&2; exit 1; }
kc=(kubectl); [ -n "${KUBE_CONTEXT:-}" ] && kc+=(--context "$KUBE_CONTEXT")

namespace=healthcare-backend
# The application image as the overlay renders it (repository without tag), so the override below
# replaces exactly that one and leaves PostgreSQL's and Redis's images alone.
rendered_repo="$(kubectl kustomize "$overlay_dir" | awk '$1 == "image:" || $2 == "image:" {print $NF}' \
  | grep 'healthcare-backend' | head -1 | sed -E 's/@sha256:.*$//; s/:[^:/]+$//')"
[ -n "$rendered_repo" ] || { echo "k8s-deploy: the overlay renders no healthcare-backend image" >&2; exit 1; }

work="target/k8s-deploy/$overlay"
rm -rf "$work"; mkdir -p "$work"
if [[ "$image" == *@sha256:* ]]; then
  new_name="${image%@*}"; pin="  digest: ${image#*@}"
else
  new_name="${image%:*}"; pin="  newTag: \"${image##*:}\""
fi
cat >"$work/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../$overlay_dir
images:
- name: $rendered_repo
  newName: $new_name
$pin
EOF
kubectl kustomize "$work" >"$work/manifests.yaml"
if $render_only; then cat "$work/manifests.yaml"; exit 0; fi

if ! "${kc[@]}" version --request-timeout=10s >/dev/null 2>&1; then
  echo "k8s-deploy: no Kubernetes cluster answers (kubectl context: $("${kc[@]}" config current-context 2>/dev/null || echo none))" >&2
  exit 1
fi

echo "k8s-deploy: applying $overlay with $image"
"${kc[@]}" apply -f "$work/manifests.yaml"
mapfile -t deployments < <("${kc[@]}" -n "$namespace" get deployments -l app.kubernetes.io/part-of=healthcare-backend -o name)
[ "${#deployments[@]}" -gt 0 ] || { echo "k8s-deploy: no Deployments labelled app.kubernetes.io/part-of=healthcare-backend" >&2; exit 1; }

rollback() {
  echo "k8s-deploy: $1 — rolling back ${deployments[*]}" >&2
  for d in "${deployments[@]}"; do
    "${kc[@]}" -n "$namespace" rollout undo "$d" || true
  done
  for d in "${deployments[@]}"; do
    "${kc[@]}" -n "$namespace" rollout status "$d" --timeout="${ROLLOUT_TIMEOUT:-10m}" || true
  done
  exit 1
}

for d in "${deployments[@]}"; do
  "${kc[@]}" -n "$namespace" rollout status "$d" --timeout="${ROLLOUT_TIMEOUT:-10m}" || rollback "$d did not become available"
done

# Health through the API's Service, as a client would reach it (port-forward is not subject to the
# namespace's NetworkPolicies, unlike a throw-away curl pod).
port=$((20000 + RANDOM % 10000))
"${kc[@]}" -n "$namespace" port-forward "svc/${API_SERVICE:-healthcare-backend-api}" "$port:8088" >"$work/port-forward.log" 2>&1 &
forward=$!
trap 'kill "$forward" 2>/dev/null || true' EXIT
deadline=$((SECONDS + ${HEALTH_TIMEOUT:-120}))
until curl -fsS --max-time 5 "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"status":"ok"'; do
  [ "$SECONDS" -lt "$deadline" ] || rollback "GET /health did not answer ok within ${HEALTH_TIMEOUT:-120} s"
  sleep 3
done
echo "k8s-deploy: $overlay runs $image and answers /health ok"
