"""The Flask application a worker process runs its jobs in, created once per process."""
from functools import lru_cache


@lru_cache(maxsize=1)
def worker_app():
    from app import create_app

    return create_app()
