#!/usr/bin/env bash
# Requests per second of POST /query and POST /evaluate (a tabpy.query
# script) with two 1,000-value arguments: tableau-go's analytics server
# against TabPy serving the equivalent deployed Python function, both on
# 127.0.0.1, measured by the same Go load generator in the same run, one
# server at a time. The measurements alternate between the two servers in
# ROUNDS short windows, so that changes in the machine's other load during
# the run affect both alike; the summary adds the rounds up.
#
# The load generator's HTTP client is the same for both servers: CLIENT=raw
# (the default) writes pre-built request bytes to a keep-alive TCP
# connection and reads each answer by its Content-Length (or chunked);
# CLIENT=http is net/http's client, the generator used before 2026-12-04,
# which spends about as much CPU per request as our server at one
# connection.
#
#   scripts/bench-analytics.sh            # 5 rounds of 4 s per server and call, 8 connections
#   ROUNDS=10 DUR=3s CONNS=1 scripts/bench-analytics.sh
#   AUTH=1 scripts/bench-analytics.sh     # both servers require Basic authentication
#   CLIENT=http scripts/bench-analytics.sh # the previous generator (net/http's client)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${TABLEAU_GO_VENV:-$ROOT/.venv}
PY=$VENV/bin/python
DUR=${DUR:-4s}
ROUNDS=${ROUNDS:-5}
AUTH=${AUTH:-0}
CONNS=${CONNS:-8}
CLIENT=${CLIENT:-raw}
ROWS=${ROWS:-1000}
TABPY_PORT=${TABPY_PORT:-19004}
GO_PORT=${GO_PORT:-19005}

[ -x "$PY" ] || { echo "no peers' virtualenv at $VENV (run scripts/setup-python.sh)" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "--- last lines of the TabPy log:" >&2; tail -5 "$WORK/tabpy.log" >&2' ERR

wait_for() { # url
	for _ in $(seq 1 150); do
		# Any HTTP answer will do (401 with authentication on).
		if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ]; then return 0; fi
		sleep 0.2
	done
	echo "server at $1 did not start" >&2
	return 1
}

cd "$ROOT"
go build -o "$WORK/bench-analytics" ./scripts/bench-analytics

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "# $(go version); tabpy $("$PY" -c "import importlib.metadata as m; print(m.version('tabpy'))"), $("$PY" --version)"
echo "# rows per argument: $ROWS, connections: $CONNS, load generator client: $CLIENT, $ROUNDS rounds of $DUR per server and call; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

AUTH_CONF=""
GO_AUTH=()
LOAD_AUTH=()
if [ "$AUTH" = 1 ]; then
	# A password file written by TabPy's own tabpy-user; both servers read it.
	export BENCH_PASSWORD="bench-$RANDOM-$RANDOM"
	"$PY" -c 'import sys; from tabpy.utils.tabpy_user import main; sys.argv = sys.argv[1:]; sys.exit(main())' \
		tabpy-user add -u bench -p "$BENCH_PASSWORD" -f "$WORK/passwd.txt" >/dev/null 2>&1 # it prints the password
	AUTH_CONF="TABPY_PWD_FILE = $WORK/passwd.txt"
	GO_AUTH=(-password-file "$WORK/passwd.txt")
	LOAD_AUTH=(-user bench)
	echo "# Basic authentication on both servers"
fi

# TabPy with its default settings (no auth, evaluate enabled), loopback
# only, logging at WARNING: its out-of-the-box DEBUG logging writes every
# argument list to the log, which would slow it down further.
mkdir -p "$WORK/tabpy/state" "$WORK/tabpy/query_objects"
cat > "$WORK/tabpy/tabpy.conf" <<CONF
[TabPy]
TABPY_PORT = $TABPY_PORT
TABPY_STATE_PATH = $WORK/tabpy/state
TABPY_QUERY_OBJECT_PATH = $WORK/tabpy/query_objects
$AUTH_CONF

[loggers]
keys=root

[handlers]
keys=rootHandler

[formatters]
keys=rootFormatter

[logger_root]
level=WARNING
handlers=rootHandler

[handler_rootHandler]
class=StreamHandler
level=WARNING
formatter=rootFormatter
args=(sys.stderr,)

[formatter_rootFormatter]
format=%(asctime)s [%(levelname)s] %(message)s
CONF
"$PY" scripts/bench-analytics/tabpy_loopback.py --config "$WORK/tabpy/tabpy.conf" --disable-auth-warning \
	>"$WORK/tabpy.log" 2>&1 &
TABPY_PID=$!
PIDS+=($TABPY_PID)
wait_for "http://127.0.0.1:$TABPY_PORT/info"
"$PY" scripts/bench-analytics/deploy_tabpy.py "http://127.0.0.1:$TABPY_PORT/" "${LOAD_AUTH[1]:-}" >/dev/null

"$WORK/bench-analytics" serve -addr "127.0.0.1:$GO_PORT" "${GO_AUTH[@]}" >"$WORK/go.log" 2>&1 &
GO_PID=$!
PIDS+=($GO_PID)
wait_for "http://127.0.0.1:$GO_PORT/info"

for round in $(seq 1 "$ROUNDS"); do
	for path in query evaluate; do
		"$WORK/bench-analytics" load -label tabpy -pid "$TABPY_PID" -url "http://127.0.0.1:$TABPY_PORT" -path "$path" -rows "$ROWS" -c "$CONNS" -d "$DUR" -client "$CLIENT" "${LOAD_AUTH[@]}"
		"$WORK/bench-analytics" load -label tableau-go -pid "$GO_PID" -url "http://127.0.0.1:$GO_PORT" -path "$path" -rows "$ROWS" -c "$CONNS" -d "$DUR" -client "$CLIENT" "${LOAD_AUTH[@]}"
	done
done | tee "$WORK/rounds.txt"

echo "# summary over $ROUNDS rounds (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
awk '
	{
		key = $1 " " $2
		for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		req[key] += f["requests"]; sec[key] += f["seconds"]; cpu[key] += f["server_cpu_ms"]; lcpu[key] += f["load_cpu_ms"]
		if (!(key in seen)) { seen[key] = 1; order[++n] = key }
	}
	END {
		for (i = 1; i <= n; i++) {
			k = order[i]
			rate[k] = req[k] / sec[k]
			printf "%-22s requests=%d req/s=%.1f server_cpu/req=%.3fms load_cpu/req=%.3fms\n", k, req[k], rate[k], cpu[k] / req[k], lcpu[k] / req[k]
		}
		for (p = 1; p <= 2; p++) {
			path = (p == 1) ? "query" : "evaluate"
			t = "tabpy " path; g = "tableau-go " path
			if ((t in rate) && (g in rate))
				printf "ratio %-9s req/s %.1fx, server CPU per request %.1fx\n", path, rate[g] / rate[t], (cpu[t] / req[t]) / (cpu[g] / req[g])
		}
	}' "$WORK/rounds.txt"
