"""Helpers for the signing tests: a small Thai PDF, an NSS database trusting our CA for pdfsig, pdfsig's
verdicts, pyHanko's own validator with only what the file carries, a PKCS#12 from a foreign CA, a signature
image and where pdftoppm draws its ink."""
import io
import math
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image, ImageDraw
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore

from app.signing import blocking, ca
from app.signing.models import SigningAuthority
from app.extensions import db
from tests.pdf_checks import tool

PIN = "kaew-2569"
BOX = (0, 300, 80, 500, 180)  # a visible field: page 0, x1 y1 x2 y2 in points, 200 × 100
INK = (20, 40, 160)           # the colour of signature_png's ink


def thai_pdf(text="หนังสือทดสอบ ขอเชิญประชุม"):
    from weasyprint import HTML

    return HTML(string=f"<html lang='th'><body><h1>{text}</h1><p>เรียน นายก</p></body></html>").write_pdf()


def ca_pem():
    authority = db.session.get(SigningAuthority, ca.AUTHORITY_ID)
    return ca.certificate_of(authority).public_bytes(serialization.Encoding.PEM)


def nss_db(directory, pem):
    """An NSS database in `directory` that trusts `pem` for signing (what pdfsig reads with -nssdir)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ca.pem").write_bytes(pem)
    subprocess.run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{directory}", "-n", "esaraban-ca", "-t", "CT,C,C",
                    "-i", str(directory / "ca.pem")], check=True)
    return f"sql:{directory}"


def pdfsig(pdf_path, nssdir):
    """pdfsig's verdict per signature: [(field, signature validation, certificate validation)], and all
    its output."""
    result = subprocess.run(["pdfsig", "-nssdir", nssdir, str(pdf_path)], capture_output=True, text=True)
    output = result.stdout + result.stderr
    blocks = re.split(r"^Signature #\d+:", output, flags=re.M)[1:]
    verdicts = []
    for block in blocks:
        field = re.search(r"Signature Field Name: (.*)", block)
        signature = re.search(r"Signature Validation: (.*)", block)
        certificate = re.search(r"Certificate Validation: (.*)", block)
        verdicts.append(tuple(match.group(1).strip() if match else ""
                              for match in (field, signature, certificate)))
    return verdicts, output


def pyhanko_statuses(pdf_bytes, trust_pem):
    """pyHanko's validator with our CA as the only trust root, revocation checked hard, nothing fetched:
    only the revocation info embedded in the file (its DSS) is used."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    root = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(trust_pem).public_bytes(
        serialization.Encoding.DER))
    dss = DocumentSecurityStore.read_dss(reader)
    statuses = []
    for sig in reader.embedded_regular_signatures:
        context = dss.as_validation_context({"trust_roots": [root], "allow_fetching": False,
                                             "revocation_mode": "hard-fail"})
        statuses.append(blocking.call(validate_pdf_signature, sig, context))
    return statuses, dss


def flip_byte_in_signed_range(pdf_bytes):
    """One byte changed inside the first page's content stream (covered by every signature)."""
    start = pdf_bytes.index(b"stream\n") + len(b"stream\n") + 10
    changed = bytearray(pdf_bytes)
    changed[start] ^= 0x01
    return bytes(changed)


def foreign_pkcs12(password, *, name="นายต่างชาติ ทดสอบ", days=365, usage_sign=True):
    """A PKCS#12 from a CA that is not ours: (p12 bytes, root certificate, user certificate)."""
    now = datetime.now(timezone.utc)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Foreign Test CA")])
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(root_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    user = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name, _validate=False)]))
            .issuer_name(root_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=days))
            .add_extension(x509.KeyUsage(digital_signature=usage_sign, content_commitment=usage_sign,
                                         key_encipherment=not usage_sign, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(root_key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(
        b"test", key, user, [root], serialization.BestAvailableEncryption(password.encode()))
    return data, root, user


def signature_png(*, transparent=True, scale=1.0):
    """A 300 × 100 (3:1) 'signature' on a transparent (or white) ground: a scribble whose peaks reach y=10
    above an underline from x=10 to 290 at y=82..90, so its ink spans exactly (10, 10)-(290, 90); `scale`
    resizes the whole picture."""
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0 if transparent else 255))
    draw = ImageDraw.Draw(image)
    wave = [(x, 41 - 28 * math.sin((x - 20) / 16)) for x in range(20, 281)]  # 13..69, stroke ±4 → 10..73
    draw.line(wave, fill=(*INK, 255), width=8, joint="curve")
    draw.rectangle((10, 82, 289, 89), fill=(*INK, 255))
    if scale != 1.0:
        image = image.resize((round(300 * scale), round(100 * scale)), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def as_jpeg(png):
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        flat.save(out, format="JPEG", quality=92)
    return out.getvalue()


def render_first_page(pdf_bytes, tmp_path, name):
    """The first page at 72 dpi (one pixel per point) as pdftoppm draws it; a copy is kept as
    /tmp/esaraban-signing-<name>.png for a person to look at."""
    (tmp_path / f"{name}.pdf").write_bytes(pdf_bytes)
    subprocess.run([tool("pdftoppm"), "-r", "72", "-f", "1", "-l", "1", "-png", "-singlefile",
                    str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
    shutil.copy(tmp_path / f"{name}.png", f"/tmp/esaraban-signing-{name}.png")
    with Image.open(tmp_path / f"{name}.png") as page:
        return page.convert("RGB")


def ink_bounds(page, box=BOX):
    """(x1, y1, x2, y2) in page points from the bottom left of the ink-coloured pixels in and just around
    `box`, or None when there are none."""
    _, x1, y1, x2, y2 = box
    height = page.height
    inked = [(x, y) for x in range(int(x1) - 5, int(x2) + 5) for y in range(int(height - y2) - 5,
                                                                              int(height - y1) + 5)
             if all(abs(a - b) < 40 for a, b in zip(page.getpixel((x, y)), INK))]
    if not inked:
        return None
    xs, ys = [x for x, _ in inked], [height - y for _, y in inked]
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


def signer_with_key(name, *, image=None):
    """A user who may sign: the test PIN, a certificate from our CA and, if given, a signature image."""
    from app.signing import services
    from tests.factories import SYSTEM, make_user

    user = make_user(full_name_th=name)
    services.set_pin(SYSTEM, user, pin=PIN)
    services.issue_certificate(SYSTEM, user)
    if image is not None:
        services.set_signature_image(SYSTEM, user, data=image, max_bytes=512 * 1024)
    db.session.commit()
    return user
