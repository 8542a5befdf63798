"""Jobs used by the job tests: each leaves a mark a test can look for."""
from redis import Redis

IN_PROCESS_MARKS = []


def mark_in_redis(redis_url, key):
    Redis.from_url(redis_url).set(key, "done")


def mark_in_process(value):
    from flask import current_app

    IN_PROCESS_MARKS.append((value, current_app.name))


def mark_in_redis_after(redis_url, key, seconds):
    """A slow job: Redis may go away and come back while it runs."""
    import time

    time.sleep(seconds)
    Redis.from_url(redis_url).set(key, "done")
