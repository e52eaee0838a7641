#!/usr/bin/env bash
# Installs the Debian 12 packages Lockstep needs to build, test and run, but only those missing.
# Idempotent and quiet when everything is present. Works as root or through sudo.
# `--with GROUP` also installs the list's lines tagged `@GROUP` (e.g. `--with fuzz` for make fuzz).
set -euo pipefail

# One list, read by this script and by the set-up check (tests/setup/check_setup.py).
LIST="$(dirname "$0")/packages.txt"
GROUPS_WANTED=()
while [ $# -gt 0 ]; do
  case "$1" in
    --with) [ $# -ge 2 ] || { echo "install-deps: --with needs a group name" >&2; exit 2; }
            GROUPS_WANTED+=("$2"); shift 2 ;;
    *) echo "install-deps: unknown argument '$1' (allowed: --with GROUP)" >&2; exit 2 ;;
  esac
done
PACKAGES=()
while read -r name tag _; do
  [ -n "$name" ] || continue
  if [ -n "$tag" ]; then
    want=no
    for g in "${GROUPS_WANTED[@]}"; do [ "$tag" = "@$g" ] && want=yes; done
    [ $want = yes ] || continue
  fi
  PACKAGES+=("$name")
done < <(sed -e 's/#.*//' "$LIST")

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
