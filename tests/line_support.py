"""The local LINE server and a real rq worker process, for the notification tests and benchmarks."""
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from redis import Redis
from rq import Queue, Worker

from app.core.jobs import QUEUE_NAME
from fake_line.server import create_app as create_fake_line
from fake_line.server import serve_in_thread

ROOT = Path(__file__).resolve().parents[1]
CHANNEL_TOKEN = "test-channel-access-token"
CHANNEL_SECRET = "test-channel-secret"


@contextmanager
def fake_line_server(webhook_url=None, app_url=None, monthly_quota=1000):
    """The local LINE server on a free port; `.url`, and `.state` for what it received."""
    fake_app = create_fake_line(CHANNEL_TOKEN, CHANNEL_SECRET, webhook_url=webhook_url,
                                monthly_quota=monthly_quota, app_url=app_url)
    with serve_in_thread(fake_app) as handle:
        handle.state = fake_app.extensions["fake_line"]
        yield handle


def line_environ(fake_url, public_url="http://esaraban.test", **extra):
    """App settings pointing LINE at the local server (extra settings win)."""
    return {"LINE_CHANNEL_ACCESS_TOKEN": CHANNEL_TOKEN, "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
            "LINE_API_BASE": fake_url.rstrip("/"), "LINE_ACCESS_BASE": fake_url.rstrip("/"),
            "PUBLIC_BASE_URL": public_url, "LINE_GROUP_SECONDS": "0", "SWEEP_SECONDS": "1",
            "LINE_TIMEOUT_SECONDS": "2", **extra}


def start_worker(environ):
    """`python -m workers.worker` as production runs it (scheduler and sweep included), once it is
    registered in Redis. Its log goes to a temporary file (a pipe nobody reads would fill and stall it)."""
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, "-m", "workers.worker"], cwd=ROOT,
                               env={**os.environ, **environ}, stdout=log, stderr=subprocess.STDOUT, text=True)
    process.log = log
    redis = Redis.from_url(environ["REDIS_URL"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the worker exited: {log.read()[-2000:]}")
        if any(worker.pid == process.pid for worker in Worker.all(queue=Queue(QUEUE_NAME, connection=redis))):
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the worker did not register in Redis within 30 s")


def stop_worker(process, kill=False):
    """SIGKILL drops whatever job it was running (as a crash would); SIGTERM lets it finish."""
    if process.poll() is None:
        process.kill() if kill else process.terminate()
        process.wait(timeout=30)
    process.log.close()


@contextmanager
def rq_worker(environ):
    process = start_worker(environ)
    try:
        yield process
    finally:
        stop_worker(process)


def wait_until(condition, timeout=30, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")
