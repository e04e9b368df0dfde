#!/usr/bin/env bash
# Our insert against Tableau's Rust client (hyperdb-api from crates.io), in
# alternating rounds, so that both see the same machine load.
#
#   scripts/bench-hyper-rust.sh [ROWS] [ROUNDS]     (default 10000000 3)
#
# Builds scripts/bench-hyper-rust (needs cargo and protoc: apt-get install
# protobuf-compiler) and the Go benchmarks, then runs, per round and table,
# BenchmarkInsert{Measurements,Wide} and the Rust program, each in its own
# process with its own hyperd. Run it under the benchmark lock on a shared
# machine: flock -x /tmp/bench.lock scripts/bench-hyper-rust.sh
set -euo pipefail
ROWS=${1:-10000000}
ROUNDS=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export HYPERD_PATH=${HYPERD_PATH:-$(scripts/install-hyperd.sh --quiet)}
command -v protoc >/dev/null || { echo "bench-hyper-rust: protoc is missing (apt-get install -y protobuf-compiler)" >&2; exit 1; }
(cd scripts/bench-hyper-rust && cargo build --release --locked -q)
rust=scripts/bench-hyper-rust/target/release/bench-hyper-rust
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/hyper.test" ./hyper
echo "# $(date -u +%FT%TZ) rows=$ROWS rounds=$ROUNDS cpus=$(nproc) $("$HYPERD_PATH" --version | head -1)"
for r in $(seq "$ROUNDS"); do
	for t in Measurements Wide; do
		echo "# round $r, $t, load: $(cut -d' ' -f1-3 /proc/loadavg)"
		(cd "$work" && ./hyper.test -test.run '^$' -test.bench "^BenchmarkInsert$t\$" -test.benchtime "${ROWS}x" | grep '^Benchmark')
		"$rust" "$(echo "$t" | tr 'A-Z' 'a-z')" "$ROWS"
	done
done
