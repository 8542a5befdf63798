"""Jobs used by the job tests: each leaves a mark a test can look for."""
from redis import Redis

IN_PROCESS_MARKS = []


def mark_in_redis(redis_url, key):
    Redis.from_url(redis_url).set(key, "done")


def mark_in_process(value):
    from flask import current_app

    IN_PROCESS_MARKS.append((value, current_app.name))
