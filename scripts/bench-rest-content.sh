#!/usr/bin/env bash
# Benchmarks of the rest content services against an emulator running in
# its own process (scripts/bench-rest-content), with tableauserverclient's
# Pager listing the same emulator in the same run. Results go to stdout;
# docs/benchmarks/rest-content.md records them.
#
#   scripts/bench-rest-content.sh            # listing at 0 and 50 ms, 1 GiB publish
#   RUNS=5 PUBLISH_BYTES=268435456 scripts/bench-rest-content.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
WORKBOOKS=${WORKBOOKS:-20000}
PUBLISH_BYTES=${PUBLISH_BYTES:-1073741824}
PY=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/emu" ./scripts/bench-rest-content
go test -c -o "$tmp/rest.test" ./rest/

# start_emu ARGS...: starts the emulator, sets URL NAME SECRET and EMU_PID.
start_emu() {
	mkfifo "$tmp/in" "$tmp/out"
	"$tmp/emu" "$@" <"$tmp/in" >"$tmp/out" &
	EMU_PID=$!
	exec 7>"$tmp/in" 8<"$tmp/out"
	read -r URL NAME SECRET <&8
	export BENCH_TABLEAU_URL=$URL BENCH_TABLEAU_PAT_NAME=$NAME BENCH_TABLEAU_PAT_SECRET=$SECRET
}
stop_emu() {
	exec 7>&- 8<&-
	wait "$EMU_PID" || true
	rm -f "$tmp/in" "$tmp/out"
}

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# go: $(go version | cut -d' ' -f3); tableauserverclient: $("$PY" -c 'import importlib.metadata as m; print(m.version("tableauserverclient"))' 2>/dev/null || echo missing)"
for latency in 0s 50ms; do
	start_emu -workbooks "$WORKBOOKS" -latency "$latency"
	echo "## list $WORKBOOKS workbooks, pages of 100, emulator latency $latency"
	"$tmp/rest.test" -test.run '^$' -test.bench 'BenchmarkListWorkbooks' -test.benchtime "${RUNS}x" -test.benchmem | grep -E '^Benchmark'
	for i in $(seq "$RUNS"); do
		echo "TSC Pager run $i: $("$PY" scripts/bench-rest-content/tsc_pager.py "$URL" "$NAME" "$SECRET") (items wall_s cpu_s)"
	done
	stop_emu
done
start_emu -workbooks 0
echo "## publish $PUBLISH_BYTES bytes in 5 MB chunks"
BENCH_PUBLISH_BYTES=$PUBLISH_BYTES "$tmp/rest.test" -test.run '^$' -test.bench 'BenchmarkPublishChunked' -test.benchtime 1x | grep -E '^Benchmark'
stop_emu
