# shellcheck shell=bash
# Shared by scripts/bench.sh and scripts/sse-bench.sh (sourced; they define $jar and log()).
# shellcheck disable=SC2154  # $jar comes from the sourcing script

# Builds the jar when a source is newer. The jar's own mtime is the reproducible-build timestamp
# (1980), so the sources are compared with the plain jar Maven writes next to it on every package.
bench_build_jar() {
  if [ ! -f "$jar" ] || [ ! -f "$jar.original" ] || [ -n "$(find pom.xml src/main -newer "$jar.original" -print -quit)" ]; then
    log "building $jar"
    ./mvnw -B -q -DskipTests package
  fi
}

# Drops database $1 and its key store if they exist, and creates both afresh.
bench_fresh_database() {
  psql -h "${DATABASE_HOST:-127.0.0.1}" -p "${DATABASE_PORT:-5432}" -U "${DATABASE_ADMIN_USER:-postgres}" \
    -d postgres -v ON_ERROR_STOP=1 -q -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS ${1}_keys WITH (FORCE)"
  scripts/db-init.sh "$1" >/dev/null
}
