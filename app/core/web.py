"""Small helpers every view uses: the acting person, and the one commit of a request."""
from flask import flash, g, request
from flask_login import current_user

from app.core import transactions
from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.extensions import db


def current_actor(for_unit_id=None, for_user_id=None):
    """The person making this request. When they take a step given to someone they act for, or act in a unit
    that is not their own, through a delegation (รักษาราชการแทน), that person is recorded beside them."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    acting_for = _principal(user, for_user_id) if for_user_id else None
    return Actor(user=user, address=request.remote_addr or "", request_id=g.get("request_id", ""),
                 acting_for=acting_for or _principal_in(user, for_unit_id))


def _principal(user, principal_id):
    if user is None or principal_id == user.id:
        return None
    from app.org.queries import active_delegations_to

    return next((d.principal for d in active_delegations_to(user) if d.principal_id == principal_id), None)


def _principal_in(user, unit_id):
    if user is None or unit_id is None or unit_id == user.unit_id:
        return None
    from app.org.queries import active_delegations_to

    principals = [d.principal for d in active_delegations_to(user) if d.principal.unit_id == unit_id]
    return principals[0] if principals else None


def commit_or_flash(change, success_message=None):
    """Run one service call and commit it (again, if a deadlock rolled it back); a broken rule is flashed,
    rolled back, and None returned."""
    try:
        result = transactions.commit(change)
    except BusinessRuleError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return None
    if success_message:
        flash(str(success_message), "success")
    return result if result is not None else True


# Beyond these a number in a link is not a page or a row anyone has: SQLite cannot even bind an id past
# 2**63, and a page past the last one would only ask the database for an offset nobody needs.
MAX_PAGE = 100_000
MAX_ID = 2**31 - 1


def page_arg(args):
    """The page asked for in the query string `args`: 1 when missing or not a number, at most MAX_PAGE."""
    return min(max(1, args.get("page", 1, type=int)), MAX_PAGE)


def id_arg(args, name, default=None):
    """The row id in `args[name]`, or `default` when it is missing, not a number or out of range."""
    value = args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else default
