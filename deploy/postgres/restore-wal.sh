#!/usr/bin/env bash
# restore_command of deploy/postgres/wal-archiving.conf: hands one archived WAL segment (or
# timeline history file) to recovery.
# Usage (by PostgreSQL): restore-wal.sh <%f: file name> <%p: destination path> <archive directory>
# Exits non-zero when the file is not in the archive: that is how recovery learns it reached the
# end of the archive, so "missing" must not be reported as success.
set -euo pipefail

name="${1:?usage: restore-wal.sh <%f> <%p> <archive dir>}"
dest="${2:?usage: restore-wal.sh <%f> <%p> <archive dir>}"
dir="${3:?usage: restore-wal.sh <%f> <%p> <archive dir>}"

[[ "$name" =~ ^[0-9A-Za-z._-]+$ ]] || { echo "restore-wal: unexpected file name '$name'" >&2; exit 1; }
[[ -f "$dir/$name" ]] || exit 1
cp "$dir/$name" "$dest"
