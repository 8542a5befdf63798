#!/usr/bin/env bash
# A private MariaDB for the benchmarks, apart from the test suite's: loopback only, data under .bench-services/,
# an 8 GB buffer pool so a million documents and their indexes stay in memory.
#   scripts/bench-mariadb.sh start   start it (reuses an instance that is already running)
#   scripts/bench-mariadb.sh stop    stop it; the data stays for the next run
#   scripts/bench-mariadb.sh env     print the variable the benchmarks read
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="$PWD/.bench-services/mariadb"
PORT="${BENCH_MARIADB_PORT:-33307}"
BUFFER_POOL="${BENCH_BUFFER_POOL:-8G}"
SOCKET="$STATE/mysqld.sock"
DB_USER=esaraban_bench
DB_PASSWORD=esaraban_bench

print_env() {
  echo "export BENCH_DATABASE_URL=mysql+pymysql://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/esaraban_bench"
}

ready() { mariadb-admin --no-defaults --socket="$SOCKET" -uroot ping >/dev/null 2>&1; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  if ready; then echo "Benchmark MariaDB already running on 127.0.0.1:$PORT"; return; fi
  if port_taken "$PORT"; then
    echo "Port $PORT on 127.0.0.1 is taken by another process; choose another with BENCH_MARIADB_PORT." >&2
    exit 1
  fi
  mkdir -p "$STATE"
  local run_as=(); [ "$(id -u)" -eq 0 ] && run_as=(--user=root)
  if [ ! -d "$STATE/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$STATE/data" --auth-root-authentication-method=socket \
      --skip-test-db "${run_as[@]}" >"$STATE/install.log" 2>&1
  fi
  mariadbd --no-defaults --datadir="$STATE/data" --socket="$SOCKET" --port="$PORT" \
    --bind-address=127.0.0.1 --pid-file="$STATE/mariadbd.pid" --log-error="$STATE/error.log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --skip-log-bin \
    --innodb-buffer-pool-size="$BUFFER_POOL" --innodb-log-file-size=1G --innodb-flush-log-at-trx-commit=2 \
    --max-connections=100 --max-allowed-packet=256M "${run_as[@]}" >/dev/null 2>&1 &
  for _ in $(seq 1 120); do ready && break; sleep 0.5; done
  ready || { echo "MariaDB did not start; see $STATE/error.log" >&2; tail -20 "$STATE/error.log" >&2; exit 1; }
  mariadb --no-defaults --socket="$SOCKET" -uroot <<SQL
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
SQL
  echo "Benchmark MariaDB started on 127.0.0.1:$PORT (buffer pool $BUFFER_POOL)"
}

stop() {
  if ready; then mariadb-admin --no-defaults --socket="$SOCKET" -uroot shutdown; fi
  echo "Benchmark MariaDB stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
