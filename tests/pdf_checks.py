"""Reading back what a PDF shows, with the tools a recipient would use: Poppler's pdftotext and
pdftoppm, Tesseract with Thai, pdfplumber for positions and sizes."""
import os
import re
import shutil
import subprocess
import unicodedata

import pytest

REQUIRED = os.environ.get("ESARABAN_REQUIRE_SERVICES") == "1"


def tool(name):
    if shutil.which(name) is None:
        if REQUIRED:
            pytest.fail(f"{name} is missing: `make test` installs it")
        pytest.skip(f"{name} is missing")
    return name


def pdf_text(path, *args):
    return subprocess.run([tool("pdftotext"), "-enc", "UTF-8", *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def ocr_first_page(path, tmp_path, dpi=300):
    """The first page rendered by pdftoppm and read by Tesseract's Thai model."""
    prefix = tmp_path / "page"
    subprocess.run([tool("pdftoppm"), "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(path), str(prefix)],
                   check=True)
    image = next(tmp_path.glob("page*.png"))
    return subprocess.run([tool("tesseract"), str(image), "-", "-l", "tha+eng", "--psm", "4"], check=True,
                          capture_output=True, text=True).stdout


_NIKHAHIT_BEFORE_TONE = re.compile("\u0e4d([\u0e48-\u0e4b])")


def qr_codes_on_first_page(path, tmp_path):
    """What the QR codes printed on the first page say, read from the page as a phone camera would."""
    prefix = tmp_path / "qr"
    subprocess.run([tool("pdftoppm"), "-r", "200", "-f", "1", "-l", "1", "-png", str(path), str(prefix)],
                   check=True)
    image = next(tmp_path.glob("qr*.png"))
    result = subprocess.run([tool("zbarimg"), "--quiet", "--raw", str(image)], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line]


def without_spaces(text):
    """Spaces dropped, and sara am in one form: OCR and some PDF readers give it as nikhahit + sara aa
    (its compatibility decomposition), with the nikhahit before or after a tone mark."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(_NIKHAHIT_BEFORE_TONE.sub("\\1\u0e4d", text).split())


def character_error_rate(expected, text):
    """Edit distance between `expected` and the best-matching stretch of `text`, over len(expected),
    spaces ignored (OCR puts them where it likes in Thai)."""
    want, got = without_spaces(expected), without_spaces(text)
    # Smallest edit distance of `want` against any substring of `got` (Sellers' algorithm).
    previous = [0] * (len(got) + 1)
    for i, w in enumerate(want, 1):
        current = [i] + [0] * len(got)
        for j, g in enumerate(got, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (w != g))
        previous = current
    return min(previous) / max(1, len(want))
