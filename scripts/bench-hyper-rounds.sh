#!/usr/bin/env bash
# Our insert against its limit (hyperd's own COPY FROM a local file), in
# alternating rounds, so that both see the same machine load.
#
#   scripts/bench-hyper-rounds.sh [ROWS] [ROUNDS]     (default 10000000 3)
#
# Each case runs in its own process (its own hyperd, a fresh database);
# the load average is printed before each. Run it under the benchmark lock
# on a shared machine: flock -x /tmp/bench.lock scripts/bench-hyper-rounds.sh
set -euo pipefail
ROWS=${1:-10000000}
ROUNDS=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export HYPERD_PATH=${HYPERD_PATH:-$(scripts/install-hyperd.sh --quiet)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# $(date -u +%FT%TZ) rows=$ROWS rounds=$ROUNDS cpus=$(nproc) $("$HYPERD_PATH" --version | head -1)"
go test -c -o "$work/hyper.test" ./hyper
for r in $(seq "$ROUNDS"); do
	for b in InsertMeasurements CopyFileLimitMeasurements InsertWide CopyFileLimitWide; do
		echo "# round $r, load before $b: $(cut -d' ' -f1-3 /proc/loadavg)"
		"$work/hyper.test" -test.run '^$' -test.bench "^Benchmark$b\$" -test.benchtime "${ROWS}x" \
			-test.benchmem | grep '^Benchmark'
	done
done
