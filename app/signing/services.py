"""Writes: PINs, key pairs, certificates (issue, renew, revoke, import), signature images, the CRL.

Every function takes the acting person and plain data, only flushes, and records an audit event; the view
commits once. Secrets (PINs, keys, PKCS#12 passwords) are never put in an audit event or a log line.
"""
import io

from cryptography.hazmat.primitives import serialization

from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.extensions import db
from app.signing import ca, certs, queries, sealing
from app.signing.keys import SigningError, check_pin, key_context, pin_context
from app.signing.models import CertificateSource, CertificateStatus, SigningCertificate, SigningProfile

MIN_PIN, MAX_PIN = 6, 64
PIN_CHECK = b"e-saraban signing pin"
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_P12_BYTES = 256 * 1024


def _check_new_pin(user, pin):
    from app.auth.passwords import verify_password

    if not pin or not MIN_PIN <= len(pin) <= MAX_PIN:
        raise BusinessRuleError(_l("The signing PIN must be %(low)s to %(high)s characters long.",
                                   low=MIN_PIN, high=MAX_PIN))
    if verify_password(user.password_hash, pin):
        raise BusinessRuleError(_l("The signing PIN must differ from your login password."))


def _profile(user):
    profile = queries.profile_of(user)
    if profile is None:
        profile = SigningProfile(user_id=user.id)
        db.session.add(profile)
    return profile


# ---- PIN ---------------------------------------------------------------------------------------------

def set_pin(actor, user, *, pin, now=None):
    """A first PIN: makes the user's key pair, sealed under it, and issues any certificate the admin has
    already approved for them."""
    profile = _profile(user)
    if profile.has_pin:
        raise BusinessRuleError(_l("You already have a signing PIN; change it with the old one."))
    _check_new_pin(user, pin)
    key = certs.new_key_pair()
    profile.pin_check = sealing.seal(PIN_CHECK, pin, context=pin_context(user.id))
    profile.key_sealed = sealing.seal(certs.private_der(key), pin, context=key_context(user.id))
    profile.public_key_der = certs.public_der(key.public_key())
    profile.pin_changed_at = now or utcnow()
    db.session.flush()
    audit.record(actor, "signing.pin_set", "user", user.id)
    pending = queries.pending_certificate(user)
    if pending is not None:
        _issue_into(actor, pending, key.public_key(), now=now)
    return profile


def change_pin(actor, user, *, old_pin, new_pin, now=None):
    """Every key of the user is opened with the old PIN and sealed again under the new one."""
    profile = queries.profile_of(user)
    if profile is None or not profile.has_pin:
        raise BusinessRuleError(_l("You have no signing PIN yet."))
    check_pin(user, old_pin, profile.pin_check, pin_context(user.id), at=now)
    _check_new_pin(user, new_pin)
    profile.pin_check = sealing.seal(PIN_CHECK, new_pin, context=pin_context(user.id))
    if profile.key_sealed is not None:
        profile.key_sealed = _reseal(profile.key_sealed, old_pin, new_pin, user)
    for row in queries.certificates_of(user):
        if row.key_sealed is not None:
            row.key_sealed = _reseal(row.key_sealed, old_pin, new_pin, user)
    profile.pin_changed_at = now or utcnow()
    db.session.flush()
    audit.record(actor, "signing.pin_changed", "user", user.id)
    return profile


def _reseal(blob, old_pin, new_pin, user):
    plain = sealing.unseal(blob, old_pin, context=key_context(user.id))
    return sealing.seal(plain, new_pin, context=key_context(user.id))


# ---- certificates from our CA ------------------------------------------------------------------------

def issue_certificate(actor, user, *, now=None):
    """The admin's approval: issued at once when the user has a key pair (a PIN), otherwise kept pending
    and issued when they set their PIN. It replaces the user's active certificate."""
    if queries.pending_certificate(user) is not None:
        raise BusinessRuleError(_l("A certificate for this user is already waiting for their signing PIN."))
    row = SigningCertificate(user_id=user.id, source=CertificateSource.ORGANISATION,
                             status=CertificateStatus.PENDING, subject_name=user.full_name_th,
                             subject_title=user.position_title or "", requested_by_id=actor.user_id)
    db.session.add(row)
    db.session.flush()
    profile = queries.profile_of(user)
    if profile is not None and profile.public_key_der is not None:
        _issue_into(actor, row, serialization.load_der_public_key(profile.public_key_der), now=now)
    else:
        audit.record(actor, "signing.certificate_requested", "signing_certificate", row.id, user_id=user.id)
    return row


def renew_certificate(actor, certificate, *, now=None):
    """A new certificate for the same user (and key pair); the old one is superseded, not revoked, so the
    letters it signed stay valid."""
    if certificate.source != CertificateSource.ORGANISATION:
        raise BusinessRuleError(_l("An imported certificate is renewed by the CA that issued it."))
    if certificate.status not in (CertificateStatus.ACTIVE, CertificateStatus.SUPERSEDED):
        raise BusinessRuleError(_l("Only an issued certificate that is not revoked can be renewed."))
    return issue_certificate(actor, certificate.user, now=now)


def _issue_into(actor, row, public_key, *, now=None):
    now = now or utcnow()
    user = row.user
    authority = ca.ensure_authority()
    issued = ca.issue(authority, public_key, common_name=row.subject_name or user.full_name_th,
                      title=row.subject_title, unit_name=user.unit.name_th if user.unit else "",
                      username=user.username, days=_days(), now=now)
    _supersede_active(user, now)
    _fill(row, issued, issuer=ca.certificate_of(authority).subject.rfc4514_string(), now=now)
    db.session.flush()
    audit.record(actor, "signing.certificate_issued", "signing_certificate", row.id, user_id=user.id,
                 serial=row.serial_hex, not_after=row.not_after.isoformat())
    return row


def _days():
    from flask import current_app

    return current_app.config["SIGNING_CERTIFICATE_DAYS"]


def _fill(row, certificate, *, issuer, now):
    row.status = CertificateStatus.ACTIVE
    row.serial_hex = format(certificate.serial_number, "x")
    row.certificate_der = certificate.public_bytes(serialization.Encoding.DER)
    row.issuer_name = issuer
    row.not_before = certificate.not_valid_before_utc.replace(tzinfo=None)
    row.not_after = certificate.not_valid_after_utc.replace(tzinfo=None)
    row.issued_at = now


def _supersede_active(user, now):
    active = queries.active_certificate(user)
    while active is not None:
        active.status = CertificateStatus.SUPERSEDED
        db.session.flush()
        active = queries.active_certificate(user)


def revoke_certificate(actor, certificate, *, reason, note="", now=None):
    """Revoked from now on (letters signed before stay valid), published at once in a new CRL. A pending
    one is cancelled. For a compromised key the user's key pair and PIN are dropped: they set a new PIN,
    which makes a new key pair."""
    if reason not in ca.REASONS:
        raise BusinessRuleError(_l("Choose a reason for the revocation."))
    now = now or utcnow()
    if certificate.status == CertificateStatus.PENDING:
        certificate.status = CertificateStatus.CANCELLED
        db.session.flush()
        audit.record(actor, "signing.certificate_cancelled", "signing_certificate", certificate.id)
        return certificate
    if certificate.status == CertificateStatus.REVOKED:
        raise BusinessRuleError(_l("This certificate is already revoked."))
    if certificate.status == CertificateStatus.CANCELLED:
        raise BusinessRuleError(_l("This request was already cancelled."))
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now.replace(microsecond=0)
    certificate.revocation_reason, certificate.revocation_note = reason, (note or "").strip()[:500]
    certificate.revoked_by_id = actor.user_id
    certificate.key_sealed = None if certificate.is_imported else certificate.key_sealed
    if reason == "key_compromise" and not certificate.is_imported:
        profile = queries.profile_of(certificate.user)
        if profile is not None:
            profile.key_sealed = profile.public_key_der = profile.pin_check = None
    db.session.flush()
    if not certificate.is_imported:
        refresh_crl(now=now)
    audit.record(actor, "signing.certificate_revoked", "signing_certificate", certificate.id,
                 serial=certificate.serial_hex, reason=reason)
    return certificate


def refresh_crl(*, now=None):
    """A new CRL over every revoked certificate of our CA (after a revocation, and by the periodic job
    before nextUpdate)."""
    ca.ensure_authority()
    authority = ca.locked_authority()  # two refreshes at once must not both write CRL number n + 1
    ca.write_crl(authority, revoked=queries.revoked_entries(), now=now)
    db.session.flush()
    return authority


def crl_is_stale(authority, *, now=None, margin_days=1):
    from datetime import timedelta

    now = now or utcnow()
    return authority.crl_next_update is None or authority.crl_next_update < now + timedelta(days=margin_days)


# ---- PKCS#12 from another CA -------------------------------------------------------------------------

def import_pkcs12(actor, user, *, data, password, pin, now=None):
    """A certificate and key from a commercial or government CA: the file's password is checked, the key
    is sealed again under the user's signing PIN, the chain is kept; it becomes the active certificate."""
    now = now or utcnow()
    profile = queries.profile_of(user)
    if profile is None or not profile.has_pin:
        raise BusinessRuleError(_l("Set your signing PIN first."))
    if not data or len(data) > MAX_P12_BYTES:
        raise BusinessRuleError(_l("Choose a PKCS#12 file (.p12 or .pfx) of at most 256 KB."))
    check_pin(user, pin, profile.pin_check, pin_context(user.id), at=now)
    try:
        key, certificate, chain = certs.load_pkcs12(data, password or "")
    except ValueError:
        raise SigningError(_l("The file could not be opened: the password is wrong or it is not a PKCS#12 "
                              "file with a key and its certificate.")) from None
    if not certs.may_sign_documents(certificate):
        raise SigningError(_l("This certificate may not be used to sign documents."))
    not_before = certificate.not_valid_before_utc.replace(tzinfo=None)
    not_after = certificate.not_valid_after_utc.replace(tzinfo=None)
    if not_after < now:
        raise SigningError(_l("This certificate has expired."))
    row = SigningCertificate(user_id=user.id, source=CertificateSource.IMPORTED,
                             subject_name=certs.common_name(certificate.subject),
                             subject_title=certs.title_of(certificate.subject), requested_by_id=actor.user_id)
    db.session.add(row)
    _supersede_active(user, now)
    _fill(row, certificate, issuer=certificate.issuer.rfc4514_string(), now=now)
    row.not_before, row.not_after = not_before, not_after
    row.chain_der = certs.pack_chain(chain)
    row.key_sealed = sealing.seal(certs.private_der(key), pin, context=key_context(user.id))
    db.session.flush()
    audit.record(actor, "signing.certificate_imported", "signing_certificate", row.id, user_id=user.id,
                 issuer=row.issuer_name, serial=row.serial_hex)
    return row


# ---- signature image ---------------------------------------------------------------------------------

def set_signature_image(actor, user, *, data, max_bytes):
    """A PNG or JPEG of the user's handwritten signature for the visible block, or None to use the typed
    name (the 2564 amendment allows it)."""
    profile = _profile(user)
    if data is None:
        profile.signature_image, profile.signature_image_type = None, ""
        db.session.flush()
        audit.record(actor, "signing.image_removed", "user", user.id)
        return profile
    kind = next((mime for magic, mime in IMAGE_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise BusinessRuleError(_l("The signature image must be a PNG or JPEG file."))
    if len(data) > max_bytes:
        raise BusinessRuleError(_l("The signature image is larger than %(kb)s KB.", kb=max_bytes // 1024))
    _check_image(data)
    profile.signature_image, profile.signature_image_type = data, kind
    db.session.flush()
    audit.record(actor, "signing.image_set", "user", user.id, bytes=len(data))
    return profile


def _check_image(data):
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise BusinessRuleError(_l("The signature image could not be read.")) from None
    if width > 4000 or height > 4000:
        raise BusinessRuleError(_l("The signature image is too large (at most 4000 × 4000 pixels)."))
