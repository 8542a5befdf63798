"""Issue 17 item 4: the worker outlives Redis going away, and the scheduler of delayed jobs comes back at
once after a worker is killed. Each test runs its own Redis server, so it can stop and start it."""
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager

import pytest
from redis import Redis
from rq import Queue
from rq.scheduler import RQScheduler

from app.core.jobs import QUEUE_NAME
from tests.line_support import start_worker, stop_worker, wait_until

PROBE = "tests.integration.job_probe.mark_in_redis"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def redis_server(port):
    """A Redis of the test's own on `port`; `.restart()` stops it and starts it again on the same port."""
    directory = tempfile.TemporaryDirectory()

    def start():
        process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--dir", directory.name],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: _answers(port), timeout=10, message="redis to start")
        return process

    class Server:
        url = f"redis://127.0.0.1:{port}/0"

        def stop(self):
            self.process.kill()
            self.process.wait()

        def restart(self, down_for=3):
            self.stop()
            time.sleep(down_for)
            self.process = start()

    server = Server()
    server.process = start()
    try:
        yield server
    finally:
        server.stop()
        directory.cleanup()


def _answers(port):
    try:
        return Redis(port=port, socket_connect_timeout=0.2).ping()
    except Exception:
        return False


@pytest.fixture
def worker_environ(database_url):
    return {"DATABASE_URL": database_url, "SECRET_KEY": "worker-test-secret-key-0123456789abcdef",
            "SWEEP_SECONDS": "1"}


def probe(redis_url, delay=None):
    """A job that marks a key in Redis; returns the key."""
    key = f"probe:{uuid.uuid4().hex}"
    queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
    if delay:
        from datetime import timedelta

        queue.enqueue_in(timedelta(seconds=delay), PROBE, redis_url, key)
    else:
        queue.enqueue(PROBE, redis_url, key)
    return key


def test_the_worker_outlives_a_redis_restart_and_runs_jobs_again(worker_environ):
    with redis_server(free_port()) as redis:
        worker = start_worker({**worker_environ, "REDIS_URL": redis.url})
        try:
            redis.restart(down_for=3)
            key = probe(redis.url)
            wait_until(lambda: Redis.from_url(redis.url).get(key) == b"done", timeout=60,
                       message="the job queued after the restart to run")
            assert worker.poll() is None
        finally:
            stop_worker(worker)


def test_the_worker_outlives_redis_going_away_in_the_middle_of_a_job(worker_environ):
    with redis_server(free_port()) as redis:
        worker = start_worker({**worker_environ, "REDIS_URL": redis.url})
        try:
            Queue(QUEUE_NAME, connection=Redis.from_url(redis.url)).enqueue(
                "tests.integration.job_probe.mark_in_redis_after", redis.url, "slow", 4)
            time.sleep(1)  # the job is running
            redis.restart(down_for=5)  # it finishes while Redis is down
            key = probe(redis.url)
            wait_until(lambda: Redis.from_url(redis.url).get(key) == b"done", timeout=60,
                       message="a job queued after Redis came back to run")
            assert worker.poll() is None
        finally:
            stop_worker(worker, kill=True)


def test_after_a_worker_is_killed_the_next_one_schedules_delayed_jobs_at_once(worker_environ):
    with redis_server(free_port()) as redis:
        environ = {**worker_environ, "REDIS_URL": redis.url}
        killed = start_worker(environ)
        wait_until(lambda: Redis.from_url(redis.url).get(RQScheduler.get_locking_key(QUEUE_NAME)), timeout=30,
                   message="the first worker's scheduler to take its lock")
        stop_worker(killed, kill=True)
        successor = start_worker(environ)
        key = probe(redis.url, delay=1)
        try:
            wait_until(lambda: Redis.from_url(redis.url).get(key) == b"done", timeout=20,
                       message="the delayed job to run within seconds, not after the dead scheduler's lock")
        finally:
            stop_worker(successor, kill=True)
