#!/usr/bin/env bash
# End-to-end story, run by hand (not in CI): a web app with two endpoints doing the same ~200 ms of awaited work,
#   /inline   awaits it inside the request,
#   /enqueue  enqueues it as an InProc job and returns 202,
# and a reference endpoint /empty that returns 202 doing nothing,
# loaded one after the other from a second process (the C# load client in InProc.Benchmarks) on 127.0.0.1 only,
# bounded in time and in request count. Prints p50/p99 response time and requests/s per endpoint, then waits until
# the app's /stats shows that every enqueued job ran (none failed, none abandoned).
#
#   bash bench/run-e2e.sh [duration=30s] [concurrency=64] [workers=1000]
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-30s}
CONCURRENCY=${2:-64}
WORKERS=${3:-1000}
PORT=${PORT:-5090}
URL="http://127.0.0.1:${PORT}"
APP_LOG=$(mktemp -t inproc-e2e-app.XXXXXX.log)

dotnet build bench/InProc.Benchmarks -c Release -nologo -v q
dotnet build bench/InProc.Benchmarks.E2E -c Release -nologo -v q

dotnet bench/InProc.Benchmarks.E2E/bin/Release/net10.0/InProc.Benchmarks.E2E.dll \
  --urls "$URL" --Workers "$WORKERS" --Capacity 100000 >"$APP_LOG" 2>&1 &
APP_PID=$!
# SIGTERM: the host stops gracefully, and InProc drains its queue.
trap 'kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 150); do
  if (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; then break; fi
  sleep 0.2
done

LOAD=(dotnet bench/InProc.Benchmarks/bin/Release/net10.0/InProc.Benchmarks.dll)
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${WORKERS} InProc workers, closed loop of ${CONCURRENCY} requests in flight, ${DURATION} per endpoint"
echo
echo "| endpoint | in flight | seconds | requests | errors | requests/s | p50 ms | p99 ms | max ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
"${LOAD[@]}" e2e-load "$URL" /empty "$DURATION" --concurrency "$CONCURRENCY" --max-requests 200000 --post
"${LOAD[@]}" e2e-load "$URL" /inline "$DURATION" --concurrency "$CONCURRENCY" --max-requests 200000
"${LOAD[@]}" e2e-load "$URL" /enqueue "$DURATION" --concurrency "$CONCURRENCY" --max-requests 200000 --post
echo
"${LOAD[@]}" e2e-stats "$URL" --timeout-seconds 120
