"""The verify QR code printed on a signed letter (issue 15): drawn as rectangles over blocks of dark modules
(cheaper for WeasyPrint than a square per module), it must show exactly the modules the qrcode library
computed, each once, so a phone reads the same address."""
import base64
import re

import pytest
import qrcode

from app.letters import render


def modules_drawn(data_url):
    svg = base64.b64decode(data_url.split(",", 1)[1]).decode()
    drawn = []
    for x, y, width, height, back in re.findall(r"M(\d+),(\d+)h(\d+)v(\d+)h-(\d+)z", svg):
        assert back == width
        x, y, width, height = int(x), int(y), int(width), int(height)
        drawn += [(i, j) for i in range(x, x + width) for j in range(y, y + height)]
    return svg, drawn


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000/verify/ABCDEFGHJK",
                                 "https://saraban.loeipao.go.th/verify/Z9Y8X7W6V5"])
def test_the_qr_code_draws_each_dark_module_of_the_librarys_matrix_once(url):
    code = qrcode.QRCode(border=1)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    dark = {(x, y) for y, row in enumerate(matrix) for x, value in enumerate(row) if value}
    svg, drawn = modules_drawn(render._qr_data_url(url))
    assert len(drawn) == len(set(drawn)) and set(drawn) == dark
    assert f'viewBox="0 0 {len(matrix)} {len(matrix)}"' in svg
    assert svg.count("M") < len(dark) / 2  # blocks, not a square per module
