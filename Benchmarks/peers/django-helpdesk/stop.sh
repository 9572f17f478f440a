#!/usr/bin/env bash
# Stop the gunicorn started by setup.sh (by its recorded PID) and, unless KEEP_DB=1, the
# PostgreSQL cluster in $HD_STATE/pg.  The state (venv, database, password) is kept, so the
# next setup.sh only starts things again.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
HD_STATE="${HD_STATE:-/var/lib/helpdesk-bench}"
PIDFILE="$HD_STATE/gunicorn.pid"
if [ -s "$PIDFILE" ]; then
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"          # the gunicorn master stops its workers (graceful, up to its 30 s timeout)
    for i in $(seq 1 70); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { echo "gunicorn $pid still alive, sending KILL"; kill -KILL "$pid"; }
    echo "gunicorn (pid $pid) stopped"
  else
    echo "gunicorn pid $pid not running"
  fi
  rm -f "$PIDFILE"
else
  echo "no pid file at $PIDFILE"
fi
# Workers the master left behind (a master killed, not stopped) would keep the port and their connections.
if pgrep -f "$HD_STATE/venv/bin/gunicorn" >/dev/null; then
  pkill -TERM -f "$HD_STATE/venv/bin/gunicorn"
  for i in $(seq 1 20); do pgrep -f "$HD_STATE/venv/bin/gunicorn" >/dev/null || break; sleep 0.5; done
  pkill -KILL -f "$HD_STATE/venv/bin/gunicorn" && echo "stray gunicorn workers killed"
fi
if [ "${KEEP_DB:-0}" != 1 ] && [ -f "$HD_STATE/pg/PG_VERSION" ]; then
  if runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl status -D "$HD_STATE/pg" >/dev/null 2>&1; then
    bash "$REPO/scripts/postgres-test-cluster.sh" stop "$HD_STATE/pg" && echo "PostgreSQL in $HD_STATE/pg stopped"
  fi
fi
