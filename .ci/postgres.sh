#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the InProc.PostgreSql tests.
#
#   .ci/postgres.sh start   initdb's a cluster into a new temp dir, starts it with pg_ctl on a free 127.0.0.1 port
#                           (trust auth, listening on 127.0.0.1 only), and prints the line to eval:
#                             export INPROC_POSTGRES_CONNECTION='Host=127.0.0.1;Port=...;Username=postgres;Database=postgres'
#   .ci/postgres.sh stop    stops the cluster the last start made and deletes its directory.
#   .ci/postgres.sh down    stops the server (fast: clients are disconnected) and keeps its directory, for `up`.
#   .ci/postgres.sh up      starts the server `down` stopped, on the same port and data.
#
# INPROC_PG_STATE names the state file (default artifacts/postgres.state): a test that restarts its own server
# (tests/InProc.PostgreSql.Tests/Support/PrivateCluster.cs) keeps one of its own, apart from the shared cluster.
#
# Locally:  eval "$(.ci/postgres.sh start)"; dotnet test tests/InProc.PostgreSql.Tests -c Release; .ci/postgres.sh stop
# initdb refuses to run as root: as root, the cluster runs as the `postgres` system user (created when missing).
# The binaries come from /usr/lib/postgresql/15/bin (override with PG_BIN); when missing, as root, apt installs postgresql-15.
# The state (directory, port) of the running cluster is kept in artifacts/postgres.state for `stop`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state=${INPROC_PG_STATE:-$root/artifacts/postgres.state}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  if [ -f "$state" ]; then
    stop >/dev/null 2>&1 || true
  fi
  if [ ! -x "$pg_bin/initdb" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "postgres: $pg_bin/initdb is missing; installing postgresql-15 with apt" >&2
      (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq postgresql-15) >&2
    else
      echo "postgres: $pg_bin/initdb is missing: install PostgreSQL 15 (apt-get install postgresql-15) or set PG_BIN" >&2
      exit 1
    fi
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi

  local dir port
  dir=$(mktemp -d "${TMPDIR:-/tmp}/inproc-postgres.XXXXXX")
  chmod 755 "$dir"
  mkdir "$dir/data"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir/data"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

  as_owner "$pg_bin/initdb" -D "$dir/data" --auth=trust --username=postgres --encoding=UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/data'
max_connections = 200
EOF
  # Trust on 127.0.0.1 only (and the cluster's own socket): nothing else may connect.
  cat >"$dir/data/pg_hba.conf" <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 30 start >&2 \
    || { cat "$dir/data/server.log" >&2; exit 1; }

  mkdir -p "$(dirname "$state")"
  printf 'dir=%s\nport=%s\n' "$dir" "$port" >"$state"
  echo "export INPROC_POSTGRES_CONNECTION='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
}

stop() {
  [ -f "$state" ] || { echo "postgres: no cluster to stop ($state is missing)" >&2; return 0; }
  local dir
  dir=$(sed -n 's/^dir=//p' "$state")
  if [ -n "$dir" ] && [ -d "$dir/data" ]; then
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
  fi
  case "$dir" in
    */inproc-postgres.*) rm -rf "$dir" ;;
  esac
  rm -f "$state"
}

data_dir() {
  [ -f "$state" ] || { echo "postgres: no cluster ($state is missing): run start first" >&2; exit 1; }
  echo "$(sed -n 's/^dir=//p' "$state")/data"
}

down() {
  local data
  data=$(data_dir)
  as_owner "$pg_bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >&2
}

up() {
  local data
  data=$(data_dir)
  as_owner "$pg_bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 start >&2 \
    || { cat "$data/server.log" >&2; exit 1; }
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  down) down ;;
  up) up ;;
  *) echo "usage: .ci/postgres.sh start|stop|down|up" >&2; exit 2 ;;
esac
