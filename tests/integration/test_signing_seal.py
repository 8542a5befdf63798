"""Issue 15 item 3: a co-signer's visible signature image and the organisation's seal (หนังสือประทับตรา) are
added as incremental updates, so the earlier signatures stay valid: pdfsig (poppler/NSS) and pyHanko's
validator report all three valid with our CA as the only root; the co-signer's image is drawn in its box;
no seal (none, revoked, expired) means a Thai SigningError and nothing made; the admin issues, renews and
revokes the seal on Administration → การลงนาม, audited, and the revoked seal is in the CRL."""
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from pyhanko.sign.diff_analysis import ModificationLevel
from sqlalchemy import select

from app.core.models import AuditEvent, utcnow
from app.extensions import db
from app.signing import ca, keys, pades, queries, seal, seal_services, sealing, verify
from app.signing.keys import SigningError
from app.signing.models import SealStatus, SigningSeal
from tests.factories import SYSTEM, make_user
from tests.signing_support import (BOX, PIN, ca_pem, flip_byte_in_signed_range, ink_bounds, nss_db, pdfsig,
                                   pyhanko_statuses, render_first_page, signature_png, signer_with_key, thai_pdf)

pytestmark = pytest.mark.usefixtures("forget_pin_locks")

VALID, TRUSTED = "Signature is Valid.", "Certificate is Trusted."
LOCATION = "องค์การบริหารส่วนจังหวัดเลย"


def seal_it(pdf, **kwargs):
    return seal.seal_pdf(pdf, field_name="seal", reason="ประทับตราหนังสือ", location=LOCATION, **kwargs)



@pytest.fixture
def organisation_seal(db_session):
    make_user()  # the organisation (its top unit) the CA and the seal are named after
    row = seal_services.issue_seal(SYSTEM)
    db.session.commit()
    return row


@pytest.fixture
def three_signatures(organisation_seal):
    """Signed by the chief (the renderer draws their block), co-signed by the deputy with their image as the
    field's appearance, then sealed: each step on the previous step's bytes."""
    chief = signer_with_key("นายปลัด ลงนาม")
    deputy = signer_with_key("นางรอง ลงนามร่วม", image=signature_png())
    first = pades.sign_pdf(thai_pdf(), keys.unlock(chief, PIN), field_name="chief", reason="ลงนามหนังสือ",
                           location=LOCATION)
    co_signer = keys.unlock(deputy, PIN)
    second = pades.sign_pdf(first, co_signer, field_name="deputy", reason="ลงนามร่วม", location=LOCATION,
                            box=BOX, appearance_image=co_signer.signature_image,
                            appearance_type=co_signer.signature_image_type)
    third = seal_it(second)
    return first, second, third


# ---- the seal's certificate and key -------------------------------------------------------------------

def test_the_seal_certificate_names_the_organisation_not_a_person_and_marks_itself_a_seal(organisation_seal):
    certificate = x509.load_der_x509_certificate(organisation_seal.certificate_der)
    org = ca.organisation_name()
    names = {a.oid: a.value for a in certificate.subject}
    assert names[NameOID.ORGANIZATION_NAME] == org and names[NameOID.COMMON_NAME] == f"ตรา{org}"[:64]
    assert NameOID.USER_ID not in names and NameOID.TITLE not in names
    assert certificate.issuer == ca.certificate_of(ca.authority()).subject
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    policies = certificate.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert [p.policy_identifier for p in policies] == [ca.SEAL_POLICY_OID]
    assert "ตราอิเล็กทรอนิกส์" in policies[0].policy_qualifiers[0].explicit_text
    with pytest.raises(x509.ExtensionNotFound):  # NSS would then demand e-mail protection
        certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert organisation_seal.common_name == f"ตรา{org}"[:64] and seal.seal_ready().ready


def test_the_seal_key_is_stored_only_encrypted_under_its_passphrase(organisation_seal, app):
    blob = organisation_seal.key_sealed
    assert b"PRIVATE KEY" not in blob
    for load in (serialization.load_der_private_key, serialization.load_pem_private_key):
        with pytest.raises(ValueError):
            load(blob, password=None)
    derived = sealing.derived_passphrase(app.config["SECRET_KEY"], "signing-seal-key")
    key = serialization.load_der_private_key(sealing.unseal(blob, derived, context="signing-seal"), None)
    public = x509.load_der_x509_certificate(organisation_seal.certificate_der).public_key()
    assert key.public_key() == public
    with pytest.raises(sealing.WrongSecret):  # not the CA's passphrase, not the CA's context
        sealing.unseal(blob, sealing.derived_passphrase(app.config["SECRET_KEY"], "signing-ca-key"),
                       context="signing-seal")
    details = " ".join(db.session.scalars(select(AuditEvent.detail)).all())
    assert derived not in details and blob.hex()[:32] not in details


def test_a_configured_seal_passphrase_seals_the_key_and_a_changed_one_refuses_clearly(db_session, app):
    make_user()
    app.config["SIGNING_SEAL_PASSPHRASE"] = "ตราประจำหน่วยงาน-2569-ยาวพอ"
    try:
        row = seal_services.issue_seal(SYSTEM)
        db.session.commit()
        sealing.unseal(row.key_sealed, "ตราประจำหน่วยงาน-2569-ยาวพอ", context="signing-seal")
        assert seal_it(thai_pdf())
        app.config["SIGNING_SEAL_PASSPHRASE"] = "another-passphrase-of-16"
        pdf = thai_pdf()
        with pytest.raises(SigningError, match="SIGNING_SEAL_PASSPHRASE"):
            seal_it(pdf)
    finally:
        app.config["SIGNING_SEAL_PASSPHRASE"] = ""


def test_the_config_refuses_a_short_seal_passphrase():
    from app.config import ConfigError, load_config

    with pytest.raises(ConfigError, match="SIGNING_SEAL_PASSPHRASE"):
        load_config({"SIGNING_SEAL_PASSPHRASE": "short", "SECRET_KEY": "x" * 40}, instance_path="/tmp")


# ---- three signatures, one after the other ------------------------------------------------------------

def test_signed_co_signed_and_sealed_all_three_valid_for_pdfsig_and_pyhanko(three_signatures, tmp_path):
    first, second, third = three_signatures
    assert second.startswith(first) and third.startswith(second)  # incremental: earlier bytes untouched
    (tmp_path / "letter.pdf").write_bytes(third)
    verdicts, output = pdfsig(tmp_path / "letter.pdf", nss_db(tmp_path / "nss", ca_pem()))
    print(output)
    assert verdicts == [("chief", VALID, TRUSTED), ("deputy", VALID, TRUSTED), ("seal", VALID, TRUSTED)], output

    statuses, dss = pyhanko_statuses(third, ca_pem())
    assert len(dss.crls) >= 1 and len(dss.certs) >= 3  # our CRL and the chain of all three are in the file
    for status in statuses:
        print(status.pretty_print_details())
        assert status.intact and status.valid and status.trusted and not status.revoked and status.bottom_line
    levels = [status.modification_level for status in statuses]
    assert levels[:2] == [ModificationLevel.FORM_FILLING] * 2  # a signature came after each, nothing else
    assert levels[2] in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)

    report = verify.validate_pdf(third)
    assert report.all_valid
    assert [s.signer_name for s in report.signatures] == ["นายปลัด ลงนาม", "นางรอง ลงนามร่วม",
                                                          f"ตรา{ca.organisation_name()}"[:64]]
    assert report.signatures[2].has_revocation_info


def test_one_flipped_byte_breaks_all_three_for_pdfsig_pyhanko_and_us(three_signatures, tmp_path):
    *_, third = three_signatures
    broken = flip_byte_in_signed_range(third)
    (tmp_path / "broken.pdf").write_bytes(broken)
    verdicts, output = pdfsig(tmp_path / "broken.pdf", nss_db(tmp_path / "nss", ca_pem()))
    print(output)
    assert len(verdicts) == 3 and all(signature != VALID for _, signature, _ in verdicts), output
    statuses, _ = pyhanko_statuses(broken, ca_pem())
    assert len(statuses) == 3 and not any(status.intact for status in statuses)
    assert not any(s.valid for s in verify.validate_pdf(broken).signatures)


def test_the_co_signers_image_is_drawn_in_its_box_scaled_to_fit_with_its_aspect_ratio(three_signatures,
                                                                                        tmp_path):
    first, _, third = three_signatures
    page = render_first_page(third, tmp_path, "three-signatures")
    assert ink_bounds(page, BOX) is not None
    x1, y1, x2, y2 = ink_bounds(page, BOX)
    # ink spanning 280 × 80 of a 300 × 100 image (3:1), fitted into 200 × 100 points: 200 wide, 66.7 high,
    # centred; so the ink is 186.7 × 53.3, from (306.7, 103.3)
    assert abs((x2 - x1) - 186.7) <= 2 and abs((y2 - y1) - 53.3) <= 2, (x1, y1, x2, y2)
    assert abs(x1 - 306.7) <= 2 and abs(y1 - 103.3) <= 2, (x1, y1, x2, y2)
    corner = page.getpixel((BOX[1] + 2, page.height - BOX[4] + 2))
    assert min(corner) > 240, corner  # the transparent margin stays transparent (not a black box)
    assert ink_bounds(render_first_page(first, tmp_path, "first-signature"), BOX) is None  # before: none


# ---- no usable seal -----------------------------------------------------------------------------------

def test_without_a_seal_sealing_is_refused_in_thai_and_nothing_is_made(db_session):
    make_user()
    pdf = thai_pdf()
    before = bytes(pdf)
    readiness = seal.seal_ready()
    assert not readiness and readiness.seal is None and "ยังไม่มีตราอิเล็กทรอนิกส์" in str(readiness.problem)
    with pytest.raises(SigningError, match="ยังไม่มีตราอิเล็กทรอนิกส์"):
        seal_it(pdf)
    assert pdf == before and verify.validate_pdf(pdf).signatures == []


def test_a_revoked_seal_refuses_in_thai_is_in_the_crl_and_what_it_sealed_stays_valid(organisation_seal,
                                                                                    client):
    sealed_before = seal_it(thai_pdf())
    seal_services.revoke_seal(SYSTEM, organisation_seal, reason="cessation_of_operation")
    db.session.commit()
    assert organisation_seal.key_sealed is None  # a revoked seal never seals again: its key is gone
    pdf = thai_pdf()
    with pytest.raises(SigningError, match="ถูกเพิกถอน"):
        seal_it(pdf)
    assert "ถูกเพิกถอน" in str(seal.seal_ready().problem)
    crl = x509.load_der_x509_crl(client.get("/pki/crl.crl").data)
    entry = crl.get_revoked_certificate_by_serial_number(int(organisation_seal.serial_hex, 16))
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == \
        x509.ReasonFlags.cessation_of_operation
    report = verify.validate_pdf(sealed_before)
    assert report.all_valid and not report.signatures[0].revoked


def test_a_seal_revoked_after_it_was_read_is_still_refused_by_the_crl_check(organisation_seal):
    """pades checks the signer against the current CRL while signing: a seal revoked between the check and
    the signature (another request) cannot seal."""
    signer = seal.seal_signer(organisation_seal)
    seal_services.revoke_seal(SYSTEM, organisation_seal, reason="key_compromise")
    db.session.commit()
    with pytest.raises(SigningError):
        pades.sign_pdf(thai_pdf(), signer, field_name="late", reason="", location="")


def test_an_expired_seal_refuses_in_thai_until_it_is_renewed(db_session, app):
    make_user()
    long_ago = utcnow() - timedelta(days=app.config["SIGNING_CERTIFICATE_DAYS"] + 10)
    row = seal_services.issue_seal(SYSTEM, now=long_ago)
    db.session.commit()
    pdf = thai_pdf()
    with pytest.raises(SigningError, match="หมดอายุ"):
        seal_it(pdf)
    assert not seal.seal_ready() and "หมดอายุ" in str(seal.seal_ready().problem)
    assert seal.seal_ready(at=long_ago + timedelta(days=1)).ready
    renewed = seal_services.renew_seal(SYSTEM, row)
    db.session.commit()
    assert row.status == SealStatus.SUPERSEDED and renewed.status == SealStatus.ACTIVE
    assert x509.load_der_x509_certificate(renewed.certificate_der).public_key() == \
        x509.load_der_x509_certificate(row.certificate_der).public_key()  # the same key, new dates
    assert renewed.serial_hex not in {serial for serial, _, _ in queries.revoked_entries()}
    assert verify.validate_pdf(seal_it(pdf)).all_valid


def test_a_compromised_seal_key_revokes_every_certificate_of_that_key(organisation_seal):
    renewed = seal_services.renew_seal(SYSTEM, organisation_seal)
    seal_services.revoke_seal(SYSTEM, renewed, reason="key_compromise", note="สงสัยว่ารั่ว")
    db.session.commit()
    revoked = {serial for serial, _, _ in queries.revoked_entries()}
    assert {organisation_seal.serial_hex, renewed.serial_hex} <= revoked
    fresh = seal_services.issue_seal(SYSTEM)
    db.session.commit()
    assert x509.load_der_x509_certificate(fresh.certificate_der).public_key() != \
        x509.load_der_x509_certificate(renewed.certificate_der).public_key()


# ---- the admin's page ---------------------------------------------------------------------------------

def audit_actions(subject_id):
    return [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "signing_seal", AuditEvent.subject_id == subject_id)
        .order_by(AuditEvent.id))]


def test_the_admin_issues_renews_and_revokes_the_seal_on_the_signing_page(client, login):
    admin = make_user(roles=("admin",))
    login(client, admin)
    page = client.get("/admin/signing").get_data(as_text=True)
    assert "ตราอิเล็กทรอนิกส์ของหน่วยงาน" in page and "ยังไม่มีตราอิเล็กทรอนิกส์" in page

    page = client.post("/admin/signing/seal/issue", follow_redirects=True).get_data(as_text=True)
    issued = queries.current_seal()
    assert issued is not None and issued.issued_by_id == admin.id
    assert "ออกตราอิเล็กทรอนิกส์ของหน่วยงานแล้ว" in page and issued.serial_hex in page
    assert "ต่ออายุตรา" in page and "เพิกถอนตรา" in page
    page = client.post("/admin/signing/seal/issue", follow_redirects=True).get_data(as_text=True)
    assert "มีตราอิเล็กทรอนิกส์ที่ใช้อยู่แล้ว" in page and len(queries.seal_history()) == 1

    page = client.post(f"/admin/signing/seal/{issued.id}/renew", follow_redirects=True).get_data(as_text=True)
    renewed = queries.current_seal()
    assert renewed.id != issued.id and "ต่ออายุตราอิเล็กทรอนิกส์ของหน่วยงานแล้ว" in page
    assert "ตราฉบับก่อน" in page

    page = client.post(f"/admin/signing/seal/{renewed.id}/revoke",
                       data={"reason": "affiliation_changed", "note": "ยุบรวมหน่วยงาน"},
                       follow_redirects=True).get_data(as_text=True)
    assert "เพิกถอนตราอิเล็กทรอนิกส์ของหน่วยงานแล้ว" in page and "ถูกเพิกถอน" in page
    assert queries.current_seal() is None and "ออกตรา" in page

    assert audit_actions(issued.id) == ["signing.seal_issued"]
    assert audit_actions(renewed.id) == ["signing.seal_renewed", "signing.seal_revoked"]
    crl = x509.load_der_x509_crl(client.get("/pki/crl.crl").data)
    assert crl.get_revoked_certificate_by_serial_number(int(renewed.serial_hex, 16)) is not None
    assert crl.get_revoked_certificate_by_serial_number(int(issued.serial_hex, 16)) is None  # superseded


def test_the_seal_section_reads_in_english_too(client, login):
    login(client, make_user(roles=("admin",)))
    client.post("/locale/en", data={"next": "/"})
    client.post("/admin/signing/seal/issue")
    page = client.get("/admin/signing").get_data(as_text=True)
    assert "Organisation&#39;s electronic seal" in page or "Organisation's electronic seal" in page
    assert "Renew seal" in page and "Revoke seal" in page


def test_only_admins_reach_the_seal_actions(client, login):
    login(client, make_user())
    assert client.post("/admin/signing/seal/issue").status_code == 403
    assert db.session.scalar(select(SigningSeal).limit(1)) is None
