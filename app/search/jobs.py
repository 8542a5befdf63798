"""The search feature's periodic job: apply the changes no search has applied yet."""
from flask import current_app

from app.extensions import db
from app.search import services


def apply_pending():
    try:
        services.apply_pending(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    finally:
        db.session.remove()
