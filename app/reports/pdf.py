"""A register report as a printable PDF: WeasyPrint lays out an HTML template, Pango and HarfBuzz shape the
Thai text (tone marks and vowels stacked by the font's own rules), and the app's Sarabun font is embedded.

Sarabun comes as the npm package's per-script subsets (thai, latin, latin-ext). Declared as one family
split by unicode-range, as sarabun.css does for browsers, WeasyPrint mixes up the subsets when it embeds
them (they share one font description) and prints Latin letters with Thai glyphs. So each subset gets a
family name of its own and the stylesheet lists them in turn; nothing is fetched from the network.
"""
from flask import render_template

from app.core.pdf import html_to_pdf, static_dir
from app.reports.queries import COLUMNS

SARABUN_DIR = "vendor/sarabun/files"  # under the static folder
SARABUN_SUBSETS = ("thai", "latin", "latin-ext")
SARABUN_WEIGHTS = ("400", "700")


def register_pdf(report):
    """The report as the bytes of a PDF, A4 landscape."""
    html = render_template("reports/register_pdf.html", report=report, columns=COLUMNS,
                           font_faces=sarabun_font_faces(static_dir()))
    return html_to_pdf(html)


def sarabun_font_faces(static_dir):
    """(family, weight, path relative to the static folder) of every Sarabun subset file the PDF uses."""
    faces = [(f"Sarabun {subset}", weight, f"{SARABUN_DIR}/sarabun-{subset}-{weight}-normal.woff")
             for subset in SARABUN_SUBSETS for weight in SARABUN_WEIGHTS]
    missing = [path for _, _, path in faces if not (static_dir / path).is_file()]
    if missing:
        # Without them the PDF would silently fall back to whatever system font has Thai glyphs.
        raise RuntimeError(f"Sarabun font files are missing ({', '.join(missing)}): run `make assets`")
    return faces
