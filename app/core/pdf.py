"""HTML to PDF for every PDF the app makes (register reports, official letters): WeasyPrint lays out the
page and Pango/HarfBuzz shape Thai, so stacked tone marks and sara am are drawn by the font's own rules.

Two things WeasyPrint does not do for us are done here:
- only files under the app's static folder (and the fonts the system has) may be read while rendering,
  never a URL a letter's text could smuggle in;
- the text a reader copies or `pdftotext` extracts is the text that was typed. WeasyPrint maps each glyph
  to one piece of text, first come first served (Kozea/WeasyPrint#2841), and Thai reuses glyphs across
  clusters (sara am is drawn as nikhahit + sara aa; a lowered tone mark serves many words), so "น้ำใจ"
  came back as "นาใจ". Each line is wrapped in a marked-content span whose /ActualText is the line's text,
  which Acrobat, Chrome and Poppler use instead of the glyph map.

A document set only in the fonts the system has (`system_fonts=True`: letters, endorsement blocks) is laid
out with its thread's one font configuration, kept for the life of the thread, instead of a new one per
document: making one and loading the fonts into it cost about 9 ms of every letter's rendering. A document
with @font-face rules (register reports) still gets a fresh one, so its fonts never leak into another's.
"""
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint.draw.text as weasyprint_text
from flask import current_app
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


class StaticFilesOnly(URLFetcher):
    """Fetches files under the app's static folder and images the app itself encoded as data: URLs (a
    letter's QR code, emblem and signature image), nothing else."""

    def __init__(self, static_dir):
        super().__init__(allowed_protocols=("file", "data"))
        self._static_dir = static_dir

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = Path(url2pathname(parts.path)).resolve()
        if parts.scheme != "file" or parts.netloc or not path.is_relative_to(self._static_dir):
            raise ValueError(f"not one of the app's static files: {url}")
        return super().fetch(path.as_uri(), headers)


class SystemFontsOnly(FontConfiguration):
    """A font configuration shared by the documents one thread renders: the system's fonts only. Pango's font
    maps are not shared between threads, hence one per thread."""

    def add_font_face(self, rule_descriptors, url_fetcher):
        raise ValueError("a document with @font-face rules must not be rendered with system_fonts=True")


_thread_fonts = threading.local()


def _font_config(system_fonts):
    if not system_fonts:
        return None  # WeasyPrint makes one for this document
    config = getattr(_thread_fonts, "config", None)
    if config is None:
        config = _thread_fonts.config = SystemFontsOnly()
    return config


def html_to_pdf(html, *, system_fonts=False):
    """The bytes of the PDF laid out from `html`; relative URLs resolve under the static folder.
    `system_fonts=True` for a document without @font-face rules (see the module's docstring)."""
    return _html(html).write_pdf(font_config=_font_config(system_fonts))


def html_to_pdf_with_boxes(html, *, system_fonts=False):
    """The PDF of `html` and, on its first page, where each element with an id was laid out:
    {id: (x1, y1, x2, y2)} in PDF points from the page's bottom-left corner (what a signature field's
    box is given in)."""
    pdf, boxes = html_to_pdf_with_page_boxes(html, system_fonts=system_fonts)
    return pdf, {name: box for name, (page, *box) in boxes.items() if page == 0}


def html_to_pdf_with_page_boxes(html, *, system_fonts=False):
    """The PDF of `html` and where each element with an id was laid out, on whichever page:
    {id: (page index from 0, x1, y1, x2, y2)} in PDF points from that page's bottom-left corner."""
    document = _html(html).render(font_config=_font_config(system_fonts))
    to_points = 0.75  # CSS px are 1/96 in, PDF points 1/72 in
    boxes = {}
    for index, page in enumerate(document.pages):
        height = page.height * to_points
        for name, (x1, y1, x2, y2) in page.anchors.items():
            boxes.setdefault(name, (index, x1 * to_points, height - y2 * to_points, x2 * to_points,
                                    height - y1 * to_points))
    return document.write_pdf(), boxes


def _html(html):
    static_dir = Path(current_app.static_folder).resolve()
    return HTML(string=html, base_url=static_dir.as_uri() + "/", url_fetcher=StaticFilesOnly(static_dir))


def static_dir():
    return Path(current_app.static_folder).resolve()


_draw_glyphs = weasyprint_text.draw_first_line


def _draw_line_with_actual_text(stream, textbox, *args, **kwargs):
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(textbox.text)}))
    try:
        return _draw_glyphs(stream, textbox, *args, **kwargs)
    finally:
        stream.end_marked_content()


if getattr(_draw_glyphs, "__name__", "") != _draw_line_with_actual_text.__name__:
    weasyprint_text.draw_first_line = _draw_line_with_actual_text
