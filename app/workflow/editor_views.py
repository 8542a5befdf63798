"""The flow editor in the browser (issue 16 item 3), on the admin blueprint: the editor page for a flow or a
new one, and the JSON endpoints its script calls: save the draft, check it, publish it, discard it, import
a .bpmn file into it, export it. Every POST carries the CSRF token in the X-CSRFToken header; errors are
answered as JSON in the admin's language."""
import json

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for

from app.admin.views import bp
from app.core.errors import BusinessRuleError
from app.core.i18n import current_locale
from app.core.messages import lazy_gettext as _l
from app.core.web import current_actor
from app.extensions import db
from app.workflow import definitions, drafts, editor_catalog, publishing, validation


@bp.get("/flows/<key>/edit")
def edit_flow(key):
    draft = drafts.find(key)
    if draft is None and not drafts.exists(key):
        abort(404)
    current = drafts.current_version(key)  # a shipped flow seen for the first time is published now
    db.session.commit()
    if draft is not None:
        return _editor(key, draft.xml, draft.based_on_id, draft=draft, current=current)
    return _editor(key, current.bpmn_xml, current.id, current=current)


@bp.get("/flows/new")
def new_flow():
    """A new flow: the code first (?key=), then the editor on the starter diagram; nothing is stored
    until the draft is saved."""
    key = (request.args.get("key") or "").strip().lower()
    if not key:
        return render_template("workflow/new_flow.html", key="", error=None)
    if not definitions.KEY_PATTERN.match(key) or key in ("new", "publish"):
        error = _l("A flow's code is lower-case English letters, digits, - or _ (for example request_help).")
        return render_template("workflow/new_flow.html", key=key, error=error), 400
    if drafts.exists(key) or drafts.find(key) is not None:
        return redirect(url_for("admin.edit_flow", key=key))
    return _editor(key, drafts.starter_xml(key), None)


def _editor(key, xml, based_on_id, *, draft=None, current=None):
    config = {
        "key": key, "xml": xml, "basedOn": based_on_id, "hasDraft": draft is not None,
        "outdated": draft is not None and drafts.is_outdated(draft),
        "urls": {name: url_for(f"admin.{endpoint}", key=key) for name, endpoint in (
            ("save", "save_flow_draft"), ("check", "check_flow_draft"), ("publish", "publish_flow_draft"),
            ("discard", "discard_flow_draft"), ("import", "import_flow_draft"),
            ("export", "export_flow_draft"))},
        **editor_catalog.catalog(current_locale()), "texts": editor_catalog.texts(),
    }
    return render_template("workflow/editor.html", key=key, draft=draft, current=current,
                           number=publishing.version_number(current) if current is not None else None,
                           config=json.dumps(config, ensure_ascii=False))


@bp.post("/flows/<key>/draft")
def save_flow_draft(key):
    body = _body()
    return _answer(lambda: drafts.save(current_actor(), key, body.get("xml"),
                                       based_on_id=_id_or_none(body.get("based_on"))),
                   lambda draft: {"message": str(_l("The draft was saved."))})


@bp.post("/flows/<key>/draft/check")
def check_flow_draft(key):
    xml = _body().get("xml")
    try:
        findings = drafts.check(xml)
    except BusinessRuleError as error:
        return _refusal(error)
    root = validation.read_xml(xml)
    errors = [{"message": finding.message, "element_id": finding.element_id,
               "element": editor_catalog.element_label(root, finding.element_id)} for finding in findings]
    message = (_l("The diagram cannot be published yet; choose an error to show its element.") if errors
               else _l("The diagram passed the checks and can be published."))
    return jsonify(ok=not errors, errors=errors, message=str(message))


@bp.post("/flows/<key>/draft/publish")
def publish_flow_draft(key):
    body = _body()

    def published(definition):
        number = publishing.version_number(definition)
        flash(str(_l("The draft was published as version %(n)d, the current one; new documents follow it, "
                     "those already under way keep theirs.", n=number)), "success")
        return {"version": number, "redirect": url_for("admin.flow", key=key)}

    return _answer(lambda: drafts.publish(current_actor(), key, note=str(body.get("note") or "")[:500],
                                          accept_outdated=body.get("accept_outdated") is True), published)


@bp.post("/flows/<key>/draft/discard")
def discard_flow_draft(key):
    def discarded(_):
        flash(str(_l("The draft was discarded; the published versions are unchanged.")), "success")
        target = url_for("admin.edit_flow", key=key) if drafts.exists(key) else url_for("admin.flows")
        return {"redirect": target}

    return _answer(lambda: drafts.discard(key), discarded)


@bp.post("/flows/<key>/draft/import")
def import_flow_draft(key):
    upload = request.files.get("file")
    data = upload.read(validation.MAX_XML_BYTES + 1) if upload else b""

    def imported(draft):
        return {"xml": draft.xml, "message": str(_l("The file was imported into the draft."))}

    return _answer(lambda: drafts.save(current_actor(), key, data,
                                       based_on_id=_id_or_none(request.form.get("based_on"))), imported)


@bp.get("/flows/<key>/draft.bpmn")
def export_flow_draft(key):
    draft = drafts.find(key) or abort(404)
    return Response(draft.xml, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{key}-draft.bpmn"'})


def _answer(change, result):
    """Run one service call and commit it; its result as JSON, or the broken rule as a JSON error (409
    for a draft overtaken by another version)."""
    try:
        value = change()
        body = result(value)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        return _refusal(error)
    return jsonify(ok=True, **body)


def _refusal(error):
    status = 409 if isinstance(error, drafts.OutdatedDraft) else 400
    return jsonify(ok=False, error=str(error.message), outdated=status == 409), status


def _body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def _id_or_none(value):
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    abort(400)
