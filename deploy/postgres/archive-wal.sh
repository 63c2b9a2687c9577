#!/usr/bin/env bash
# archive_command of deploy/postgres/wal-archiving.conf: copies one finished WAL segment into the
# archive directory atomically and never overwrites a different file of the same name.
# Usage (by PostgreSQL): archive-wal.sh <%p: segment path> <%f: segment name> <archive directory>
# Exit 0 only once the segment is durably in the archive (PostgreSQL then recycles it); anything
# else makes PostgreSQL keep the segment and retry.
set -euo pipefail

src="${1:?usage: archive-wal.sh <%p> <%f> <archive dir>}"
name="${2:?usage: archive-wal.sh <%p> <%f> <archive dir>}"
dir="${3:?usage: archive-wal.sh <%p> <%f> <archive dir>}"

[[ "$name" =~ ^[0-9A-Za-z._-]+$ ]] || { echo "archive-wal: unexpected segment name '$name'" >&2; exit 1; }
[[ -d "$dir" ]] || { echo "archive-wal: archive directory $dir is missing" >&2; exit 1; }

if [[ -e "$dir/$name" ]]; then
  # Archived before (PostgreSQL retries after a crash between copy and acknowledgement): fine if
  # identical, an error if not, because another cluster may be writing into this archive.
  if cmp -s "$src" "$dir/$name"; then
    exit 0
  fi
  echo "archive-wal: $dir/$name exists with different content; refusing to overwrite" >&2
  exit 1
fi

tmp="$dir/.$name.tmp.$$"
trap 'rm -f "$tmp"' EXIT
cp "$src" "$tmp"
sync "$tmp"
# A hard link is atomic and fails when the name exists: no reader sees a partial segment, and a
# concurrent archiver cannot be overwritten.
ln "$tmp" "$dir/$name"
sync "$dir"
