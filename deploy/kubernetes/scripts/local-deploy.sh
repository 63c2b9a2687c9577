#!/usr/bin/env bash
# Deploys the local overlay to the cluster of the current kubectl context and waits for it, or
# removes it again. Needs a running cluster (kind, minikube, k3d, Docker Desktop) that already has
# the image healthcare-backend:local (e.g. `kind load docker-image healthcare-backend:local`), and
# an ingress-nginx controller for the Ingress.
# Usage: deploy/kubernetes/scripts/local-deploy.sh deploy|stop   (make k8s-local-deploy / k8s-local-stop)
# Env: KUBECTL (default kubectl), ROLLOUT_TIMEOUT (default 300s), NAMESPACE (default healthcare-backend).
set -euo pipefail

action="${1:-}"
kubectl="${KUBECTL:-kubectl}"
timeout="${ROLLOUT_TIMEOUT:-300s}"
ns="${NAMESPACE:-healthcare-backend}"
overlay="deploy/kubernetes/overlays/local"

# shellcheck source=deploy/kubernetes/scripts/cluster.sh
source "$(dirname "$0")/cluster.sh"
require_cluster local-deploy

case "$action" in
  deploy)
    deploy/kubernetes/scripts/local-secrets.sh
    "$kubectl" apply -k "$overlay"
    # The controller's access log without query strings (they may carry PHI).
    if "$kubectl" get namespace ingress-nginx >/dev/null 2>&1; then
      "$kubectl" apply -k deploy/kubernetes/ingress-nginx
    fi
    for workload in statefulset/postgresql statefulset/redis deployment/healthcare-backend-api \
      deployment/healthcare-backend-worker; do
      "$kubectl" -n "$ns" rollout status "$workload" --timeout="$timeout"
    done
    echo "local-deploy: ready. Try: curl -k https://healthcare.localtest.me/api/v1/... (through ingress-nginx)" \
      "or kubectl -n $ns port-forward svc/healthcare-backend-api 8088"
    ;;
  stop)
    "$kubectl" delete -k "$overlay" --ignore-not-found --wait=true
    echo "local-deploy: removed. Secrets and the StatefulSets' volumes are gone with the namespace."
    ;;
  *)
    echo "usage: $0 deploy|stop" >&2
    exit 2
    ;;
esac
