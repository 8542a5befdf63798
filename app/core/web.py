"""Small helpers every view uses: the acting person, and the one commit of a request."""
from flask import flash, g, request
from flask_login import current_user

from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.extensions import db


def current_actor():
    user = current_user if current_user.is_authenticated else None
    return Actor(user=user, address=request.remote_addr or "", request_id=g.get("request_id", ""))


def commit_or_flash(change, success_message=None):
    """Run one service call and commit it; a broken rule is flashed, rolled back, and None returned."""
    try:
        result = change()
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return None
    if success_message:
        flash(str(success_message), "success")
    return result if result is not None else True
