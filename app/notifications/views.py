"""The notices list, linking a LINE account, and LINE's webhook."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.messages import lazy_gettext as _l
from app.core.security import CONTENT_SECURITY_POLICY
from app.core.web import commit_or_flash, current_actor
from app.documents import access
from app.extensions import csrf, db
from app.notifications import line, linking, queries, services
from app.notifications.models import Notification
from forms.documents import ConfirmForm
from forms.notifications import LineLinkForm

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    return render_template("notifications/index.html", notices=queries.recent(current_user),
                           confirm_form=ConfirmForm())


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    commit_or_flash(lambda: services.mark_read(current_user))
    return redirect(url_for("notifications.index"))


@bp.get("/notifications/<int:notice_id>")
@login_required
def open_notice(notice_id):
    """Mark it read and go to what it is about."""
    notice = db.session.get(Notification, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)
    services.mark_read(current_user, [notice.id])
    db.session.commit()
    if notice.document is not None and access.can_see(current_user, notice.document):
        return redirect(url_for("documents.detail", document_id=notice.document_id))
    if notice.document is not None:  # e.g. recalled by its sender: it is no longer ours to open
        flash(str(_l("This document is no longer available to you.")), "info")
    return redirect(url_for("notifications.index"))


@bp.get("/account/line")
@login_required
def line_account():
    return render_template("notifications/line_account.html", account=linking.account_of(current_user),
                           line_enabled=line.is_configured(),
                           add_friend_url=current_app.config["LINE_ADD_FRIEND_URL"], confirm_form=ConfirmForm())


@bp.post("/account/line/unlink")
@login_required
def unlink_line():
    commit_or_flash(lambda: linking.unlink(current_actor(), current_user), _l("Your LINE account was unlinked."))
    return redirect(url_for("notifications.line_account"))


@bp.get("/line/link")
@login_required
def start_line_link():
    """Step 2 of LINE's account link: the button in the official account's message lands here. It only
    shows which LINE account would be linked; nothing happens until the user confirms."""
    link_token = request.args.get("linkToken", "").strip()
    pending = linking.pending_request(link_token)
    if pending is None:
        flash(str(linking.NOT_OUR_LINK), "danger")
        return redirect(url_for("notifications.line_account"))
    response = make_response(render_template(
        "notifications/line_link_confirm.html", line_name=linking.shown_line_name(pending),
        masked_id=linking.masked_line_id(pending.line_user_id), form=LineLinkForm(link_token=link_token)))
    # The confirming POST is answered with a redirect to LINE's dialog, and browsers hold a form's
    # redirects to the page's form-action: this one page also allows LINE's address.
    line_origin = "{0.scheme}://{0.netloc}".format(urlsplit(current_app.config["LINE_ACCESS_BASE"]))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {line_origin}")
    return response


@bp.post("/line/link")
@login_required
def confirm_line_link():
    """The user confirmed: a nonce for this login and this LINE account, then on to LINE's dialog."""
    form = LineLinkForm()
    if not form.validate_on_submit():
        flash(str(linking.NOT_OUR_LINK), "danger")
        return redirect(url_for("notifications.line_account"))
    nonce = commit_or_flash(lambda: linking.confirm_link(current_actor(), current_user, form.link_token.data))
    if nonce is None:
        return redirect(url_for("notifications.line_account"))
    return redirect(line.account_link_url(form.link_token.data, nonce))


@bp.post("/line/webhook")
@csrf.exempt
def line_webhook():
    """LINE's webhook: signature checked on the raw body, each event handled once."""
    try:
        linking.handle_webhook(current_app.config["LINE_CHANNEL_SECRET"], request.get_data(),
                               request.headers.get("X-Line-Signature", ""))
    except linking.BadSignature:
        db.session.rollback()
        return {"message": "bad signature"}, 401
    db.session.commit()
    return {}, 200
