"""WSGI entry point: `gunicorn wsgi:app`. A bad setting stops start-up with a one-line message."""
import sys

from app import create_app
from app.config import ConfigError
from app.core.heap import freeze_start_up_objects
from app.core.jobs import start_in_process_runner

# gunicorn stops (instead of restarting workers forever) when a worker exits with this code.
APP_LOAD_ERROR = 4

try:
    app = create_app()
except ConfigError as error:
    sys.stderr.write(f"e-Saraban cannot start: {error}\n")
    sys.exit(APP_LOAD_ERROR)
start_in_process_runner(app)
freeze_start_up_objects()  # last: what start-up made is kept for the process's life
