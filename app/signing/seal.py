"""The organisation's electronic seal (ตราชื่อส่วนราชการ) for หนังสือประทับตรา: is it ready; sealing a PDF.

A หนังสือประทับตรา is issued under the organisation's seal, not a person's signature. The seal is a key and
certificate our CA issues to the organisation itself (seal_services.py issues, renews and revokes it); its
key is sealed under SIGNING_SEAL_PASSPHRASE, or a passphrase derived from SECRET_KEY when that is unset, as
for the CA's key. `seal_pdf` adds its PAdES signature to a PDF as an incremental update, so the signatures
already in the file stay valid.

    from app.signing.seal import seal_pdf, seal_ready
    readiness = seal_ready()          # .ready, .problem (a message to show, or None), .seal (the row)
    sealed = seal_pdf(pdf, field_name="seal", reason="ประทับตรา", location="อบจ.เลย")   # or SigningError
"""
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import current_app

from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.core.thai_dates import format_datetime
from app.signing import pades, queries, sealing
from app.signing.keys import Signer, SigningError
from app.signing.models import SealStatus

SEAL_KEY_CONTEXT = "signing-seal"


def passphrase():
    configured = current_app.config.get("SIGNING_SEAL_PASSPHRASE")
    return configured or sealing.derived_passphrase(current_app.config["SECRET_KEY"], "signing-seal-key")


@dataclass(frozen=True)
class SealReadiness:
    """Whether a letter can be sealed now; `problem` is the message SigningError would carry."""

    seal: object  # the SigningSeal row in use, or None
    problem: object = None

    @property
    def ready(self):
        return self.problem is None

    def __bool__(self):
        return self.ready


def seal_ready(at=None):
    """Whether the organisation's seal can seal a letter at `at` (now): there is one, it is not revoked,
    and it is within its dates. It does not open the key (that takes a scrypt); seal_pdf does."""
    at = at or utcnow()
    current = queries.current_seal()
    if current is None:
        latest = queries.latest_seal()
        if latest is not None and latest.status == SealStatus.REVOKED:
            return SealReadiness(latest, _l(
                "The organisation's electronic seal was revoked on %(when)s; the administrator must issue a "
                "new one before a stamped letter (หนังสือประทับตรา) can be sent.",
                when=format_datetime(latest.revoked_at)))
        return SealReadiness(None, _l(
            "The organisation has no electronic seal yet; the administrator issues it on Administration → "
            "Signing before a stamped letter (หนังสือประทับตรา) can be sent."))
    if at < current.not_before:
        return SealReadiness(current, _l("The organisation's electronic seal is not valid until %(when)s.",
                                         when=format_datetime(current.not_before)))
    if at > current.not_after:
        return SealReadiness(current, _l(
            "The organisation's electronic seal expired on %(when)s; the administrator must renew it before "
            "a stamped letter (หนังสือประทับตรา) can be sent.", when=format_datetime(current.not_after)))
    return SealReadiness(current)


def usable_seal(at=None):
    """The seal row to seal with at `at`, or SigningError saying why there is none."""
    readiness = seal_ready(at)
    if not readiness.ready:
        raise SigningError(readiness.problem)
    return readiness.seal


def open_key(row):
    """The seal's private key; SigningError when the passphrase it was sealed under is no longer the one
    configured (SIGNING_SEAL_PASSPHRASE or SECRET_KEY changed)."""
    try:
        der = sealing.unseal(row.key_sealed, passphrase(), context=SEAL_KEY_CONTEXT)
    except sealing.WrongSecret:
        message = _l("The organisation's electronic seal key cannot be opened: SIGNING_SEAL_PASSPHRASE (or "
                     "SECRET_KEY) was changed since it was issued. The administrator must issue a new seal.")
        raise SigningError(message) from None
    return serialization.load_der_private_key(der, password=None)


def seal_signer(row):
    """A keys.Signer for the seal (no user), as pades.sign_pdf takes it."""
    certificate = x509.load_der_x509_certificate(row.certificate_der)
    return Signer(user=None, certificate=row, display_name=row.common_name, signature_image=None,
                  signature_image_type="", x509_certificate=certificate, chain=(), private_key=open_key(row))


def seal_pdf(pdf_bytes, *, field_name, reason, location, contact=None, box=None, appearance_image=None,
             appearance_type=None, at=None):
    """`pdf_bytes` with the organisation's seal added as one more PAdES signature (an incremental update,
    chain and CRL embedded: B-LT as for a person's). SigningError, with nothing made, when there is no
    usable seal. `box` and `appearance_image` work as in pades.sign_pdf (e.g. an image of the seal)."""
    row = usable_seal(at)
    return pades.sign_pdf(pdf_bytes, seal_signer(row), field_name=field_name, reason=reason,
                          location=location, contact=contact, box=box, appearance_image=appearance_image,
                          appearance_type=appearance_type)
