#!/usr/bin/env bash
# End-to-end story, run by hand (not in CI): a web app with two endpoints doing the same ~200 ms of awaited work,
#   /inline   awaits it inside the request,
#   /enqueue  enqueues it as an InProc job and returns 202,
# and a reference endpoint /empty that returns 202 doing nothing,
# loaded from a second process (the C# load client in InProc.Benchmarks) on 127.0.0.1 only, bounded in time and in
# request count. Two parts, each against a freshly started app:
#   1. closed loop: CONCURRENCY requests in flight, one endpoint after the other, DURATION each (or 200,000 requests);
#      prints p50/p99 and requests/s per endpoint, then waits until /stats shows that every enqueued job ran.
#   2. paced (open loop, issue 8): PACED_RATE requests/s, well below saturation, for PACED_SECONDS per endpoint and
#      round, /empty and /enqueue alternating against one app with PACED_WORKERS (10,000) workers; prints both
#      endpoints' p50/p99 and the difference (target: /enqueue p50 within 0.5 ms of /empty's), then the drain check.
#
#   bash bench/run-e2e.sh [duration=30s] [concurrency=64] [workers=1000]
#   env: PARTS=closed,paced  PACED_RATE=2000  PACED_SECONDS=10  PACED_ROUNDS=2  PACED_WORKERS=10000  PORT=5090
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-30s}
CONCURRENCY=${2:-64}
WORKERS=${3:-1000}
PARTS=${PARTS:-closed,paced}
PACED_RATE=${PACED_RATE:-2000}
PACED_SECONDS=${PACED_SECONDS:-10}
PACED_ROUNDS=${PACED_ROUNDS:-2}
PACED_WORKERS=${PACED_WORKERS:-10000}
PORT=${PORT:-5090}
URL="http://127.0.0.1:${PORT}"
APP_LOG=$(mktemp -t inproc-e2e-app.XXXXXX.log)
APP_PID=

dotnet build bench/InProc.Benchmarks -c Release -nologo -v q
dotnet build bench/InProc.Benchmarks.E2E -c Release -nologo -v q

start_app() { # $1 = workers
  dotnet bench/InProc.Benchmarks.E2E/bin/Release/net10.0/InProc.Benchmarks.E2E.dll \
    --urls "$URL" --Workers "$1" --Capacity 100000 >>"$APP_LOG" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "the app did not start; log: $APP_LOG" >&2
  return 1
}

stop_app() { # SIGTERM: the host stops gracefully, and InProc drains its queue.
  if [ -n "$APP_PID" ]; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=
  fi
}
trap stop_app EXIT

LOAD=(dotnet bench/InProc.Benchmarks/bin/Release/net10.0/InProc.Benchmarks.dll)

if [[ ",$PARTS," == *",closed,"* ]]; then
  start_app "$WORKERS"
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
  stop_app
fi

if [[ ",$PARTS," == *",paced,"* ]]; then
  start_app "$PACED_WORKERS"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${PACED_WORKERS} InProc workers, paced ${PACED_RATE} requests/s, ${PACED_SECONDS}s per endpoint and round, ${PACED_ROUNDS} round(s)"
  echo
  "${LOAD[@]}" e2e-paced "$URL" "${PACED_SECONDS}s" --rate "$PACED_RATE" --rounds "$PACED_ROUNDS" --paths /empty,/enqueue --post
  echo
  "${LOAD[@]}" e2e-stats "$URL" --timeout-seconds 120
  stop_app
fi
