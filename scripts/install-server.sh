#!/usr/bin/env bash
# e-Saraban on one Debian 12 or 13 server, in one command (docs/deploy.md):
#
#   sudo scripts/install-server.sh --host saraban.example.go.th \
#        --org-name "องค์การบริหารส่วนจังหวัดเลย" --letter-code "ลย 51001" \
#        [--cert /etc/ssl/esaraban/fullchain.pem --key /etc/ssl/esaraban/privkey.pem] [--http-port 80]
#
# Installs MariaDB, Redis, nginx and the app into /opt/esaraban; creates the database and its user with a
# generated password; writes /etc/esaraban/esaraban.env with a generated SECRET_KEY; migrates the schema;
# creates the organisation and its first administrator; installs and starts the web and worker services, a
# daily backup and log rotation; prints the address and the administrator's one-time password.
#
# Run it again at any time (after `git pull`, for instance): it keeps the passwords, the key and the data,
# upgrades the schema (after a backup), restarts what changed, and says "nothing changed" when nothing did.
# Where systemd is not PID 1 (a container, CI) it starts the same processes itself.
set -euo pipefail

SOURCE="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="${ESARABAN_PREFIX:-/opt/esaraban}"
ETC=/etc/esaraban
ENV_FILE="$ETC/esaraban.env"
STATE=/var/lib/esaraban
BACKUPS=/var/backups/esaraban
LOGS=/var/log/esaraban
RUN_DIR=/run/esaraban
APP_USER=esaraban
DB_NAME=esaraban
APP_PORT=8000
HOST_NAME="$(hostname -f 2>/dev/null || hostname)"
ORG_NAME=""
LETTER_CODE=""
CERT=""
KEY=""
HTTP_PORT=80

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOST_NAME="$2"; shift 2 ;;
    --org-name) ORG_NAME="$2"; shift 2 ;;
    --letter-code) LETTER_CODE="$2"; shift 2 ;;
    --cert) CERT="$2"; shift 2 ;;
    --key) KEY="$2"; shift 2 ;;
    --http-port) HTTP_PORT="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "Unknown option $1 (ไม่รู้จักตัวเลือก $1)" >&2; usage ;;
  esac
done
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Run as root (ต้องใช้สิทธิ์ root)" >&2; exit 1; }
  exec sudo "$0" "$@"
fi
if { [ -n "$CERT" ] && [ -z "$KEY" ]; } || { [ -z "$CERT" ] && [ -n "$KEY" ]; }; then
  echo "--cert and --key go together (ต้องระบุ --cert และ --key คู่กัน)" >&2; exit 2
fi

CHANGES=()
changed() { CHANGES+=("$1"); echo "  * $1"; }
step() { echo "==> $1"; }
with_systemd() { [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; }

# Write $2 to the file $1 (mode $3, owner $4) only when its content differs; say so when it does.
put_file() {
  local target="$1" content="$2" mode="${3:-0644}" owner="${4:-root:root}"
  if [ -f "$target" ] && [ "$(cat "$target")" = "$content" ]; then return 1; fi
  mkdir -p "$(dirname "$target")"
  printf '%s\n' "$content" > "$target.new"
  chmod "$mode" "$target.new"; chown "$owner" "$target.new"
  mv "$target.new" "$target"
  changed "wrote $target"
}

# Run a command as the app's account with the settings loaded (setpriv execs it: no process in between).
as_app() {
  (set -a; . "$ENV_FILE"; set +a; export HOME="$STATE"; cd "$PREFIX" &&
   exec setpriv --reuid="$APP_USER" --regid="$APP_USER" --init-groups -- "$@")
}

step "Debian packages (แพ็กเกจของ Debian)"
python3 "$SOURCE/scripts/system_packages.py" install server

step "Account $APP_USER and folders"
if ! id "$APP_USER" >/dev/null 2>&1; then
  useradd --system --home-dir "$STATE" --shell /usr/sbin/nologin "$APP_USER"
  changed "created the system account $APP_USER"
fi
for dir in "$STATE" "$BACKUPS" "$LOGS"; do
  [ -d "$dir" ] || { mkdir -p "$dir"; changed "created $dir"; }
  chown "$APP_USER:$APP_USER" "$dir"; chmod 0750 "$dir"
done

step "The code in $PREFIX"
copied=""
if [ "$SOURCE" != "$PREFIX" ]; then
  mkdir -p "$PREFIX"
  # What git ignores (the venv, built assets, compiled translations, local databases) is not copied, and
  # what the install builds in $PREFIX is not deleted.
  copied="$(rsync -a --checksum --delete --itemize-changes --exclude .git/ --filter=':- .gitignore' \
    "$SOURCE/" "$PREFIX/" | grep -v '^\.d' || true)"
  [ -z "$copied" ] || changed "copied $(printf '%s\n' "$copied" | wc -l) changed files into $PREFIX"
fi
# The venv is made with Debian's own Python: it is there for every account, and security updates reach it.
SYSTEM_PYTHON=/usr/bin/python3
if [ -f "$PREFIX/.venv/pyvenv.cfg" ] && ! grep -qx "home = $(dirname "$SYSTEM_PYTHON")" "$PREFIX/.venv/pyvenv.cfg"; then
  rm -rf "$PREFIX/.venv"; changed "made the virtualenv anew with $SYSTEM_PYTHON"
fi
make -C "$PREFIX" --no-print-directory -s PYTHON="$SYSTEM_PYTHON" assets >/dev/null
CODE_CHANGED=${copied:+yes}

step "MariaDB and Redis"
start_service() {  # start_service NAME CHECK...: start NAME unless CHECK already succeeds
  local name="$1"; shift
  if "$@" >/dev/null 2>&1; then return; fi
  if with_systemd; then systemctl enable --now "$name" >/dev/null; else service "$name" start >/dev/null; fi
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && break; sleep 0.5; done
  "$@" >/dev/null 2>&1 || { echo "$name did not start" >&2; exit 1; }
  changed "started $name"
}
start_service mariadb mariadb-admin ping
if grep -q '^appendonly no' /etc/redis/redis.conf; then
  sed -i 's/^appendonly no/appendonly yes/' /etc/redis/redis.conf
  changed "Redis keeps its queue across restarts (appendonly yes)"
  if redis-cli ping >/dev/null 2>&1; then redis-cli shutdown >/dev/null 2>&1 || true; sleep 1; fi
fi
start_service redis-server redis-cli ping

step "Settings ($ENV_FILE)"
if [ ! -f "$ENV_FILE" ]; then
  db_password="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
  scheme=http; [ -n "$CERT" ] && scheme=https
  port_part=""; [ "$scheme" = http ] && [ "$HTTP_PORT" != 80 ] && port_part=":$HTTP_PORT"
  put_file "$ENV_FILE" "# e-Saraban settings (README, Configure). Written by scripts/install-server.sh; edit freely.
DATABASE_URL=mysql+pymysql://$APP_USER:$db_password@127.0.0.1:3306/$DB_NAME
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
REDIS_URL=redis://127.0.0.1:6379/0
INSTANCE_PATH=$STATE
FILES_PATH=$STATE/files
BACKUP_PATH=$BACKUPS
PROXY_COUNT=1
COOKIE_SECURE=$([ "$scheme" = https ] && echo true || echo false)
PUBLIC_BASE_URL=$scheme://$HOST_NAME$port_part" 0640 "root:$APP_USER"
fi
db_password="$(sed -n 's|^DATABASE_URL=mysql+pymysql://[^:]*:\([^@]*\)@.*|\1|p' "$ENV_FILE")"

step "Database $DB_NAME"
if ! mariadb -N -e "SELECT 1 FROM information_schema.schemata WHERE schema_name='$DB_NAME'" | grep -q 1; then
  changed "created the database $DB_NAME"
fi
mariadb <<SQL
CREATE DATABASE IF NOT EXISTS $DB_NAME CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE USER IF NOT EXISTS '$APP_USER'@'127.0.0.1' IDENTIFIED BY '$db_password';
ALTER USER '$APP_USER'@'127.0.0.1' IDENTIFIED BY '$db_password';
GRANT ALL PRIVILEGES ON $DB_NAME.* TO '$APP_USER'@'127.0.0.1';
SQL

step "Schema and first organisation"
upgrade_output="$(as_app "$PREFIX/.venv/bin/esaraban" upgrade)"
echo "$upgrade_output" | sed 's/^/    /'
echo "$upgrade_output" | grep -q "up to date" || { changed "migrated the database schema"; CODE_CHANGED=yes; }
ADMIN_LINES=""
setup_args=()
[ -z "$ORG_NAME" ] || setup_args+=(--org-name "$ORG_NAME")
[ -z "$LETTER_CODE" ] || setup_args+=(--letter-code "$LETTER_CODE")
setup_output="$(as_app "$PREFIX/.venv/bin/esaraban" setup "${setup_args[@]}" 2>&1)" \
  || { echo "$setup_output" >&2; exit 2; }
if echo "$setup_output" | grep -q "One-time password"; then
  ADMIN_LINES="$setup_output"; changed "created the organisation and its first administrator"
fi

step "Web and worker processes"
web_command=("$PREFIX/.venv/bin/gunicorn" --bind "127.0.0.1:$APP_PORT" --workers 4 --threads 4 wsgi:app)
if with_systemd; then
  units_changed=""
  for unit in esaraban-web.service esaraban-worker.service esaraban-backup.service esaraban-backup.timer; do
    put_file "/etc/systemd/system/$unit" "$(sed "s|/opt/esaraban|$PREFIX|g" "$PREFIX/deploy/systemd/$unit")" \
      && units_changed=yes || true
  done
  [ -z "$units_changed" ] || systemctl daemon-reload
  for unit in esaraban-web esaraban-worker esaraban-backup.timer; do
    systemctl is-enabled --quiet "$unit" 2>/dev/null || { systemctl enable --now "$unit" >/dev/null; changed "enabled $unit"; }
  done
  if [ -n "$CODE_CHANGED$units_changed" ]; then
    systemctl restart esaraban-web esaraban-worker; changed "restarted esaraban-web and esaraban-worker"
  fi
else
  mkdir -p "$RUN_DIR"; chown "$APP_USER:$APP_USER" "$RUN_DIR"
  run_in_background() {  # NAME COMMAND...: keep one process NAME running, restarted when the code changed
    local name="$1"; shift
    local pid_file="$RUN_DIR/$name.pid"
    if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      [ -n "$CODE_CHANGED" ] || return 0
      kill "$(cat "$pid_file")"; sleep 2
    fi
    (set -a; . "$ENV_FILE"; set +a; export HOME="$STATE"; cd "$PREFIX" &&
     exec setsid setpriv --reuid="$APP_USER" --regid="$APP_USER" --init-groups -- "$@" \
      >>"$LOGS/$name.log" 2>&1 < /dev/null) &
    echo $! > "$pid_file"
    changed "started $name (no systemd here: pid $(cat "$pid_file"), log $LOGS/$name.log)"
  }
  run_in_background esaraban-web "${web_command[@]}"
  run_in_background esaraban-worker "$PREFIX/.venv/bin/python" -m workers.worker
  put_file /etc/cron.d/esaraban-backup "# Daily e-Saraban backup where systemd's timer is not there
30 1 * * * $APP_USER cd $PREFIX && set -a && . $ENV_FILE && set +a && $PREFIX/.venv/bin/esaraban backup >> $LOGS/backup.log 2>&1" || true
fi
put_file /etc/logrotate.d/esaraban "$(cat "$PREFIX/deploy/logrotate/esaraban")" || true

step "nginx"
put_file /etc/nginx/snippets/esaraban-app.conf \
  "$(sed "s|/opt/esaraban|$PREFIX|g" "$PREFIX/deploy/nginx/esaraban-app.conf")" && nginx_changed=yes || nginx_changed=""
if [ -n "$CERT" ]; then
  site="$(sed -e "s|saraban.example.go.th|$HOST_NAME|g" -e "s|/etc/ssl/esaraban/fullchain.pem|$CERT|" \
    -e "s|/etc/ssl/esaraban/privkey.pem|$KEY|" "$PREFIX/deploy/nginx/esaraban.conf")"
else
  site="$(sed -e "s|saraban.example.go.th|$HOST_NAME|g" -e "s|listen 80;|listen $HTTP_PORT;|" \
    -e "s|listen \[::\]:80;|listen [::]:$HTTP_PORT;|" "$PREFIX/deploy/nginx/esaraban-http.conf")"
fi
put_file /etc/nginx/sites-available/esaraban "$site" && nginx_changed=yes || true
if [ ! -L /etc/nginx/sites-enabled/esaraban ]; then
  ln -sf /etc/nginx/sites-available/esaraban /etc/nginx/sites-enabled/esaraban; nginx_changed=yes
  changed "enabled the nginx site"
fi
if [ -L /etc/nginx/sites-enabled/default ] && { [ "$HTTP_PORT" = 80 ] || [ -n "$CERT" ]; }; then
  rm /etc/nginx/sites-enabled/default; nginx_changed=yes; changed "disabled nginx's default site"
fi
nginx -t -q
if ! pgrep -x nginx >/dev/null; then
  if with_systemd; then systemctl enable --now nginx >/dev/null; else service nginx start >/dev/null; fi
  changed "started nginx"
elif [ -n "$nginx_changed" ]; then
  nginx -s reload
fi

step "Check through nginx"
if [ -n "$CERT" ]; then url="https://$HOST_NAME"; probe=(curl -fsS -k --resolve "$HOST_NAME:443:127.0.0.1" "$url/healthz")
else url="http://$HOST_NAME$([ "$HTTP_PORT" != 80 ] && echo ":$HTTP_PORT")"; probe=(curl -fsS "http://127.0.0.1:$HTTP_PORT/healthz" -H "Host: $HOST_NAME")
fi
for _ in $(seq 1 60); do "${probe[@]}" >/dev/null 2>&1 && break; sleep 1; done
"${probe[@]}" >/dev/null || { echo "e-Saraban does not answer through nginx; see $LOGS and /var/log/nginx" >&2; exit 1; }

echo
echo "e-Saraban answers at $url/ (ระบบพร้อมใช้งาน)"
if [ -n "$ADMIN_LINES" ]; then echo "$ADMIN_LINES"; echo "Log in with it now: it must be changed at the first login."; fi
if [ ${#CHANGES[@]} -eq 0 ]; then echo "Nothing changed (ไม่มีอะไรเปลี่ยนแปลง)."; else echo "${#CHANGES[@]} changes made."; fi
