#!/usr/bin/env bash
# Writes every secret compose.prod.yaml mounts (one file each, named after the variable it sets)
# into a directory, default deploy/compose/secrets/ (git-ignored). Keys come from the service's
# own generators (make jwt-key, audit-key, phi-master-key); passwords and raw keys from
# /dev/urandom. Never overwrites: an existing file is kept (rotating a key is a deliberate act,
# see README "PHI encryption and key management"). Prints file names only, never a value.
# Usage: deploy/compose/generate-secrets.sh [directory]
# Env:   HB_JAR (default target/healthcare-backend.jar) runs the generators with JAVA_HOME's java
#        (default: the JDK 25 scripts/find-jdk.sh finds);
#        when the jar is missing, HB_IMAGE (default healthcare-backend:local) runs them with docker.
#        REDIS_HOST (default redis): the host named in the REDIS_URL secret.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir="${1:-deploy/compose/secrets}"
jar="${HB_JAR:-target/healthcare-backend.jar}"
image="${HB_IMAGE:-healthcare-backend:local}"

generate() {
  if [ -f "$jar" ]; then
    local java_home="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
    "$java_home/bin/java" -jar "$jar" "$1"
  elif command -v docker >/dev/null 2>&1 && docker image inspect "$image" >/dev/null 2>&1; then
    docker run --rm "$image" "$1"
  else
    echo "generate-secrets: need $jar (make build) or the image $image (make image) to generate keys." >&2
    exit 1
  fi
}
random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
random_base64() { head -c "$1" /dev/urandom | base64 -w0; }

umask 077
mkdir -p "$dir"
chmod 0700 "$dir"

write() { # name, value: a new file only
  local file="$dir/$1"
  if [ -e "$file" ]; then
    echo "generate-secrets: kept    $file"
    return
  fi
  printf '%s' "$2" >"$file"
  # Readable inside the containers (uid 10001, postgres, redis): Compose bind-mounts the file with
  # its own mode; the 0700 directory keeps other users of this host out.
  chmod 0444 "$file"
  echo "generate-secrets: wrote   $file"
}

generated() { # name, generator command: generated only when the file is missing; fails when the generator does
  local value
  if [ -e "$dir/$1" ]; then
    write "$1" ""
    return
  fi
  value="$(generate "$2")"
  [ -n "$value" ] || { echo "generate-secrets: $2 printed nothing" >&2; exit 1; }
  write "$1" "$value"
}
generated JWT_SIGNING_KEY generate-jwt-key
generated AUDIT_SIGNING_KEY generate-audit-key
generated PHI_MASTER_KEYSET generate-phi-master-key
generated MFA_SECRET_KEYSET generate-phi-master-key
write PHI_INDEX_KEY "$(random_base64 32)"
write SESSION_DATA_KEY "$(random_base64 32)"
write METRICS_TOKEN "$(random_hex 32)"
write DATABASE_PASSWORD "$(random_hex 24)"
write DATABASE_MIGRATION_PASSWORD "$(random_hex 24)"
write POSTGRES_PASSWORD "$(random_hex 24)"
write REPLICATION_PASSWORD "$(random_hex 24)"
write BOOTSTRAP_ADMIN_PASSWORD "$(random_hex 16)"
if [ ! -e "$dir/REDIS_ACL" ] || [ ! -e "$dir/REDIS_URL" ]; then
  # One password in two files: Redis's ACL file and the URL the service connects with.
  rm -f "$dir/REDIS_ACL" "$dir/REDIS_URL"
  redis_password="$(random_hex 24)"
  write REDIS_ACL "user default off
user hb on >$redis_password ~* &* +@all
user healthcheck on nopass -@all +ping
"
  write REDIS_URL "redis://hb:$redis_password@${REDIS_HOST:-redis}:6379"
else
  echo "generate-secrets: kept    $dir/REDIS_ACL and $dir/REDIS_URL"
fi
