"""Entry point of a background worker: `python -m workers.worker` (systemd unit, compose service).

Runs rq with its scheduler (delayed jobs: grouped and retried LINE pushes) and a thread enqueueing the
periodic sweep every SWEEP_SECONDS (one worker process per period claims it in Redis). Every job runs inside
the application's context, given here: the worker imports the app, never the reverse.

Needs REDIS_URL; the embedded default (no Redis) runs jobs in a thread of the web process instead.
"""
import sys

from rq import Worker

from app import create_app
from app.config import ConfigError
from app.core.heap import freeze_start_up_objects
from app.core.jobs import RqJobQueue, start_periodic_jobs


class AppWorker(Worker):
    """An rq worker whose jobs run inside the e-Saraban application's context."""

    def __init__(self, *args, app, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app

    def perform_job(self, job, queue, *args, **kwargs):  # rq 3 adds the execution
        with self.app.app_context():
            return super().perform_job(job, queue, *args, **kwargs)


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
    worker = AppWorker([queue], connection=queue.connection, app=app)
    freeze_start_up_objects()
    worker.work(burst=burst, with_scheduler=True, logging_level=app.config["LOG_LEVEL"])
    return 0


if __name__ == "__main__":
    sys.exit(main(burst="--burst" in sys.argv[1:]))
