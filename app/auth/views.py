from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.services import LoginRefusal, ThrottlePolicy
from app.auth.session import revocation_window, session_key, start_session
from app.core.messages import lazy_gettext as _l
from app.core.redirects import safe_next_url
from app.core.web import commit_or_flash, current_actor
from app.extensions import db
from forms.auth import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)

REFUSAL_MESSAGES = {
    LoginRefusal.BAD_CREDENTIALS: _l("Wrong username or password."),
    LoginRefusal.ACCOUNT_LOCKED: _l("Too many failed logins for this account. "
                                    "Please try again in %(minutes)d minutes."),
    LoginRefusal.ADDRESS_LOCKED: _l("Too many failed logins from this computer. "
                                    "Please try again in %(minutes)d minutes."),
}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = services.attempt_login(username=form.username.data, password=form.password.data,
                                         address=request.remote_addr or "",
                                         policy=ThrottlePolicy.from_config(current_app.config))
        db.session.commit()
        if outcome.user is not None:
            session.clear()  # a fresh session on login: no fixation; the user's own language applies
            login_user(outcome.user)
            start_session()
            return redirect(safe_next_url(request.args.get("next"), default=url_for("dashboard.home")))
        status = 401 if outcome.refusal is LoginRefusal.BAD_CREDENTIALS else 429
        flash(str(REFUSAL_MESSAGES[outcome.refusal]) % {"minutes": outcome.retry_in_minutes}, "danger")
        return render_template("auth/login.html", form=form), status
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    locale = current_user.locale if current_user.is_authenticated else session.get("locale")
    if current_user.is_authenticated:
        services.end_session(current_user, session_key=session_key(),
                             keep_for=revocation_window(current_app.config))
        db.session.commit()
    logout_user()
    session.clear()
    session["locale"] = locale  # the login page stays in the language the user works in
    flash(_l("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        changed = commit_or_flash(
            lambda: services.change_password(current_actor(), user, current_password=form.current_password.data,
                                             new_password=form.new_password.data),
            _l("Your password has been changed."))
        if changed:
            login_user(user)  # this session continues under the new session version; others end
            return redirect(url_for("dashboard.home"))
    return render_template("auth/change_password.html", form=form)
