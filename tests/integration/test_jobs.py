"""Side effects run only after commit, on a real rq worker (or the in-process runner of the embedded default)."""
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from redis import Redis

from app import create_app
from app.core.jobs import InProcessJobRunner, enqueue_after_commit, job_queue, start_in_process_runner
from app.extensions import db
from tests.integration import job_probe

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queue(app):
    jobs = job_queue()
    jobs.queue.empty()
    yield jobs.queue
    jobs.queue.empty()


def test_a_job_is_enqueued_only_when_the_transaction_commits(queue, redis_url):
    key = f"probe:{uuid.uuid4().hex}"
    enqueue_after_commit("tests.integration.job_probe.mark_in_redis", redis_url, key)
    assert queue.count == 0
    db.session.commit()
    assert queue.count == 1


def test_a_rolled_back_transaction_enqueues_nothing(queue, redis_url):
    enqueue_after_commit("tests.integration.job_probe.mark_in_redis", redis_url, "never")
    db.session.rollback()
    db.session.commit()
    assert queue.count == 0


def test_a_real_rq_worker_process_runs_the_job(queue, redis_url, database_url):
    key = f"probe:{uuid.uuid4().hex}"
    enqueue_after_commit("tests.integration.job_probe.mark_in_redis", redis_url, key)
    db.session.commit()
    environ = {**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": database_url,
               "SECRET_KEY": "worker-test-secret-key-0123456789abcdef"}
    finished = subprocess.run([sys.executable, "-m", "workers.worker", "--burst"], cwd=ROOT, env=environ,
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert Redis.from_url(redis_url).get(key) == b"done"
    assert queue.count == 0


def test_the_worker_refuses_to_start_without_redis(database_url):
    environ = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environ.update(DATABASE_URL=database_url, SECRET_KEY="worker-test-secret-key-0123456789abcdef")
    finished = subprocess.run([sys.executable, "-m", "workers.worker", "--burst"], cwd=ROOT, env=environ,
                              capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2 and "REDIS_URL is not set" in finished.stderr


def test_the_in_process_runner_runs_jobs_in_an_app_context(app):
    runner = InProcessJobRunner(app)
    runner.enqueue("tests.integration.job_probe.mark_in_process", "first")
    runner.enqueue("tests.integration.job_probe.no_such_job", "broken")  # logged, does not stop the runner
    runner.enqueue("tests.integration.job_probe.mark_in_process", "second")
    runner.wait_until_idle()
    assert job_probe.IN_PROCESS_MARKS[-2:] == [("first", app.name), ("second", app.name)]
    assert runner.status() == {"runner": "in-process", "workers": 1, "alive": True}


def test_starting_the_in_process_runner_twice_keeps_one_periodic_sweep(tmp_path):
    environ = {"DATABASE_URL": f"sqlite:///{tmp_path}/j.sqlite3", "SWEEP_SECONDS": "3600"}
    application = create_app(environ=environ)
    start_in_process_runner(application)
    first = application.extensions["esaraban_jobs"].periodic
    start_in_process_runner(application)
    assert first is not None and first.is_alive()
    assert application.extensions["esaraban_jobs"].periodic is first
    assert first in threading.enumerate()
