"""Admin pages for moving the documents under way onto another version of their flow (issue 16 item 6):
the dry-run report (which can move, which cannot and why), then the move of those the admin ticked."""
from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from app.admin.views import bp
from app.core.web import commit_or_flash, current_actor
from app.documents.classified import shown_for
from app.documents.models import Document
from app.extensions import db
from app.org.models import Unit
from app.workflow import migration
from app.workflow.models import WorkflowDefinition
from forms.workflow import MigrateInstancesForm


@bp.get("/flows/<key>/versions/<int:definition_id>/migrate")
def flow_migration(key, definition_id):
    report = migration.plan(key, _target(key, definition_id))
    form = MigrateInstancesForm(formdata=None, fingerprint=report.fingerprint,
                                instance_ids=[entry.instance_id for entry in report.movable])
    return _report_page(report, form)


@bp.post("/flows/<key>/versions/<int:definition_id>/migrate")
def migrate_flow(key, definition_id):
    target = _target(key, definition_id)
    form = MigrateInstancesForm()
    if not form.validate_on_submit():
        return _report_page(migration.plan(key, target), form, 400)
    outcome = commit_or_flash(lambda: migration.migrate(current_actor(), key, target, form.instance_ids.data,
                                                        form.fingerprint.data))
    if outcome is None:  # the report was out of date: the new one, what the admin ticked still ticked
        report = migration.plan(key, target)
        fresh = MigrateInstancesForm(formdata=None, fingerprint=report.fingerprint,
                                     instance_ids=form.instance_ids.data)
        return _report_page(report, fresh, 409)
    return render_template("workflow/migration_result.html", key=key, target=target, outcome=outcome,
                           **_about([*outcome.moved, *outcome.skipped]))


def _report_page(report, form, status=200):
    return render_template("workflow/migration.html", key=report.key, report=report, form=form,
                           ticked=set(form.instance_ids.data or ()), **_about(report.entries)), status


def _about(rows):
    """The documents (as this admin may see them: a classified subject stays hidden) and units of `rows`,
    in two queries."""
    document_ids = {row.document_id for row in rows if row.document_id}
    unit_ids = {row.unit_id for row in rows if row.unit_id}
    documents = db.session.scalars(select(Document).where(Document.id.in_(document_ids))).all() if document_ids else []
    units = db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))).all() if unit_ids else []
    return {"shown": shown_for(current_user, documents), "units": {unit.id: unit for unit in units}}


def _target(key, definition_id):
    definition = db.session.get(WorkflowDefinition, definition_id)
    if definition is None or definition.key != key:
        abort(404)
    return definition
