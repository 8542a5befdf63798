"""Writes of the organisation's electronic seal: issue, renew, revoke (Administration → การลงนาม).

Like services.py: the acting person and plain data in, only flushes, an audit event each; the view commits.
The seal's private key never leaves sealing.seal (under seal.passphrase()) and is never in an audit event.
"""
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import current_app
from sqlalchemy import select

from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.extensions import db
from app.signing import ca, certs, queries, seal, sealing, services
from app.signing.models import SealStatus, SigningSeal


def issue_seal(actor, *, now=None):
    """A new key pair for the organisation's seal and its certificate from our CA. Refused while a seal is
    in use: renew it, or revoke it first."""
    if queries.current_seal() is not None:
        raise BusinessRuleError(_l("The organisation already has an electronic seal in use: renew it, or "
                                   "revoke it first."))
    key = certs.new_key_pair()
    sealed_key = sealing.seal(certs.private_der(key), seal.passphrase(), context=seal.SEAL_KEY_CONTEXT)
    row = _certify(actor, key.public_key(), sealed_key, now=now)
    audit.record(actor, "signing.seal_issued", "signing_seal", row.id, serial=row.serial_hex,
                 not_after=row.not_after.isoformat())
    return row


def renew_seal(actor, current, *, now=None):
    """The same key certified again with new dates (an expired seal too); the old certificate is
    superseded, not revoked, so what it sealed stays valid."""
    if current.status != SealStatus.ACTIVE:
        raise BusinessRuleError(_l("Only the seal in use can be renewed; issue a new one instead."))
    key = seal.open_key(current)  # proves the key still opens before anything changes
    sealed_key = sealing.seal(certs.private_der(key), seal.passphrase(), context=seal.SEAL_KEY_CONTEXT)
    current.status = SealStatus.SUPERSEDED
    db.session.flush()
    row = _certify(actor, key.public_key(), sealed_key, now=now, renewed_from=current)
    audit.record(actor, "signing.seal_renewed", "signing_seal", row.id, serial=row.serial_hex,
                 previous_serial=current.serial_hex, not_after=row.not_after.isoformat())
    return row


def _certify(actor, public_key, sealed_key, *, now=None, renewed_from=None):
    now = now or utcnow()
    authority = ca.ensure_authority()
    days = current_app.config["SIGNING_CERTIFICATE_DAYS"]
    issued = ca.issue_seal(authority, public_key, days=days, now=now)
    row = SigningSeal(
        status=SealStatus.ACTIVE, serial_hex=format(issued.serial_number, "x"),
        common_name=certs.common_name(issued.subject),
        subject=issued.subject.rfc4514_string(),
        certificate_der=issued.public_bytes(serialization.Encoding.DER), key_sealed=sealed_key,
        not_before=issued.not_valid_before_utc.replace(tzinfo=None),
        not_after=issued.not_valid_after_utc.replace(tzinfo=None), issued_at=now,
        issued_by_id=actor.user_id, renewed_from_id=renewed_from.id if renewed_from else None)
    db.session.add(row)
    db.session.flush()
    return row


def revoke_seal(actor, row, *, reason, note="", now=None):
    """Revoked from now on (letters sealed before stay valid) and published at once in a new CRL; its key is
    dropped. For a compromised key, every earlier certificate of the same key is revoked with it."""
    if reason not in ca.REASONS:
        raise BusinessRuleError(_l("Choose a reason for the revocation."))
    if row.status == SealStatus.REVOKED:
        raise BusinessRuleError(_l("This certificate is already revoked."))
    now = now or utcnow()
    rows = [row]
    if reason == "key_compromise":
        rows += [other for other in _same_key(row) if other.status != SealStatus.REVOKED and other is not row]
    for each in rows:
        each.status, each.revoked_at = SealStatus.REVOKED, now.replace(microsecond=0)
        each.revocation_reason, each.revocation_note = reason, (note or "").strip()[:500]
        each.revoked_by_id, each.key_sealed = actor.user_id, None
    db.session.flush()
    services.refresh_crl(now=now)
    for each in rows:
        audit.record(actor, "signing.seal_revoked", "signing_seal", each.id, serial=each.serial_hex,
                     reason=reason)
    return row


def _same_key(row):
    public = certs.public_der(x509.load_der_x509_certificate(row.certificate_der).public_key())
    return [other for other in db.session.scalars(select(SigningSeal))
            if certs.public_der(x509.load_der_x509_certificate(other.certificate_der).public_key()) == public]
