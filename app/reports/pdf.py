"""A register report as a printable PDF: WeasyPrint lays out an HTML template, Pango and HarfBuzz shape the
Thai text (tone marks and vowels stacked by the font's own rules), and the app's Sarabun font is embedded.

Sarabun comes as the npm package's per-script subsets (thai, latin, latin-ext). Declared as one family
split by unicode-range, as sarabun.css does for browsers, WeasyPrint mixes up the subsets when it embeds
them (they share one font description) and prints Latin letters with Thai glyphs. So each subset gets a
family name of its own and the stylesheet lists them in turn; nothing is fetched from the network.
"""
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from app.reports.queries import COLUMNS

SARABUN_DIR = "vendor/sarabun/files"  # under the static folder
SARABUN_SUBSETS = ("thai", "latin", "latin-ext")
SARABUN_WEIGHTS = ("400", "700")


class StaticFilesOnly(URLFetcher):
    """Fetches files under the app's static folder and nothing else."""

    def __init__(self, static_dir):
        super().__init__(allowed_protocols=("file",))
        self._static_dir = static_dir

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(url2pathname(parts.path)).resolve()
        if parts.scheme != "file" or parts.netloc or not path.is_relative_to(self._static_dir):
            raise ValueError(f"not one of the app's static files: {url}")
        return super().fetch(path.as_uri(), headers)


def register_pdf(report):
    """The report as the bytes of a PDF, A4 landscape."""
    static_dir = Path(current_app.static_folder).resolve()
    html = render_template("reports/register_pdf.html", report=report, columns=COLUMNS,
                           font_faces=sarabun_font_faces(static_dir))
    return HTML(string=html, base_url=static_dir.as_uri() + "/",
                url_fetcher=StaticFilesOnly(static_dir)).write_pdf()


def sarabun_font_faces(static_dir):
    """(family, weight, path relative to the static folder) of every Sarabun subset file the PDF uses."""
    faces = [(f"Sarabun {subset}", weight, f"{SARABUN_DIR}/sarabun-{subset}-{weight}-normal.woff")
             for subset in SARABUN_SUBSETS for weight in SARABUN_WEIGHTS]
    missing = [path for _, _, path in faces if not (static_dir / path).is_file()]
    if missing:
        # Without them the PDF would silently fall back to whatever system font has Thai glyphs.
        raise RuntimeError(f"Sarabun font files are missing ({', '.join(missing)}): run `make assets`")
    return faces
