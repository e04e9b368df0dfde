#!/usr/bin/env bash
# Installs hyperd into a cache folder, idempotently, and prints its path.
#
# hyperd ships inside the tableauhyperapi wheel on PyPI (tableauhyperapi/bin/hyper/hyperd).
# The folder is ${TABLEAU_GO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tableau-go}/hyperd, the
# same one internal/hyperdpath and the hyper package look in.
#
# Usage: scripts/install-hyperd.sh [--quiet]
set -euo pipefail

version="${TABLEAUHYPERAPI_VERSION:-0.0.26963}"
cache="${TABLEAU_GO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tableau-go}"
dest="$cache/hyperd"
bin="$dest/hyperd"
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

log() { [ "$quiet" = 1 ] || echo "install-hyperd: $*" >&2; }

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  log "already installed: $("$bin" --version 2>&1 | head -1)"
  echo "$bin"
  exit 0
fi

python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "install-hyperd: python3 is needed to download the wheel" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log "downloading tableauhyperapi==$version from PyPI"
"$python" -m pip download --quiet --no-deps --only-binary=:all: \
  --platform manylinux2014_x86_64 -d "$tmp" "tableauhyperapi==$version" >&2

wheel=$(ls "$tmp"/tableauhyperapi-*.whl | head -1)
mkdir -p "$dest"
"$python" - "$wheel" "$dest" <<'PY'
import os, shutil, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    member = "tableauhyperapi/bin/hyper/hyperd"
    tmp = os.path.join(dest, "hyperd.partial")
    with z.open(member) as src, open(tmp, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)
    os.chmod(tmp, 0o755)
    os.replace(tmp, os.path.join(dest, "hyperd"))
PY

if ! "$bin" --version >/dev/null 2>&1; then
  echo "install-hyperd: $bin does not run" >&2
  exit 1
fi
log "installed: $("$bin" --version 2>&1 | head -1)"
echo "$bin"
