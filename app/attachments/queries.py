"""Reading the files of a document: the current ones, their history, and what the panel shows a user."""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.attachments.filetypes import ACCEPT, KIND_BY_MIME
from app.attachments.models import Attachment
from app.documents import access, permissions
from app.extensions import db
from app.org.models import User


def current_attachments(document):
    """The files a document carries now, newest first."""
    return db.session.scalars(
        select(Attachment).where(Attachment.document_id == document.id, Attachment.deleted_at.is_(None))
        .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())).all()


def attachment_history(document):
    """Every file ever attached, replaced and deleted ones too, oldest first."""
    return db.session.scalars(
        select(Attachment).where(Attachment.document_id == document.id)
        .order_by(Attachment.uploaded_at, Attachment.id)).all()


@dataclass(frozen=True)
class FileRow:
    attachment: Attachment
    kind: object  # filetypes.FileKind, None for a type no longer known
    size_text: str
    can_modify: bool

    @property
    def can_preview(self):
        return self.kind is not None and self.kind.preview


@dataclass(frozen=True)
class HistoryRow:
    attachment: Attachment
    deleted_by: User | None
    replaced_by: Attachment | None

    @property
    def status(self):
        if self.attachment.deleted_at is None:
            return "current"
        return "replaced" if self.replaced_by is not None else "deleted"


def panel_context(user, document):
    """Everything templates/attachments/_panel.html needs, for `user` looking at `document`.

    The unit acting on files is the user's own (user.unit_id): it owns what they attach (R10).
    """
    visible = access.can_see_content(user, document)
    files = current_attachments(document) if visible else []
    return {
        "attachment_document": document,
        "attachment_hidden": not visible,
        "attachment_rows": [_file_row(item, user) for item in files],
        "attachment_history": history_rows(document) if visible else [],
        "attachment_can_upload": visible and permissions.may_attach(user, document),
        "attachment_accept": ACCEPT,
        "attachment_max_mb": (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024),
    }


def history_rows(document):
    history = attachment_history(document)
    replaced_by = {item.replaces_id: item for item in history if item.replaces_id is not None}
    deleters = _users({item.deleted_by_id for item in history} - {None})
    return [HistoryRow(item, deleters.get(item.deleted_by_id), replaced_by.get(item.id)) for item in history]


def size_text(size):
    """1 KB upwards in KB below a megabyte, MB with one decimal above."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)):,} KB"
    return f"{size / (1024 * 1024):,.1f} MB"


def _file_row(attachment, user):
    return FileRow(attachment=attachment, kind=KIND_BY_MIME.get(attachment.content_type),
                   size_text=size_text(attachment.size),
                   can_modify=permissions.may_change_attachment(user, attachment))


def _users(ids):
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
