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
# The Python tools live in the venv at .build-test/venv (scripts/lib.sh, pinned by Tests/requirements.txt).
# Exits non-zero when anything fails; prints one summary line per database.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
resolve_binary "$1"

HEALTH_TIMEOUT=${CLOSELOOP_CONTRACT_HEALTH_TIMEOUT:-60}     # seconds for the server to answer /health
SCHEMATHESIS_TIMEOUT=${CLOSELOOP_CONTRACT_TIMEOUT:-900}     # seconds for one schemathesis run, a hang is a failure
PYTEST_TIMEOUT=300

ensure_python_env
SCHEMATHESIS_VERSION=$("$PY" -c 'from importlib.metadata import version; print(version("schemathesis"))')

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/closeloop-contract.XXXXXX")
trap lib_cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2317  # (called from check_database)
sign_in() {
    local base=$1 username=$2
    curl -sS --max-time 10 -X POST "$base/auth/tokens" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$username\",\"password\":\"closeloop-demo\"}" |
        "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# check_database NAME [DATABASE_URL]: 0 when everything passed; appends its line to SUMMARY.
# shellcheck disable=SC2317  # (called through on_each_database)
check_database() {
    local name=$1 database=${2:-}
    local started=$SECONDS
    local data_dir="$SCRATCH/$name-data" log="$SCRATCH/$name-server.log"
    mkdir -p "$data_dir"
    [[ -n "$database" ]] || database="$data_dir/closeloop.sqlite"

    if ! start_server "$data_dir" "$database" "$log" "$HEALTH_TIMEOUT"; then
        SUMMARY+=("api-contract $name: FAILED — the server did not start")
        return 1
    fi
    local base="$SERVER_URL/api/v1"
    echo "== api-contract ($name): closeloop serve --demo on 127.0.0.1:$SERVER_PORT"

    export CLOSELOOP_CONTRACT_ROOT=$ROOT PYTHONDONTWRITEBYTECODE=1
    export CLOSELOOP_CONTRACT_BASE_URL=$base
    export CLOSELOOP_CONTRACT_DATABASE=$name
    export CLOSELOOP_CONTRACT_TOKEN CLOSELOOP_CONTRACT_TOKEN_AGENT CLOSELOOP_CONTRACT_TOKEN_HANDLER
    export CLOSELOOP_CONTRACT_TOKEN_MANAGER CLOSELOOP_CONTRACT_TOKEN_VP CLOSELOOP_CONTRACT_TOKEN_ADMIN
    # (Inside `on_each_database` errexit is off, so every step checks its own result.)
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
    mkdir -p "$SCRATCH/$name-run"
    if (cd "$SCRATCH/$name-run" && timeout "$SCHEMATHESIS_TIMEOUT" "$VENV/bin/schemathesis" \
        --config-file "$ROOT/Tests/API/schemathesis.toml" run "$base/openapi.yaml" --no-color); then
        schemathesis_result="schemathesis passed"
    else
        local code=$?
        status=1
        schemathesis_result="schemathesis FAILED (exit $code)"
        ((code != 124)) || schemathesis_result="schemathesis FAILED (timed out after ${SCHEMATHESIS_TIMEOUT}s)"
    fi

    echo "== api-contract ($name): pytest Tests/API/test_contract_extras.py"
    local code=0 xml="$SCRATCH/$name-pytest.xml"
    PYTHONDONTWRITEBYTECODE=1 timeout "$PYTEST_TIMEOUT" "$PY" -m pytest -q -p no:cacheprovider \
        --junitxml "$xml" Tests/API/test_contract_extras.py || code=$?
    case $code in
    0) pytest_result="pytest $(junit_counts "$xml")" ;;
    5) status=1; pytest_result="pytest FAILED (no tests collected)" ;;
    124) status=1; pytest_result="pytest FAILED (timed out after ${PYTEST_TIMEOUT}s)" ;;
    *)
        status=1
        pytest_result="pytest FAILED (exit $code)"
        [[ -f "$xml" ]] && pytest_result="pytest $(junit_counts "$xml")"
        ;;
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
    return "$status"
}

# --- Main --------------------------------------------------------------------------------------------------------
SUMMARY=()
overall=0
on_each_database check_database closeloop_contract || overall=1

echo "== api-contract summary"
printf '%s\n' "${SUMMARY[@]}"
exit $overall
