#!/usr/bin/env bash
# Idempotent setup + start of django-helpdesk (PyPI) as a local benchmark peer, beside
# ../shared/peers/rt (Request Tracker 5).  Everything listens on 127.0.0.1 only.
#
#   sudo bash Benchmarks/peers/django-helpdesk/setup.sh
#
# What it does (each step is skipped when already done):
#   1. a venv in $HD_STATE/venv with the pinned packages below (Debian's /usr/bin/python3)
#   2. a throwaway PostgreSQL 15 cluster in $HD_STATE/pg through the repository's
#      scripts/postgres-test-cluster.sh, restarted with PostgreSQL's durable defaults
#      (that script starts it with fsync off, for tests), and a database 'helpdesk'
#   3. a minimal Django project in $HD_STATE/project (settings written here)
#   4. migrate, a superuser 'bench' (random password in $HD_STATE/password) and a queue
#      with slug 'complaints' (its id in $HD_STATE/queue-id)
#   5. gunicorn, sync workers, as www-data on 127.0.0.1:$HD_PORT; waits until it answers
#
# Environment knobs (all optional):
#   HD_PORT          HTTP port of gunicorn                       (default 8090)
#   HD_WORKERS       gunicorn sync workers                       (default 8, like RT's 8 prefork workers)
#   HD_CONN_MAX_AGE  Django's CONN_MAX_AGE, seconds a worker keeps its PostgreSQL connection
#                    (default 0 = Django's default: a new connection for every request)
#   HD_MAIL          'file' (default: Django renders every notification mail and writes it to
#                    $HD_STATE/mail, like RT's mbox) or 'dummy' (renders, then drops it)
#   HD_ACCESS_LOG    1 = gunicorn writes an access log to $HD_STATE/access.log (default: none)
#   HD_PG_PORT       port of the PostgreSQL cluster               (default 55497)
#   HD_STATE         state dir                                    (default /var/lib/helpdesk-bench)
# Changing a knob on a running server: KEEP_DB=1 bash stop.sh; VAR=... bash setup.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
HD_PORT="${HD_PORT:-8090}"
HD_WORKERS="${HD_WORKERS:-8}"
HD_CONN_MAX_AGE="${HD_CONN_MAX_AGE:-0}"
HD_MAIL="${HD_MAIL:-file}"
HD_ACCESS_LOG="${HD_ACCESS_LOG:-}"
HD_PG_PORT="${HD_PG_PORT:-55497}"
HD_STATE="${HD_STATE:-/var/lib/helpdesk-bench}"
HD_QUEUE_SLUG=complaints
HD_QUEUE_TITLE="投诉 Complaints"
HD_USER=bench
DB_NAME=helpdesk
DB_USER=helpdesk
PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="$HD_STATE/pg"
VENV="$HD_STATE/venv"
PROJECT="$HD_STATE/project"
PY=/usr/bin/python3            # Debian's python3, not whatever python3 is first on PATH

# Verified together on Debian 12 (Python 3.11.2), 2026-12; the full closure is pinned.
PINS="
Django==5.2.19
django-helpdesk==2.6.1
djangorestframework==3.18.3
psycopg2-binary==2.9.13
gunicorn==27.0.1
asgiref==3.13.0
beautifulsoup4==4.15.0
certifi==2026.10.19.post1
charset-normalizer==3.5.3
django-cleanup==9.0.0
django-model-utils==5.0.0
email-reply-parser==0.5.12
idna==3.20
Markdown==3.11.3
nh3==0.3.8
oauthlib==4.0.1
requests==2.34.2
requests-oauthlib==2.0.0
soupsieve==2.10
sqlparse==0.6.1
typing_extensions==4.16.0
urllib3==2.8.0
"

log() { printf '[hd-setup %(%H:%M:%S)T] %s\n' -1 "$*"; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
case "$HD_MAIL" in file|dummy) ;; *) echo "HD_MAIL must be 'file' or 'dummy'" >&2; exit 2;; esac
mkdir -p "$HD_STATE"; chmod 755 "$HD_STATE"

psql_pg() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$HD_PG_PORT" -U postgres -X -q -t -A "$@"; }
gunicorn_alive() { [ -s "$HD_STATE/gunicorn.pid" ] && kill -0 "$(cat "$HD_STATE/gunicorn.pid")" 2>/dev/null; }

# -------------------------------------------------------------- 0. fast path
# Already up (setup.sh ran before and nothing was stopped): nothing to do.
if gunicorn_alive && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$HD_PG_PORT" 2>/dev/null; then
  log "django-helpdesk already running (pid $(cat "$HD_STATE/gunicorn.pid")) on 127.0.0.1:$(cat "$HD_STATE/port");" \
      "config changes apply after: KEEP_DB=1 bash stop.sh; bash setup.sh"
  exit 0
fi

# ---------------------------------------------------------- 1. venv + packages
if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  log "installing python3-venv from apt"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      python3-venv >"$HD_STATE/apt.log" 2>&1 || { tail -30 "$HD_STATE/apt.log"; exit 1; }
fi
WANTED="$(printf '%s' "$PINS" | sha256sum | cut -d' ' -f1) $("$PY" -c 'import sys; print(sys.version.split()[0])')"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.pins.sha256" 2>/dev/null)" != "$WANTED" ]; then
  log "installing pinned packages into $VENV (about 10 s)"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  rm -f "$VENV/.pins.sha256"
  printf '%s\n' $PINS > "$VENV/requirements.txt"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$VENV/requirements.txt" \
      >"$HD_STATE/pip.log" 2>&1 || { tail -30 "$HD_STATE/pip.log"; exit 1; }
  echo "$WANTED" > "$VENV/.pins.sha256"
else
  log "venv present (django-helpdesk $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("django-helpdesk"))'))"
fi

# ------------------------------------------------------------- 2. PostgreSQL
# The repository's test-cluster script installs PostgreSQL 15 if needed, runs initdb (trust auth,
# UTF8, C.UTF-8) and starts the cluster with fsync=off, synchronous_commit=off and
# full_page_writes=off.  Those are server-wide, so, as Benchmarks/run.sh does for Closeloop's own
# PostgreSQL, restart it with PostgreSQL's durable defaults: fsync, synchronous_commit and
# full_page_writes on, shared_buffers 128MB.
bash "$REPO/scripts/postgres-test-cluster.sh" start "$PG_DIR" "$HD_PG_PORT"
if [ "$(psql_pg -d postgres -c 'show fsync')" != on ]; then
  log "restarting PostgreSQL in $PG_DIR on port $HD_PG_PORT with durable settings (fsync on)"
  runuser -u postgres -- "$PG_BIN/pg_ctl" restart -D "$PG_DIR" -l "$PG_DIR/server.log" -s -w -t 60 -m fast \
      -o "-c listen_addresses=127.0.0.1 -p $HD_PG_PORT -k $PG_DIR -c max_connections=200" >/dev/null
fi
for i in $(seq 1 60); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$HD_PG_PORT" && break; sleep 0.5; done
[ "$(psql_pg -d postgres -c 'show fsync')" = on ] || { echo "PostgreSQL did not come back with fsync on" >&2; exit 1; }
if [ "$(psql_pg -d postgres -c "select 1 from pg_roles where rolname='$DB_USER'")" != 1 ]; then
  psql_pg -d postgres -c "create role $DB_USER login"          # trust auth on 127.0.0.1 (initdb --auth=trust)
fi
if [ "$(psql_pg -d postgres -c "select 1 from pg_database where datname='$DB_NAME'")" != 1 ]; then
  log "creating database $DB_NAME"
  psql_pg -d postgres -c "create database $DB_NAME owner $DB_USER encoding 'UTF8' template template0"
fi

# ------------------------------------------------------------ 3. Django project
if [ ! -s "$HD_STATE/secret-key" ]; then
  head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$HD_STATE/secret-key"; chmod 600 "$HD_STATE/secret-key"
fi
if [ ! -s "$HD_STATE/password" ]; then
  head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$HD_STATE/password"; chmod 600 "$HD_STATE/password"
fi
mkdir -p "$PROJECT/hdbench" "$HD_STATE/media" "$HD_STATE/mail"
chown www-data:www-data "$HD_STATE/media" "$HD_STATE/mail"
if [ "$HD_MAIL" = file ]; then
  MAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
else
  MAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
fi
cat > "$PROJECT/manage.py" <<'PYEOF'
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdbench.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
PYEOF
: > "$PROJECT/hdbench/__init__.py"
cat > "$PROJECT/hdbench/wsgi.py" <<'PYEOF'
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdbench.settings")
application = get_wsgi_application()
PYEOF
cat > "$PROJECT/hdbench/urls.py" <<'PYEOF'
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-helpdesk at the site root: /login/, /tickets/, /api/tickets/, ...
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
PYEOF
cat > "$PROJECT/hdbench/settings.py.tmp" <<PYEOF
# Written by Benchmarks/peers/django-helpdesk/setup.sh -- local benchmark peer.  Rewritten on
# every setup.sh run; change the knobs there, not here.
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = (Path("$HD_STATE") / "secret-key").read_text().strip()
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",        # helpdesk: domain of the links in its mails
    "django.contrib.humanize",     # helpdesk: elapsed-time formatting
    "rest_framework",              # helpdesk's REST API
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "hdbench.urls"
WSGI_APPLICATION = "hdbench.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "$DB_NAME",
        "USER": "$DB_USER",
        "HOST": "127.0.0.1",
        "PORT": "$HD_PG_PORT",
        "CONN_MAX_AGE": $HD_CONN_MAX_AGE,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SITE_ID = 1

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = "$HD_STATE/media"

LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"

EMAIL_BACKEND = "$MAIL_BACKEND"
EMAIL_FILE_PATH = "$HD_STATE/mail"
DEFAULT_FROM_EMAIL = "helpdesk@bench.local"

# django-helpdesk.  The REST API (/api/tickets/ ...) is HELPDESK_API_ENABLED in 2.x (default True;
# the docs' older name HELPDESK_ACTIVATE_API_ENDPOINT is read by nothing in 2.6.1).
HELPDESK_API_ENABLED = True
HELPDESK_TEAMS_MODE_ENABLED = False    # else it needs pinax-teams
HELPDESK_REDIRECT_TO_LOGIN_BY_DEFAULT = True
# DRF's defaults, written out: the API accepts Django's session cookie (CSRF token required on
# writes) and HTTP Basic (Django's password hasher, PBKDF2 1,000,000 rounds, on every request).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
PYEOF
install -o root -g www-data -m 640 "$PROJECT/hdbench/settings.py.tmp" "$PROJECT/hdbench/settings.py"
rm -f "$PROJECT/hdbench/settings.py.tmp"
chmod 640 "$HD_STATE/secret-key"; chgrp www-data "$HD_STATE/secret-key"
chmod -R a+rX "$PROJECT"; find "$PROJECT" -name __pycache__ -prune -exec rm -rf {} +
manage() { (cd "$PROJECT" && "$VENV/bin/python" -W ignore manage.py "$@"); }

# --------------------------------------------- 4. schema, superuser, queue
log "migrate (the first run creates the schema: a few seconds)"
manage migrate --noinput >"$HD_STATE/migrate.log" 2>&1 || { tail -30 "$HD_STATE/migrate.log"; exit 1; }
HD_PASSWORD="$(cat "$HD_STATE/password")" HD_USER="$HD_USER" HD_PORT="$HD_PORT" \
HD_QUEUE_SLUG="$HD_QUEUE_SLUG" HD_QUEUE_TITLE="$HD_QUEUE_TITLE" HD_QUEUE_ID_FILE="$HD_STATE/queue-id.tmp" \
  manage shell -v 0 -c '
import os
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from helpdesk.models import Queue

User = get_user_model()
u, _ = User.objects.get_or_create(username=os.environ["HD_USER"],
                                  defaults={"email": "bench@bench.local"})
u.is_staff = u.is_superuser = u.is_active = True
if not u.check_password(os.environ["HD_PASSWORD"]):
    u.set_password(os.environ["HD_PASSWORD"])
u.save()
q, _ = Queue.objects.get_or_create(slug=os.environ["HD_QUEUE_SLUG"],
                                   defaults={"title": os.environ["HD_QUEUE_TITLE"]})
if not q.email_address:   # the From: of its notification mails
    q.email_address = os.environ["HD_QUEUE_SLUG"] + "@bench.local"
    q.save()
Site.objects.update_or_create(id=1, defaults={"domain": "127.0.0.1:" + os.environ["HD_PORT"],
                                              "name": "helpdesk-bench"})
with open(os.environ["HD_QUEUE_ID_FILE"], "w") as f:
    print(q.id, file=f)
' >"$HD_STATE/bootstrap.log" 2>&1 || { cat "$HD_STATE/bootstrap.log"; exit 1; }
mv "$HD_STATE/queue-id.tmp" "$HD_STATE/queue-id"
echo "$HD_PORT" > "$HD_STATE/port"
echo "$HD_QUEUE_SLUG" > "$HD_STATE/queue"
echo "$HD_USER" > "$HD_STATE/user"

# ------------------------------------------------------------- 5. gunicorn
PIDFILE="$HD_STATE/gunicorn.pid"
if gunicorn_alive; then
  log "gunicorn already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$(cat "$HD_STATE/port")"
  exit 0
fi
touch "$HD_STATE/gunicorn.log"; chown www-data "$HD_STATE/gunicorn.log"
ACCESS=()
if [ -n "$HD_ACCESS_LOG" ]; then
  touch "$HD_STATE/access.log"; chown www-data "$HD_STATE/access.log"
  ACCESS=(--access-logfile "$HD_STATE/access.log")
fi
log "starting gunicorn ($HD_WORKERS sync workers, CONN_MAX_AGE=$HD_CONN_MAX_AGE, mail=$HD_MAIL) on 127.0.0.1:$HD_PORT"
# setpriv and nohup both exec(), so $! is the gunicorn master process itself.
nohup setpriv --reuid=www-data --regid=www-data --init-groups -- \
  "$VENV/bin/python" -W ignore "$VENV/bin/gunicorn" hdbench.wsgi:application --chdir "$PROJECT" \
  --bind "127.0.0.1:$HD_PORT" --workers "$HD_WORKERS" --worker-class sync --name helpdesk-bench --no-control-socket \
  "${ACCESS[@]}" >>"$HD_STATE/gunicorn.log" 2>&1 </dev/null &
echo $! > "$PIDFILE"
for i in $(seq 1 120); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HD_PORT/login/" 2>/dev/null || true)"
  if [ "$code" = 200 ]; then
    log "django-helpdesk is up after ${i}s: http://127.0.0.1:$HD_PORT/  (pid $(cat "$PIDFILE")," \
        "user $HD_USER, password in $HD_STATE/password, queue id $(cat "$HD_STATE/queue-id"))"
    exit 0
  fi
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo "gunicorn died:"; tail -30 "$HD_STATE/gunicorn.log"; exit 1; }
  sleep 1
done
echo "gunicorn did not answer within 120 s"; tail -30 "$HD_STATE/gunicorn.log"; exit 1
