"""Entry point of a background worker: `python -m workers.worker` (systemd unit, compose service).

Runs rq with its scheduler (delayed jobs: grouped and retried LINE pushes) and a thread enqueueing the
periodic sweep every SWEEP_SECONDS (one worker process per period claims it in Redis). Every job runs inside
the application's context, given here: the worker imports the app, never the reverse.

Needs REDIS_URL; the embedded default (no Redis) runs jobs in a thread of the web process instead.
"""
import logging
import os
import socket
import sys
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Worker
from rq.scheduler import SCHEDULER_KEY_TEMPLATE, RQScheduler
from rq.scripts import release_lock

from app import create_app
from app.config import ConfigError
from app.core.heap import freeze_start_up_objects
from app.core.jobs import RqJobQueue, start_periodic_jobs

log = logging.getLogger("workers.worker")


class AppWorker(Worker):
    """An rq worker whose jobs run inside the e-Saraban application's context."""

    def __init__(self, *args, app, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app

    def perform_job(self, job, queue, *args, **kwargs):  # rq 3 adds the execution
        with self.app.app_context():
            return super().perform_job(job, queue, *args, **kwargs)


def release_dead_schedulers_lock(connection, queue_name):
    """Free the scheduler lock of `queue_name` when the scheduler holding it is gone: its record has
    expired, or it ran on this machine and its process no longer exists (a worker killed with -9 or by
    the OOM killer). rq would otherwise wait for the lock to expire and try again minutes later, and
    delayed jobs (grouped and retried LINE pushes) would wait with it. Returns True if it freed it."""
    lock_key = RQScheduler.get_locking_key(queue_name)
    owner = connection.get(lock_key)
    if owner is None:
        return False
    holder = {key.decode(): value.decode() for key, value in
              connection.hgetall(SCHEDULER_KEY_TEMPLATE % owner.decode()).items()}
    if holder and not (holder.get("hostname") == socket.gethostname() and _gone(holder.get("pid"))):
        return False
    freed = release_lock(connection, lock_key, owner.decode())
    if freed:
        log.warning("freed the scheduler lock of %s held by scheduler %s, which is gone", queue_name,
                    owner.decode())
    return freed


def _gone(pid):
    """No process `pid` on this machine (0: the scheduler never started its process)."""
    try:
        pid = int(pid)
    except (TypeError, ValueError):
        return False
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, run by someone else
        return False
    return False


def main(burst=False):
    try:
        app = create_app()
    except ConfigError as error:
        sys.stderr.write(f"e-Saraban worker cannot start: {error}\n")
        return 2
    if not app.config["REDIS_URL"]:
        sys.stderr.write("e-Saraban worker cannot start: REDIS_URL is not set "
                         "(without Redis, jobs run inside the web process)\n")
        return 2
    queue = RqJobQueue(app.config["REDIS_URL"]).queue
    if not burst:
        start_periodic_jobs(app)  # the sweep: pending LINE pushes, due dates
    freeze_start_up_objects()
    while True:
        worker = AppWorker([queue], connection=queue.connection, app=app)
        try:
            release_dead_schedulers_lock(queue.connection, queue.name)
            worker.work(burst=burst, with_scheduler=True, logging_level=app.config["LOG_LEVEL"])
            return 0
        except (RedisConnectionError, RedisTimeoutError) as error:
            # rq waits out a lost connection while it waits for jobs, but not while it finishes one or
            # registers itself: Redis gone then used to end the process, and nothing ran until someone
            # restarted it. Wait for Redis and work again; the job's result is rq's to clean up.
            if burst or getattr(worker, "_stop_requested", False):
                raise
            log.warning("lost Redis (%s); working again once it answers", error)
            _wait_for(queue.connection)


def _wait_for(connection, longest=30):
    delay = 1
    while True:
        time.sleep(delay)
        try:
            connection.ping()
            return
        except (RedisConnectionError, RedisTimeoutError):
            delay = min(delay * 2, longest)


if __name__ == "__main__":
    sys.exit(main(burst="--burst" in sys.argv[1:]))
