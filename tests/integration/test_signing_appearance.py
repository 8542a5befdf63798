"""Issue 15 item 3: a co-signer signs the finished PDF, so their signature image is the visible field's
appearance: drawn where the box is (read back from the page pdftoppm renders), scaled to fit with its
aspect ratio kept, transparency kept, no border; no image leaves the box blank; PNG and JPEG only."""
import io

import pytest
from PIL import Image
from pyhanko.sign.diff_analysis import ModificationLevel

from app.signing import keys, pades, verify
from app.signing.keys import SigningError
from tests.signing_support import (BOX, PIN, as_jpeg, ca_pem, ink_bounds, pyhanko_statuses, render_first_page,
                                   signature_png, signer_with_key, thai_pdf)

pytestmark = pytest.mark.usefixtures("forget_pin_locks")


def signer_with_image(name, image):
    return keys.unlock(signer_with_key(name, image=image), PIN)


def co_sign(pdf, signer, field="deputy", box=BOX):
    return pades.sign_pdf(pdf, signer, field_name=field, reason="ลงนามร่วม", location="อบจ.เลย", box=box,
                          appearance_image=signer.signature_image, appearance_type=signer.signature_image_type)



# Ink spanning 280 × 80 of a 300 × 100 picture (3:1), fitted into the 200 × 100 box: the picture is drawn
# 200 wide and 66.7 high, centred, so its ink is 186.7 × 53.3 from (306.7, 103.3).
INK_WIDTH, INK_HEIGHT, INK_LEFT, INK_BOTTOM = 186.7, 53.3, 306.7, 103.3


def assert_fitted(bounds, tolerance=2):
    assert bounds is not None, "nothing drawn in the box"
    x1, y1, x2, y2 = bounds
    assert abs((x2 - x1) - INK_WIDTH) <= tolerance and abs((y2 - y1) - INK_HEIGHT) <= tolerance, bounds
    assert abs(x1 - INK_LEFT) <= tolerance and abs(y1 - INK_BOTTOM) <= tolerance, bounds


def test_a_co_signers_png_is_drawn_in_the_box_fitted_with_its_aspect_ratio_and_transparency(db_session,
                                                                                          tmp_path):
    chief = signer_with_image("นายปลัด ลงนาม", None)
    first = pades.sign_pdf(thai_pdf(), chief, field_name="chief", reason="", location="")
    deputy = signer_with_image("นางรอง ลงนามร่วม", signature_png())
    both = co_sign(first, deputy)
    assert ink_bounds(render_first_page(first, tmp_path, "before-co-signing")) is None
    page = render_first_page(both, tmp_path, "co-signed-png")
    assert_fitted(ink_bounds(page))
    top_left_of_box = page.getpixel((BOX[1] + 2, page.height - BOX[4] + 2))
    assert min(top_left_of_box) > 240, top_left_of_box  # the transparent ground is not drawn black
    assert both.startswith(first)
    statuses, _ = pyhanko_statuses(both, ca_pem())
    assert [s.bottom_line for s in statuses] == [True, True]
    assert statuses[0].modification_level == ModificationLevel.FORM_FILLING  # the image is part of a field
    assert verify.validate_pdf(both).all_valid


def test_a_small_jpeg_is_scaled_up_to_the_box_the_same_way(db_session, tmp_path):
    signer = signer_with_image("นายภาพ เจเพ็ก", as_jpeg(signature_png(scale=0.5)))  # 150 × 50 pixels
    assert signer.signature_image_type == "image/jpeg"
    page = render_first_page(co_sign(thai_pdf(), signer, field="jpeg"), tmp_path, "co-signed-jpeg")
    # drawn 200 points wide, not at its own 150: its edges are softened by the resize and JPEG, hence 3
    assert_fitted(ink_bounds(page), tolerance=3)


def test_without_an_image_the_field_is_blank_so_the_printed_name_shows(db_session, tmp_path):
    signer = signer_with_image("นายไม่มี ภาพ", None)
    assert signer.signature_image is None
    signed = co_sign(thai_pdf(), signer, field="blank")
    assert ink_bounds(render_first_page(signed, tmp_path, "co-signed-blank")) is None
    assert verify.validate_pdf(signed).all_valid


def test_an_image_that_is_not_png_or_jpeg_or_has_no_box_is_refused(db_session):
    signer = signer_with_image("นายภาพ ผิดชนิด", None)
    gif = io.BytesIO()
    Image.new("RGB", (40, 20)).save(gif, format="GIF")
    pdf = thai_pdf()
    with pytest.raises(SigningError, match="PNG หรือ JPEG"):
        pades.sign_pdf(pdf, signer, field_name="x", reason="", location="", box=BOX,
                       appearance_image=gif.getvalue())
    with pytest.raises(SigningError, match="PNG หรือ JPEG"):
        pades.sign_pdf(pdf, signer, field_name="x", reason="", location="", box=BOX,
                       appearance_image=signature_png(), appearance_type="image/gif")
    with pytest.raises(SigningError, match="อ่านภาพลายมือชื่อไม่ได้|ภาพ"):
        pades.sign_pdf(pdf, signer, field_name="x", reason="", location="", box=BOX,
                       appearance_image=b"\x89PNG\r\n\x1a\n broken")
    with pytest.raises(ValueError):  # a programming error: an invisible field has no appearance
        pades.sign_pdf(pdf, signer, field_name="x", reason="", location="", appearance_image=signature_png())
