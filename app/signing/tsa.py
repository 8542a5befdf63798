"""The organisation's time-stamping authority (RFC 3161), run in-process beside its CA.

Every signature pades.sign_pdf makes carries a time-stamp token over it (PAdES B-T; with the CRL and the
chain in the DSS, B-LT), so a validator checks the signer's certificate at the time-stamp's time, a time
the signer's own clock did not supply, and the signature still validates after the certificate expires.

The TSA's certificate comes from our CA (time-stamping extended key usage, critical), so the same single
trust root covers it, and our CRL lists it if it is ever revoked. Its RSA key is sealed under the CA's
passphrase on the CA row; it is made on the first need and renewed when less than a year is left. The key
is opened once per process and kept in memory, as a TSA server keeps its key: opening it is a scrypt
derivation (~60 ms), which every signature would otherwise pay.

pyHanko's DummyTimeStamper does the RFC 3161 encoding (TSTInfo, the CMS SignedData over it, the nonce);
it is RSA-only and names a test policy, so this subclass sets the organisation's policy and serial.
"""
import secrets
from datetime import timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from app.core.models import utcnow
from app.signing import ca, sealing

TSA_KEY_CONTEXT = "signing-tsa"
TSA_DAYS = 10 * 365
RENEW_BEFORE = timedelta(days=365)
# This project's time-stamp policy, in the 2.25 arc (a UUID as an OID, no registration needed).
TSA_POLICY_OID = "2.25.125284376594418483071606644796030271977"

_stampers = {}  # sha256 of the sealed key -> the time-stamper with the key open


class OrganisationTimeStamper(DummyTimeStamper):
    def _build_tst_info(self, message_imprint, dt, req):
        info = super()._build_tst_info(message_imprint, dt, req)
        info["policy"] = tsp.ObjectIdentifier(TSA_POLICY_OID)
        info["serial_number"] = secrets.randbits(127)
        return info


def timestamper():
    """The time-stamper of the organisation's TSA, made or renewed first if need be (the caller commits)."""
    authority = ensure_tsa()
    stamper = _stampers.get(authority.tsa_key_sealed)
    if stamper is None:
        key_der = sealing.unseal(authority.tsa_key_sealed, ca.key_passphrase(), context=TSA_KEY_CONTEXT)
        stamper = OrganisationTimeStamper(
            tsa_cert=_asn1(certificate(authority)), tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
            certs_to_embed=[_asn1(ca.certificate_of(authority))])
        _stampers.clear()  # a renewed TSA replaces the old one in this process
        _stampers[authority.tsa_key_sealed] = stamper
    return stamper


def certificate(authority):
    return x509.load_der_x509_certificate(authority.tsa_certificate_der)


def ensure_tsa():
    """The CA row with a TSA certificate valid for at least a year more. Two first signers at once: the
    row is locked, so one makes it and the other uses it."""
    authority = ca.ensure_authority()
    if _usable(authority):
        return authority
    authority = ca.locked_authority()
    if _usable(authority):
        return authority
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issued = ca.issue_tsa(authority, key.public_key(), days=TSA_DAYS)
    authority.tsa_certificate_der = issued.public_bytes(serialization.Encoding.DER)
    authority.tsa_key_sealed = sealing.seal(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()), ca.key_passphrase(), context=TSA_KEY_CONTEXT)
    return authority


def _usable(authority):
    if authority.tsa_certificate_der is None or authority.tsa_key_sealed is None:
        return False
    return certificate(authority).not_valid_after_utc.replace(tzinfo=None) - utcnow() > RENEW_BEFORE


def _asn1(certificate_):
    return asn1_x509.Certificate.load(certificate_.public_bytes(serialization.Encoding.DER))
