"""What a file really is, told from its bytes (R35): the name is never trusted for the type.

Accepted: PDF, scans (JPEG, PNG, TIFF), Word, Excel and PowerPoint in the old (OLE2 compound file) and new
(OOXML zip) formats, and OpenDocument text, spreadsheets and presentations. Everything else is refused.
"""
import os
import struct
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l

HEAD_SIZE = 16  # enough for every signature below


@dataclass(frozen=True)
class FileKind:
    code: str
    mime: str
    label: object  # a lazy string: what people call this kind of file
    family: str  # kinds one program opens either way: a .docx named .doc is fine, a PDF named .doc is not
    extensions: tuple  # the first is the one added to a name that has none
    preview: bool = False  # browsers show it themselves (TIFF: only Safari, so it is downloaded)


KINDS = {kind.code: kind for kind in (
    FileKind("pdf", "application/pdf", _l("PDF"), "pdf", (".pdf",), preview=True),
    FileKind("jpeg", "image/jpeg", _l("JPEG image"), "image", (".jpg", ".jpeg", ".jpe", ".jfif"),
             preview=True),
    FileKind("png", "image/png", _l("PNG image"), "image", (".png",), preview=True),
    FileKind("tiff", "image/tiff", _l("TIFF image"), "image", (".tif", ".tiff")),
    FileKind("doc", "application/msword", _l("Word"), "word", (".doc", ".dot")),
    FileKind("xls", "application/vnd.ms-excel", _l("Excel"), "excel", (".xls", ".xlt")),
    FileKind("ppt", "application/vnd.ms-powerpoint", _l("PowerPoint"), "powerpoint",
             (".ppt", ".pps", ".pot")),
    FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _l("Word"),
             "word", (".docx", ".docm", ".dotx", ".dotm")),
    FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _l("Excel"),
             "excel", (".xlsx", ".xlsm", ".xltx", ".xltm")),
    FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
             _l("PowerPoint"), "powerpoint", (".pptx", ".pptm", ".ppsx", ".potx")),
    FileKind("odt", "application/vnd.oasis.opendocument.text", _l("OpenDocument text"), "odt",
             (".odt", ".ott")),
    FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", _l("OpenDocument spreadsheet"), "ods",
             (".ods", ".ots")),
    FileKind("odp", "application/vnd.oasis.opendocument.presentation", _l("OpenDocument presentation"), "odp",
             (".odp", ".otp")),
)}
KIND_BY_MIME = {kind.mime: kind for kind in KINDS.values()}
KIND_BY_EXTENSION = {extension: kind for kind in KINDS.values() for extension in kind.extensions}
ACCEPT = ",".join(KIND_BY_EXTENSION)  # for <input type="file" accept="...">

ACCEPTED_TYPES = _l("PDF, scans (JPEG, PNG, TIFF), Word, Excel, PowerPoint (old and new formats) and "
                    "OpenDocument files")

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_OOXML_PARTS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_OLE2_STREAMS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"),  # Book: Excel 5 and 95
                 ("PowerPoint Document", "ppt"))
# A password-protected .docx/.xlsx/.pptx is an OLE2 container around an EncryptedPackage stream; only the
# name can tell which of the three it is.
_ENCRYPTED_OOXML = "EncryptedPackage"


class RefusedFile(BusinessRuleError):
    """The file is not of a kind the system accepts, or its name contradicts its content."""


def detect(head, source, filename=""):
    """The FileKind of a file from its first bytes and, for containers, the file itself (a path or a seekable
    binary file). `filename` is only used inside a verified container to tell an encrypted Office file's type,
    and to name the file in the message. Raises RefusedFile."""
    with _opened(source) as file:
        code = _sniff(head, file, filename)
    if code is None:
        raise RefusedFile(_l("%(name)s: this kind of file is not accepted. The system accepts %(types)s.",
                             name=filename, types=ACCEPTED_TYPES))
    kind = KINDS[code]
    _check_extension(kind, filename)
    return kind


def extension_of(filename):
    return os.path.splitext(filename)[1].lower()


def with_extension(kind, filename):
    """A name that has no known extension gets the kind's own, so the file opens in the right program."""
    return filename if extension_of(filename) in KIND_BY_EXTENSION else filename + kind.extensions[0]


def _check_extension(kind, filename):
    named_kind = KIND_BY_EXTENSION.get(extension_of(filename))
    if named_kind is not None and named_kind.family != kind.family:
        raise RefusedFile(_l("%(name)s: the name ends in %(named)s but the file is %(actual)s. "
                             "Correct the name and attach it again.",
                             name=filename, named=extension_of(filename), actual=kind.label))


def _sniff(head, source, filename):
    for magic, code in _MAGIC:
        if head.startswith(magic):
            return code
    if head.startswith(_OLE2_MAGIC):
        return _ole2_kind(source, filename)
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(source)
    return None


# ---- zip containers: OOXML and OpenDocument --------------------------------------------------------------

_ODF_MIMETYPES = {KINDS[code].mime: code for code in ("odt", "ods", "odp")}


def _zip_kind(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return _odf_kind(archive)
            if "[Content_Types].xml" in names:
                return _ooxml_kind(names)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        return None
    return None


def _odf_kind(archive):
    declared = archive.open("mimetype").read(100).decode("ascii", "replace").strip()
    return _ODF_MIMETYPES.get(declared.removesuffix("-template"))


def _ooxml_kind(names):
    found = {code for prefix, code in _OOXML_PARTS if any(name.startswith(prefix) for name in names)}
    return found.pop() if len(found) == 1 else None


# ---- OLE2 compound files (MS-CFB): .doc, .xls, .ppt -----------------------------------------------------

_FREE_OR_END = 0xFFFFFFFA  # sector numbers from here up are markers, not sectors
_NO_ENTRY = 0xFFFFFFFF
_MAX_SECTORS_WALKED = 100_000  # a loop in a broken chain must not hang the request


def _ole2_kind(file, filename):
    try:
        names = _CompoundFile(file).root_stream_names()
    except (ValueError, struct.error, OSError):
        return None
    for stream, code in _OLE2_STREAMS:
        if stream in names:
            return code
    if _ENCRYPTED_OOXML in names:
        kind = KIND_BY_EXTENSION.get(extension_of(filename))
        return kind.code if kind is not None and kind.code in ("docx", "xlsx", "pptx") else None
    return None


class _CompoundFile:
    """Just enough of MS-CFB to list the streams at the top of the container."""

    def __init__(self, file):
        self.file = file
        header = self._read(0, 512)
        if len(header) < 512 or header[:8] != _OLE2_MAGIC or header[28:30] != b"\xfe\xff":
            raise ValueError("not a compound file")
        shift = struct.unpack_from("<H", header, 30)[0]
        if shift not in (9, 12):
            raise ValueError("bad sector size")
        self.sector_size = 1 << shift
        self.first_directory_sector = struct.unpack_from("<I", header, 48)[0]
        self.fat_sectors = self._fat_sector_list(header)

    def root_stream_names(self):
        entries = self._directory_entries()
        names, seen, pending = set(), set(), [entries[0][1]] if entries else []
        while pending:  # the root's children form a tree through their left and right siblings
            index = pending.pop()
            if index == _NO_ENTRY or index in seen or index >= len(entries):
                continue
            seen.add(index)
            name, _, left, right = entries[index]
            names.add(name)
            pending += [left, right]
        return names

    def _directory_entries(self):
        entries = []
        for sector in self._chain(self.first_directory_sector):
            data = self._read(self._offset(sector), self.sector_size)
            for start in range(0, len(data) - 127, 128):
                entries.append(_directory_entry(data[start:start + 128]))
        return entries

    def _fat_sector_list(self, header):
        count = struct.unpack_from("<I", header, 44)[0]
        sectors = list(struct.unpack_from("<109I", header, 76))
        next_difat, per_sector = struct.unpack_from("<I", header, 68)[0], self.sector_size // 4 - 1
        walked = 0
        while next_difat < _FREE_OR_END and len(sectors) < count + 109 and walked < _MAX_SECTORS_WALKED:
            data = self._read(self._offset(next_difat), self.sector_size)
            values = struct.unpack(f"<{per_sector + 1}I", data)
            sectors += values[:per_sector]
            next_difat, walked = values[per_sector], walked + 1
        return [sector for sector in sectors[:count] if sector < _FREE_OR_END]

    def _chain(self, sector):
        seen = set()
        while sector < _FREE_OR_END:
            if sector in seen or len(seen) >= _MAX_SECTORS_WALKED:
                raise ValueError("sector chain does not end")
            seen.add(sector)
            yield sector
            sector = self._next_sector(sector)

    def _next_sector(self, sector):
        per_sector = self.sector_size // 4
        index, position = divmod(sector, per_sector)
        if index >= len(self.fat_sectors):
            raise ValueError("sector outside the allocation table")
        return struct.unpack("<I", self._read(self._offset(self.fat_sectors[index]) + position * 4, 4))[0]

    def _offset(self, sector):
        return (sector + 1) * self.sector_size

    def _read(self, offset, size):
        self.file.seek(offset)
        data = self.file.read(size)
        if len(data) != size:
            raise ValueError("truncated compound file")
        return data


def _directory_entry(data):
    """(name, child, left sibling, right sibling) of one 128-byte directory entry."""
    name_length = min(struct.unpack_from("<H", data, 64)[0], 64)
    name = data[:max(name_length - 2, 0)].decode("utf-16-le", "replace")
    left, right, child = struct.unpack_from("<III", data, 68)
    return name, child, left, right


@contextmanager
def _opened(source):
    """A seekable binary file for the container readers: the path opened (and closed after), or the file."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as file:
            yield file
    else:
        source.seek(0)
        yield source
