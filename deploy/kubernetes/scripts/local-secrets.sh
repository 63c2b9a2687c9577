#!/usr/bin/env bash
# Creates the Secrets the local overlay needs (healthcare-backend-secrets, postgresql-auth,
# redis-auth) in the current kubectl context, with freshly generated keys and passwords. A Secret
# that already exists is left alone: replacing PHI_MASTER_KEYSET would make the stored patient
# data unreadable. Nothing is printed or written outside a private temporary directory.
# Usage: deploy/kubernetes/scripts/local-secrets.sh   (make k8s-local-secrets)
# Env: JAR (default target/healthcare-backend.jar, built by `make build`), NAMESPACE (default
#      healthcare-backend), KUBECTL (default kubectl).
set -euo pipefail

jar="${JAR:-target/healthcare-backend.jar}"
ns="${NAMESPACE:-healthcare-backend}"
kubectl="${KUBECTL:-kubectl}"

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$java" >/dev/null 2>&1 || { echo "local-secrets: java not found (JDK 25: scripts/find-jdk.sh; make sets JAVA_HOME)." >&2; exit 1; }
[[ -f "$jar" ]] || { echo "local-secrets: $jar is missing; run make build first." >&2; exit 1; }
command -v openssl >/dev/null 2>&1 || { echo "local-secrets: openssl not found (Debian: apt-get install openssl)." >&2; exit 1; }

# shellcheck source=deploy/kubernetes/scripts/cluster.sh
source "$(dirname "$0")/cluster.sh"
require_cluster local-secrets

work="$(mktemp -d)"
chmod 700 "$work"
trap 'rm -rf "$work"' EXIT

"$kubectl" create namespace "$ns" --dry-run=client -o yaml | "$kubectl" apply -f - >/dev/null

exists() { "$kubectl" -n "$ns" get secret "$1" >/dev/null 2>&1; }

# create_secret NAME KEY... : one file per key in $work/NAME/, created as one Secret.
create_secret() {
  local name="$1"; shift
  local args=()
  for key in "$@"; do args+=("--from-file=$key=$work/$name/$key"); done
  "$kubectl" -n "$ns" create secret generic "$name" "${args[@]}" >/dev/null
  echo "local-secrets: created Secret $name ($# keys)"
}

random_hex() { openssl rand -hex 32 | tr -d '\n'; }
random_b64() { openssl rand -base64 32 | tr -d '\n'; }

if exists healthcare-backend-secrets; then
  echo "local-secrets: Secret healthcare-backend-secrets exists, kept"
else
  d="$work/healthcare-backend-secrets"; mkdir -p "$d"
  "$java" -jar "$jar" generate-jwt-key | tr -d '\n' >"$d/JWT_SIGNING_KEY"
  "$java" -jar "$jar" generate-audit-key | tr -d '\n' >"$d/AUDIT_SIGNING_KEY"
  "$java" -jar "$jar" generate-phi-master-key | tr -d '\n' >"$d/PHI_MASTER_KEYSET"
  "$java" -jar "$jar" generate-phi-master-key | tr -d '\n' >"$d/MFA_SECRET_KEYSET"
  random_b64 >"$d/PHI_INDEX_KEY"
  random_b64 >"$d/SESSION_DATA_KEY"
  random_hex >"$d/METRICS_TOKEN"
  random_hex >"$d/DATABASE_PASSWORD"
  random_hex >"$d/DATABASE_MIGRATION_PASSWORD"
  create_secret healthcare-backend-secrets JWT_SIGNING_KEY AUDIT_SIGNING_KEY PHI_MASTER_KEYSET MFA_SECRET_KEYSET \
    PHI_INDEX_KEY SESSION_DATA_KEY METRICS_TOKEN DATABASE_PASSWORD DATABASE_MIGRATION_PASSWORD
fi

if exists postgresql-auth; then
  echo "local-secrets: Secret postgresql-auth exists, kept"
else
  d="$work/postgresql-auth"; mkdir -p "$d"
  random_hex >"$d/POSTGRES_PASSWORD"
  random_hex >"$d/MONITOR_PASSWORD"
  create_secret postgresql-auth POSTGRES_PASSWORD MONITOR_PASSWORD
fi

if exists redis-auth; then
  echo "local-secrets: Secret redis-auth exists, kept"
else
  d="$work/redis-auth"; mkdir -p "$d"
  random_hex >"$d/REDIS_PASSWORD"
  create_secret redis-auth REDIS_PASSWORD
fi
