"""The LINE outbox for the admin: delivery state per push, the last error, resend, this month's usage."""
from flask import abort, flash, redirect, render_template, request, url_for

from app.admin.views import bp
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.core.web import commit_or_flash
from app.extensions import db
from app.notifications import line, queries, services
from app.notifications.models import LinePush, PushStatus
from forms.documents import ConfirmForm


@bp.get("/line")
def line_pushes():
    status = request.args.get("status", "")
    status = status if status in {s.value for s in PushStatus} else ""
    now = utcnow()
    return render_template("admin/line.html", counts=queries.push_counts(), pushes=queries.pushes(status or None),
                           status=status, channel=services.channel(), quota=_quota(),
                           sent_this_month=queries.messages_sent_since(services.start_of_month(now)),
                           configured=line.is_configured(), confirm_form=ConfirmForm())


def _quota():
    """(limit, used) as LINE reports them, or None when LINE cannot be asked now."""
    if not line.is_configured():
        return None
    try:
        return line.quota()
    except line.LineError:
        return None


@bp.post("/line/pushes/<int:push_id>/resend")
def resend_push(push_id):
    push = db.session.get(LinePush, push_id)
    if push is None:
        abort(404)
    if push.status != PushStatus.FAILED:
        flash(str(_l("Only a failed message can be sent again.")), "danger")
    else:
        commit_or_flash(lambda: services.resend(push), _l("The message will be sent again."))
    return redirect(url_for("admin.line_pushes", status=PushStatus.FAILED))


@bp.post("/line/resume")
def resume_line():
    commit_or_flash(lambda: services.resume(), _l("LINE sending resumed."))
    return redirect(url_for("admin.line_pushes"))
