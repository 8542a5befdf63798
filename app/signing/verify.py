"""Checking the signatures in a PDF offline, with our CA as the trust root.

For each signature: whether the signed bytes are unchanged (intact), the signature is mathematically right
(valid), the certificate chains to our CA (trusted), it was revoked at signing time, and what was changed
after it (nothing, only revocation info, more signatures, or other changes). Revocation info comes from the
file's DSS and our current CRL; nothing is fetched from the network. Certificates users imported are known
(their chains help build paths) but not trusted roots: a user could otherwise vouch for themselves.
"""
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from flask import current_app
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.signing import blocking, ca, queries

MODIFICATIONS = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "revocation_info",
    ModificationLevel.FORM_FILLING: "form_filling",   # e.g. a co-signer's signature
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}


class VerifyError(BusinessRuleError):
    """The upload cannot be checked (not a PDF, too large, unreadable)."""


@dataclass
class SignatureReport:
    field_name: str
    signer_name: str
    signed_at: datetime | None      # aware UTC: the trusted time-stamp's, else as the signer's software reported it
    intact: bool                    # the signed bytes are unchanged
    crypto_ok: bool                 # the signature value matches the signer's public key
    trusted: bool                   # the certificate chains to our CA and was good at signing time
    revoked: bool                   # revoked at signing time
    covers_whole_file: bool
    modification: str               # what was changed after it: see MODIFICATIONS
    has_revocation_info: bool       # the file's DSS carries revocation info
    issuer_name: str = ""
    serial_hex: str = ""
    problem: object = None           # a lazy message, or None when all is well
    time_stamped: bool = False       # a trusted RFC 3161 time-stamp vouches for signed_at

    @property
    def valid(self):
        return self.problem is None


@dataclass
class PdfReport:
    signatures: list = field(default_factory=list)

    @property
    def all_valid(self):
        return bool(self.signatures) and all(s.valid for s in self.signatures)


def max_upload_bytes():
    return current_app.config["VERIFY_UPLOAD_MAX_MB"] * 1024 * 1024


def validate_pdf(pdf_bytes):
    """A PdfReport over every signature in `pdf_bytes`; VerifyError for a file that is not a PDF or is too
    large."""
    if pdf_bytes is None or len(pdf_bytes) == 0:
        raise VerifyError(_l("Choose a PDF file to check."))
    if len(pdf_bytes) > max_upload_bytes():
        raise VerifyError(_l("The file is larger than %(mb)s MB; the verify page checks smaller files.",
                             mb=current_app.config["VERIFY_UPLOAD_MAX_MB"]))
    if b"%PDF-" not in pdf_bytes[:1024]:
        raise VerifyError(_l("This file is not a PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfError, ValueError, KeyError, TypeError):
        raise VerifyError(_l("This PDF is damaged and could not be read.")) from None
    dss_certs, dss_crls, dss_ocsps = _dss(reader)
    known = _known_certificates() + dss_certs
    roots = _our_root()
    return PdfReport([_report(sig, roots, known, dss_crls, dss_ocsps) for sig in embedded])


def _dss(reader):
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return [], [], []
    except (PdfError, ValueError, KeyError):
        return [], [], []
    crls = [asn1_crl.CertificateList.load(ref.get_object().read_data(DecodePurpose.CRL)) for ref in dss.crls]
    ocsps = [asn1_ocsp.OCSPResponse.load(ref.get_object().read_data(DecodePurpose.OCSP_RESPONSE))
             for ref in dss.ocsps]
    return list(dss.load_certs()), crls, ocsps


def _our_root():
    authority = ca.authority()
    return [asn1_x509.Certificate.load(authority.certificate_der)] if authority else []


def _known_certificates():
    return [asn1_x509.Certificate.load(der) for der in queries.imported_chains()]


def _current_crls():
    authority = ca.authority()
    return [authority.crl_der] if authority and authority.crl_der else []


def _report(sig, roots, known, dss_crls, dss_ocsps):
    signed_at = sig.self_reported_timestamp
    if signed_at is not None and signed_at.tzinfo is None:
        signed_at = signed_at.replace(tzinfo=timezone.utc)
    certificate = sig.signer_cert
    ours = bool(roots) and certificate is not None and certificate.issuer == roots[0].subject
    context = ValidationContext(
        trust_roots=roots, other_certs=known, crls=list(dss_crls) + _current_crls(), ocsps=dss_ocsps,
        allow_fetching=False, moment=signed_at, retroactive_revinfo=True,
        revocation_mode="hard-fail" if ours else "soft-fail")
    try:
        status = blocking.call(validate_pdf_signature, sig, context)
    except Exception:  # noqa: BLE001 - a malformed signature is reported as broken, never a 500
        return _broken(sig, signed_at)
    name = certificate.subject.native.get("common_name", "") if certificate is not None else ""
    stamp = status.timestamp_validity
    time_stamped = stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    if time_stamped:
        signed_at = stamp.timestamp
    level = status.modification_level
    report = SignatureReport(
        field_name=sig.field_name, signer_name=name, signed_at=signed_at, intact=status.intact,
        crypto_ok=status.valid, trusted=status.trusted, revoked=status.revoked,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modification=MODIFICATIONS.get(level, "other") if level is not None else "other",
        has_revocation_info=bool(dss_crls or dss_ocsps),
        issuer_name=certificate.issuer.human_friendly if certificate is not None else "",
        serial_hex=format(certificate.serial_number, "x") if certificate is not None else "",
        time_stamped=time_stamped)
    report.problem = _problem(report, status)
    return report


def _broken(sig, signed_at):
    report = SignatureReport(field_name=sig.field_name, signer_name="", signed_at=signed_at, intact=False,
                             crypto_ok=False, trusted=False, revoked=False, covers_whole_file=False,
                             modification="other", has_revocation_info=False)
    report.problem = _l("The signature could not be read: the file was changed or damaged.")
    return report


def _problem(report, status):
    if not report.intact:
        return _l("The file was changed after this signature: the signed content is not the same.")
    if not report.crypto_ok:
        return _l("The signature does not match the signer's certificate.")
    if report.revoked:
        return _l("The signer's certificate was already revoked when this was signed.")
    if not report.trusted:
        return _l("The signer's certificate was not issued by this organisation's CA, or was not valid "
                  "when this was signed.")
    if report.modification in ("annotations", "other") or not (status.docmdp_ok or status.docmdp_ok is None):
        return _l("The file was changed after this signature in ways a signature does not allow.")
    return None
