"""Endpoints that are not a feature: health for monitoring, the language switch."""
from flask import Blueprint, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from app.core.i18n import SUPPORTED_LOCALES
from app.core.jobs import job_queue
from app.core.redirects import safe_next_url
from app.extensions import csrf, db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
@csrf.exempt
def healthz():
    """200 while the app can serve (the database answers); Redis and the job runner are reported."""
    database = _probe(lambda: db.session.execute(text("SELECT 1")))
    queue = job_queue()
    redis = _probe(queue.connection.ping) if queue.kind == "rq" else {"ok": True, "configured": False}
    jobs = _probe(queue.status)
    status = 200 if database["ok"] else 503
    body = {"status": "ok" if status == 200 else "unavailable", "database": database, "redis": redis,
            "jobs": jobs}
    return jsonify(body), status


def _probe(check):
    try:
        result = check()
    except Exception as error:  # a health probe reports any failure instead of raising it
        db.session.rollback()
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, **(result if isinstance(result, dict) else {})}


@bp.post("/locale/<code>")
def switch_locale(code):
    if code in SUPPORTED_LOCALES:
        session["locale"] = code
        if current_user.is_authenticated:
            from app.org.services import set_user_locale

            set_user_locale(current_user, code)
            db.session.commit()
    return redirect(safe_next_url(request.form.get("next"), default=url_for("dashboard.home")))
