#!/usr/bin/env bash
# Benchmark the hyper package against its peers, in one run, on one machine.
#
#   scripts/bench-hyper.sh [ROWS]        (default 10000000)
#
# Go side: the package's own benchmarks (hyper/bench_test.go) run with
# -benchtime ROWSx, each in its own process; each reports its own peak RSS
# (VmHWM, MB-peak-rss) and Go runtime memory (MB-sys); hyperd runs in a
# separate process and is not counted; the insert benchmarks also report
# the CPU time of the client and of hyperd per row. Limit: hyperd's own
# COPY ... FROM 'file' WITH (FORMAT HYPERBINARY) of the same rows.
# Python side: scripts/bench-hyper-peers.py, one case per process
# (tableauhyperapi's Inserter and reader, pantab's frame_to_hyper and
# frame_from_hyper), from the peers' virtualenv.
# Results go to stdout, one line per case; docs/benchmarks/hyper.md records them.
# Ours against the limit alone, in alternating rounds: scripts/bench-hyper-rounds.sh.
set -euo pipefail
ROWS=${1:-10000000}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py=${TABLEAU_GO_VENV:-$root/.venv}/bin/python
export HYPERD_PATH=${HYPERD_PATH:-$(scripts/install-hyperd.sh --quiet)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "# $(date -u +%FT%TZ) rows=$ROWS cpus=$(nproc) mem=$(free -g | awk '/Mem:/{print $2}')GiB $("$HYPERD_PATH" --version | head -1)"
echo "# load: $(uptime)"
echo "# go: name ns/op [MB-peak-rss MB-sys] rows/s B/op allocs/op"
go test -c -o "$work/hyper.test" ./hyper
for b in InsertMeasurements CopyFileLimitMeasurements EndToEndMeasurements InsertWide CopyFileLimitWide EndToEndWide \
         QueryMeasurements QueryArrowMeasurements QueryWide QueryWideSQLNull QueryArrowWide; do
	echo "# load before $b: $(cut -d' ' -f1-3 /proc/loadavg)"
	"$work/hyper.test" -test.run '^$' -test.bench "^Benchmark$b\$" -test.benchtime "${ROWS}x" \
		-test.benchmem | grep '^Benchmark'
done
echo "# python: case rows seconds rows/s peak_RSS_MB"
for c in hyperapi-insert-measurements pantab-insert-measurements hyperapi-insert-wide pantab-insert-wide \
         hyperapi-read-measurements pantab-read-measurements hyperapi-read-wide pantab-read-wide; do
	"$py" scripts/bench-hyper-peers.py "$c" "$ROWS" "$work"
	rm -f "$work"/*.hyper
done
