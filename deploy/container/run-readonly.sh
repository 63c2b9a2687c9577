#!/usr/bin/env bash
# Runs a command the way the container image runs it, without a container engine: in a private
# mount namespace where every filesystem is read-only except a fresh /tmp and the given volumes,
# as the image's unprivileged numeric user, from the image's working directory. ContainerImageIT
# uses it to start the extracted application (and its health check) under the constraints of
#   docker run --read-only --tmpfs /tmp -v data:/var/lib/healthcare-backend -v secrets:/run/secrets:ro
# The mounts are private to the command: the rest of the machine sees none of them.
# Needs root (mount namespaces, bind mounts) and util-linux (unshare, setpriv, mount).
# Usage: deploy/container/run-readonly.sh <uid:gid> <workdir> <host-tmp-dir> [<host-dir>:<path>[:ro]]... -- <command> [args...]
#   <host-tmp-dir>  becomes /tmp (made world-writable and sticky, like a tmpfs /tmp)
#   <host-dir>:<path>       is bound at <path> read-write and given to <uid:gid> (a data volume)
#   <host-dir>:<path>:ro    is bound at <path> read-only (e.g. secrets)
# Host paths must not lie under /tmp (it is replaced). Env: passed through unchanged to <command>.
set -euo pipefail

usage() {
  echo "usage: $0 <uid:gid> <workdir> <host-tmp-dir> [<host-dir>:<path>[:ro]]... -- <command> [args...]" >&2
  exit 2
}

if [ "${1:-}" = "--inside" ]; then
  # Second half, already in the private mount namespace.
  ids="$2" workdir="$3" host_tmp="$4"
  shift 4
  writable=(/tmp)
  while [ "$1" != "--" ]; do
    IFS=: read -r host path mode <<<"$1"
    shift
    # The mount point may not exist on this machine: a tmpfs over its parent provides one (hiding
    # the parent's other contents from the command only).
    if [ ! -d "$path" ]; then
      if ! mountpoint -q "$(dirname "$path")"; then
        mount -t tmpfs -o mode=0755,size=1m tmpfs "$(dirname "$path")"
      fi
      mkdir "$path"
    fi
    mount --bind "$host" "$path"
    if [ "$mode" != "ro" ]; then
      writable+=("$path")
    fi
  done
  shift
  cd "$workdir"
  mount --bind "$host_tmp" /tmp
  # Every other mount becomes read-only (pseudo filesystems excepted, as in a container).
  while read -r mount_point; do
    case "$mount_point" in
      /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue ;;
    esac
    for path in "${writable[@]}"; do
      [ "$mount_point" = "$path" ] && continue 2
    done
    mount -o remount,bind,ro "$mount_point" 2>/dev/null || true
  done < <(awk '{print $5}' /proc/self/mountinfo | sort -u)
  if touch ./.run-readonly-probe 2>/dev/null || touch /.run-readonly-probe 2>/dev/null; then
    echo "run-readonly: could not make the root filesystem read-only" >&2
    exit 1
  fi
  exec setpriv --reuid="${ids%%:*}" --regid="${ids##*:}" --clear-groups --no-new-privs \
    --inh-caps=-all --bounding-set=-all -- "$@"
fi

if [ "$#" -lt 5 ]; then
  usage
fi
ids="$1" workdir="$2" host_tmp="$3"
shift 3
[[ "$ids" =~ ^[0-9]+:[0-9]+$ ]] || { echo "run-readonly: <uid:gid> must be numeric (got '$ids')" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
  echo "run-readonly: needs root (mount namespaces and bind mounts); run it as root." >&2
  exit 1
fi
for tool in unshare setpriv mount mountpoint awk; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-readonly: $tool is missing (Debian: apt-get install util-linux mount gawk)." >&2
    exit 1
  fi
done
absolute() { (cd "$1" && pwd); }
for dir in "$workdir" "$host_tmp"; do
  [ -d "$dir" ] || { echo "run-readonly: $dir is not a directory" >&2; exit 2; }
done
volumes=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  IFS=: read -r host path mode <<<"$1"
  shift
  if [ ! -d "$host" ] || [[ "$path" != /* ]] || [[ -n "$mode" && "$mode" != "ro" ]]; then
    echo "run-readonly: bad volume '$host:$path${mode:+:$mode}' (an existing directory, an absolute path, optional :ro)" >&2
    exit 2
  fi
  [ "$mode" = "ro" ] || chown "$ids" "$host"
  volumes+=("$(absolute "$host"):$path${mode:+:$mode}")
done
if [ "${1:-}" != "--" ] || [ "$#" -lt 2 ]; then
  usage
fi
chmod 1777 "$host_tmp"
exec unshare --mount --propagation private -- "$0" --inside "$ids" "$(absolute "$workdir")" \
  "$(absolute "$host_tmp")" "${volumes[@]}" "$@"
