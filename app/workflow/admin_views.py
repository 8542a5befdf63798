"""Admin pages for the flows (issue 16 item 5): each flow's versions with who published them and when,
upload a diagram as a new version, download any version as a .bpmn file, make an earlier one current,
compare two versions."""
import json

from flask import Response, abort, redirect, render_template, request, url_for

from app.admin.views import bp
from app.core.messages import lazy_gettext as _l
from app.core.web import commit_or_flash, current_actor
from app.extensions import db
from app.workflow import definitions, diff, drafts, migration, publishing
from app.workflow.models import WorkflowDefinition
from forms.workflow import MakeCurrentForm, PublishFlowForm

CHANGE_LABELS = {diff.ADDED: _l("added"), diff.REMOVED: _l("removed"), diff.CHANGED: _l("changed"),
                 diff.MOVED: _l("moved only")}


@bp.get("/flows")
def flows():
    return _flows_page(PublishFlowForm())


def _flows_page(form, status=200):
    """Each flow with its current version's number and how many it has."""
    rows = []
    for key in definitions.keys():
        current = definitions.current(key)  # a shipped flow seen for the first time is published now
        ids = [version.id for version in definitions.versions(key)]
        rows.append((key, current, ids.index(current.id) + 1, len(ids)))
    db.session.commit()
    return render_template("workflow/flows.html", rows=rows, form=form, new_drafts=drafts.new_flow_keys()), status


@bp.get("/flows/<key>")
def flow(key):
    return _flow_page(key, PublishFlowForm(formdata=None))


def _flow_page(key, form, status=200):
    if not definitions.versions(key) and key not in definitions.seed_keys():
        abort(404)
    current = definitions.current(key)  # a shipped flow seen for the first time is published now
    db.session.commit()
    versions = definitions.versions(key)
    running = migration.running_counts(key)
    return render_template("workflow/flow.html", key=key, versions=list(reversed(versions)), current=current,
                           numbers={version.id: number for number, version in enumerate(versions, start=1)},
                           running=running, elsewhere={version.id: sum(running.values()) - running.get(version.id, 0)
                                                       for version in versions},
                           form=form, make_current_form=MakeCurrentForm(), draft=drafts.find(key),
                           history=publishing.history(versions)), status


@bp.post("/flows/publish")
def publish_flow():
    form = PublishFlowForm()
    return _publish(form, (form.key.data or "").strip())


@bp.post("/flows/<key>/publish")
def publish_flow_version(key):
    return _publish(PublishFlowForm(), key)


def _publish(form, key):
    if not form.validate_on_submit():
        return _flow_or_list(key, form)
    data = form.file.data.read(definitions.validation.MAX_XML_BYTES + 1)
    published = commit_or_flash(lambda: publishing.publish_upload(current_actor(), key, data, note=form.note.data),
                                _l("The diagram was published as the current version; new documents follow it, "
                                   "those already under way keep theirs."))
    if published:
        return redirect(url_for("admin.flow", key=key))
    return _flow_or_list(key, form)


def _flow_or_list(key, form):
    if definitions.KEY_PATTERN.match(key or "") and definitions.versions(key):
        return _flow_page(key, form, 400)
    return _flows_page(form, 400)


@bp.post("/flows/<key>/versions/<int:definition_id>/current")
def make_flow_current(key, definition_id):
    definition = _version(key, definition_id)
    if MakeCurrentForm().validate_on_submit():
        commit_or_flash(lambda: publishing.make_current(current_actor(), definition),
                        _l("Version %(n)d is now the current one; new documents follow it.",
                           n=publishing.version_number(definition)))
    return redirect(url_for("admin.flow", key=key))


@bp.get("/flows/<key>/versions/<int:definition_id>.bpmn")
def download_flow_version(key, definition_id):
    definition = _version(key, definition_id)
    name = f"{key}-v{publishing.version_number(definition)}.bpmn"
    return Response(definition.bpmn_xml, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/flows/<key>/compare")
def compare_flow(key):
    """Two versions side by side, coloured by what changed: `to` (default the current version) against
    `from` (default the version before it)."""
    if not definitions.versions(key) and key not in definitions.seed_keys():
        abort(404)
    current = definitions.current(key)  # a shipped flow seen for the first time is published now
    db.session.commit()
    versions = definitions.versions(key)
    numbers = {version.id: number for number, version in enumerate(versions, start=1)}
    new = _version(key, _id_arg("to")) if request.args.get("to") else current
    old_id = _id_arg("from")
    old = _version(key, old_id) if old_id else (versions[numbers[new.id] - 2] if numbers[new.id] > 1 else None)
    changes = diff.compare(old.bpmn_xml, new.bpmn_xml) if old else []
    return render_template("workflow/compare.html", key=key, old=old, new=new, numbers=numbers,
                           versions=list(reversed(versions)), rows=[_change_row(change) for change in changes],
                           markers=json.dumps(diff.markers(changes)))


def _change_row(change):
    return {"element_id": change.element_id, "change": change.change, "change_label": CHANGE_LABELS[change.change],
            "type_label": change.type_label, "name": change.name,
            "fields": [(diff.FIELD_LABELS[name], diff.display_value(name, before), diff.display_value(name, after))
                       for name, before, after in change.fields]}


def _id_arg(name):
    value = request.args.get(name, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        abort(404)
    return int(value)


def _version(key, definition_id):
    definition = db.session.get(WorkflowDefinition, definition_id)
    if definition is None or definition.key != key:
        abort(404)
    return definition
