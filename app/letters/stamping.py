"""The PDF work of an endorsement copy (app/letters/endorsements.py): a one-page copy of a letter's first page
(a scanned JPEG/PNG becomes an A4 page first), the endorsement block laid out by WeasyPrint on a
transparent page of the same size, and the two merged with pypdf.

The letter's page is shrunk to free a strip at the bottom for the block rather than printed over: a full
first page or a scan has no blank margin big enough, and an endorsement must not hide the letter's words.

Nothing here touches the database or the stored file: the caller reads the bytes and keeps the result.
"""
import base64
import io
from dataclasses import dataclass

from flask import current_app
from PIL import Image
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError, PyPdfError

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.pdf import html_to_pdf, html_to_pdf_with_boxes

IMAGE_TYPES = ("image/jpeg", "image/png")
BLOCK_ID = "endorsement"
# Tried in order until the block fits in the lower part of the page: a few lines of instruction take the
# small box in the bottom-right corner, a long one a wider box in a smaller size.
LAYOUTS = ((15, 8.0), (14, 8.0), (14, 12.0), (12, 16.0))
MAX_HEIGHT_SHARE = 0.35
MIN_SCALE = 0.6
GAP_POINTS = 8  # between the shrunk page and the top of the block


@dataclass
class Block:
    """What the manager's endorsement says, as printed."""
    text: str
    name: str
    position: str
    acting_for: str
    date_text: str
    image: bytes | None = None
    image_type: str = "image/png"


def first_page(data, content_type):
    """A new one-page PDF: the first page of the PDF `data`, or the scan `data` on an A4 page. The links,
    form fields and signature widgets of the original stay behind; only what the page shows is copied."""
    if content_type in IMAGE_TYPES:
        data = _image_page(data, content_type)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise BusinessRuleError(_l("The letter's PDF is protected by a password, so its first page "
                                       "cannot be copied for the endorsement."))
        page = reader.pages[0]
        writer = PdfWriter()
        copied = writer.add_page(page)
        copied.transfer_rotation_to_content()
        if "/Annots" in copied:
            del copied["/Annots"]
        output = io.BytesIO()
        writer.write(output)
    except (PdfReadError, PyPdfError, IndexError, KeyError, ValueError, TypeError):
        raise BusinessRuleError(_l("The letter's PDF is damaged and its first page could not be "
                                   "read.")) from None
    return output.getvalue()


def page_box(page_pdf):
    """(x, y, width, height) of the page's visible area (its crop box), in PDF points."""
    page = PdfReader(io.BytesIO(page_pdf)).pages[0]
    box = page.cropbox
    return float(box.left), float(box.bottom), float(box.width), float(box.height)


def stamp(page_pdf, block):
    """A page of the same size: the letter's page shrunk just enough, at the top and centred, to free a strip
    at the bottom where `block` is printed, so the endorsement never hides a word of the letter (a full
    page or a scan has no margin left to write in). Returns the PDF and the block's box (x1, y1, x2, y2)
    for the signature field."""
    left, bottom, width, height = page_box(page_pdf)
    overlay, box = _block_overlay(block, width, height)
    scale = max(MIN_SCALE, min(1.0, (height - (box[3] + GAP_POINTS)) / height))
    writer = PdfWriter()
    page = writer.add_blank_page(width, height)
    page.merge_transformed_page(PdfReader(io.BytesIO(page_pdf)).pages[0], Transformation()
                                .translate(-left, -bottom).scale(scale, scale)
                                .translate(width * (1 - scale) / 2, height * (1 - scale)))
    page.merge_page(PdfReader(io.BytesIO(overlay)).pages[0])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue(), box


def _block_overlay(block, width, height):
    """The block on a transparent page of `width` x `height` points, in the first layout it fits."""
    for font_size, block_cm in LAYOUTS:
        block_cm = min(block_cm, width / 72 * 2.54 - 2)
        html = _render(block, width, height, font_size, block_cm)
        pdf, boxes = html_to_pdf_with_boxes(html, system_fonts=True)
        x1, y1, x2, y2 = boxes[BLOCK_ID]
        if y2 - y1 <= height * MAX_HEIGHT_SHARE:
            return pdf, boxes[BLOCK_ID]
    raise BusinessRuleError(_l("The instruction is too long to stamp in the margin of the first page."))


def _render(block, width, height, font_size, block_cm):
    image = (f"data:{block.image_type};base64,{base64.b64encode(block.image).decode()}"
             if block.image else None)
    return current_app.jinja_env.get_template("letters/pdf/endorsement.html").render(
        block=block, page_width=width, page_height=height, font_size=font_size, block_cm=block_cm,
        image=image, block_id=BLOCK_ID)


def _image_page(data, content_type):
    """A scan on an A4 page, scaled to fit, so it is stamped and signed like any PDF."""
    try:
        Image.open(io.BytesIO(data)).verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for a broken image
        raise BusinessRuleError(_l("The scanned letter could not be read as an image.")) from None
    source = f"data:{content_type};base64,{base64.b64encode(data).decode()}"
    html = ("<!doctype html><html><head><style>@page { size: A4; margin: 0 } html, body { margin: 0 }"
            "img { display: block; width: 210mm; height: 297mm; object-fit: contain; "
            "image-orientation: from-image }</style></head>"
            f"<body><img src=\"{source}\" alt=\"\"></body></html>")
    return html_to_pdf(html, system_fonts=True)
