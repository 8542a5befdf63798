"""R35: the type of an attachment is told from its content. Every sample here is built in code."""
import io
import struct
import zipfile
import zlib

import pytest

from app.attachments.filetypes import ACCEPT, HEAD_SIZE, KINDS, RefusedFile, detect, with_extension

# ---- samples, small but real in the parts that tell their type ------------------------------------------


def pdf_bytes(text="hello"):
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


def png_bytes():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
            + chunk(b"IEND", b""))


def jpeg_bytes():
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", 2 + len(app0)) + app0 + b"\xff\xd9"


def tiff_bytes(big_endian=False):
    if big_endian:
        return b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">HI", 0, 0)
    return b"II*\x00" + struct.pack("<I", 8) + struct.pack("<HI", 0, 0)


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


OOXML_MAIN = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


def ooxml_bytes(code):
    main = OOXML_MAIN[code]
    content_types = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                     f'content-types"><Override PartName="/{main}" ContentType="application/xml"/></Types>')
    relations = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 f'officeDocument/2006/relationships/officeDocument" Target="{main}"/></Relationships>')
    return zip_bytes([("[Content_Types].xml", content_types), ("_rels/.rels", relations),
                      (main, "<?xml version='1.0'?><document/>")])


def odf_bytes(code):
    mimetype = KINDS[code].mime
    manifest = ('<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                f'manifest:media-type="{mimetype}"/>'
                '</manifest:manifest>')
    return zip_bytes([("mimetype", mimetype), ("META-INF/manifest.xml", manifest),
                      ("content.xml", "<?xml version='1.0'?><office:document-content/>")])


OLE2_STREAM = {"doc": "WordDocument", "xls": "Workbook", "ppt": "PowerPoint Document"}
END_OF_CHAIN, FREE, FAT_SECTOR, NO_ENTRY = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole2_bytes(entries):
    """A version 3 compound file (MS-CFB) whose directory is `entries`: (name, type, left, right, child)
    after the root, which is given child 1. Sector 0 holds the allocation table, sector 1 the directory."""
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
              + struct.pack("<109I", 0, *[FREE] * 108))
    fat = struct.pack("<128I", FAT_SECTOR, END_OF_CHAIN, *[FREE] * 126)
    directory = [("Root Entry", 5, NO_ENTRY, NO_ENTRY, 1 if entries else NO_ENTRY)] + list(entries)
    directory += [("", 0, NO_ENTRY, NO_ENTRY, NO_ENTRY)] * (4 - len(directory))
    return header + fat + b"".join(_ole2_entry(*entry) for entry in directory)


def _ole2_entry(name, kind, left, right, child):
    encoded = name.encode("utf-16-le") + b"\x00\x00" if name else b""
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", left, right, child) + bytes(16 + 4 + 16)
            + struct.pack("<IQ", END_OF_CHAIN, 0))


def office97_bytes(code):
    return ole2_bytes([(OLE2_STREAM[code], 2, NO_ENTRY, NO_ENTRY, NO_ENTRY)])


SAMPLES = {
    "pdf": ("หนังสือเชิญประชุม.pdf", pdf_bytes()),
    "jpeg": ("สแกน.jpg", jpeg_bytes()),
    "png": ("scan.png", png_bytes()),
    "tiff": ("scan.tif", tiff_bytes()),
    "doc": ("บันทึก.doc", office97_bytes("doc")),
    "xls": ("งบประมาณ.xls", office97_bytes("xls")),
    "ppt": ("นำเสนอ.ppt", office97_bytes("ppt")),
    "docx": ("บันทึก.docx", ooxml_bytes("docx")),
    "xlsx": ("งบประมาณ.xlsx", ooxml_bytes("xlsx")),
    "pptx": ("นำเสนอ.pptx", ooxml_bytes("pptx")),
    "odt": ("บันทึก.odt", odf_bytes("odt")),
    "ods": ("ตาราง.ods", odf_bytes("ods")),
    "odp": ("สไลด์.odp", odf_bytes("odp")),
}


def sniff(data, filename):
    return detect(data[:HEAD_SIZE], io.BytesIO(data), filename)


# ---- accepted ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_accepted_type_is_told_from_its_content(code):
    filename, data = SAMPLES[code]
    kind = sniff(data, filename)
    assert kind.code == code and kind.mime == KINDS[code].mime


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_the_name_does_not_decide_the_type(code):
    _, data = SAMPLES[code]
    assert sniff(data, "no-extension").code == code


def test_big_endian_tiff_is_accepted():
    assert sniff(tiff_bytes(big_endian=True), "scan.tiff").code == "tiff"


def test_a_path_works_as_well_as_an_open_file(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(ooxml_bytes("xlsx"))
    assert detect(path.read_bytes()[:HEAD_SIZE], path, "x.xlsx").code == "xlsx"


def test_word_with_an_embedded_workbook_is_word():
    """The streams of embedded objects sit in sub-storages; only the top level says what the file is."""
    data = ole2_bytes([("WordDocument", 2, NO_ENTRY, 2, NO_ENTRY), ("ObjectPool", 1, NO_ENTRY, NO_ENTRY, 3),
                       ("Workbook", 2, NO_ENTRY, NO_ENTRY, NO_ENTRY)])
    assert sniff(data, "a.doc").code == "doc"


def test_a_password_protected_office_file_takes_its_type_from_the_name():
    data = ole2_bytes([("EncryptedPackage", 2, NO_ENTRY, 2, NO_ENTRY),
                       ("EncryptionInfo", 2, NO_ENTRY, NO_ENTRY, NO_ENTRY)])
    assert sniff(data, "ลับ.xlsx").code == "xlsx"
    with pytest.raises(RefusedFile):
        sniff(data, "ลับ.pdf")


def test_same_program_different_format_is_accepted():
    assert sniff(ooxml_bytes("docx"), "old-name.doc").code == "docx"
    assert sniff(png_bytes(), "scan.jpg").code == "png"


def test_a_name_without_a_known_extension_gets_one():
    assert with_extension(KINDS["pdf"], "หนังสือ") == "หนังสือ.pdf"
    assert with_extension(KINDS["pdf"], "หนังสือ.ฉบับ2") == "หนังสือ.ฉบับ2.pdf"
    assert with_extension(KINDS["pdf"], "หนังสือ.PDF") == "หนังสือ.PDF"


def test_accept_attribute_lists_every_accepted_extension():
    for extension in (".pdf", ".jpg", ".png", ".tif", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
                      ".odt", ".ods", ".odp"):
        assert extension in ACCEPT.split(",")


# ---- refused -------------------------------------------------------------------------------------------

REFUSED = {
    "a program renamed .pdf": ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),
    "an ELF program": ("tool.docx", b"\x7fELF\x02\x01\x01" + bytes(100)),
    "a web page renamed .pdf": ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "plain text": ("notes.doc", "บันทึกข้อความ".encode()),
    "an empty file": ("empty.pdf", b""),
    "a zip of other things": ("photos.docx", zip_bytes([("readme.txt", "hello")])),
    "a Java archive": ("app.xlsx", zip_bytes([("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")])),
    "an OOXML zip without its parts": ("x.docx", zip_bytes([("[Content_Types].xml", "<Types/>")])),
    "an OpenDocument drawing": ("x.odg",
                                zip_bytes([("mimetype", "application/vnd.oasis.opendocument.graphics")])),
    "a broken zip": ("x.docx", b"PK\x03\x04" + bytes(60)),
    "a compound file with no Office stream": (
        "setup.doc", ole2_bytes([("\x05SummaryInformation", 2, NO_ENTRY, NO_ENTRY, NO_ENTRY)])),
    "a truncated compound file": ("x.doc", office97_bytes("doc")[:700]),
    "a compound file header alone": ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(20)),
    "RTF saved as .doc": ("letter.doc", b"{\\rtf1\\ansi hello}"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_other_files_are_refused_with_the_accepted_list(case):
    filename, data = REFUSED[case]
    with pytest.raises(RefusedFile) as refused:
        sniff(data, filename)
    assert filename in str(refused.value.message) and "PDF" in str(refused.value.message)


def test_a_name_that_contradicts_the_content_is_refused():
    with pytest.raises(RefusedFile) as refused:
        sniff(pdf_bytes(), "budget.xlsx")
    assert ".xlsx" in str(refused.value.message) and "PDF" in str(refused.value.message)


def test_a_directory_loop_does_not_hang():
    entries = [("Data", 2, 1, 1, NO_ENTRY)]  # its own left and right sibling
    with pytest.raises(RefusedFile):
        sniff(ole2_bytes(entries), "loop.doc")


# ---- names and the file store --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("หนังสือเชิญประชุม.pdf", "หนังสือเชิญประชุม.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\somchai\\Desktop\\บันทึก ข้อความ.docx", "บันทึก ข้อความ.docx"),
    ("ใบ\tแจ้ง\n.pdf", "ใบแจ้ง.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override would show it as "exe.pdf"
    ('สรุป: "ด่วน" <1>?.xlsx', "สรุป_ _ด่วน_ _1__.xlsx"),
    ("  ...  ", "file"),
    ("", "file"),
])
def test_file_names_keep_thai_and_lose_paths_and_control_characters(raw, clean):
    from app.attachments.services import clean_filename

    assert clean_filename(raw) == clean


def test_long_names_are_cut_keeping_the_extension():
    from app.attachments.services import MAX_FILENAME_LENGTH, clean_filename

    name = clean_filename("ก" * 300 + ".pptx")
    assert len(name) == MAX_FILENAME_LENGTH and name.endswith("ก.pptx")


def test_the_download_header_carries_the_thai_name_and_an_ascii_fallback():
    from urllib.parse import unquote

    from app.attachments.views import content_disposition

    header = content_disposition("attachment", "รายงาน ประจำปี 2568.pdf")
    assert header.isascii()
    assert header.startswith('attachment; filename="2568.pdf"; filename*=UTF-8\'\'')
    assert unquote(header.split("''", 1)[1]) == "รายงาน ประจำปี 2568.pdf"
    assert content_disposition("inline", "บันทึก.pdf").startswith('inline; filename="file.pdf";')


def test_the_store_hashes_while_copying_and_keeps_one_copy(tmp_path):
    import hashlib

    from app.attachments.storage import FileStore

    store, data = FileStore(tmp_path), pdf_bytes() * 1000
    for _ in range(2):
        with store.receive(io.BytesIO(data)) as incoming:
            assert incoming.sha256 == hashlib.sha256(data).hexdigest() and incoming.size == len(data)
            assert incoming.head == data[:HEAD_SIZE]
            path = store.keep(incoming)
    assert path == tmp_path / incoming.sha256[:2] / incoming.sha256[2:4] / incoming.sha256
    assert path.read_bytes() == data
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [path]  # no temporary file left


def test_the_store_stops_at_the_limit_and_leaves_nothing(tmp_path):
    from app.attachments.storage import FileStore, TooLarge

    with pytest.raises(TooLarge):
        with FileStore(tmp_path).receive(io.BytesIO(bytes(5000)), max_bytes=4096):
            pass
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_store_only_addresses_by_sha256(tmp_path):
    from app.attachments.storage import FileStore

    with pytest.raises(ValueError):
        FileStore(tmp_path).path_for("../../secret_key")
