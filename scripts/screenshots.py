"""Refresh docs/screenshots/: the main pages of the demo at 1366 px (a desk) and 390 px (a phone).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Builds a fresh SQLite database in a temporary folder, loads the demo organisation and its letters
(`flask demo load`), serves it with gunicorn on a free port, and opens Debian's Chromium (Playwright) as
the registry clerk, a manager and the administrator. Nothing outside the temporary folder and the output
folder is touched.
"""
import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "Loei2569"

# (file name, who, what to open: a path, or a function of the page that gets there)
CLERK, MANAGER, ADMIN = "saraban", "finance.director", "admin"


def _first_document(page):
    page.goto("/tasks")
    href = page.locator("main a[href*='/documents/']").first.get_attribute("href")
    page.goto(href)


def _register_report(page):
    page.goto("/reports/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


SHOTS = [
    ("home-clerk", CLERK, "/"),
    ("my-work", CLERK, "/tasks"),
    ("inbox", CLERK, "/inbox"),
    ("document", CLERK, _first_document),
    ("search", CLERK, "/search?q=ประชุม"),
    ("register-report", CLERK, _register_report),
    ("home-manager", MANAGER, "/"),
    ("signatures", MANAGER, "/signatures"),
    ("admin-units", ADMIN, "/admin/units"),
    ("letter-new", CLERK, "/letters/new?kind=external"),
    ("signatures-chief", "chief", "/signatures"),
    ("letterhead", ADMIN, "/admin/letterhead"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="esaraban-shots-") as instance:
        env = {**os.environ, "INSTANCE_PATH": instance, "LOG_LEVEL": "WARNING", "SWEEP_SECONDS": "3600"}
        for name in ("DATABASE_URL", "REDIS_URL", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_CHANNEL_SECRET"):
            env.pop(name, None)
        flask = [str(VENV_BIN / "flask"), "--app", "app"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*flask, "demo", "load"], cwd=ROOT, env=env, check=True)
        port = _free_port()
        gunicorn = [str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads",
                    "4", "--log-level", "warning", "wsgi:app"]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_for(f"{base_url}/healthz")
            _shoot(base_url, args.out, [("verify", "chief", _verify_path(Path(instance))),
                                        ("letter", "palad.officer", _waiting_letter_path(Path(instance)))])
        finally:
            server.terminate()
            server.wait(timeout=20)


def _verify_path(instance):
    """The public verify page of a signed demo letter (what its QR code opens)."""
    with sqlite3.connect(instance / "esaraban.sqlite3") as connection:
        (code,) = connection.execute("SELECT verify_code FROM letter WHERE verify_code IS NOT NULL "
                                     "ORDER BY id LIMIT 1").fetchone()
    return f"/verify/{code}"


def _waiting_letter_path(instance):
    """The page of the demo letter that waits for the chief: its form locked, its PDF beside it."""
    with sqlite3.connect(instance / "esaraban.sqlite3") as connection:
        (letter_id,) = connection.execute("SELECT id FROM letter WHERE signed_at IS NULL ORDER BY id LIMIT 1"
                                          ).fetchone()
    return f"/letters/{letter_id}"


def _shoot(base_url, out, more_shots=()):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for size_name, viewport in SIZES.items():
            pages = {}
            for file_name, person, target in [*SHOTS, *more_shots]:
                if person not in pages:
                    pages[person] = _logged_in(browser, base_url, viewport, person)
                page = pages[person]
                if callable(target):
                    target(page)
                else:
                    page.goto(target)
                page.wait_for_load_state("networkidle")
                path = out / f"{file_name}-{size_name}.png"
                page.screenshot(path=path)
                print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            for page in pages.values():
                page.context.close()
        browser.close()


def _logged_in(browser, base_url, viewport, username):
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="th-TH",
                                  timezone_id="Asia/Bangkok")
    page = context.new_page()
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return page


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


if __name__ == "__main__":
    main()
