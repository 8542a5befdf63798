"""Reads: a user's certificates and profile, the organisation's seal, the admin's list, the CRL's entries."""
from sqlalchemy import select

from app.core.models import utcnow
from app.extensions import db
from app.org.models import User
from app.signing.models import (CertificateSource, CertificateStatus, SealStatus, SigningCertificate,
                                 SigningProfile, SigningSeal)

ISSUED = (CertificateStatus.ACTIVE, CertificateStatus.SUPERSEDED, CertificateStatus.REVOKED)


def active_certificate(user):
    """The certificate `user` signs with now, or None."""
    return db.session.scalar(select(SigningCertificate).where(
        SigningCertificate.user_id == user.id, SigningCertificate.status == CertificateStatus.ACTIVE)
        .order_by(SigningCertificate.id.desc()).limit(1))


def latest_issued_certificate(user):
    """The newest certificate ever issued to or imported by `user` (revoked ones included)."""
    return db.session.scalar(select(SigningCertificate).where(
        SigningCertificate.user_id == user.id, SigningCertificate.status.in_(ISSUED))
        .order_by(SigningCertificate.id.desc()).limit(1))


def pending_certificate(user):
    return db.session.scalar(select(SigningCertificate).where(
        SigningCertificate.user_id == user.id, SigningCertificate.status == CertificateStatus.PENDING)
        .order_by(SigningCertificate.id.desc()).limit(1))


def certificates_of(user):
    return db.session.scalars(select(SigningCertificate).where(SigningCertificate.user_id == user.id)
                              .order_by(SigningCertificate.id.desc())).all()


def profile_of(user):
    return db.session.scalar(select(SigningProfile).where(SigningProfile.user_id == user.id))


def revoked_entries():
    """(serial hex, revoked at, reason) of every revoked certificate our CA issued (users' and the seal's),
    for the CRL."""
    users = db.session.execute(select(
        SigningCertificate.serial_hex, SigningCertificate.revoked_at, SigningCertificate.revocation_reason)
        .where(SigningCertificate.source == CertificateSource.ORGANISATION,
               SigningCertificate.status == CertificateStatus.REVOKED)
        .order_by(SigningCertificate.id)).all()
    seals = db.session.execute(
        select(SigningSeal.serial_hex, SigningSeal.revoked_at, SigningSeal.revocation_reason)
        .where(SigningSeal.status == SealStatus.REVOKED).order_by(SigningSeal.id)).all()
    return [*users, *seals]


def current_seal():
    """The organisation seal's certificate in use (it may have expired), or None."""
    return db.session.scalar(select(SigningSeal).where(SigningSeal.status == SealStatus.ACTIVE)
                             .order_by(SigningSeal.id.desc()).limit(1))


def latest_seal():
    """The newest seal certificate ever issued (a revoked one included), or None."""
    return db.session.scalar(select(SigningSeal).order_by(SigningSeal.id.desc()).limit(1))


def seal_history(limit=10):
    return db.session.scalars(select(SigningSeal).order_by(SigningSeal.id.desc()).limit(limit)).all()


def imported_chains():
    """Every certificate imported users brought (theirs and their chains'), for validation as known."""
    rows = db.session.execute(select(SigningCertificate.certificate_der, SigningCertificate.chain_der).where(
        SigningCertificate.source == CertificateSource.IMPORTED,
        SigningCertificate.certificate_der.is_not(None))).all()
    from app.signing.certs import split_chain

    return [der for certificate_der, chain_der in rows for der in [certificate_der, *split_chain(chain_der)]]


def admin_overview(text=""):
    """Every active user with their newest certificate row (or None) and whether they set a PIN."""
    users = db.session.scalars(select(User).where(User.is_active_account.is_(True))
                               .order_by(User.full_name_th)).all()
    if text:
        users = [u for u in users if text in u.full_name_th or text in u.username]
    newest = {}
    for row in db.session.scalars(select(SigningCertificate).order_by(SigningCertificate.id)):
        newest[row.user_id] = row
    pins = set(db.session.scalars(select(SigningProfile.user_id)
                                  .where(SigningProfile.pin_check.is_not(None))))
    return [(user, newest.get(user.id), user.id in pins) for user in users]


def _usable_certificate(now=None):
    """An active certificate that has not expired: one its holder can sign with now."""
    return (SigningCertificate.status == CertificateStatus.ACTIVE) & (SigningCertificate.not_after > (now or utcnow()))


def user_ids_able_to_sign(user_ids, now=None):
    """Those of `user_ids` with an active certificate not yet expired."""
    if not user_ids:
        return set()
    return set(db.session.scalars(select(SigningCertificate.user_id).where(
        SigningCertificate.user_id.in_(list(user_ids)), _usable_certificate(now))))


def people_able_to_sign():
    """Active staff with an active certificate not yet expired, by name: whom a letter may ask to co-sign."""
    return db.session.scalars(select(User).join(SigningCertificate, SigningCertificate.user_id == User.id).where(
        User.is_active_account.is_(True), _usable_certificate()).distinct().order_by(User.full_name_th)).all()
