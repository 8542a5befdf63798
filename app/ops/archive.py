"""The backup archive on disk: one tar of a manifest and gzipped table files, beside a pool of attached files.

    BACKUP_PATH/esaraban-backup-20261203T150000Z.tar   manifest.json + tables/<table>.jsonl.gz
    BACKUP_PATH/files/ab/cd/abcd…                       attached files by SHA-256, shared by every archive

A file already in the pool is not copied again, so a nightly backup copies only the day's new files. The
manifest names every member's and every file's SHA-256, so one changed byte anywhere is found by `verify`.
An archive is written under a temporary name and renamed when complete: a half-written one is never listed.
"""
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

ARCHIVE_NAME = re.compile(r"^esaraban-backup-(\d{8}T\d{6}Z)\.tar$")
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
FORMAT = 1
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive is missing, unreadable or does not match its manifest; the message says which."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pool_path(backup_root, sha256):
    return Path(backup_root) / "files" / sha256[:2] / sha256[2:4] / sha256


def copy_into_pool(source, backup_root, sha256):
    """Copy one attached file into the pool unless it is there already; True when it was copied. The copy
    is checked against its name, so a file damaged on the live disk is reported, not kept as good."""
    target = pool_path(backup_root, sha256)
    if target.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    shutil.copyfile(source, partial)
    if sha256_of(partial) != sha256:
        partial.unlink()
        raise ArchiveError(f"the attached file {source} does not match its SHA-256 {sha256}")
    os.replace(partial, target)
    return True


class ArchiveWriter:
    """Members are gzipped table files; `close(manifest)` adds the manifest and renames the tar into place."""

    def __init__(self, final_path):
        self.final_path = Path(final_path)
        self.partial_path = self.final_path.with_suffix(".tar.partial")
        self.tar = tarfile.open(self.partial_path, "w")
        self.members = {}

    def add_table(self, name, lines):
        """Write an iterable of JSON lines as tables/<name>.jsonl.gz; returns how many lines it had."""
        buffer, count = io.BytesIO(), 0
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed:
            for line in lines:
                packed.write(line.encode("utf-8"))
                count += 1
        self._add(f"tables/{name}.jsonl.gz", buffer.getvalue())
        return count

    def _add(self, member, data):
        info = tarfile.TarInfo(member)
        info.size = len(data)
        self.tar.addfile(info, io.BytesIO(data))
        self.members[member] = hashlib.sha256(data).hexdigest()

    def close(self, manifest):
        manifest = dict(manifest, format=FORMAT, members=dict(self.members))
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        self._add(MANIFEST, data)
        self._add(MANIFEST_DIGEST, hashlib.sha256(data).hexdigest().encode("ascii"))
        self.tar.close()
        os.replace(self.partial_path, self.final_path)
        return manifest

    def abandon(self):
        self.tar.close()
        self.partial_path.unlink(missing_ok=True)


@dataclass
class OpenedArchive:
    path: Path
    manifest: dict
    tar: tarfile.TarFile

    def table_lines(self, name):
        member = self.tar.extractfile(f"tables/{name}.jsonl.gz")
        with gzip.GzipFile(fileobj=member) as packed:
            for raw in packed:
                yield raw.decode("utf-8")

    def close(self):
        self.tar.close()


def open_archive(path, *, check_members=True):
    """Open an archive and check every member against the manifest's SHA-256 (ArchiveError if not)."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    try:
        tar = tarfile.open(path, "r")
        data = tar.extractfile(MANIFEST).read()
        if hashlib.sha256(data).hexdigest() != tar.extractfile(MANIFEST_DIGEST).read().decode("ascii").strip():
            raise ArchiveError(f"the manifest of {path.name} does not match its checksum: the archive is damaged")
        manifest = json.loads(data.decode("utf-8"))
    except ArchiveError:
        raise
    except (tarfile.TarError, KeyError, AttributeError, ValueError, OSError, EOFError) as error:
        raise ArchiveError(f"{path.name} is not a readable e-Saraban backup ({error})") from error
    if manifest.get("format") != FORMAT:
        tar.close()
        raise ArchiveError(f"{path.name} is of backup format {manifest.get('format')!r}, not {FORMAT}")
    if check_members:
        try:
            _check_members(tar, manifest)
        except Exception:
            tar.close()
            raise
    return OpenedArchive(path=path, manifest=manifest, tar=tar)


def _check_members(tar, manifest):
    for member, expected in manifest["members"].items():
        try:
            digest = hashlib.sha256(tar.extractfile(member).read()).hexdigest()
        except (tarfile.TarError, KeyError, AttributeError, OSError, EOFError) as error:
            raise ArchiveError(f"member {member} cannot be read ({error})") from error
        if digest != expected:
            raise ArchiveError(f"member {member} does not match its checksum: the archive is damaged")


def archives_in(backup_root):
    """The complete archives in `backup_root`, oldest first."""
    root = Path(backup_root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if ARCHIVE_NAME.match(p.name))
