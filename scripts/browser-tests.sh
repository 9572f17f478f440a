#!/usr/bin/env bash
# The browser suite: the web pages driven by a real (headless) Chromium, as the staff and customers use them.
#
#   scripts/browser-tests.sh BINARY
#
# For SQLite (a fresh temporary data directory) and, when CLOSELOOP_TEST_POSTGRES_URL is set, for PostgreSQL (a
# fresh database closeloop_browser_<random> on that server, dropped afterwards), it starts `BINARY serve --demo` on a
# free loopback port and runs pytest Tests/Browser (selenium) against it.
# Installs what is missing: Debian's chromium, chromium-driver and fonts-noto-cjk (apt-get, as root), and the
# pinned Python tools of Tests/Browser/requirements.txt in a venv at .build-test/browser-venv.
# Screenshots of the key pages go to artifacts/screenshots/DATABASE/; with CLOSELOOP_UPDATE_SCREENSHOTS=1 the
# SQLite run also copies the two shown in README.md to docs/screenshots/.
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
    echo "browser-tests: $BINARY is not an executable; build it with 'swift build --product closeloop'" >&2
    exit 2
fi

VENV=$ROOT/.build-test/browser-venv
REQUIREMENTS=$ROOT/Tests/Browser/requirements.txt
HEALTH_TIMEOUT=${CLOSELOOP_BROWSER_HEALTH_TIMEOUT:-60}   # seconds for the server to answer /health
PYTEST_TIMEOUT=${CLOSELOOP_BROWSER_TIMEOUT:-600}         # seconds for one database's suite; a hang is a failure

# --- Browser and fonts (Debian packages) ------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)  # Chinese text in the screenshots
if ! command -v python3 >/dev/null 2>&1; then
    missing+=(python3 python3-venv)
elif ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi
if ((${#missing[@]})); then
    if [[ $EUID -ne 0 ]]; then
        echo "browser-tests: missing ${missing[*]}; install them with apt-get (as root)" >&2
        exit 1
    fi
    echo "== browser-tests: installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    # Waits for another apt run (e.g. PostgreSQL's install) instead of failing on its lock.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
CHROMIUM=$(command -v chromium)
CHROMEDRIVER=$(command -v chromedriver)

# --- Python tools -------------------------------------------------------------------------------------------------
STAMP=$VENV/.requirements.sha256
wanted=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [[ ! -x "$VENV/bin/python" || "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]]; then
    echo "== browser-tests: installing Tests/Browser/requirements.txt into $VENV"
    mkdir -p "$(dirname "$VENV")"
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
    echo "$wanted" >"$STAMP"
fi
PY=$VENV/bin/python

# --- Bookkeeping for cleanup --------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/closeloop-browser.XXXXXX")
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
            echo "browser-tests: could not drop database $PG_DATABASE" >&2
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
    [[ -n "$PSQL" ]] || { echo "browser-tests: psql not found" >&2; return 1; }
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

# Prints "N passed, N failed, N skipped" from a JUnit XML file.
pytest_counts() {
    "$PY" - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
total = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(f"{total - failed - skipped} passed, {failed} failed, {skipped} skipped")
EOF
}

# check_database NAME [DATABASE_URL]: 0 when everything passed.
check_database() {
    local name=$1 database=${2:-}
    local started=$SECONDS
    local data_dir="$WORK/$name-data" log="$WORK/$name-server.log"
    local shots="$ROOT/artifacts/screenshots/$name"
    mkdir -p "$data_dir"
    rm -rf "$shots"
    [[ -n "$database" ]] || database="$data_dir/closeloop.sqlite"

    local port
    port=$(free_port)
    local base="http://127.0.0.1:$port"
    echo "== browser-tests ($name): closeloop serve --demo on 127.0.0.1:$port"
    "$BINARY" serve --demo --data-dir "$data_dir" --database "$database" --host 127.0.0.1 --port "$port" \
        --log-level warning >"$log" 2>&1 &
    SERVER_PID=$!

    local ready=0 deadline=$((SECONDS + HEALTH_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            break
        fi
        if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
            "$base/api/v1/health" >/dev/null 2>&1; then
            ready=1
            break
        fi
        sleep 0.2
    done
    if [[ $ready -ne 1 ]]; then
        echo "browser-tests ($name): the server did not answer $base/api/v1/health within ${HEALTH_TIMEOUT}s; its log:" >&2
        cat "$log" >&2
        stop_server
        SUMMARY+=("browser-tests $name: FAILED — the server did not start")
        return 1
    fi

    echo "== browser-tests ($name): pytest Tests/Browser (headless $("$CHROMIUM" --version 2>/dev/null | head -n 1))"
    local status=0 result code=0
    CLOSELOOP_BROWSER_BASE_URL=$base CLOSELOOP_BROWSER_DATABASE=$name CLOSELOOP_BROWSER_ARTIFACTS=$shots \
        CLOSELOOP_BROWSER_ROOT=$ROOT CLOSELOOP_CHROMIUM=$CHROMIUM CLOSELOOP_CHROMEDRIVER=$CHROMEDRIVER \
        PYTHONDONTWRITEBYTECODE=1 timeout "$PYTEST_TIMEOUT" "$PY" -m pytest -q -p no:cacheprovider \
        --junitxml "$WORK/$name-pytest.xml" Tests/Browser || code=$?
    case $code in
    0) result="$(pytest_counts "$WORK/$name-pytest.xml")" ;;
    5) status=1; result="FAILED (no tests collected)" ;;
    124) status=1; result="FAILED (timed out after ${PYTEST_TIMEOUT}s)" ;;
    *)
        status=1
        result="FAILED (exit $code)"
        [[ -f "$WORK/$name-pytest.xml" ]] && result="$(pytest_counts "$WORK/$name-pytest.xml")"
        ;;
    esac

    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        status=1
        echo "browser-tests ($name): the server died during the suite; its log:" >&2
        cat "$log" >&2
    elif [[ -s "$log" ]]; then
        # Warnings and errors the pages caused (the server logs at level warning).
        echo "browser-tests ($name): server log (warnings and errors):" >&2
        tail -n 50 "$log" >&2
    fi
    stop_server

    # (Written only when the loop test got that far, and the folder was emptied before the run.)
    if [[ $name == sqlite && ${CLOSELOOP_UPDATE_SCREENSHOTS:-0} == 1 && -f "$shots/complaint.png" &&
        -f "$shots/portal-proposal-mobile.png" ]]; then
        mkdir -p "$ROOT/docs/screenshots"
        cp "$shots/complaint.png" "$ROOT/docs/screenshots/complaint.png"
        cp "$shots/portal-proposal-mobile.png" "$ROOT/docs/screenshots/portal-mobile.png"
        echo "== browser-tests: updated docs/screenshots/complaint.png and docs/screenshots/portal-mobile.png"
    fi
    local verdict=ok
    [[ $status -eq 0 ]] || verdict=FAILED
    SUMMARY+=("browser-tests $name: $verdict — $result; screenshots in artifacts/screenshots/$name; $((SECONDS - started))s")
    return $status
}

# --- Main --------------------------------------------------------------------------------------------------------
SUMMARY=()
overall=0

check_database sqlite || overall=1

if [[ -n "${CLOSELOOP_TEST_POSTGRES_URL:-}" ]]; then
    PG_DROP_URL=$CLOSELOOP_TEST_POSTGRES_URL
    PG_DATABASE="closeloop_browser_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    if run_psql "$PG_DROP_URL" -c "CREATE DATABASE \"$PG_DATABASE\""; then
        check_database postgres "$(with_database "$CLOSELOOP_TEST_POSTGRES_URL" "$PG_DATABASE")" || overall=1
    else
        overall=1
        SUMMARY+=("browser-tests postgres: FAILED — could not create database $PG_DATABASE")
        PG_DATABASE=""
    fi
    drop_database
else
    SUMMARY+=("browser-tests postgres: skipped (CLOSELOOP_TEST_POSTGRES_URL is not set)")
fi

echo "== browser-tests summary"
printf '%s\n' "${SUMMARY[@]}"
exit $overall
