#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the store tests; prints nothing but errors.
#
#   scripts/postgres-test-cluster.sh start DIR PORT   install PostgreSQL 15 if missing, create the cluster in DIR,
#                                                     listen on 127.0.0.1:PORT, create database closeloop_test
#   scripts/postgres-test-cluster.sh replica DIR PORT PRIMARY_PORT
#                                                     a streaming replica of the cluster on PRIMARY_PORT (pg_basebackup),
#                                                     in DIR, read-only on 127.0.0.1:PORT
#   scripts/postgres-test-cluster.sh stop DIR         stop the cluster in DIR
#
# Then run the tests with
#   CLOSELOOP_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:PORT/closeloop_test?sslmode=disable"
# Starting a cluster that is already running in DIR succeeds without doing anything.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"   # PG_BIN, as_postgres, ensure_apt_packages, run_psql

DATABASE=closeloop_test

usage() {
    echo "usage: $0 start DIR PORT | replica DIR PORT PRIMARY_PORT | stop DIR" >&2
    exit 2
}

# (postgresql-contrib-15 is a virtual package on Debian 12: the server's initdb says both are there.)
install_postgres() {
    ensure_apt_packages "postgresql-15=$PG_BIN/initdb" "postgresql-contrib-15=$PG_BIN/initdb" >/dev/null
}

is_running() {
    local dir=$1
    [[ -f "$dir/PG_VERSION" ]] && as_postgres "$PG_BIN/pg_ctl" status -D "$dir" >/dev/null 2>&1
}

start() {
    local dir=$1 port=$2
    [[ "$port" =~ ^[0-9]+$ ]] || usage
    install_postgres
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if is_running "$dir"; then
        return
    fi
    chown postgres: "$dir"
    chmod 700 "$dir"
    if [[ ! -f "$dir/PG_VERSION" ]]; then
        as_postgres "$PG_BIN/initdb" -D "$dir" --username=postgres --locale=C.UTF-8 --encoding=UTF8 --auth=trust \
            >/dev/null
    fi
    # Each test creates its own database and may open a few connections to it, in parallel.
    local options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=1000 -c fsync=off"
    options+=" -c synchronous_commit=off -c full_page_writes=off"
    # Checkpoints rarer than the default's every 1 GB of WAL: a suite writes several, and each one's writes stalled
    # the loaded machine's disk (and new connections) for seconds.
    options+=" -c max_wal_size=8GB -c checkpoint_timeout=30min"
    as_postgres "$PG_BIN/pg_ctl" start -D "$dir" -l "$dir/server.log" -o "$options" -s -w -t 60 >/dev/null
    local ready=0
    for _ in $(seq 1 60); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
            ready=1
            break
        fi
        sleep 0.5
    done
    if [[ $ready -ne 1 ]]; then
        echo "PostgreSQL in $dir did not become ready on port $port; see $dir/server.log" >&2
        exit 1
    fi
    local url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable" exists
    exists=$(run_psql "$url" -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")
    if [[ "$exists" != "1" ]]; then
        run_psql "$url" -c "CREATE DATABASE $DATABASE" >/dev/null
    fi
}

# The same options as the primary's: a replica of a test cluster need not survive a crash either.
replica() {
    local dir=$1 port=$2 primary=$3
    [[ "$port" =~ ^[0-9]+$ && "$primary" =~ ^[0-9]+$ ]] || usage
    install_postgres
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if is_running "$dir"; then
        return
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    chown postgres: "$dir"
    chmod 700 "$dir"
    # -R writes primary_conninfo and standby.signal: the copy starts as a hot standby streaming from the primary.
    # (It warns of the primary's socket file in its directory, which it rightly skips.)
    local out
    if ! out=$(as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir" -R -X stream \
        -c fast 2>&1); then
        echo "$out" >&2
        exit 1
    fi
    local options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=1000 -c fsync=off"
    options+=" -c synchronous_commit=off -c full_page_writes=off -c hot_standby=on"
    as_postgres "$PG_BIN/pg_ctl" start -D "$dir" -l "$dir/server.log" -o "$options" -s -w -t 60 >/dev/null
    for _ in $(seq 1 60); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
            return
        fi
        sleep 0.5
    done
    echo "the replica in $dir did not become ready on port $port; see $dir/server.log" >&2
    exit 1
}

stop() {
    local dir=$1
    if is_running "$dir"; then
        as_postgres "$PG_BIN/pg_ctl" stop -D "$dir" -m fast -s -w -t 60 >/dev/null
    fi
}

case "${1:-}" in
start)
    [[ $# -eq 3 ]] || usage
    start "$2" "$3"
    ;;
replica)
    [[ $# -eq 4 ]] || usage
    replica "$2" "$3" "$4"
    ;;
stop)
    [[ $# -eq 2 ]] || usage
    stop "$2"
    ;;
*)
    usage
    ;;
esac
