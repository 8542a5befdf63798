"""View guards: who may open a page."""
import functools

from flask import abort
from flask_login import current_user, login_required


def role_required(*roles):
    """The current user (or someone they act for today) holds one of these roles."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            from app.org.queries import holds_any_role

            if not holds_any_role(current_user, roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


admin_required = role_required("admin")
