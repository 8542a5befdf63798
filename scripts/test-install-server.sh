#!/usr/bin/env bash
# CI's check of scripts/install-server.sh (issue 13): as root on this machine, without systemd, install
# e-Saraban, see it answer through nginx, take a backup and get a clean `esaraban status`, then run the
# installer again and see it change nothing. Modifies the machine (/opt/esaraban, /etc/esaraban, MariaDB on
# 3306, Redis on 6379, nginx on $PORT): meant for CI and throwaway machines, not a workstation.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${INSTALL_TEST_PORT:-8080}"
HOST=saraban.ci.test
fail() { echo "install-server test FAILED: $*" >&2; exit 1; }

echo "--- first run"
scripts/install-server.sh --host "$HOST" --http-port "$PORT" --org-name "องค์การบริหารส่วนจังหวัดเลย" \
  --letter-code "ลย 51001" | tee /tmp/esaraban-install-1.log
grep -q "e-Saraban answers at http://$HOST:$PORT/" /tmp/esaraban-install-1.log || fail "no address printed"
env_sum="$(sha256sum /etc/esaraban/esaraban.env)"

health="$(curl -fsS -H "Host: $HOST" "http://127.0.0.1:$PORT/healthz")"
echo "$health" | python3 -c 'import json,sys; h=json.load(sys.stdin); assert h["database"]["ok"] and h["redis"]["ok"], h' \
  || fail "healthz through nginx: $health"
curl -fsS -H "Host: $HOST" "http://127.0.0.1:$PORT/login" | grep -q "เข้าสู่ระบบ" || fail "no Thai login page through nginx"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" "http://127.0.0.1:$PORT/static/css/app.css")" = 200 ] \
  || fail "nginx does not serve the static files"

as_app() { (set -a; . /etc/esaraban/esaraban.env; set +a; cd /opt/esaraban &&
            setpriv --reuid=esaraban --regid=esaraban --init-groups -- "$@"); }
as_app /opt/esaraban/.venv/bin/esaraban backup || fail "esaraban backup"
for _ in $(seq 1 30); do as_app /opt/esaraban/.venv/bin/esaraban status >/tmp/esaraban-status.log 2>&1 && break; sleep 2; done
cat /tmp/esaraban-status.log
as_app /opt/esaraban/.venv/bin/esaraban status >/dev/null || fail "esaraban status still needs the admin"

echo "--- second run"
scripts/install-server.sh --host "$HOST" --http-port "$PORT" | tee /tmp/esaraban-install-2.log
grep -q "Nothing changed" /tmp/esaraban-install-2.log || fail "the second run changed something"
grep -q "One-time password" /tmp/esaraban-install-2.log && fail "the second run made another administrator"
[ "$(sha256sum /etc/esaraban/esaraban.env)" = "$env_sum" ] || fail "the settings file changed"
echo "install-server: 1 passed, 0 failed"
