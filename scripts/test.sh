#!/usr/bin/env bash
# The whole test suite, as README.md gives it and CI runs it:
#   0. the formatting check (swift format lint; run `swift format --in-place --recursive Sources Tests` to fix),
#   1. a throwaway PostgreSQL 15 on 127.0.0.1 (installed from apt if missing),
#   2. every Swift test target, with the store and server suites run against SQLite and PostgreSQL,
#   3. the API contract check: schemathesis drives the running server from its OpenAPI document, on both databases,
#   4. the command-line tool, driven as an operator would (Tests/CLI),
#   5. the browser suite: the pages in a real headless Chromium (Tests/Browser), on both databases; screenshots of
#      the key pages land in artifacts/screenshots/,
#   6. the benchmarks in quick mode (Benchmarks/README.md), on both databases: they still run and every request
#      succeeds; no timing is asserted. Needs the shared complaint texts beside the repository.
# Everything it starts it stops again, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${CLOSELOOP_TEST_WORK:-$PWD/.build-test}
PG_PORT=${CLOSELOOP_TEST_PG_PORT:-55432}
mkdir -p "$WORK"

cleanup() {
    bash scripts/postgres-test-cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== Formatting (swift format, settings in .swift-format)"
swift format lint --strict --recursive Sources Tests Package.swift

echo "== PostgreSQL 15 on 127.0.0.1:$PG_PORT"
bash scripts/postgres-test-cluster.sh start "$WORK/pg" "$PG_PORT"
export CLOSELOOP_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/closeloop_test?sslmode=disable"
export CLOSELOOP_REQUIRE_POSTGRES=1

echo "== Swift tests (SQLite and PostgreSQL)"
swift build --build-tests -j 2
swift test --skip-build --parallel --num-workers 2

echo "== API contract (schemathesis, SQLite and PostgreSQL)"
bash scripts/api-contract.sh ".build/debug/closeloop"

echo "== Command-line tool"
# The venv is the one api-contract.sh prepared (pytest is pinned there).
CLOSELOOP_BINARY="$PWD/.build/debug/closeloop" .build-test/venv/bin/python -m pytest -q -p no:cacheprovider Tests/CLI

echo "== Browser tests (headless Chromium, SQLite and PostgreSQL)"
bash scripts/browser-tests.sh ".build/debug/closeloop"

echo "== Benchmarks, quick mode (SQLite and PostgreSQL; proves they run, asserts no timing)"
BENCH_DATA=""
for candidate in "${CLOSELOOP_SHARED_DATA:-}" "$PWD/../shared/data" "$PWD/shared/data"; do
    if [[ -n "$candidate" && -f "$candidate/waimai_10k_zh.csv" ]]; then
        BENCH_DATA=$candidate
        break
    fi
done
if [[ -z "$BENCH_DATA" ]]; then
    echo "benchmarks: skipped, the shared complaint texts are not beside the repository (set CLOSELOOP_SHARED_DATA)"
else
    rm -rf "$WORK/bench"
    .build/debug/closeloop-bench run --quick --data "$BENCH_DATA" --postgres "$CLOSELOOP_TEST_POSTGRES_URL" \
        --work-dir "$WORK/bench" --results "$WORK/bench/results"
fi
