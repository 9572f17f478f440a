#!/usr/bin/env bash
# The full benchmark (BENCHMARKS.md): release build, SQLite and a throwaway PostgreSQL 15, then the peers, Request
# Tracker 5 and django-helpdesk. Run as root from the repository root (PostgreSQL, RT and django-helpdesk are started
# as their own users by their scripts).
#
#   bash Benchmarks/run.sh                      sizes 10000,100000,1000000, SQLite + PostgreSQL + both peers
#   SIZES=10000,100000 bash Benchmarks/run.sh   smaller
#   PEERS=django-helpdesk bash Benchmarks/run.sh   one peer
#   NO_POSTGRES=1 NO_PEERS=1 bash Benchmarks/run.sh   (NO_RT=1 is the older spelling of NO_PEERS=1)
#   bash Benchmarks/run.sh --quick              the CI check (also what scripts/test.sh runs, in debug)
#
# Extra arguments go to `closeloop-bench run`.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-10000,100000,1000000}
PG_DIR=${PG_DIR:-$PWD/Benchmarks/results/work/postgres}
PG_PORT=${PG_PORT:-55490}
PG_BIN=/usr/lib/postgresql/15/bin
# Closeloop's cluster settings, not the peers': RT's setup.sh reads PG_PORT as its own cluster's port.
export -n PG_PORT PG_DIR

# SwiftPM builds only the last --product given, so one build per product.
swift build -c release --product closeloop
swift build -c release --product closeloop-bench

arguments=(--sizes "$SIZES")
if [[ -z "${NO_POSTGRES:-}" ]]; then
    # The test-cluster script installs PostgreSQL 15 and creates the cluster; it starts it with fsync off for tests,
    # so restart it with PostgreSQL's durable defaults: SQLite runs with synchronous=FULL, a fair match is fsync on.
    bash scripts/postgres-test-cluster.sh start "$PG_DIR" "$PG_PORT"
    runuser -u postgres -- "$PG_BIN/pg_ctl" restart -D "$PG_DIR" -l "$PG_DIR/server.log" -s -w -t 60 -m fast \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=200" >/dev/null
    arguments+=(--postgres "postgres://postgres@127.0.0.1:$PG_PORT/closeloop_test?sslmode=disable")
fi
if [[ -z "${NO_PEERS:-}${NO_RT:-}" ]]; then
    arguments+=(--peer "${PEERS:-rt,django-helpdesk}")
fi

status=0
.build/release/closeloop-bench run "${arguments[@]}" "$@" || status=$?

if [[ -z "${NO_POSTGRES:-}" && -z "${KEEP_POSTGRES:-}" ]]; then
    bash scripts/postgres-test-cluster.sh stop "$PG_DIR"
fi
exit $status
