"""The IT officer's status page (what `esaraban status` shows), and the warning on every admin page."""
from flask import render_template

from app.admin.views import bp
from app.ops import status


@bp.get("/status")
def system_status():
    checks = status.collect()
    return render_template("admin/status.html", checks=checks, problems=status.needing_admin(checks))


@bp.context_processor
def admin_warnings():
    """A backup older than two days, a worker down or a disk nearly full is shown on every admin page."""
    return {"admin_warnings": status.banner_checks()}
