#!/usr/bin/env bash
# The browser suite: the web pages driven by a real (headless) Chromium, as the staff and customers use them.
#
#   scripts/browser-tests.sh BINARY
#
# For SQLite (a fresh temporary data directory) and, when CLOSELOOP_TEST_POSTGRES_URL is set, for PostgreSQL (a
# fresh database closeloop_browser_<random> on that server, dropped afterwards), it starts `BINARY serve --demo` on a
# free loopback port and runs pytest Tests/Browser (selenium) against it; the mail tests hand messages to the same
# data directory and database with `BINARY mail receive`, as the company's MTA would.
# Installs what is missing: Debian's chromium, chromium-driver and fonts-noto-cjk (apt-get, as root), and the
# pinned Python tools of Tests/requirements.txt in the venv at .build-test/venv (scripts/lib.sh).
# Screenshots of the key pages go to artifacts/screenshots/DATABASE/; with CLOSELOOP_UPDATE_SCREENSHOTS=1 the
# SQLite run also copies the two shown in README.md to docs/screenshots/.
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

HEALTH_TIMEOUT=${CLOSELOOP_BROWSER_HEALTH_TIMEOUT:-60}   # seconds for the server to answer /health
PYTEST_TIMEOUT=${CLOSELOOP_BROWSER_TIMEOUT:-600}         # seconds for one database's suite; a hang is a failure

# The browser and fonts (Chinese text in the screenshots) are Debian's; the Python tools the shared venv's.
# LibreOffice (headless) opens the downloaded workbooks the way a spreadsheet user would.
ensure_apt_packages chromium=chromium chromium-driver=chromedriver fonts-noto-cjk libreoffice-calc-nogui=soffice
CHROMIUM=$(command -v chromium)
CHROMEDRIVER=$(command -v chromedriver)
ensure_python_env

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/closeloop-browser.XXXXXX")
trap lib_cleanup EXIT
trap 'exit 130' INT TERM

# check_database NAME [DATABASE_URL]: 0 when everything passed; appends its line to SUMMARY.
# shellcheck disable=SC2317  # (called through on_each_database)
check_database() {
    local name=$1 database=${2:-}
    local started=$SECONDS
    local data_dir="$SCRATCH/$name-data" log="$SCRATCH/$name-server.log"
    local shots="$ROOT/artifacts/screenshots/$name"
    mkdir -p "$data_dir"
    rm -rf "$shots"
    [[ -n "$database" ]] || database="$data_dir/closeloop.sqlite"

    if ! start_server "$data_dir" "$database" "$log" "$HEALTH_TIMEOUT"; then
        SUMMARY+=("browser-tests $name: FAILED — the server did not start")
        return 1
    fi
    local base=$SERVER_URL
    echo "== browser-tests ($name): closeloop serve --demo on 127.0.0.1:$SERVER_PORT"

    echo "== browser-tests ($name): pytest Tests/Browser (headless $("$CHROMIUM" --version 2>/dev/null | head -n 1))"
    local status=0 result code=0
    # The binary, data directory and database too: the mail tests pipe messages into `closeloop mail receive`.
    CLOSELOOP_BROWSER_BASE_URL=$base CLOSELOOP_BROWSER_DATABASE=$name CLOSELOOP_BROWSER_ARTIFACTS=$shots \
        CLOSELOOP_BINARY=$BINARY CLOSELOOP_BROWSER_DATA_DIR=$data_dir CLOSELOOP_BROWSER_DATABASE_LOCATION=$database \
        CLOSELOOP_BROWSER_ROOT=$ROOT CLOSELOOP_CHROMIUM=$CHROMIUM CLOSELOOP_CHROMEDRIVER=$CHROMEDRIVER \
        PYTHONDONTWRITEBYTECODE=1 timeout "$PYTEST_TIMEOUT" "$PY" -m pytest -q -p no:cacheprovider \
        --junitxml "$SCRATCH/$name-pytest.xml" Tests/Browser || code=$?
    case $code in
    0) result="$(junit_counts "$SCRATCH/$name-pytest.xml")" ;;
    5) status=1; result="FAILED (no tests collected)" ;;
    124) status=1; result="FAILED (timed out after ${PYTEST_TIMEOUT}s)" ;;
    *)
        status=1
        result="FAILED (exit $code)"
        [[ -f "$SCRATCH/$name-pytest.xml" ]] && result="$(junit_counts "$SCRATCH/$name-pytest.xml")"
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
    return "$status"
}

# --- Main --------------------------------------------------------------------------------------------------------
SUMMARY=()
overall=0
on_each_database check_database closeloop_browser || overall=1

echo "== browser-tests summary"
printf '%s\n' "${SUMMARY[@]}"
exit $overall
