"""Background jobs: rq on Redis in production, a thread in the web process for the embedded default.

Jobs are named by dotted path and take plain ids, so a job that runs twice, or late, re-reads the state it
acts on. They are only ever enqueued after the transaction that asked for them has committed.
"""
import functools
import importlib
import logging
import queue
import threading

from flask import current_app, has_app_context

from app.core.after_commit import call_after_commit
from app.extensions import db

log = logging.getLogger(__name__)
QUEUE_NAME = "esaraban"


def _resolve(dotted_path):
    module_name, _, attribute = dotted_path.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


class RqJobQueue:
    kind = "rq"

    def __init__(self, redis_url):
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)

    def enqueue(self, dotted_path, *args):
        return self.queue.enqueue(dotted_path, *args)

    def status(self):
        from rq import Worker

        return {"runner": self.kind, "workers": Worker.count(queue=self.queue)}


class InProcessJobRunner:
    """One daemon thread running jobs in order, each inside an application context."""

    kind = "in-process"

    def __init__(self, app):
        self.app = app
        self.jobs = queue.Queue()
        self.thread = None
        self.lock = threading.Lock()

    def enqueue(self, dotted_path, *args):
        self.start()
        self.jobs.put((dotted_path, args))

    def status(self):
        return {"runner": self.kind, "workers": 1 if self.thread and self.thread.is_alive() else 0}

    def wait_until_idle(self):
        self.jobs.join()

    def start(self):
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="esaraban-jobs", daemon=True)
                self.thread.start()

    def _run(self):
        while True:
            dotted_path, args = self.jobs.get()
            try:
                with self.app.app_context():
                    _resolve(dotted_path)(*args)
            except Exception:
                log.exception("job %s failed", dotted_path)
            finally:
                self.jobs.task_done()


def init_app(app):
    redis_url = app.config["REDIS_URL"]
    app.extensions["esaraban_jobs"] = RqJobQueue(redis_url) if redis_url else InProcessJobRunner(app)


def start_in_process_runner(app):
    """Called where the app is served: the embedded default's runner is up before the first job."""
    runner = app.extensions["esaraban_jobs"]
    if isinstance(runner, InProcessJobRunner):
        runner.start()


def job_queue():
    return current_app.extensions["esaraban_jobs"]


def enqueue_after_commit(dotted_path, *args):
    """Enqueue once the current transaction commits; nothing is enqueued if it rolls back."""
    jobs = job_queue()
    call_after_commit(db.session(), lambda: jobs.enqueue(dotted_path, *args))


def app_job(func):
    """Run a job inside an application context, creating the worker's app on first use."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        from workers.app import worker_app

        with worker_app().app_context():
            return func(*args, **kwargs)

    return wrapper
