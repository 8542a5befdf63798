"""PAdES signatures with pyHanko: B-LT (the organisation's RFC 3161 time-stamp over each signature,
tsa.py; the certificate chains and our CRL in the document's DSS), so the file validates offline, years
later, after the signer's certificate has expired.

Each signature is an incremental update, so a co-signer or the seal of หนังสือประทับตรา signs after the
first and the earlier signatures stay valid. The main signer's visible block is drawn by the letter
renderer; the field here is invisible unless `box=(page, x1, y1, x2, y2)` (PDF points, page from 0) is
given, and then its appearance is empty, or, for a co-signer who signs the finished PDF, their signature
image (`appearance_image`, PNG or JPEG) scaled to fit the box, aspect ratio kept, no border or text.

pyHanko reserves room for the signature in the file before it signs, and sizes it by building a whole
trial signature first: as much work again as the signature itself (some 8 ms of 27). Its estimate depends
only on the certificates the signature carries, so it is made once per certificate set in a process and
kept (`_reserved_bytes`); the real signature is then made once.
"""
import asyncio
import hashlib
import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.core.messages import lazy_gettext as _l
from app.signing import blocking, ca, services, tsa
from app.signing.keys import SigningError

DER = serialization.Encoding.DER
# Nothing drawn in a visible field: the letter's own block (image, name, position) is the appearance.
BLANK_STAMP = TextStampStyle(stamp_text=" ", border_width=0, background=None)
# A signature image: centred, as large as the box allows with its aspect ratio kept, nothing else drawn.
IMAGE_LAYOUT = layout.SimpleBoxLayoutRule(
    x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
    margins=layout.Margins.uniform(0), inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT)
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}
IMAGE_DPI = 300  # an image larger than the box at this resolution is scaled down before it is embedded


def asn1_certificate(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(DER))


def _asn1_key(private_key):
    return asn1_keys.PrivateKeyInfo.load(private_key.private_bytes(
        DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def validation_context_for_signing(signer):
    """Our CA as root and its current CRL (made anew when close to nextUpdate), plus an imported
    certificate's own chain; nothing is fetched from the network."""
    authority = ca.ensure_authority()
    if services.crl_is_stale(authority):
        services.refresh_crl()
    roots = [ca.certificate_of(authority)]
    imported = signer.certificate.is_imported
    chain = list(signer.chain)
    roots += [c for c in chain if c.issuer == c.subject]
    return ValidationContext(
        trust_roots=[asn1_certificate(c) for c in roots],
        other_certs=[asn1_certificate(c) for c in chain],
        crls=[authority.crl_der], allow_fetching=False,
        # another CA's revocation info cannot be fetched offline; ours must be there and say "good"
        revocation_mode="soft-fail" if imported else "hard-fail")


# sha256 of the signing certificate and the certificates sent with it -> bytes pyHanko reserved for them
_RESERVATIONS = {}
_MAX_RESERVATIONS = 1024


def _reservation_key(signing_cert, chain_certs):
    digest = hashlib.sha256(signing_cert.dump())
    for certificate in chain_certs:
        digest.update(certificate.dump())
    return digest.digest()


def _reserved_bytes(pdf_signer, pdf_bytes, key):
    """The room pyHanko's own estimate gives a signature with these certificates: a trial signature over a
    scratch copy of the file the first time, then the figure kept (it does not depend on the document;
    its estimate has a 50% margin over the trial's size)."""
    reserved = _RESERVATIONS.get(key)
    if reserved is None:
        async def estimate():
            scratch = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
            session = pdf_signer.init_signing_session(scratch)
            status = await session.perform_presign_validation(scratch)
            return await session.estimate_signature_container_size(status)

        reserved = blocking.call(asyncio.run, estimate())
        if len(_RESERVATIONS) >= _MAX_RESERVATIONS:
            _RESERVATIONS.clear()
        _RESERVATIONS[key] = reserved
    return reserved


def _pyhanko_signer(signer, context_certs):
    return signers.SimpleSigner(
        signing_cert=asn1_certificate(signer.x509_certificate), signing_key=_asn1_key(signer.private_key),
        cert_registry=SimpleCertificateStore.from_certs(context_certs))


def _image(data, declared_type, width, height):
    """The signature image as a PIL image pyHanko embeds: PNG or JPEG only, turned upright (a phone's
    JPEG), RGB or RGBA (transparency kept), at most IMAGE_DPI over a box of `width` × `height` points."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if declared_type and declared_type not in IMAGE_TYPES:
        raise SigningError(_l("The signature image must be a PNG or JPEG file."))
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in IMAGE_TYPES.values():
            raise SigningError(_l("The signature image must be a PNG or JPEG file."))
        image = ImageOps.exif_transpose(image)
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise SigningError(_l("The signature image could not be read.")) from None
    image.thumbnail((max(1, round(width * IMAGE_DPI / 72)), max(1, round(height * IMAGE_DPI / 72))))
    return image


class _PdfPageContent(content.PdfContent):
    """The first page of a PDF given as bytes, as a stamp's background (pyHanko's ImportedPdfPage reads a
    file): a co-signer's typed name laid out by WeasyPrint, Thai shaping and all."""

    def __init__(self, data):
        self.data = data
        super().__init__()

    def render(self):
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/ImportedAppearance"
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode() + b" Do"


def _appearance(box, appearance_image, appearance_type, appearance_pdf=None):
    if appearance_pdf:
        return StaticStampStyle(background=_PdfPageContent(appearance_pdf), border_width=0,
                                background_opacity=1.0, background_layout=IMAGE_LAYOUT)
    if not appearance_image:
        return BLANK_STAMP
    if box is None:
        raise ValueError("an appearance image needs a visible field: give box=(page, x1, y1, x2, y2)")
    _, x1, y1, x2, y2 = box
    image = _image(appearance_image, appearance_type, abs(x2 - x1), abs(y2 - y1))
    return StaticStampStyle(background=PdfImage(image), border_width=0, background_opacity=1.0,
                            background_layout=IMAGE_LAYOUT)


def sign_pdf(pdf_bytes, signer, *, field_name, reason, location, contact=None, box=None,
             appearance_image=None, appearance_type=None, appearance_pdf=None, empty_fields=()):
    """`pdf_bytes` with one more signature by `signer` (from keys.unlock, or seal.seal_signer), as an
    incremental update. With `box` and `appearance_image` (PNG or JPEG bytes, e.g. signer.signature_image,
    with `appearance_type` its MIME type), the image is the visible field's appearance; `appearance_pdf`
    (a one-page PDF) is drawn instead when given; without either the field is drawn empty (what is
    printed beneath it shows). A `field_name` already in the file (an empty field) is signed in place,
    at its own box. `empty_fields` ((name, (page, x1, y1, x2, y2)), ...) are added unsigned first, in the
    same update, so the signature covers them: the places where co-signers sign later."""
    existing_box = field_box(pdf_bytes, field_name)
    if box is None and (appearance_image or appearance_pdf):
        box = existing_box
    stamp_style = _appearance(box, appearance_image, appearance_type, appearance_pdf)
    context = validation_context_for_signing(signer)
    authority = ca.authority()
    chain_certs = [asn1_certificate(c) for c in signer.chain]
    if not signer.certificate.is_imported:
        chain_certs.append(asn1_certificate(ca.certificate_of(authority)))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason or None, location=location or None,
        contact_info=contact or None, name=signer.display_name, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, embed_validation_info=True, validation_context=context)
    field_spec = None
    if box is not None and existing_box is None:
        page, *rectangle = box
        field_spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=tuple(rectangle))
    try:
        cms_signer = _pyhanko_signer(signer, chain_certs)
        stamper = tsa.timestamper()
        pdf_signer = signers.PdfSigner(meta, cms_signer, new_field_spec=field_spec, stamp_style=stamp_style,
                                       timestamper=stamper)
        key = _reservation_key(cms_signer.signing_cert, [*chain_certs, stamper.tsa_cert])
        reserved = _reserved_bytes(pdf_signer, pdf_bytes, key)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        for name, (page, *rectangle) in empty_fields:
            fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=name, on_page=page,
                                                                      box=tuple(rectangle)))
        output = blocking.call(pdf_signer.sign_pdf, writer, bytes_reserved=reserved)
    except PdfReadError:
        raise SigningError(_l("The file to sign is not a readable PDF.")) from None
    except PyHankoSigningError as error:
        if "already" in str(error).lower() and "filled" in str(error).lower():
            raise SigningError(_l("This letter already carries a signature in that place.")) from None
        raise SigningError(_l("The signature could not be made: the certificate did not validate.")) from None
    return output.getvalue()


def field_box(pdf_bytes, field_name):
    """(page, x1, y1, x2, y2) of the signature field `field_name` in the PDF, or None if it has none."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        for _, _, reference in fields.enumerate_sig_fields(reader, with_name=field_name):
            widget = reference.get_object()
            page_reference = widget.raw_get("/P")  # pyHanko's widgets name their page
            page = next(index for index in range(int(reader.root["/Pages"]["/Count"]))
                        if reader.find_page_for_modification(index)[0] == page_reference)
            return (page, *(float(value) for value in widget["/Rect"]))
    except (PdfReadError, KeyError, StopIteration):
        return None
    return None
