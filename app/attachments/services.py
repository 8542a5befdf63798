"""Attaching, replacing and deleting the files of a document (R10, R35).

Each function takes the actor and plain values and only flushes; the caller commits once. The attaching unit
owns a file: only it may replace or delete it. Nothing is ever removed: a replaced or deleted file keeps its
row (deleted_at, deleted_by) and its content, so the history shows who did what.
"""
import io
import os
import re
import unicodedata
from contextlib import ExitStack
from dataclasses import dataclass

from flask import current_app

from app.attachments import filetypes, storage
from app.attachments.models import Attachment
from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.documents import permissions
from app.extensions import db

MAX_FILENAME_LENGTH = 200
_PATH_SEPARATORS = re.compile(r"[/\\]")
_RESERVED_ON_WINDOWS = re.compile(r'[<>:"|?*]')  # the file is saved on someone's PC when downloaded
_SPACES = re.compile(r"\s+")


@dataclass
class _Received:
    filename: str
    kind: filetypes.FileKind
    incoming: storage.Incoming


def attach(actor, document, *, unit, filename, stream):
    """One file from `stream`, attached by (and owned by) `unit`."""
    return attach_files(actor, document, unit=unit, files=[(filename, stream)])[0]


def attach_files(actor, document, *, unit, files):
    """Several (filename, stream) pairs at once: every file is checked before any is kept, so one refused
    file leaves nothing stored."""
    _check_document_open(document)
    permissions.require(permissions.may_attach(actor.user, document, unit.id), actor)
    if not files:
        raise BusinessRuleError(_l("Choose at least one file to attach."))
    store = storage.file_store()
    with ExitStack() as stack:
        received = [_receive(stack, store, filename, stream) for filename, stream in files]
        attachments = [_store(actor, document, unit, store, item) for item in received]
    for attachment in attachments:
        _record(actor, "attachment.add", document, attachment)
    return attachments


def attach_made_by_the_system(actor, document, *, unit, filename, data, frozen=False):
    """A file the system made in a step the actor was already allowed to take (the signed PDF of a letter):
    no upload permission is asked, the file checks still apply. A frozen file never changes again."""
    _check_document_open(document)
    store = storage.file_store()
    with ExitStack() as stack:
        received = _receive(stack, store, filename, io.BytesIO(data))
        attachment = _store(actor, document, unit, store, received)
    attachment.frozen_at = utcnow() if frozen else None
    _record(actor, "attachment.add", document, attachment)
    return attachment


def extend_signed_file(actor, attachment, *, unit, data):
    """A signed file with one more signature (a co-signer's): a new frozen version that replaces it. Only an
    incremental update is accepted, one that begins with every byte of the file as it was, so what the
    earlier signers signed is still there, unchanged, inside the new file."""
    store = storage.file_store()
    if attachment.deleted_at is not None or attachment.frozen_at is None:
        raise BusinessRuleError(_l("This file has already been replaced or deleted."))
    if not data.startswith(store.path_for(attachment.sha256).read_bytes()):
        raise ValueError("a signed file is only ever extended by an incremental update")
    with ExitStack() as stack:
        received = _receive(stack, store, attachment.filename, io.BytesIO(data))
        _mark_deleted(actor, attachment)
        new = _store(actor, attachment.document, unit, store, received, replaces=attachment)
    new.frozen_at = utcnow()
    _record(actor, "attachment.sign", attachment.document, new, replaces_id=attachment.id,
            replaced_sha256=attachment.sha256)
    return new


def freeze_all(document):
    """Every current file of the document, as the signer saw it, can no longer be replaced or deleted."""
    now = utcnow()
    for attachment in db.session.query(Attachment).filter(Attachment.document_id == document.id,
                                                          Attachment.deleted_at.is_(None)):
        attachment.frozen_at = attachment.frozen_at or now
    db.session.flush()


def replace(actor, attachment, *, unit, filename, stream):
    """A new version: a new row pointing at the one it replaces, which is marked deleted."""
    _check_may_change(actor, attachment, unit)
    store = storage.file_store()
    with ExitStack() as stack:
        received = _receive(stack, store, filename, stream)
        _mark_deleted(actor, attachment)
        new = _store(actor, attachment.document, unit, store, received, replaces=attachment)
    _record(actor, "attachment.replace", attachment.document, new, replaces_id=attachment.id,
            replaced_sha256=attachment.sha256)
    return new


def delete(actor, attachment, *, unit):
    _check_may_change(actor, attachment, unit)
    _mark_deleted(actor, attachment)
    _record(actor, "attachment.delete", attachment.document, attachment)
    return attachment


def record_read(actor, attachment, *, how):
    """Every read of a classified document's file is in the audit trail; `how` is "download" or "preview"."""
    document = attachment.document
    if document.is_classified:
        audit.record(actor, "document.read_classified", "document", document.id, attachment_id=attachment.id,
                     sha256=attachment.sha256, how=how)


def clean_filename(raw):
    """The name as shown and downloaded: Thai kept; folders, control and invisible characters removed;
    characters Windows refuses replaced; at most MAX_FILENAME_LENGTH characters, extension kept."""
    name = _PATH_SEPARATORS.split(unicodedata.normalize("NFC", raw or ""))[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C"
                   and unicodedata.category(char) not in ("Zl", "Zp"))
    name = _SPACES.sub(" ", _RESERVED_ON_WINDOWS.sub("_", name)).strip(" .")
    return _shortened(name or "file")


def _shortened(name):
    if len(name) <= MAX_FILENAME_LENGTH:
        return name
    stem, extension = os.path.splitext(name)
    extension = extension[:16]
    return stem[:MAX_FILENAME_LENGTH - len(extension)].rstrip(" .") + extension


def _receive(stack, store, filename, stream):
    name = clean_filename(filename)
    try:
        incoming = stack.enter_context(store.receive(stream, max_bytes=_max_bytes()))
    except storage.TooLarge:
        raise BusinessRuleError(_l("%(name)s is larger than %(mb)d MB.", name=name,
                                   mb=_max_bytes() // (1024 * 1024))) from None
    if incoming.size == 0:
        raise BusinessRuleError(_l("%(name)s is empty.", name=name))
    kind = filetypes.detect(incoming.head, incoming.path, name)
    return _Received(filename=filetypes.with_extension(kind, name), kind=kind, incoming=incoming)


def _store(actor, document, unit, store, received, replaces=None):
    store.keep(received.incoming)
    attachment = Attachment(
        document_id=document.id, sha256=received.incoming.sha256, size=received.incoming.size,
        filename=_shortened(received.filename), content_type=received.kind.mime, unit_id=unit.id,
        uploaded_by_id=actor.user_id, replaces_id=replaces.id if replaces is not None else None)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _mark_deleted(actor, attachment):
    attachment.deleted_at = utcnow()
    attachment.deleted_by_id = actor.user_id
    db.session.flush()


def _check_may_change(actor, attachment, unit):
    _check_document_open(attachment.document)
    if attachment.unit_id != unit.id:
        raise BusinessRuleError(_l("Only the unit that attached this file can replace or delete it."))
    permissions.require(permissions.may_change_attachment(actor.user, attachment), actor)
    if attachment.deleted_at is not None:
        raise BusinessRuleError(_l("This file has already been replaced or deleted."))
    if attachment.frozen_at is not None:
        raise BusinessRuleError(_l("This file is part of a signed letter, so it cannot be replaced or deleted; "
                                   "a correction is a new letter that is signed again."))


def _check_document_open(document):
    if document.deleted_at is not None:
        raise BusinessRuleError(_l("This document has been deleted, so its files cannot change."))


def _max_bytes():
    return current_app.config.get("MAX_CONTENT_LENGTH")


def _record(actor, action, document, attachment, **extra):
    """On the document, so its history shows the files too; the attachment is named in the detail."""
    # A classified document's file names can tell what it is about; the row keeps the name for those allowed.
    filename = "(classified)" if document.is_classified else attachment.filename
    audit.record(actor, action, "document", document.id, attachment_id=attachment.id, filename=filename,
                 sha256=attachment.sha256, size=attachment.size, content_type=attachment.content_type,
                 unit_id=attachment.unit_id, **extra)
