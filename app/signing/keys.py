"""Unlocking a user's signing key with their PIN, for one signature.

`unlock(user, pin)` returns a `Signer` holding the decrypted key in memory only, or raises `SigningError`
with a message for the signer: no certificate, not yet valid, expired, revoked, locked out, wrong PIN.
The PIN and the key never reach a log, an exception's text or the database.
"""
from dataclasses import dataclass, field
from datetime import timezone

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.core.thai_dates import format_datetime
from app.signing import lockout, queries, sealing
from app.signing.certs import public_der, split_chain
from app.signing.models import CertificateStatus


class SigningError(BusinessRuleError):
    """Signing was refused; the message says why, in the signer's language."""


def key_context(user_id):
    return f"user-key:{user_id}"


def pin_context(user_id):
    return f"user-pin:{user_id}"


@dataclass(frozen=True)
class Signer:
    """What signing needs: who, with which certificate, and the key, in memory for this request only."""

    user: object
    certificate: object  # the SigningCertificate row
    display_name: str
    signature_image: bytes | None
    signature_image_type: str
    x509_certificate: x509.Certificate
    chain: tuple  # other certificates (imported chains); ours is the CA, added by pades
    private_key: object = field(repr=False)

    @property
    def title(self):
        return self.certificate.subject_title


def _when(moment):
    return format_datetime(moment)


def usable_certificate(user, at):
    """The active certificate, or SigningError saying why there is none usable at `at`."""
    certificate = queries.active_certificate(user)
    if certificate is None:
        latest = queries.latest_issued_certificate(user)
        if latest is not None and latest.status == CertificateStatus.REVOKED:
            raise SigningError(_l("Your signing certificate was revoked on %(when)s; ask the administrator "
                                  "for a new one.", when=_when(latest.revoked_at)))
        raise SigningError(_l("You have no signing certificate yet; ask the administrator to issue one."))
    if certificate.not_before and at < certificate.not_before:
        raise SigningError(_l("Your signing certificate is not valid until %(when)s.",
                              when=_when(certificate.not_before)))
    if certificate.not_after and at > certificate.not_after:
        raise SigningError(_l("Your signing certificate expired on %(when)s; ask the administrator to "
                              "renew it.", when=_when(certificate.not_after)))
    return certificate


def check_pin(user, pin, blob, context, *, at=None):
    """The blob opened with `pin`, counting a wrong PIN towards the lockout; SigningError when locked or
    wrong."""
    at = at or utcnow()
    state = lockout.state_of(user.id)
    if state.locked_at(at):
        raise SigningError(_l("Too many wrong PINs: signing is locked until %(when)s.",
                              when=_when(state.locked_until)))
    try:
        opened = sealing.unseal(blob, pin or "", context=context)
    except sealing.WrongSecret:
        state = lockout.note(user.id, "failure", at)
        if state.locked_at(at):
            raise SigningError(_l("Wrong PIN. Too many wrong PINs: signing is locked until %(when)s.",
                                  when=_when(state.locked_until))) from None
        left = lockout.Policy.current().max_failures - state.failures
        raise SigningError(_l("Wrong PIN. %(left)s tries left before signing is locked.",
                              left=left)) from None
    if state.failures:
        lockout.note(user.id, "success", at)
    return opened


def unlock(user, pin, *, at=None):
    """The user's Signer, unlocked with `pin`, for signing at `at` (now)."""
    at = at or utcnow()
    certificate = usable_certificate(user, at)
    profile = queries.profile_of(user)
    blob = certificate.key_sealed if certificate.is_imported else (profile.key_sealed if profile else None)
    if blob is None:
        raise SigningError(_l("Your signing key is missing; set your signing PIN again."))
    x509_certificate = x509.load_der_x509_certificate(certificate.certificate_der)
    if not certificate.is_imported and profile.public_key_der != public_der(x509_certificate.public_key()):
        raise SigningError(_l("Your signing key was replaced after this certificate was issued; ask the "
                              "administrator to renew the certificate."))
    private_key = serialization.load_der_private_key(
        check_pin(user, pin, blob, key_context(user.id), at=at), password=None)
    chain = tuple(x509.load_der_x509_certificate(der) for der in split_chain(certificate.chain_der))
    return Signer(user=user, certificate=certificate,
                  display_name=certificate.subject_name or user.full_name_th,
                  signature_image=profile.signature_image if profile else None,
                  signature_image_type=profile.signature_image_type if profile else "",
                  x509_certificate=x509_certificate, chain=chain, private_key=private_key)


def aware(moment):
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment
