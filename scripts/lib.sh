# shellcheck shell=bash
# What the scripts share; sourced, never run:
#
#   source "$(dirname "$0")/lib.sh"
#
# Sets ROOT (the repository), VENV, REQUIREMENTS, PG_BIN, LIB_NAME (the prefix of messages; the sourcing script's
# name unless it set LIB_NAME first) and the state its functions keep (below). It changes no directory and installs
# no trap: a script that starts a server or makes a scratch database calls lib_cleanup from its own EXIT trap.
#
#   apt_install PKG…                  apt-get install (as root; waits for another apt run instead of failing)
#   ensure_apt_packages SPEC…         install those of PKG or PKG=PROBE that are missing (PROBE: a command or a path)
#   ensure_python_env                 the one venv of every Python suite, pinned by Tests/requirements.txt; sets PY
#   as_postgres CMD…                  CMD as the postgres OS user
#   run_psql URL ARGS…                psql against URL, as root first, then as postgres
#   url_with_database URL NAME        URL with its database replaced
#   pg_create_scratch_database PREFIX a fresh PREFIX_<random> database beside CLOSELOOP_TEST_POSTGRES_URL
#   pg_drop_scratch_database          drops it again
#   free_port                         a free loopback TCP port
#   resolve_binary PATH               sets BINARY to PATH made absolute, exits 2 when it is not an executable
#   start_server DATA_DIR DATABASE LOG   `BINARY serve --demo` on a free port, waits for /api/v1/health
#   stop_server                       stops it (TERM, then KILL after 5 s)
#   junit_counts FILE                 "N passed, N failed, N skipped" of a pytest JUnit XML report
#   on_each_database FUNCTION PREFIX  FUNCTION sqlite, then FUNCTION postgres URL on a scratch database
#   lib_cleanup                       stops the server, drops the scratch database, removes SCRATCH

[[ -z "${CLOSELOOP_LIB_LOADED:-}" ]] || return 0
CLOSELOOP_LIB_LOADED=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_NAME=${LIB_NAME:-$(basename "$0" .sh)}
VENV=$ROOT/.build-test/venv
REQUIREMENTS=$ROOT/Tests/requirements.txt
# shellcheck disable=SC2034  # (used by postgres-test-cluster.sh)
PG_BIN=/usr/lib/postgresql/15/bin

SERVER_PID=""      # the server start_server started
SERVER_PORT=""
SERVER_URL=""      # http://127.0.0.1:PORT, the site (the API is under /api/v1)
PG_DROP_URL=""     # the maintenance URL to drop PG_DATABASE from
PG_DATABASE=""     # the scratch database pg_create_scratch_database made
PG_DATABASE_URL=""
SCRATCH=""         # a temporary directory of the script's, removed by lib_cleanup
PY=""              # the venv's python, once ensure_python_env ran

lib_warn() {
    echo "$LIB_NAME: $*" >&2
}

# --- Debian packages --------------------------------------------------------------------------------------------
LIB_APT_UPDATED=0

# apt_install PKG…: installs the packages now; as root only.
apt_install() {
    (($#)) || return 0
    if [[ $EUID -ne 0 ]]; then
        lib_warn "missing $*; install them with apt-get (as root)"
        return 1
    fi
    echo "== $LIB_NAME: installing $* (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    # The lock timeout waits for another apt run (e.g. another script's install) instead of failing on its lock.
    if ((LIB_APT_UPDATED == 0)); then
        apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
        LIB_APT_UPDATED=1
    fi
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
}

# ensure_apt_packages SPEC…: each SPEC is PKG (present when dpkg has it installed) or PKG=PROBE (present when the
# command PROBE, or the file PROBE when it starts with /, exists; for virtual packages and plain commands).
ensure_apt_packages() {
    local spec package probe missing=()
    for spec in "$@"; do
        package=${spec%%=*}
        if [[ $spec == *=* ]]; then
            probe=${spec#*=}
            if [[ $probe == /* ]]; then
                [[ -e "$probe" ]] && continue
            else
                command -v "$probe" >/dev/null 2>&1 && continue
            fi
        elif [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" == "install ok installed" ]]; then
            continue
        fi
        missing+=("$package")
    done
    apt_install "${missing[@]}"
}

# --- Python -----------------------------------------------------------------------------------------------------
# ensure_python_env: the venv at .build-test/venv with exactly Tests/requirements.txt; (re)installs when the file
# or the Python changed since the last install. Sets PY.
ensure_python_env() {
    if ! command -v python3 >/dev/null 2>&1; then
        apt_install python3 python3-venv || return 1
    elif ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
        apt_install python3-venv || return 1
    fi
    local stamp=$VENV/.requirements.sha256 wanted
    wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
    if [[ ! -x "$VENV/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
        echo "== $LIB_NAME: installing Tests/requirements.txt into $VENV"
        mkdir -p "$(dirname "$VENV")"
        [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
        rm -f "$stamp"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS" || {
            lib_warn "could not install Tests/requirements.txt into $VENV"
            return 1
        }
        echo "$wanted" >"$stamp"
    fi
    PY=$VENV/bin/python
}

# --- PostgreSQL -------------------------------------------------------------------------------------------------
as_postgres() {
    runuser -u postgres -- "$@"
}

# run_psql URL ARGS…: as root over a trust/password connection first; as the postgres OS user when that is what
# the server wants. Prints psql's errors only when both fail.
run_psql() {
    local url=$1 psql err status=0
    shift
    psql=$(command -v psql || true)
    if [[ -z "$psql" ]]; then
        local candidate
        for candidate in /usr/lib/postgresql/*/bin/psql; do
            [[ -x "$candidate" ]] && psql=$candidate
        done
    fi
    [[ -n "$psql" ]] || { lib_warn "psql not found"; return 1; }
    err=$(mktemp)
    "$psql" "$url" -v ON_ERROR_STOP=1 -qAt "$@" 2>"$err" ||
        { [[ $EUID -eq 0 ]] && id postgres >/dev/null 2>&1 && as_postgres "$psql" "$url" -v ON_ERROR_STOP=1 -qAt "$@"; } ||
        { cat "$err" >&2; status=1; }
    rm -f "$err"
    return "$status"
}

# url_with_database URL NAME: prints URL with its database name replaced.
url_with_database() {
    "${PY:-python3}" - "$1" "$2" <<'EOF'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
print(urlunsplit(parts._replace(path="/" + sys.argv[2])))
EOF
}

# pg_create_scratch_database PREFIX: creates PREFIX_<random> on CLOSELOOP_TEST_POSTGRES_URL's server; sets
# PG_DATABASE and PG_DATABASE_URL. lib_cleanup drops it if the script does not.
pg_create_scratch_database() {
    local name
    name="${1}_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    PG_DROP_URL=$CLOSELOOP_TEST_POSTGRES_URL
    run_psql "$PG_DROP_URL" -c "CREATE DATABASE \"$name\"" || return 1
    PG_DATABASE=$name
    PG_DATABASE_URL=$(url_with_database "$CLOSELOOP_TEST_POSTGRES_URL" "$name")
}

pg_drop_scratch_database() {
    if [[ -n "$PG_DATABASE" ]]; then
        run_psql "$PG_DROP_URL" -c "DROP DATABASE IF EXISTS \"$PG_DATABASE\" WITH (FORCE)" >/dev/null 2>&1 ||
            lib_warn "could not drop database $PG_DATABASE"
        PG_DATABASE=""
        PG_DATABASE_URL=""
    fi
}

# --- The server -------------------------------------------------------------------------------------------------
free_port() {
    "${PY:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# resolve_binary PATH: sets BINARY (relative paths are taken from the repository).
resolve_binary() {
    BINARY=$1
    [[ "$BINARY" == /* ]] || BINARY="$ROOT/$BINARY"
    if [[ ! -x "$BINARY" ]]; then
        lib_warn "$BINARY is not an executable; build it with 'swift build --product closeloop'"
        exit 2
    fi
}

# start_server DATA_DIR DATABASE LOG [HEALTH_TIMEOUT]: `BINARY serve --demo` on a free loopback port, its output in
# LOG; waits up to HEALTH_TIMEOUT seconds (default 60) for /api/v1/health. Sets SERVER_PID, SERVER_PORT and
# SERVER_URL. On failure prints the server's log, stops it and returns 1.
start_server() {
    local data_dir=$1 database=$2 log=$3 timeout=${4:-60}
    SERVER_PORT=$(free_port)
    SERVER_URL="http://127.0.0.1:$SERVER_PORT"
    "$BINARY" serve --demo --data-dir "$data_dir" --database "$database" --host 127.0.0.1 --port "$SERVER_PORT" \
        --log-level warning >"$log" 2>&1 &
    SERVER_PID=$!

    local deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        if "${PY:-python3}" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
            "$SERVER_URL/api/v1/health" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    lib_warn "the server did not answer $SERVER_URL/api/v1/health within ${timeout}s; its log:"
    cat "$log" >&2
    stop_server
    return 1
}

stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

# --- Results ----------------------------------------------------------------------------------------------------
# junit_counts FILE: prints "N passed, N failed, N skipped" (errors count as failed) from pytest's --junitxml.
junit_counts() {
    "${PY:-python3}" - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
total = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(f"{total - failed - skipped} passed, {failed} failed, {skipped} skipped")
EOF
}

# on_each_database FUNCTION PREFIX: runs `FUNCTION sqlite`, then, when CLOSELOOP_TEST_POSTGRES_URL is set,
# `FUNCTION postgres URL` on a fresh database PREFIX_<random> that is dropped afterwards. FUNCTION appends its
# result line to the array SUMMARY; a database that could not be made, or is skipped, gets one here.
# Returns 1 when anything failed.
on_each_database() {
    local check=$1 prefix=$2 overall=0
    "$check" sqlite || overall=1
    if [[ -n "${CLOSELOOP_TEST_POSTGRES_URL:-}" ]]; then
        if pg_create_scratch_database "$prefix"; then
            "$check" postgres "$PG_DATABASE_URL" || overall=1
        else
            overall=1
            SUMMARY+=("$LIB_NAME postgres: FAILED — could not create a database ${prefix}_…")
        fi
        pg_drop_scratch_database
    else
        SUMMARY+=("$LIB_NAME postgres: skipped (CLOSELOOP_TEST_POSTGRES_URL is not set)")
    fi
    return "$overall"
}

lib_cleanup() {
    stop_server
    pg_drop_scratch_database
    if [[ -n "$SCRATCH" ]]; then
        rm -rf "$SCRATCH"
    fi
}
