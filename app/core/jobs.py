"""Background jobs: rq on Redis in production, a thread in the web process for the embedded default.

Jobs are named by dotted path and take plain ids, so a job that runs twice, or late, re-reads the state it
acts on. They are only ever enqueued after the transaction that asked for them has committed. Whoever runs
a job gives it an application context (the in-process runner here, the rq worker in workers/worker.py): the
web app never imports the worker package.
"""
import importlib
import logging
import queue
import threading
import time
from datetime import timedelta

from flask import current_app

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

    def enqueue(self, dotted_path, *args, delay=None):
        if delay:  # needs a worker started with its scheduler (workers/worker.py does)
            return self.queue.enqueue_in(timedelta(seconds=delay), dotted_path, *args)
        return self.queue.enqueue(dotted_path, *args)

    def status(self):
        from rq import Worker

        workers = Worker.count(queue=self.queue)
        return {"runner": self.kind, "workers": workers, "alive": workers > 0}

    def backlog(self):
        return self.queue.count

    def claim_period(self, name, seconds):
        """True for one caller per period across every worker process (a Redis key that expires)."""
        return bool(self.connection.set(f"esaraban:periodic:{name}", "1", nx=True, ex=max(1, int(seconds))))


class InProcessJobRunner:
    """One daemon thread running jobs in order, each inside an application context."""

    kind = "in-process"

    def __init__(self, app):
        self.app = app
        self.jobs = queue.Queue()
        self.thread = None
        self.periodic = None  # the thread enqueueing the periodic jobs, once started
        self.lock = threading.Lock()

    def enqueue(self, dotted_path, *args, delay=None):
        self.start()
        if delay:
            timer = threading.Timer(delay, self.jobs.put, args=((dotted_path, args),))
            timer.daemon = True
            timer.start()
        else:
            self.jobs.put((dotted_path, args))

    def status(self):
        alive = bool(self.thread and self.thread.is_alive())
        return {"runner": self.kind, "workers": int(alive), "alive": alive}

    def backlog(self):
        return self.jobs.qsize()

    def claim_period(self, name, seconds):
        return True  # one process, one periodic thread

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
    """Called where the app is served: the embedded default's runner, and its periodic jobs, are up before
    the first request."""
    runner = app.extensions["esaraban_jobs"]
    if isinstance(runner, InProcessJobRunner):
        runner.start()
        if runner.periodic is None:  # a second call (tests, a reloader) must not double the sweep
            runner.periodic = start_periodic_jobs(app)


PERIODIC_JOBS = ("app.notifications.jobs.sweep", "app.search.jobs.apply_pending",
                 "app.signing.jobs.refresh_crl_if_due")


def start_periodic_jobs(app):
    """A daemon thread enqueueing each periodic job every SWEEP_SECONDS; with several worker processes,
    one of them claims each period."""
    runner, seconds = app.extensions["esaraban_jobs"], app.config["SWEEP_SECONDS"]

    def loop():
        while True:
            time.sleep(seconds)
            for dotted_path in PERIODIC_JOBS:
                try:
                    if runner.claim_period(dotted_path, seconds):
                        runner.enqueue(dotted_path)
                except Exception:  # Redis away: the next period tries again
                    log.warning("could not enqueue %s", dotted_path, exc_info=True)

    thread = threading.Thread(target=loop, name="esaraban-periodic", daemon=True)
    thread.start()
    return thread


def job_queue():
    return current_app.extensions["esaraban_jobs"]


def enqueue_after_commit(dotted_path, *args, delay=None):
    """Enqueue once the current transaction commits; nothing is enqueued if it rolls back. A failure to
    enqueue is logged, not raised: the commit has happened, and the periodic sweep finds the work."""
    jobs = job_queue()

    def enqueue():
        try:
            jobs.enqueue(dotted_path, *args, delay=delay)
        except Exception:
            log.warning("could not enqueue %s%r; the sweep will", dotted_path, args, exc_info=True)

    call_after_commit(db.session(), enqueue)
