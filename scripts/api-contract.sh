#!/usr/bin/env bash
# The API contract check: the running server against its own OpenAPI document.
#
#   scripts/api-contract.sh BINARY
#
# For SQLite (a fresh temporary data directory) and, when CLOSELOOP_TEST_POSTGRES_URL is set, for PostgreSQL (a
# fresh database closeloop_contract_<random> on that server, dropped afterwards), it starts `BINARY serve --demo` on a
# free loopback port and runs
#   1. schemathesis (Tests/API/schemathesis.toml, Tests/API/hooks.py): no 5xx, only documented status codes and
#      content types, response bodies that match their schemas; derandomised and bounded, so runs are reproducible;
#   2. pytest Tests/API/test_contract_extras.py: the whole complaint loop and what schemathesis can not check
#      (versions, idempotency, recusal, malformed bodies, languages).
# The Python tools live in a venv at .build-test/venv (created on first use, pinned versions).
# Exits non-zero when anything fails; prints one summary line per database.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
cd "$(dirname "$0")/.."
ROOT=$PWD
BINARY=$1
[[ "$BINARY" == /* ]] || BINARY="$ROOT/$BINARY"
if [[ ! -x "$BINARY" ]]; then
    echo "api-contract: $BINARY is not an executable; build it with 'swift build --product closeloop'" >&2
    exit 2
fi

SCHEMATHESIS_VERSION=4.32.5
PYTEST_VERSION=9.2.0
REQUESTS_VERSION=2.34.2
AIOSMTPD_VERSION=1.4.6   # the mail sink of the command-line tool's SMTP tests (Tests/CLI/test_smtp.py)
VENV=$ROOT/.build-test/venv
HEALTH_TIMEOUT=${CLOSELOOP_CONTRACT_HEALTH_TIMEOUT:-60}     # seconds for the server to answer /health
SCHEMATHESIS_TIMEOUT=${CLOSELOOP_CONTRACT_TIMEOUT:-900}     # seconds for one schemathesis run, a hang is a failure
PYTEST_TIMEOUT=300

# --- Python tools -----------------------------------------------------------------------------------------------
venv_is_ready() {
    [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" - "$SCHEMATHESIS_VERSION" "$PYTEST_VERSION" "$REQUESTS_VERSION" \
        "$AIOSMTPD_VERSION" \
        <<'EOF' >/dev/null 2>&1
import sys
from importlib.metadata import version
wanted = dict(zip(["schemathesis", "pytest", "requests", "aiosmtpd"], sys.argv[1:]))
sys.exit(0 if all(version(name) == v for name, v in wanted.items()) else 1)
EOF
}
if ! venv_is_ready; then
    echo "== api-contract: installing schemathesis $SCHEMATHESIS_VERSION, pytest $PYTEST_VERSION into $VENV"
    mkdir -p "$(dirname "$VENV")"
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" "pytest==$PYTEST_VERSION" "requests==$REQUESTS_VERSION" \
        "aiosmtpd==$AIOSMTPD_VERSION"
    venv_is_ready || { echo "api-contract: the venv at $VENV is not usable" >&2; exit 1; }
fi
PY=$VENV/bin/python

# --- Bookkeeping for cleanup ------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/closeloop-contract.XXXXXX")
SERVER_PID=""
PG_DROP_URL=""     # the maintenance URL to drop PG_DATABASE from
PG_DATABASE=""

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

drop_database() {
    if [[ -n "$PG_DATABASE" ]]; then
        run_psql "$PG_DROP_URL" -c "DROP DATABASE IF EXISTS \"$PG_DATABASE\" WITH (FORCE)" >/dev/null 2>&1 ||
            echo "api-contract: could not drop database $PG_DATABASE" >&2
        PG_DATABASE=""
    fi
}

cleanup() {
    stop_server
    drop_database
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL helpers ---------------------------------------------------------------------------------------------
PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -n 1 || true)

run_psql() {
    local url=$1
    shift
    [[ -n "$PSQL" ]] || { echo "api-contract: psql not found" >&2; return 1; }
    # As root over a trust/password connection first; as the postgres OS user when that is what the server wants.
    "$PSQL" "$url" -v ON_ERROR_STOP=1 -qAt "$@" 2>"$WORK/psql.err" ||
        { [[ $EUID -eq 0 ]] && id postgres >/dev/null 2>&1 && runuser -u postgres -- "$PSQL" "$url" -v ON_ERROR_STOP=1 -qAt "$@"; } ||
        { cat "$WORK/psql.err" >&2; return 1; }
}

# Prints the URL with its database name replaced.
with_database() {
    "$PY" - "$1" "$2" <<'EOF'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
print(urlunsplit(parts._replace(path="/" + sys.argv[2])))
EOF
}

# --- One database -------------------------------------------------------------------------------------------------
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

sign_in() {
    local base=$1 username=$2
    curl -sS --max-time 10 -X POST "$base/auth/tokens" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$username\",\"password\":\"closeloop-demo\"}" |
        "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# check_database NAME [DATABASE_URL]: 0 when everything passed.
check_database() {
    local name=$1 database=${2:-}
    local started=$SECONDS
    local data_dir="$WORK/$name-data" log="$WORK/$name-server.log"
    mkdir -p "$data_dir"
    [[ -n "$database" ]] || database="$data_dir/closeloop.sqlite"

    local port
    port=$(free_port)
    local base="http://127.0.0.1:$port/api/v1"
    echo "== api-contract ($name): closeloop serve --demo on 127.0.0.1:$port"
    "$BINARY" serve --demo --data-dir "$data_dir" --database "$database" --host 127.0.0.1 --port "$port" \
        --log-level warning >"$log" 2>&1 &
    SERVER_PID=$!

    local ready=0 deadline=$((SECONDS + HEALTH_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            break
        fi
        if curl -sf --max-time 2 "$base/health" >/dev/null 2>&1; then
            ready=1
            break
        fi
        sleep 0.2
    done
    if [[ $ready -ne 1 ]]; then
        echo "api-contract ($name): the server did not answer $base/health within ${HEALTH_TIMEOUT}s; its log:" >&2
        cat "$log" >&2
        stop_server
        SUMMARY+=("api-contract $name: FAILED — the server did not start")
        return 1
    fi

    export CLOSELOOP_CONTRACT_ROOT=$ROOT PYTHONDONTWRITEBYTECODE=1
    export CLOSELOOP_CONTRACT_BASE_URL=$base
    export CLOSELOOP_CONTRACT_DATABASE=$name
    export CLOSELOOP_CONTRACT_TOKEN CLOSELOOP_CONTRACT_TOKEN_AGENT CLOSELOOP_CONTRACT_TOKEN_HANDLER
    export CLOSELOOP_CONTRACT_TOKEN_MANAGER CLOSELOOP_CONTRACT_TOKEN_VP CLOSELOOP_CONTRACT_TOKEN_ADMIN
    # (Inside `check_database … || overall=1` errexit is off, so every step checks its own result.)
    if ! CLOSELOOP_CONTRACT_TOKEN=$(sign_in "$base" liqiang) ||        # supervisor + agent
        ! CLOSELOOP_CONTRACT_TOKEN_AGENT=$(sign_in "$base" zhangwei) ||  # agent
        ! CLOSELOOP_CONTRACT_TOKEN_HANDLER=$(sign_in "$base" wangfang) || # handler in after_sales, ¥200
        ! CLOSELOOP_CONTRACT_TOKEN_MANAGER=$(sign_in "$base" zhaolei) || # department manager in after_sales, ¥2000
        ! CLOSELOOP_CONTRACT_TOKEN_VP=$(sign_in "$base" chenjing) ||     # vice president
        ! CLOSELOOP_CONTRACT_TOKEN_ADMIN=$(sign_in "$base" admin); then  # administrator (GET /users)
        echo "api-contract ($name): signing in the demo users failed" >&2
        stop_server
        SUMMARY+=("api-contract $name: FAILED — demo users could not sign in")
        return 1
    fi

    local status=0 schemathesis_result pytest_result
    echo "== api-contract ($name): schemathesis $SCHEMATHESIS_VERSION"
    # From a directory of its own: Hypothesis and Schemathesis keep caches in the working directory, and neither the
    # repository nor the next database's run may see them.
    mkdir -p "$WORK/$name-run"
    if (cd "$WORK/$name-run" && timeout "$SCHEMATHESIS_TIMEOUT" "$VENV/bin/schemathesis" \
        --config-file "$ROOT/Tests/API/schemathesis.toml" run "$base/openapi.yaml" --no-color); then
        schemathesis_result="schemathesis passed"
    else
        local code=$?
        status=1
        schemathesis_result="schemathesis FAILED (exit $code)"
        ((code != 124)) || schemathesis_result="schemathesis FAILED (timed out after ${SCHEMATHESIS_TIMEOUT}s)"
    fi

    echo "== api-contract ($name): pytest Tests/API/test_contract_extras.py"
    local code=0
    PYTHONDONTWRITEBYTECODE=1 timeout "$PYTEST_TIMEOUT" "$PY" -m pytest -q -p no:cacheprovider \
        --junitxml "$WORK/$name-pytest.xml" Tests/API/test_contract_extras.py || code=$?
    case $code in
    0) pytest_result="pytest passed ($(pytest_count "$WORK/$name-pytest.xml") tests)" ;;
    5) status=1; pytest_result="pytest FAILED (no tests collected)" ;;
    124) status=1; pytest_result="pytest FAILED (timed out after ${PYTEST_TIMEOUT}s)" ;;
    *) status=1; pytest_result="pytest FAILED (exit $code)" ;;
    esac

    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        status=1
        echo "api-contract ($name): the server died during the check; its log:" >&2
        cat "$log" >&2
    elif [[ $status -ne 0 && -s "$log" ]]; then
        echo "api-contract ($name): server log (warnings and errors):" >&2
        tail -n 50 "$log" >&2
    fi
    stop_server
    local verdict=ok
    [[ $status -eq 0 ]] || verdict=FAILED
    SUMMARY+=("api-contract $name: $verdict — $schemathesis_result; $pytest_result; $((SECONDS - started))s")
    return $status
}

pytest_count() {
    "$PY" - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
print(sum(int(s.get("tests", 0)) for s in suites))
EOF
}

# --- Main --------------------------------------------------------------------------------------------------------
SUMMARY=()
overall=0

check_database sqlite || overall=1

if [[ -n "${CLOSELOOP_TEST_POSTGRES_URL:-}" ]]; then
    PG_DROP_URL=$CLOSELOOP_TEST_POSTGRES_URL
    PG_DATABASE="closeloop_contract_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    if run_psql "$PG_DROP_URL" -c "CREATE DATABASE \"$PG_DATABASE\""; then
        check_database postgres "$(with_database "$CLOSELOOP_TEST_POSTGRES_URL" "$PG_DATABASE")" || overall=1
    else
        overall=1
        SUMMARY+=("api-contract postgres: FAILED — could not create database $PG_DATABASE")
        PG_DATABASE=""
    fi
    drop_database
else
    SUMMARY+=("api-contract postgres: skipped (CLOSELOOP_TEST_POSTGRES_URL is not set)")
fi

echo "== api-contract summary"
printf '%s\n' "${SUMMARY[@]}"
exit $overall
