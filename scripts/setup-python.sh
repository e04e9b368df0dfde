#!/usr/bin/env bash
# Creates .venv at the repository root with the Python peers used by the
# interoperability tests and the comparison benchmarks, idempotently, and
# prints the path of its python.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="${TABLEAU_GO_VENV:-$root/.venv}"
req="$root/scripts/requirements-peers.txt"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "$venv/bin/python"
  exit 0
fi
python=${PYTHON:-python3}
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --upgrade pip >&2
"$venv/bin/python" -m pip install --quiet -r "$req" >&2
echo "$want" > "$stamp"
echo "$venv/bin/python"
