"""Attachment content on disk, outside the database, addressed by its SHA-256 (R10, R35).

FILES_PATH/ab/cd/abcd...: the same content is stored once however many documents carry it. An upload is
copied in chunks into FILES_PATH/tmp while it is hashed, checked, then moved into place with os.replace,
which is atomic on one file system: a reader never sees half a file. Files are never removed here; a deleted
attachment keeps its content for the history.
"""
import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from app.attachments.filetypes import HEAD_SIZE

CHUNK_SIZE = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class TooLarge(Exception):
    """The content is longer than the limit it was received under."""


@dataclass
class Incoming:
    """Content received into a temporary file, not yet kept."""
    path: Path
    sha256: str
    size: int
    head: bytes


class FileStore:
    def __init__(self, root):
        self.root = Path(root)

    def path_for(self, sha256):
        if not _SHA256.match(sha256 or ""):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256):
        return self.path_for(sha256).is_file()

    @contextmanager
    def receive(self, stream, max_bytes=None):
        """Copy `stream` into a temporary file while hashing it; the file is gone after the block unless
        `keep()` moved it into place. Raises TooLarge past `max_bytes`."""
        temp_dir = self.root / "tmp"
        temp_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=temp_dir, prefix="upload-")
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as target:
                sha256, size, head = _copy(stream, target, max_bytes)
            yield Incoming(path=path, sha256=sha256, size=size, head=head)
        finally:
            path.unlink(missing_ok=True)

    def keep(self, incoming):
        """Move received content to its address; content already there is simply not written again."""
        final = self.path_for(incoming.sha256)
        if final.is_file():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(incoming.path, final)
        return final


def file_store():
    return FileStore(current_app.config["FILES_PATH"])


def _copy(stream, target, max_bytes):
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK_SIZE):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise TooLarge()
        if len(head) < HEAD_SIZE:
            head += chunk[:HEAD_SIZE - len(head)]
        digest.update(chunk)
        target.write(chunk)
    target.flush()
    os.fsync(target.fileno())
    return digest.hexdigest(), size, head
