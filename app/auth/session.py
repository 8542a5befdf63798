"""Session rules applied to every request: who is logged in, idle timeout, forced password change.

How a session ends on the server (the cookie is Flask's signed cookie, so deleting it in the browser is
not enough: a copy replayed later would still log in):

- Logging out revokes that one session. Each login gets a random `session_key` kept in the cookie; logout
  writes it to `revoked_session`, and `load_user` refuses a revoked key (issue 12 item 7). Bumping
  `user.session_version` instead would also have worked, but it logs the user out of every device; a
  per-session key costs one indexed lookup per request and leaves their phone logged in when they log out
  at the office.
- A password change, an admin reset or a deactivation bumps `user.session_version`, which is part of the
  id in every cookie: all of that user's other sessions end at once.
- A cookie without a session key (from before keys existed) logs nobody in.
"""
import secrets
import time
from datetime import timedelta

from flask import flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from sqlalchemy import select

from app.auth.models import RevokedSession
from app.core.messages import lazy_gettext as _l
from app.extensions import db, login_manager
from app.org.models import User

# Pages a user who must change their password may still open.
OPEN_DURING_FORCED_CHANGE = {"auth.change_password", "auth.logout", "static", "core.healthz",
                             "core.switch_locale"}


@login_manager.user_loader
def load_user(session_id):
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    key = session.get("session_key")
    if not isinstance(key, str) or not key or _revoked(key):
        return None
    return user


def _revoked(key):
    return db.session.scalar(select(RevokedSession.id).where(RevokedSession.session_key == key)) is not None


def start_session():
    """After login_user: a new key naming this session, so logging out can end exactly this one."""
    session["session_key"] = secrets.token_urlsafe(32)
    mark_activity()


def session_key():
    return session.get("session_key") or ""


def revocation_window(config):
    """How long a logged-out key must stay revoked: until its cookie would fail the idle timeout anyway
    (its last_seen is signed and cannot move on once it is refused), plus a day in case the limit is raised."""
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"], days=1)


def mark_activity():
    session["last_seen"] = time.time()


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    idle_seconds = app.config["SESSION_IDLE_MINUTES"] * 60

    @app.before_request
    def end_idle_session():
        if request.endpoint in ("static", "core.healthz") or not current_user.is_authenticated:
            return None
        if time.time() - session.get("last_seen", 0) > idle_seconds:
            logout_user()
            session.pop("last_seen", None)
            flash(_l("You were logged out after %(minutes)d minutes without activity.",
                     minutes=idle_seconds // 60), "warning")
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        mark_activity()
        return None

    @app.before_request
    def require_password_change():
        if (current_user.is_authenticated and current_user.must_change_password
                and request.endpoint not in OPEN_DURING_FORCED_CHANGE):
            flash(_l("Please set a new password before you continue."), "warning")
            return redirect(url_for("auth.change_password"))
        return None
