#!/usr/bin/env bash
# Local PostgreSQL and Redis on free loopback ports, for production-like runs and for CI.
#   scripts/services.sh start   -> starts both, writes var/services.env (DATABASE_URL, REDIS_URL)
#   scripts/services.sh stop    -> stops both (by pid file)
# With VG_REPLICA=1, start also makes a streaming replica of the PostgreSQL (pg_basebackup) on
# another loopback port, or starts again the one kept in the state folder if it still streams, and
# adds DATABASE_REPLICA_URLS to the env file. With VG_PGBOUNCER=1 it
# also starts PgBouncer in transaction pooling mode in front of it and adds PGBOUNCER_URL.
# PostgreSQL refuses to run as root, so as root it runs as a plain system user.
set -euo pipefail
cd "$(dirname "$0")/.."
VAR="$PWD/var"
# PostgreSQL's files live under /tmp: its system user may not traverse the checkout's parents.
STATE="${VG_STATE_DIR:-/tmp/veteran-grid-$(id -u)-$(echo "$PWD" | cksum | cut -d' ' -f1)}"
PG_DATA="$STATE/pgdata"
REPLICA_DATA="$STATE/replica"
PG_SOCK="$STATE/pgsock"
PG_USER_OS="vgpostgres"
ENV_FILE="${VG_ENV_FILE:-$VAR/services.env}"
DB_NAME="${VG_DB_NAME:-veteran_grid}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

pg_bin() {
  for dir in /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
    if [ -x "$dir/$1" ]; then echo "$dir/$1"; return; fi
  done
  echo "missing PostgreSQL binary: $1 (apt-get install postgresql)" >&2; exit 1
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u "$PG_USER_OS" -- "$@"; else "$@"; fi
}

start() {
  mkdir -p "$VAR/log"
  if [ -f "$ENV_FILE" ] && [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$(pg_bin pg_ctl)" -D "$PG_DATA" status >/dev/null 2>&1; then
    # Already running (an earlier run was interrupted): reuse it, adding the replica if now asked.
    PG_PORT=$(sed -n 's|.*DATABASE_URL=.*@127.0.0.1:\([0-9]*\)/.*|\1|p' "$ENV_FILE" | head -1)
    if [ "${VG_REPLICA:-}" = "1" ] && ! grep -q DATABASE_REPLICA_URLS "$ENV_FILE"; then start_replica; fi
    if [ "${VG_PGBOUNCER:-}" = "1" ] && ! grep -q PGBOUNCER_URL "$ENV_FILE"; then start_pgbouncer; fi
    cat "$ENV_FILE"
    return
  fi
  if [ "$(id -u)" = "0" ] && ! id "$PG_USER_OS" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER_OS"
  fi
  mkdir -p "$PG_SOCK"
  if [ "$(id -u)" = "0" ]; then chown "$PG_USER_OS" "$STATE" "$PG_SOCK"; chmod 755 "$STATE"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = "0" ] && chown "$PG_USER_OS" "$PG_DATA"
    as_pg "$(pg_bin initdb)" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log"
  fi
  PG_PORT=$(free_port)
  as_pg "$(pg_bin pg_ctl)" -D "$PG_DATA" -l "$STATE/postgres.log" -w -o \
    "-k $PG_SOCK -c listen_addresses=127.0.0.1 -p $PG_PORT -c fsync=${PG_FSYNC:-on} -c synchronous_commit=${PG_FSYNC:-on} -c full_page_writes=${PG_FSYNC:-on} -c max_connections=200 -c shared_buffers=${PG_SHARED_BUFFERS:-128MB}" start >/dev/null
  "$(pg_bin psql)" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1 \
    || "$(pg_bin createdb)" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB_NAME"
  command -v redis-server >/dev/null || { echo "missing redis-server (apt-get install redis-server)" >&2; exit 1; }
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$STATE/redis.pid" --logfile "$VAR/log/redis.log" --dir "$STATE"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  cat >"$ENV_FILE" <<ENV
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
ENV
  if [ "${VG_REPLICA:-}" = "1" ]; then start_replica; fi
  if [ "${VG_PGBOUNCER:-}" = "1" ]; then start_pgbouncer; fi
  cat "$ENV_FILE"
}

start_pgbouncer() {
  command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || { echo "missing pgbouncer (apt-get install pgbouncer)" >&2; exit 1; }
  local bin; bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
  if [ -f "$STATE/pgbouncer.pid" ]; then kill "$(cat "$STATE/pgbouncer.pid")" 2>/dev/null || true; sleep 0.2; fi
  PGB_PORT=$(free_port)
  echo '"postgres" ""' >"$STATE/pgbouncer-users.txt"
  # Transaction pooling, as a city's deployment runs it; libpq's `options` (jit=off) is not passed on.
  cat >"$STATE/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = trust
admin_users = postgres
auth_file = $STATE/pgbouncer-users.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
pidfile = $STATE/pgbouncer.pid
logfile = $STATE/pgbouncer.log
INI
  [ "$(id -u)" = "0" ] && chown "$PG_USER_OS" "$STATE/pgbouncer.ini" "$STATE/pgbouncer-users.txt"
  as_pg "$bin" -d "$STATE/pgbouncer.ini"
  for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$PGB_PORT") 2>/dev/null && break; sleep 0.1; done
  echo "export PGBOUNCER_URL=postgres://postgres@127.0.0.1:$PGB_PORT/$DB_NAME" >>"$ENV_FILE"
}

start_replica() {
  REPLICA_PORT=$(free_port)
  # A copy kept from an earlier run is started again and used if it streams from the primary (a
  # city-sized copy takes minutes to make); otherwise (none yet, or the primary no longer has the
  # WAL it needs) a fresh copy is made. Hot standby: read-only queries.
  if ! resume_replica; then
    if [ -f "$REPLICA_DATA/postmaster.pid" ]; then as_pg "$(pg_bin pg_ctl)" -D "$REPLICA_DATA" -m fast stop >/dev/null || true; fi
    rm -rf "$REPLICA_DATA"
    mkdir -p "$REPLICA_DATA"
    [ "$(id -u)" = "0" ] && chown "$PG_USER_OS" "$REPLICA_DATA"
    chmod 700 "$REPLICA_DATA"
    as_pg "$(pg_bin pg_basebackup)" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$REPLICA_DATA" -R -X stream --checkpoint=fast >/dev/null
    start_replica_server
  fi
  echo "export DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB_NAME" >>"$ENV_FILE"
}

start_replica_server() {
  as_pg "$(pg_bin pg_ctl)" -D "$REPLICA_DATA" -l "$STATE/replica.log" -w -o \
    "-k $PG_SOCK -c listen_addresses=127.0.0.1 -p $REPLICA_PORT -c hot_standby=on -c max_connections=200 -c fsync=${PG_FSYNC:-on} -c shared_buffers=${PG_SHARED_BUFFERS:-128MB}" start >/dev/null
}

resume_replica() {
  [ -f "$REPLICA_DATA/standby.signal" ] || return 1
  if [ -f "$REPLICA_DATA/postmaster.pid" ]; then as_pg "$(pg_bin pg_ctl)" -D "$REPLICA_DATA" -m fast stop >/dev/null || true; fi
  # The primary listens on a new port each time it starts.
  sed -i "/^primary_conninfo/s/port=[0-9]*/port=$PG_PORT/" "$REPLICA_DATA/postgresql.auto.conf"
  start_replica_server || return 1
  for _ in $(seq 100); do
    if [ "$("$(pg_bin psql)" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d "$DB_NAME" -tAc \
      "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = "streaming" ]; then return 0; fi
    sleep 0.2
  done
  as_pg "$(pg_bin pg_ctl)" -D "$REPLICA_DATA" -m fast stop >/dev/null || true
  return 1
}

stop() {
  if [ -f "$STATE/pgbouncer.pid" ]; then kill "$(cat "$STATE/pgbouncer.pid")" 2>/dev/null || true; rm -f "$STATE/pgbouncer.pid"; fi
  if [ -f "$REPLICA_DATA/postmaster.pid" ]; then as_pg "$(pg_bin pg_ctl)" -D "$REPLICA_DATA" -m fast stop >/dev/null || true; fi
  if [ -f "$PG_DATA/postmaster.pid" ]; then as_pg "$(pg_bin pg_ctl)" -D "$PG_DATA" -m fast stop >/dev/null || true; fi
  if [ -f "$STATE/redis.pid" ]; then kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true; rm -f "$STATE/redis.pid"; fi
  rm -f "$ENV_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
