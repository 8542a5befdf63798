"""The backup archive on disk: one tar of a manifest and gzipped table files, beside a pool of attached files.

    BACKUP_PATH/esaraban-backup-20261203T150000Z.tar   manifest.json + tables/<table>.jsonl.gz
    BACKUP_PATH/esaraban-backup-….tar.files            the SHA-256s of the attached files it needs
    BACKUP_PATH/files/ab/cd/abcd…                       attached files by SHA-256, shared by every archive

With BACKUP_PASSPHRASE set, the archive is `.tar.enc` and the list and every pooled file are encrypted too
(app/ops/crypto.py); a folder holds encrypted backups or plain ones, never both.

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
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.ops import crypto

ARCHIVE_NAME = re.compile(r"^esaraban-backup-(\d{8}T\d{6}Z)\.tar(\.enc)?$")
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


def copy_into_pool(source, backup_root, sha256, key=None):
    """Copy one attached file into the pool unless it is there already; True when it was copied. The file
    is checked against its name first, so a file damaged on the live disk is reported, not kept as good."""
    target = pool_path(backup_root, sha256)
    if target.is_file():
        return False
    if sha256_of(source) != sha256:
        raise ArchiveError(f"the attached file {source} does not match its SHA-256 {sha256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    if key is None:
        shutil.copyfile(source, partial)
    else:
        crypto.encrypt_file(key, source, partial)
    os.replace(partial, target)
    return True


def copy_out_of_pool(backup_root, sha256, target, key=None):
    """The pooled file as it was attached, checked against its SHA-256 (ArchiveError if it is not)."""
    source = pool_path(backup_root, sha256)
    if not source.is_file():
        raise ArchiveError(f"the attached file {sha256} is missing from {Path(backup_root) / 'files'}")
    try:
        if key is None:
            shutil.copyfile(source, target)
        else:
            crypto.decrypt_file(key, source, target)
    except crypto.CryptoError as error:
        raise ArchiveError(str(error)) from error
    if sha256_of(target) != sha256:
        Path(target).unlink()
        raise ArchiveError(f"the attached file {sha256} in {Path(backup_root) / 'files'} is damaged")


def write_file_list(archive_path, shas, key=None):
    listing = Path(f"{archive_path}.files")
    listing.write_text("".join(f"{sha}\n" for sha in sorted(shas)))
    if key is not None:
        sealed = listing.with_suffix(".files.partial")
        crypto.encrypt_file(key, listing, sealed)
        os.replace(sealed, listing)


def read_file_list(archive_path, key=None):
    listing = Path(f"{archive_path}.files")
    if not listing.is_file():
        return set()
    if key is None:
        return set(listing.read_text().split())
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / "files"
        crypto.decrypt_file(key, listing, plain)
        return set(plain.read_text().split())


class ArchiveWriter:
    """Members are gzipped table files; `close(manifest)` adds the manifest and moves the tar into place,
    encrypted when there is a key (the plain tar is then only ever in a private scratch folder)."""

    def __init__(self, final_path, key=None):
        self.final_path, self.key = Path(final_path), key
        self.scratch = tempfile.TemporaryDirectory(prefix="esaraban-backup-") if key is not None else None
        folder = Path(self.scratch.name) if self.scratch else self.final_path.parent
        self.partial_path = folder / f"{self.final_path.name}.partial"
        self.tar = tarfile.open(self.partial_path, "w")
        self.members = {}

    def add_table(self, name, lines):
        """Write an iterable of JSON lines as tables/<name>.jsonl.gz; returns how many lines it had. The
        member is built in a temporary file, so a large table is never held in memory."""
        count = 0
        with tempfile.TemporaryFile(dir=self.partial_path.parent) as buffer:
            with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed:
                for line in lines:
                    packed.write(line.encode("utf-8"))
                    count += 1
            self._add_file(f"tables/{name}.jsonl.gz", buffer)
        return count

    def _add_file(self, member, handle):
        digest, size = hashlib.sha256(), handle.seek(0, os.SEEK_END)
        handle.seek(0)
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
        handle.seek(0)
        info = tarfile.TarInfo(member)
        info.size = size
        self.tar.addfile(info, handle)
        self.members[member] = digest.hexdigest()

    def _add(self, member, data):
        self._add_file(member, io.BytesIO(data))

    def close(self, manifest):
        manifest = dict(manifest, format=FORMAT, members=dict(self.members))
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        self._add(MANIFEST, data)
        self._add(MANIFEST_DIGEST, hashlib.sha256(data).hexdigest().encode("ascii"))
        self.tar.close()
        if self.key is None:
            os.replace(self.partial_path, self.final_path)
        else:
            sealed = self.final_path.with_name(f"{self.final_path.name}.partial")
            crypto.encrypt_file(self.key, self.partial_path, sealed)
            os.replace(sealed, self.final_path)
            self.scratch.cleanup()
        return manifest

    def abandon(self):
        self.tar.close()
        self.partial_path.unlink(missing_ok=True)
        self.final_path.with_name(f"{self.final_path.name}.partial").unlink(missing_ok=True)
        if self.scratch is not None:
            self.scratch.cleanup()


@dataclass
class OpenedArchive:
    path: Path
    manifest: dict
    tar: tarfile.TarFile
    scratch: tempfile.TemporaryDirectory | None = None  # where an encrypted archive was opened

    def table_lines(self, name):
        member = self.tar.extractfile(f"tables/{name}.jsonl.gz")
        with gzip.GzipFile(fileobj=member) as packed:
            for raw in packed:
                yield raw.decode("utf-8")

    def close(self):
        self.tar.close()
        if self.scratch is not None:
            self.scratch.cleanup()


def open_archive(path, *, key=None, check_members=True):
    """Open an archive (decrypting it into a private scratch folder when it is `.enc`) and check every
    member against the manifest's SHA-256 (ArchiveError if not)."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    scratch, readable = None, path
    if path.suffix == ".enc":
        if key is None:
            raise ArchiveError(f"{path.name} is encrypted: set BACKUP_PASSPHRASE")
        scratch = tempfile.TemporaryDirectory(prefix="esaraban-archive-")
        readable = Path(scratch.name) / path.stem
        try:
            crypto.decrypt_file(key, path, readable)
        except crypto.CryptoError as error:
            scratch.cleanup()
            raise ArchiveError(str(error)) from error
    try:
        tar, manifest = _read_manifest(readable, path.name)
        if check_members:
            try:
                _check_members(tar, manifest)
                _check_unused_bytes(readable, tar)
            except Exception:
                tar.close()
                raise
    except Exception:
        if scratch is not None:
            scratch.cleanup()
        raise
    return OpenedArchive(path=path, manifest=manifest, tar=tar, scratch=scratch)


def _read_manifest(readable, name):
    try:
        tar = tarfile.open(readable, "r")
        data = tar.extractfile(MANIFEST).read()
        if hashlib.sha256(data).hexdigest() != tar.extractfile(MANIFEST_DIGEST).read().decode("ascii").strip():
            raise ArchiveError(f"the manifest of {name} does not match its checksum: the archive is damaged")
        manifest = json.loads(data.decode("utf-8"))
    except ArchiveError:
        raise
    except (tarfile.TarError, KeyError, AttributeError, ValueError, OSError, EOFError) as error:
        raise ArchiveError(f"{name} is not a readable e-Saraban backup ({error})") from error
    if manifest.get("format") != FORMAT:
        tar.close()
        raise ArchiveError(f"{name} is of backup format {manifest.get('format')!r}, not {FORMAT}")
    return tar, manifest


def _check_members(tar, manifest):
    for member, expected in manifest["members"].items():
        try:
            digest = hashlib.sha256(tar.extractfile(member).read()).hexdigest()
        except (tarfile.TarError, KeyError, AttributeError, OSError, EOFError) as error:
            raise ArchiveError(f"member {member} cannot be read ({error})") from error
        if digest != expected:
            raise ArchiveError(f"member {member} does not match its checksum: the archive is damaged")


def _check_unused_bytes(readable, tar):
    """Every byte of a tar is a member's header (tar checks its checksum), a member's data (checked against
    the manifest) or padding, which tar writes as zeros: padding that is not zero is a damaged archive too,
    so one changed byte anywhere is found, the zero blocks at the end included."""
    block = tarfile.BLOCKSIZE
    with open(readable, "rb") as handle:
        end = 0
        for member in tar.getmembers():
            data_end = member.offset_data + member.size
            end = -(-data_end // block) * block
            handle.seek(data_end)
            if handle.read(end - data_end).strip(b"\0"):
                raise ArchiveError(f"the padding after member {member.name} is not blank: the archive is damaged")
        handle.seek(end)
        while chunk := handle.read(CHUNK):
            if chunk.strip(b"\0"):
                raise ArchiveError("the end of the archive is not blank: the archive is damaged")


def archives_in(backup_root):
    """The complete archives in `backup_root`, oldest first."""
    root = Path(backup_root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if ARCHIVE_NAME.match(p.name))
