"""The organisation's CA, each user's signing profile (PIN, key pair, signature image), their certificates,
the organisation's electronic seal, and the PIN lockout state.

Private keys are stored only sealed (app/signing/sealing.py): the CA's under SIGNING_CA_PASSPHRASE, the
seal's under SIGNING_SEAL_PASSPHRASE, a user's under their signing PIN. Certificates and CRLs are public and
kept as DER.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db

# MEDIUMBLOB on MariaDB (BLOB stops at 64 KiB: a CRL with many entries or a signature image passes it)
Blob = LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql", "mariadb")


class CertificateStatus:
    PENDING = "pending"      # the admin issued it, the user has not set a PIN yet (no key pair to certify)
    ACTIVE = "active"
    SUPERSEDED = "superseded"  # renewed or replaced by an import; signatures made with it stay valid
    REVOKED = "revoked"
    CANCELLED = "cancelled"  # a pending one withdrawn before it was issued


class CertificateSource:
    ORGANISATION = "org"     # issued by our CA
    IMPORTED = "imported"    # a PKCS#12 from a commercial or government CA


class SigningAuthority(db.Model):
    """The organisation's CA: one row, made on first need."""

    __tablename__ = "signing_authority"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(500))
    certificate_der: Mapped[bytes] = mapped_column(Blob)
    key_sealed: Mapped[bytes] = mapped_column(Blob)
    crl_number: Mapped[int] = mapped_column(default=0)
    crl_der: Mapped[bytes | None] = mapped_column(Blob)
    crl_this_update: Mapped[datetime | None]
    crl_next_update: Mapped[datetime | None]
    tsa_certificate_der: Mapped[bytes | None] = mapped_column(Blob)  # the time-stamping authority (tsa.py)
    tsa_key_sealed: Mapped[bytes | None] = mapped_column(Blob)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SigningProfile(db.Model):
    """A user's signing PIN (proved by opening `pin_check`), the key pair our CA certifies, and the image
    drawn in the visible signature block (none: the typed name, as the 2564 amendment allows)."""

    __tablename__ = "signing_profile"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    pin_check: Mapped[bytes | None] = mapped_column(Blob)
    key_sealed: Mapped[bytes | None] = mapped_column(Blob)
    public_key_der: Mapped[bytes | None] = mapped_column(Blob)
    pin_changed_at: Mapped[datetime | None]
    signature_image: Mapped[bytes | None] = mapped_column(Blob)
    signature_image_type: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")

    @property
    def has_pin(self):
        return self.pin_check is not None


class SigningCertificate(db.Model):
    """One certificate of a user: issued by our CA (its key is the profile's) or imported (its own key,
    sealed under the user's PIN, and the chain that came with it)."""

    __tablename__ = "signing_certificate"
    __table_args__ = table_args(Index("ix_signing_certificate_user_status", "user_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    source: Mapped[str] = mapped_column(String(16), default=CertificateSource.ORGANISATION)
    status: Mapped[str] = mapped_column(String(16), default=CertificateStatus.PENDING)
    serial_hex: Mapped[str] = mapped_column(String(64), default="", index=True)
    subject_name: Mapped[str] = mapped_column(String(300), default="")
    subject_title: Mapped[str] = mapped_column(String(300), default="")
    issuer_name: Mapped[str] = mapped_column(String(500), default="")
    certificate_der: Mapped[bytes | None] = mapped_column(Blob)
    # imported only: the chain that came with it (DER, each prefixed by its 4-byte length; certs.pack_chain)
    # and its own key, sealed under the user's PIN
    chain_der: Mapped[bytes | None] = mapped_column(Blob)
    key_sealed: Mapped[bytes | None] = mapped_column(Blob)
    not_before: Mapped[datetime | None]
    not_after: Mapped[datetime | None]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str] = mapped_column(String(32), default="")
    revocation_note: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])

    @property
    def is_imported(self):
        return self.source == CertificateSource.IMPORTED


class SealStatus:
    ACTIVE = "active"
    SUPERSEDED = "superseded"  # renewed: what it sealed stays valid
    REVOKED = "revoked"


class SigningSeal(db.Model):
    """One certificate of the organisation's electronic seal (ตราชื่อส่วนราชการ), issued by our CA to the
    organisation itself, for หนังสือประทับตรา. Its key is sealed under SIGNING_SEAL_PASSPHRASE (or one
    derived from SECRET_KEY); a renewal certifies the same key again, a revocation drops the key."""

    __tablename__ = "signing_seal"
    __table_args__ = table_args(Index("ix_signing_seal_status", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=SealStatus.ACTIVE)
    serial_hex: Mapped[str] = mapped_column(String(64), default="", index=True)
    common_name: Mapped[str] = mapped_column(String(300), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    certificate_der: Mapped[bytes] = mapped_column(Blob)
    key_sealed: Mapped[bytes | None] = mapped_column(Blob)
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    renewed_from_id: Mapped[int | None] = mapped_column(ForeignKey("signing_seal.id"))
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str] = mapped_column(String(32), default="")
    revocation_note: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # what app.signing.pades reads of a signer's certificate row: the seal is always ours, never imported
    is_imported = False
    subject_title = ""


class SigningPinLock(db.Model):
    """Wrong-PIN count and lock per user. Written through a connection of its own after the request's
    transaction ends (app/signing/lockout.py), so a rollback does not forget a failure; no foreign key, so
    writing it never waits on the user row another transaction holds."""

    __tablename__ = "signing_pin_lock"
    __table_args__ = table_args()

    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
