"""WSGI entry point: `gunicorn wsgi:app`. A bad setting stops start-up with a one-line message."""
import sys

from app import create_app
from app.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.stderr.write(f"e-Saraban cannot start: {error}\n")
    sys.exit(2)
