#!/usr/bin/env bash
# Runs a command the way the container image runs it, without a container engine: in a private
# mount namespace where every filesystem is read-only except a fresh /tmp and the image's data
# volume, as the image's unprivileged numeric user, from the image's working directory. Used by
# ContainerImageIT to start the extracted application (and its health check) under the same
# constraints as `docker run --read-only --tmpfs /tmp -v data:/var/lib/healthcare-backend`.
# Mounts made here are private to the command: the rest of the machine sees none of them.
# Needs root (mount namespaces, bind mounts) and util-linux (unshare, setpriv, mount).
# Usage: deploy/container/run-readonly.sh <uid:gid> <workdir> <host-tmp-dir> <host-volume-dir>:<volume-path> -- <command> [args...]
#   <host-tmp-dir>   becomes /tmp (made world-writable and sticky, like a tmpfs /tmp)
#   <host-volume-dir> is bound read-write at <volume-path> and owned by <uid:gid>
# Env: passed through unchanged to <command>.
set -euo pipefail

usage() {
  echo "usage: $0 <uid:gid> <workdir> <host-tmp-dir> <host-volume-dir>:<volume-path> -- <command> [args...]" >&2
  exit 2
}

if [ "${1:-}" = "--inside" ]; then
  # Second half, already in the private mount namespace.
  shift
  ids="$1" workdir="$2" host_tmp="$3" host_volume="$4" volume="$5"
  shift 5
  # The volume's mount point may not exist on this machine: a tmpfs over its parent provides one
  # (hiding the parent's other contents from the command only).
  if [ ! -d "$volume" ]; then
    mount -t tmpfs -o mode=0755,size=1m tmpfs "$(dirname "$volume")"
    mkdir "$volume"
  fi
  mount --bind "$host_volume" "$volume"
  # Enter the working directory before /tmp is replaced: the host paths may lie under /tmp.
  cd "$workdir"
  mount --bind "$host_tmp" /tmp
  # Every other mount becomes read-only (pseudo filesystems excepted, as in a container).
  while read -r mount_point; do
    case "$mount_point" in
      /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/tmp|"$volume") continue ;;
    esac
    mount -o remount,bind,ro "$mount_point" 2>/dev/null || true
  done < <(awk '{print $5}' /proc/self/mountinfo | sort -u)
  if touch ./.run-readonly-probe 2>/dev/null || touch /.run-readonly-probe 2>/dev/null; then
    echo "run-readonly: could not make the root filesystem read-only" >&2
    exit 1
  fi
  exec setpriv --reuid="${ids%%:*}" --regid="${ids##*:}" --clear-groups --no-new-privs \
    --inh-caps=-all --bounding-set=-all -- "$@"
fi

if [ "$#" -lt 6 ] || [ "$5" != "--" ]; then
  usage
fi
ids="$1" workdir="$2" host_tmp="$3" volume_spec="$4"
shift 5
[[ "$ids" =~ ^[0-9]+:[0-9]+$ ]] || { echo "run-readonly: <uid:gid> must be numeric (got '$ids')" >&2; exit 2; }
[[ "$volume_spec" == *:/* ]] || usage
host_volume="${volume_spec%%:*}" volume="${volume_spec#*:}"
for dir in "$workdir" "$host_tmp" "$host_volume"; do
  [ -d "$dir" ] || { echo "run-readonly: $dir is not a directory" >&2; exit 2; }
done
if [ "$(id -u)" -ne 0 ]; then
  echo "run-readonly: needs root (mount namespaces and bind mounts); run it as root." >&2
  exit 1
fi
for tool in unshare setpriv mount awk; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-readonly: $tool is missing (Debian: apt-get install util-linux mount gawk)." >&2
    exit 1
  fi
done
chmod 1777 "$host_tmp"
chown "$ids" "$host_volume"
exec unshare --mount --propagation private -- "$0" --inside "$ids" "$(cd "$workdir" && pwd)" \
  "$(cd "$host_tmp" && pwd)" "$(cd "$host_volume" && pwd)" "$volume" "$@"
