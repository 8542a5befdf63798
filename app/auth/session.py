"""Session rules applied to every request: who is logged in, idle timeout, forced password change."""
import time

from flask import flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

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
    return user


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
