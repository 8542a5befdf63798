"""The organisation's own certificate authority: a self-signed root made on first need, user
certificates, and the CRL.

The root is RSA 3072, valid 20 years, named after the organisation (its top unit). Besides user
certificates it certifies the organisation's electronic seal (seal.py, for หนังสือประทับตรา). Its private
key is kept only sealed under SIGNING_CA_PASSPHRASE (derived from SECRET_KEY with HKDF when unset, so the
embedded default works; a database backup alone then never opens it). User keys are EC P-256: fast to make
and to sign with, and read by Adobe Reader, poppler's pdfsig (NSS) and pyHanko alike.
"""
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import current_app
from sqlalchemy import select

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import insert_if_missing, utcnow
from app.extensions import db
from app.signing import sealing
from app.signing.models import SigningAuthority

AUTHORITY_ID = 1
CA_YEARS = 20
CA_KEY_CONTEXT = "signing-ca"
CRL_PATH, CA_DER_PATH, CA_PEM_PATH = "/pki/crl.crl", "/pki/ca.crt", "/pki/ca.pem"
# A certificate may be used a little before its notBefore: clocks of two servers differ by a few minutes.
BACKDATE = timedelta(minutes=5)


def _attribute(oid, value):
    """RFC 5280 bounds a name at 64 characters; `cryptography` counts UTF-8 bytes, which a Thai name of 22
    letters already passes, so the check is made here in characters."""
    return x509.NameAttribute(oid, value[:64], _validate=False)


def key_passphrase():
    """What the CA's keys (its own and its TSA's, tsa.py) are sealed under."""
    configured = current_app.config.get("SIGNING_CA_PASSPHRASE")
    return configured or sealing.derived_passphrase(current_app.config["SECRET_KEY"], "signing-ca-key")


def public_url(path):
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def organisation_name():
    from app.org.models import Unit

    top = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    return top.name_th if top else ""


def authority():
    """The CA row, or None before the first need."""
    return db.session.get(SigningAuthority, AUTHORITY_ID)


class NoOrganisation(BusinessRuleError):
    """There is no top unit yet to name the CA after (before `esaraban setup` or `flask demo load`)."""


def locked_authority():
    """The CA row read FOR UPDATE, fresh from the database."""
    return db.session.get(SigningAuthority, AUTHORITY_ID, with_for_update=True, populate_existing=True)


def ensure_authority():
    """The CA row, made now if there is none. Two first requests at once both make one; the database keeps
    the first (a fixed id) and the other's is discarded, so every certificate chains to one root."""
    existing = authority()
    if existing is not None:
        return existing
    name = organisation_name()
    if not name:  # the root is named after the organisation for 20 years: never make it nameless
        raise NoOrganisation(_l("The organisation is not set up yet, so its CA cannot be made."))
    certificate, sealed_key = _new_root(name)
    insert_if_missing(db.session, SigningAuthority.__table__, {
        "id": AUTHORITY_ID, "subject": certificate.subject.rfc4514_string(),
        "certificate_der": certificate.public_bytes(serialization.Encoding.DER), "key_sealed": sealed_key,
        "crl_number": 0, "created_at": utcnow()})
    row = db.session.get(SigningAuthority, AUTHORITY_ID, populate_existing=True)
    if row.crl_der is None:
        write_crl(row, revoked=())
    return row


def _new_root(org_name):
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
                      _attribute(NameOID.ORGANIZATION_NAME, org_name),
                      _attribute(NameOID.COMMON_NAME, f"{org_name} CA")])
    now = utcnow()
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE).not_valid_after(now.replace(year=now.year + CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return certificate, sealing.seal(der_key, key_passphrase(), context=CA_KEY_CONTEXT)


def certificate_of(row):
    return x509.load_der_x509_certificate(row.certificate_der)


def _private_key(row):
    der = sealing.unseal(row.key_sealed, key_passphrase(), context=CA_KEY_CONTEXT)
    return serialization.load_der_private_key(der, password=None)


def issue(row, public_key, *, common_name, title, unit_name, username, days, now=None):
    """A user signing certificate for `public_key`: digitalSignature + nonRepudiation, with the CRL's and
    the CA certificate's public addresses, so any validator finds them."""
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
                  _attribute(NameOID.ORGANIZATION_NAME, organisation_name())]
    if unit_name:
        attributes.append(_attribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit_name))
    if title:
        attributes.append(_attribute(NameOID.TITLE, title))
    attributes += [_attribute(NameOID.USER_ID, username),
                   _attribute(NameOID.COMMON_NAME, common_name)]
    return _end_entity(row, x509.Name(attributes), public_key, days=days, now=now)


# The organisation seal's certificate policy. The OID is in the 2.25 arc (a UUID as an OID, ITU-T X.667),
# which needs no registration; it names this project's policy "an electronic seal of the organisation, not a
# person's signature". A policy rather than an extended key usage: NSS (pdfsig) would otherwise demand
# e-mail protection, as for user certificates (docs/signing.md).
SEAL_POLICY_OID = x509.ObjectIdentifier("2.25.141757745572707300664327977676590939611")


def seal_common_name(org_name):
    return f"ตรา{org_name}"


def issue_seal(row, public_key, *, days, now=None):
    """The organisation's electronic seal certificate: the organisation as subject (no person), the same
    key usage as a user's, and the seal policy with a notice saying what it is."""
    org_name = organisation_name()
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
                      _attribute(NameOID.ORGANIZATION_NAME, org_name),
                      _attribute(NameOID.COMMON_NAME, seal_common_name(org_name))])
    notice = x509.UserNotice(notice_reference=None,
                             explicit_text=f"ตราอิเล็กทรอนิกส์ของ{org_name}"[:200])
    policies = x509.CertificatePolicies([x509.PolicyInformation(SEAL_POLICY_OID, [notice])])
    return _end_entity(row, name, public_key, days=days, now=now, extensions=[(policies, False)])


def issue_tsa(row, public_key, *, days, now=None):
    """The certificate of the organisation's time-stamping authority (tsa.py): RFC 3161 asks for the
    time-stamping extended key usage, critical, and nothing else."""
    org_name = organisation_name()
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
                      _attribute(NameOID.ORGANIZATION_NAME, org_name),
                      _attribute(NameOID.COMMON_NAME, f"{org_name} TSA")])
    usage = x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING])
    return _end_entity(row, name, public_key, days=days, now=now, extensions=[(usage, True)])


def _end_entity(row, subject, public_key, *, days, now=None, extensions=()):
    now = now or utcnow()
    ca_certificate = certificate_of(row)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(ca_certificate.subject)
        .public_key(public_key).serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE).not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_certificate.public_key()),
                       critical=False)
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(public_url(CRL_PATH))], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
        .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
            x509.UniformResourceIdentifier(public_url(CA_DER_PATH)))]), critical=False))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(_private_key(row), hashes.SHA256())


REASONS = {
    "unspecified": x509.ReasonFlags.unspecified,
    "key_compromise": x509.ReasonFlags.key_compromise,
    "affiliation_changed": x509.ReasonFlags.affiliation_changed,
    "superseded": x509.ReasonFlags.superseded,
    "cessation_of_operation": x509.ReasonFlags.cessation_of_operation,
}


def write_crl(row, *, revoked, now=None):
    """A new CRL over `revoked` (pairs of (serial hex, revoked at, reason code)), next update in
    SIGNING_CRL_DAYS days; kept on the CA row and served at /pki/crl.crl."""
    now = now or utcnow()
    ca_certificate = certificate_of(row)
    row.crl_number += 1
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca_certificate.subject)
               .last_update(now).next_update(now + timedelta(days=current_app.config["SIGNING_CRL_DAYS"]))
               .add_extension(x509.CRLNumber(row.crl_number), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_certificate.public_key()),
                              critical=False))
    for serial_hex, revoked_at, reason in revoked:
        entry = (x509.RevokedCertificateBuilder().serial_number(int(serial_hex, 16))
                 .revocation_date(revoked_at))
        if reason in REASONS and reason != "unspecified":
            entry = entry.add_extension(x509.CRLReason(REASONS[reason]), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    crl = builder.sign(_private_key(row), hashes.SHA256())
    row.crl_der = crl.public_bytes(serialization.Encoding.DER)
    row.crl_this_update = now
    row.crl_next_update = now + timedelta(days=current_app.config["SIGNING_CRL_DAYS"])
    return crl
