"""Workflow state in our tables: published definitions, running instances, and their human tasks.

Task lists and dashboards read `workflow_task`; they never deserialize a workflow.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.mysql import LONGTEXT
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db

LongText = Text().with_variant(LONGTEXT(), "mysql", "mariadb")


class WorkflowDefinition(db.Model):
    """One published version of a flow: immutable, keyed by the sha256 of its BPMN XML."""

    __tablename__ = "workflow_definition"
    __table_args__ = table_args(UniqueConstraint("key", "sha256"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))         # the flow: "delivery", ...
    process_id: Mapped[str] = mapped_column(String(128))  # the BPMN process to run
    sha256: Mapped[str] = mapped_column(String(64))
    bpmn_xml: Mapped[str] = mapped_column(LongText)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None: shipped with the release
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")

    published_by = relationship("User")


class WorkflowFlow(db.Model):
    """A flow's version that new instances start on, when an admin chose one (a new upload, a rollback);
    without a row the latest published version is."""

    __tablename__ = "workflow_flow"
    __table_args__ = table_args()

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    current_definition_id: Mapped[int] = mapped_column(ForeignKey("workflow_definition.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    current_definition: Mapped[WorkflowDefinition] = relationship()


class WorkflowInstance(db.Model):
    """A running (or finished) flow: its serialized state only, not the spec (that is 3/4 of the JSON)."""

    __tablename__ = "workflow_instance"
    __table_args__ = table_args(Index("ix_workflow_instance_subject", "subject_type", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("workflow_definition.id"))
    subject_type: Mapped[str] = mapped_column(String(32))  # "delivery", "document", ...
    subject_id: Mapped[int]
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # lanes resolve against this unit
    state: Mapped[str] = mapped_column(LongText, default="")
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | completed
    next_timer_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    definition: Mapped[WorkflowDefinition] = relationship()
    tasks: Mapped[list["WorkflowTask"]] = relationship(back_populates="instance", order_by="WorkflowTask.id")


class WorkflowTask(db.Model):
    """A human task of an instance, mirrored for task lists: whose lane, which unit, who is assigned."""

    __tablename__ = "workflow_task"
    __table_args__ = table_args(
        UniqueConstraint("instance_id", "task_guid"),
        # assignee_id last: "My work" asks for the lane's tasks nobody was given (assignee_id IS NULL), and
        # without it MariaDB intersects with the assignee index, which holds every unassigned task.
        Index("ix_workflow_task_open_unit_role", "state", "unit_id", "lane", "assignee_id"),
        Index("ix_workflow_task_open_assignee", "state", "assignee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instance.id"))
    task_guid: Mapped[str] = mapped_column(String(36))   # SpiffWorkflow's task id
    spec_name: Mapped[str] = mapped_column(String(128))  # the BPMN element id, e.g. "review_delivery"
    kind: Mapped[str] = mapped_column(String(16), default="", server_default="")  # its step kind (workflow/steps.py)
    title: Mapped[str] = mapped_column(String(200), default="")
    lane: Mapped[str] = mapped_column(String(32), default="")  # a role code: clerk, operator, manager
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    speed: Mapped[str] = mapped_column(String(16), default="normal")  # copied for sorting task lists
    state: Mapped[str] = mapped_column(String(16), default="ready")   # ready | completed | cancelled
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    instance: Mapped[WorkflowInstance] = relationship(back_populates="tasks")


class WorkflowDraft(db.Model):
    """A flow being edited in the browser (issue 16 item 3): one draft per flow, saved as often as the admin
    likes and published through the same checks as an upload. `based_on` is the version current when the
    draft was started (None for a new flow), so a draft overtaken by another publish is not published over
    it unnoticed."""

    __tablename__ = "workflow_draft"
    __table_args__ = table_args()

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    xml: Mapped[str] = mapped_column(LongText)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_definition.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    based_on: Mapped[WorkflowDefinition | None] = relationship()
    updated_by = relationship("User")
