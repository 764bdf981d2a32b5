#!/usr/bin/env bash
# `make load`: a bounded load test on loopback. Starts its own PostgreSQL and Redis (state kept
# under LOAD_STATE, the demo data is built once), gunicorn with production settings and a Celery
# worker, runs locust headless for LOAD_SECONDS with LOAD_USERS simulated people, stops
# everything, prints a table and writes bench/load-results.json. Exits non-zero on any error.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LOAD_USERS="${LOAD_USERS:-40}"
LOAD_SECONDS="${LOAD_SECONDS:-60}"
LOAD_SPAWN_RATE="${LOAD_SPAWN_RATE:-2}"  # people log in two a second, not all at once
LOAD_WORKERS="${LOAD_WORKERS:-$(nproc)}"
export VG_STATE_DIR="${LOAD_STATE:-/tmp/veteran-grid-load}"
export VG_ENV_FILE="$PWD/var/load.env"
export VG_DB_NAME=veteran_grid_load
RUN_DIR="$PWD/var/load"
mkdir -p "$RUN_DIR" var/log
rm -f "$RUN_DIR"/*

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  scripts/services.sh stop || true
}
trap cleanup EXIT

scripts/services.sh start >/dev/null
# shellcheck disable=SC1091
. "$VG_ENV_FILE"
# Production settings: DEBUG off and a real secret. Only the cookies' Secure flag is off,
# because the test talks plain HTTP on loopback (no TLS proxy in front, as in production).
export DEBUG=0 SECURE_COOKIES=0 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
# The keys that encrypt ID and phone numbers live as long as the data they sealed (made once,
# kept in the state folder beside the database), as production keeps them beside its backups.
KEYS_FILE="$VG_STATE_DIR/field-keys.env"
if [ ! -f "$KEYS_FILE" ]; then
  "$BIN/python" - >"$KEYS_FILE" <<'PY'
import secrets
from cryptography.fernet import Fernet
print(f"export FIELD_ENCRYPTION_KEYS={Fernet.generate_key().decode()}")
print(f"export FIELD_HASH_KEY={secrets.token_urlsafe(40)}")
PY
  chmod 600 "$KEYS_FILE"
fi
# shellcheck disable=SC1090
. "$KEYS_FILE"

"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/python" manage.py seed_demo --if-empty --veterans 3000 --visits 9000 --cases 60 --appeals 40 --wishes 40 >/dev/null
"$BIN/python" -m bench.load_accounts >"$RUN_DIR/accounts.json"

nohup "$BIN/celery" -A config worker --loglevel=WARNING --concurrency=1 >var/log/load-worker.log 2>&1 &
pids+=($!)
: >var/log/load-gunicorn.log
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN/gunicorn" config.wsgi --workers "$LOAD_WORKERS" --bind "127.0.0.1:$PORT" --log-level warning \
  --error-logfile var/log/load-gunicorn.log &
pids+=($!)
"$BIN/python" - "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2).read()
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("gunicorn did not answer /healthz in 30 s")
PY

MACHINE_LOAD=$(cut -d' ' -f1 /proc/loadavg)
echo "load: $LOAD_USERS users for $LOAD_SECONDS s against gunicorn ($LOAD_WORKERS workers) on 127.0.0.1:$PORT"
status=0
PYTHONPATH=. LOAD_ACCOUNTS="$RUN_DIR/accounts.json" LOAD_STATUS_FILE="$RUN_DIR/statuses.json" \
  "$BIN/locust" -f bench/locustfile.py --headless --only-summary --skip-log-setup \
  --users "$LOAD_USERS" --spawn-rate "$LOAD_SPAWN_RATE" --run-time "${LOAD_SECONDS}s" --stop-timeout 10 \
  --host "http://127.0.0.1:$PORT" --json-file "$RUN_DIR/stats" >"$RUN_DIR/locust.log" 2>&1 || true
"$BIN/python" -m bench.load_report --stats "$RUN_DIR/stats.json" --statuses "$RUN_DIR/statuses.json" \
  --users "$LOAD_USERS" --seconds "$LOAD_SECONDS" --workers "$LOAD_WORKERS" --machine-load "$MACHINE_LOAD" \
  --output bench/load-results.json \
  || status=$?
# An exception the server logged (an after-commit hook, a worker timeout) fails the run too.
if grep -qE "Traceback|WORKER TIMEOUT|\[ERROR\]" var/log/load-gunicorn.log; then
  echo "FAILED: the server logged errors (var/log/load-gunicorn.log)"; status=1
fi
if [ "$status" -ne 0 ]; then
  echo "--- locust (var/load/locust.log) ---"; tail -n 30 "$RUN_DIR/locust.log"
  echo "--- server (var/log/load-gunicorn.log) ---"; tail -n 40 var/log/load-gunicorn.log
fi
exit "$status"
