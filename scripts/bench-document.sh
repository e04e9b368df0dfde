#!/usr/bin/env bash
# Benchmark: open a large workbook (two shapes of 21-22 MB, 420 connections
# each), repoint every connection and save it; tableau-go's document package against
# tableaudocumentapi, whole processes, in the same run, alternating.
# Reports wall time, CPU time and peak RSS of each (GNU time).
#
#   scripts/bench-document.sh [RUNS]      (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
py="${TABLEAU_GO_VENV:-.venv}/bin/python"
[ -x "$py" ] || { echo "no peers' virtualenv at $py (run scripts/setup-python.sh)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/docbench" ./document/internal/docbench/cmd/docbench

measure() { # label cmd...
  local label="$1"; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >/dev/null
  echo "$label $(cat "$work/t")" >>"$work/results"
}

for shape in wide lean; do
  "$work/docbench" gen "$work/$shape.twb" "$shape"
  size=$(stat -c %s "$work/$shape.twb")
  echo
  echo "## shape $shape: $size bytes, $(grep -c "<connection authentication" "$work/$shape.twb") connections"
  : >"$work/results"
  "$work/docbench" repoint "$work/$shape.twb" "$work/warm.twb" >/dev/null   # warm the page cache
  for _ in $(seq "$runs"); do
    measure go "$work/docbench" repoint "$work/$shape.twb" "$work/out-go.twb"
    measure python "$py" scripts/bench-document-peer.py "$work/$shape.twb" "$work/out-py.twb"
  done
  # Both outputs carry the change.
  grep -q "server=.prod-db.example.com." "$work/out-go.twb"
  grep -q "server=.prod-db.example.com." "$work/out-py.twb"
  "$py" - "$work/results" "$runs" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
res = {}
for label, wall, rss, user, sys_ in rows:
    res.setdefault(label, []).append((float(wall), int(rss), float(user) + float(sys_)))
print("runs per tool: %s" % sys.argv[2])
print()
print("| tool | median wall (s) | min wall (s) | median CPU user+sys (s) | median peak RSS (MB) |")
print("|---|---|---|---|---|")
for label in ("go", "python"):
    walls = [r[0] for r in res[label]]
    rss = [r[1] for r in res[label]]
    cpu = [r[2] for r in res[label]]
    print("| %s | %.3f | %.3f | %.3f | %.0f |" % (label, statistics.median(walls), min(walls), statistics.median(cpu), statistics.median(rss) / 1024))
med = lambda label, i: statistics.median([r[i] for r in res[label]])
print()
print("speed-up, python / go: median wall %.1fx, min wall %.1fx, median CPU %.1fx" % (
    med("python", 0) / med("go", 0),
    min(r[0] for r in res["python"]) / min(r[0] for r in res["go"]),
    med("python", 2) / max(med("go", 2), 0.001)))
PY
done
