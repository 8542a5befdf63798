"""A letter revision as the PDF its recipients get, laid out as the regulation's forms say: A4, the
organisation's official font at 16 pt, left margin 3 cm and right 2 cm, the Garuda 3 cm high (1.5 cm on a
memo), page numbers from page 2 ("- ๒ -"), Thai digits and Buddhist-Era dates by default, speed and
secrecy stamps in red.

The preview an author or signer sees is this same PDF: a draft has a blank number and day, the signed
letter has the number, the date, the signature block and the verify code.
"""
import base64
from dataclasses import dataclass, field
from datetime import date

import qrcode
from flask import current_app

from app.attachments.storage import file_store
from app.core.pdf import html_to_pdf, html_to_pdf_with_page_boxes
from app.core.thai_dates import THAI_MONTHS, buddhist_year, thai_digits
from app.letters import body, kinds
from app.letters.kinds import Field

SPEED_STAMPS = {"urgent": "ด่วน", "very_urgent": "ด่วนมาก", "most_urgent": "ด่วนที่สุด"}
SECRECY_STAMPS = {"confidential": "ลับ", "secret": "ลับมาก", "top_secret": "ลับที่สุด"}
GARUDA_PLACEHOLDER = "img/garuda-placeholder.svg"  # under the static folder; drawn by the project


@dataclass
class Signature:
    """The visible signature block of a signed letter."""
    name: str
    position: str
    acting_for: str = ""
    image: bytes | None = None  # the signer's uploaded signature; None prints the typed name (2564 amendment)
    image_type: str = "image/png"


@dataclass
class Cosigner:
    """A co-signer's slot: printed with the letter, signed into later (`slot` names the PDF field)."""
    name: str
    position: str
    slot: str
    user_id: int | None = None


@dataclass
class Verification:
    code: str
    url: str


@dataclass
class LetterContent:
    """Everything a letter's page prints, gathered by the caller from the document and the org chart."""
    kind: str
    subject: str
    fields: dict
    organisation: str
    unit_name: str
    letter_code: str
    circular: bool = False
    speed: str = "normal"
    secrecy: str = "normal"
    number: str = ""          # the outgoing number once taken ("ลย 51001/123"); blank on a draft
    dated: date | None = None  # the date of issue once numbered
    today: date | None = None  # a draft shows this month and year with a blank day
    signature: Signature | None = None
    cosigners: list = field(default_factory=list)  # Cosigner, in signing order
    verification: Verification | None = None
    extra: dict = field(default_factory=dict)


def render_pdf(content, letterhead):
    """The bytes of the letter's PDF."""
    return html_to_pdf(render_html(content, letterhead), system_fonts=True)


def render_pdf_with_slots(content, letterhead):
    """The letter's PDF and where each co-signer's signature goes: {slot: (page, x1, y1, x2, y2)}."""
    pdf, boxes = html_to_pdf_with_page_boxes(render_html(content, letterhead), system_fonts=True)
    return pdf, {cosigner.slot: boxes[cosigner.slot] for cosigner in content.cosigners}


def render_html(content, letterhead):
    spec = kinds.spec(content.kind)
    digits = thai_digits if letterhead.thai_digits else (lambda text: text)
    # The app's Jinja environment without the page context processors: a letter prints the same whoever
    # renders it, in a request, a worker or a benchmark.
    return current_app.jinja_env.get_template(spec.template).render(
        spec=spec, content=content, fields=_filled(content.fields), Field=Field,
        blocks=body.parse(content.fields.get(Field.BODY, "")), digits=digits,
        number=digits(_number_text(content)), date_text=digits(_date_text(content, letterhead)),
        speed=SPEED_STAMPS.get(content.speed, ""), secrecy=SECRECY_STAMPS.get(content.secrecy, ""),
        font_family=letterhead.font_family or "Laksaman", garuda=_garuda(letterhead),
        enclosures=[line.strip() for line in content.fields.get(Field.ENCLOSURES, "").splitlines()
                    if line.strip()],
        signature_image=_data_url(content.signature.image, content.signature.image_type)
        if content.signature and content.signature.image else None,
        qr=_qr_data_url(content.verification.url) if content.verification else None,
        letterhead=letterhead, **_kind_words(content))


def _kind_words(content):
    """คำสั่ง and ประกาศ share one layout; their headings and date lines differ."""
    if content.kind == kinds.LetterKind.ORDER:
        return {"title": "คำสั่ง", "issued_label": "สั่ง"}
    return {"title": "ประกาศ", "issued_label": "ประกาศ"}


def _filled(values):
    return {key: (value or "").strip() if isinstance(value, str) else value for key, value in values.items()}


def _number_text(content):
    if content.number:
        return content.number
    if content.kind == kinds.LetterKind.ORDER:  # คำสั่ง run their own series: "ที่ ๑๒/๒๕๖๙"
        return f"\u2003\u2003/{buddhist_year(content.today or date.today())}"
    code = content.letter_code
    return f"{code}/{'ว ' if content.circular else ''}" if code else ""


def _date_text(content, letterhead):
    """"๓ ธันวาคม ๒๕๖๙" once dated; a draft leaves the day blank for the date of issue."""
    day = content.dated or content.today or date.today()
    year = buddhist_year(day) if letterhead.buddhist_era else day.year
    month = THAI_MONTHS[day.month - 1]
    return f"{day.day} {month} {year}" if content.dated else f"\u2003\u2003{month} {year}"


def _garuda(letterhead):
    if letterhead.garuda_sha256:
        data = file_store().path_for(letterhead.garuda_sha256).read_bytes()
        return _data_url(data, letterhead.garuda_content_type or "image/png")
    return GARUDA_PLACEHOLDER


def _data_url(data, content_type):
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def _qr_data_url(url):
    """The verify QR code as an SVG image: the library's module matrix (error correction M, one module of
    margin), drawn as one path of rectangles, each covering a block of dark modules.

    qrcode's own SVG path draws every dark module as a square of its own (about 420 for a verify address);
    WeasyPrint parses the path again on each page it prints it, which cost some 25 ms of the signature step.
    The rectangles cover the same modules, so the code looks and reads the same."""
    code = qrcode.QRCode(border=1)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    path = "".join(f"M{x},{y}h{width}v{height}h-{width}z" for x, y, width, height in _dark_blocks(matrix))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{size}mm" height="{size}mm" '
           f'viewBox="0 0 {size} {size}"><path d="{path}" fill="#000000" stroke="none"/></svg>')
    return _data_url(svg.encode(), "image/svg+xml")


def _dark_blocks(matrix):
    """Rectangles (x, y, width, height) that cover the dark modules of `matrix` once each: row by row, a run
    of dark modules not yet covered, stretched down while the rows below are dark under the whole run."""
    size, covered, blocks = len(matrix), set(), []
    for y in range(size):
        x = 0
        while x < size:
            if not matrix[y][x] or (x, y) in covered:
                x += 1
                continue
            width = 1
            while x + width < size and matrix[y][x + width] and (x + width, y) not in covered:
                width += 1
            height = 1
            while y + height < size and all(matrix[y + height][i] and (i, y + height) not in covered
                                            for i in range(x, x + width)):
                height += 1
            covered.update((i, j) for i in range(x, x + width) for j in range(y, y + height))
            blocks.append((x, y, width, height))
            x += width
    return blocks
