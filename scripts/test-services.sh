#!/usr/bin/env bash
# Private MariaDB and Redis for the test suite, on loopback, with their data under .test-services/.
#   scripts/test-services.sh start   start both (reuses instances that are already running)
#   scripts/test-services.sh stop    stop both
#   scripts/test-services.sh env     print the variables the tests read
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="$PWD/.test-services"
MARIADB_PORT="${TEST_MARIADB_PORT:-33306}"
REDIS_PORT="${TEST_REDIS_PORT:-63790}"
SOCKET="$STATE/mariadb/mysqld.sock"
DB_USER=esaraban_test
DB_PASSWORD=esaraban_test

print_env() {
  echo "export TEST_DATABASE_URL=mysql+pymysql://$DB_USER:$DB_PASSWORD@127.0.0.1:$MARIADB_PORT/esaraban_test"
  echo "export TEST_E2E_DATABASE_URL=mysql+pymysql://$DB_USER:$DB_PASSWORD@127.0.0.1:$MARIADB_PORT/esaraban_e2e"
  echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

mariadb_ready() { mariadb-admin --no-defaults --socket="$SOCKET" -uroot ping >/dev/null 2>&1; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

refuse_taken_port() {
  echo "Port $2 on 127.0.0.1 is taken by another process (another checkout's test $1?)." >&2
  echo "Stop it (scripts/test-services.sh stop in that checkout) or choose another port with TEST_${1^^}_PORT." >&2
  exit 1
}

start_mariadb() {
  if mariadb_ready; then echo "MariaDB already running on 127.0.0.1:$MARIADB_PORT"; return; fi
  port_taken "$MARIADB_PORT" && refuse_taken_port mariadb "$MARIADB_PORT"
  mkdir -p "$STATE/mariadb"
  local run_as=(); [ "$(id -u)" -eq 0 ] && run_as=(--user=root)
  if [ ! -d "$STATE/mariadb/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$STATE/mariadb/data" --auth-root-authentication-method=socket \
      --skip-test-db "${run_as[@]}" >"$STATE/mariadb/install.log" 2>&1
  fi
  mariadbd --no-defaults --datadir="$STATE/mariadb/data" --socket="$SOCKET" --port="$MARIADB_PORT" \
    --bind-address=127.0.0.1 --pid-file="$STATE/mariadb/mariadbd.pid" --log-error="$STATE/mariadb/error.log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --skip-log-bin \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=300 \
    "${run_as[@]}" >/dev/null 2>&1 &
  for _ in $(seq 1 60); do mariadb_ready && break; sleep 0.5; done
  mariadb_ready || { echo "MariaDB did not start; see $STATE/mariadb/error.log" >&2; tail -20 "$STATE/mariadb/error.log" >&2; exit 1; }
  mariadb --no-defaults --socket="$SOCKET" -uroot <<SQL
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'localhost';
SQL
  echo "MariaDB started on 127.0.0.1:$MARIADB_PORT"
}

redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; }

start_redis() {
  if redis_ready && [ -f "$STATE/redis/redis.pid" ]; then echo "Redis already running on 127.0.0.1:$REDIS_PORT"; return; fi
  port_taken "$REDIS_PORT" && refuse_taken_port redis "$REDIS_PORT"
  mkdir -p "$STATE/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$STATE/redis" \
    --pidfile "$STATE/redis/redis.pid" --logfile "$STATE/redis/redis.log" --save "" --appendonly no
  for _ in $(seq 1 40); do redis_ready && break; sleep 0.25; done
  redis_ready || { echo "Redis did not start; see $STATE/redis/redis.log" >&2; exit 1; }
  echo "Redis started on 127.0.0.1:$REDIS_PORT"
}

stop_all() {
  if mariadb_ready; then mariadb-admin --no-defaults --socket="$SOCKET" -uroot shutdown; fi
  if redis_ready; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  echo "Test services stopped"
}

case "${1:-}" in
  start) start_mariadb; start_redis ;;
  stop) stop_all ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
