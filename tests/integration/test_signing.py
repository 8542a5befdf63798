"""Issue 15 items 4 and 7: the organisation's CA, certificates, PINs sealed keys, lockout, PKCS#12 import,
signature images, the public CA and CRL, and the pages of the admin and the user."""
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from app.core.models import AuditEvent, utcnow
from app.extensions import db
from app.signing import ca, certs, keys, lockout, queries, services, tsa
from app.signing.keys import SigningError
from app.signing.models import CertificateStatus, SigningAuthority, SigningProfile
from tests.factories import SYSTEM, make_user
from tests.signing_support import PIN, foreign_pkcs12

pytestmark = pytest.mark.usefixtures("forget_pin_locks")

def _png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (120, 40), (0, 0, 120, 255)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def signer_user(**kwargs):
    user = make_user(full_name_th=kwargs.pop("full_name_th", "นายสมชาย ใจดี"), **kwargs)
    services.set_pin(SYSTEM, user, pin=PIN)
    services.issue_certificate(SYSTEM, user, now=kwargs.get("now"))
    db.session.commit()
    return user



def test_the_ca_is_made_on_first_need_named_after_the_organisation_with_its_key_sealed(db_session):
    user = signer_user()
    authority = db.session.get(SigningAuthority, ca.AUTHORITY_ID)
    root = ca.certificate_of(authority)
    top_name = ca.organisation_name()
    assert root.subject == root.issuer and f"{top_name} CA" in root.subject.rfc4514_string()
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    years = (root.not_valid_after_utc - root.not_valid_before_utc).days / 365
    assert 19.9 < years < 20.1 and root.public_key().key_size == 3072
    assert b"PRIVATE KEY" not in authority.key_sealed
    with pytest.raises(ValueError):
        serialization.load_der_private_key(authority.key_sealed, password=None)
    certificate = x509.load_der_x509_certificate(queries.active_certificate(user).certificate_der)
    assert certificate.issuer == root.subject


def test_the_tsa_is_for_time_stamping_only_chains_to_our_ca_and_is_renewed_a_year_before_it_ends(db_session):
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID

    signer_user()
    authority = tsa.ensure_tsa()
    certificate = tsa.certificate(authority)
    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and list(usage.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    assert certificate.issuer == ca.certificate_of(authority).subject
    with pytest.raises(ValueError):  # the key is kept only sealed
        serialization.load_der_private_key(authority.tsa_key_sealed, password=None)
    assert tsa.ensure_tsa().tsa_certificate_der == authority.tsa_certificate_der  # made once

    ending = ca.issue_tsa(authority, rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key(),
                          days=200)
    authority.tsa_certificate_der = ending.public_bytes(serialization.Encoding.DER)
    renewed = tsa.certificate(tsa.ensure_tsa())
    assert renewed.serial_number != ending.serial_number
    assert (renewed.not_valid_after_utc - renewed.not_valid_before_utc).days > 9 * 365


def test_a_user_certificate_is_for_signing_names_the_user_and_points_at_the_public_crl(db_session, app):
    user = make_user(full_name_th="นางสาวมาลี ศรีสุขสวัสดิ์วงศ์ใหญ่")
    user.position_title = "ผู้อำนวยการกองคลัง"
    services.set_pin(SYSTEM, user, pin=PIN)
    row = services.issue_certificate(SYSTEM, user)
    db.session.commit()
    certificate = x509.load_der_x509_certificate(row.certificate_der)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    names = {a.oid: a.value for a in certificate.subject}
    assert names[x509.NameOID.COMMON_NAME] == "นางสาวมาลี ศรีสุขสวัสดิ์วงศ์ใหญ่"
    assert names[x509.NameOID.TITLE] == "ผู้อำนวยการกองคลัง"
    points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value == app.config["PUBLIC_BASE_URL"] + "/pki/crl.crl"
    assert row.status == CertificateStatus.ACTIVE and row.subject_title == "ผู้อำนวยการกองคลัง"


def test_private_keys_are_never_stored_unencrypted(db_session):
    user = signer_user()
    p12, _, _ = foreign_pkcs12("p12-pass")
    services.import_pkcs12(SYSTEM, user, data=p12, password="p12-pass", pin=PIN)
    db.session.commit()
    signer = keys.unlock(user, PIN)
    profile = db.session.scalar(select(SigningProfile).where(SigningProfile.user_id == user.id))
    org_key_der = None
    for blob in (profile.key_sealed, queries.active_certificate(user).key_sealed,
                 db.session.get(SigningAuthority, 1).key_sealed):
        assert b"BEGIN PRIVATE KEY" not in blob and b"BEGIN EC PRIVATE KEY" not in blob
        with pytest.raises(ValueError):
            serialization.load_der_private_key(blob, password=None)
        with pytest.raises(ValueError):
            serialization.load_pem_private_key(blob, password=None)
        assert certs.private_der(signer.private_key) not in blob
        org_key_der = blob
    assert org_key_der
    details = " ".join(db.session.scalars(select(AuditEvent.detail)).all())
    assert PIN not in details and "p12-pass" not in details


def test_an_admin_issued_certificate_waits_for_the_users_pin_then_is_issued(db_session):
    admin = make_user(roles=("admin",))
    user = make_user()
    from app.core.actor import Actor

    row = services.issue_certificate(Actor(user=admin), user)
    db.session.commit()
    assert row.status == CertificateStatus.PENDING and queries.active_certificate(user) is None
    with pytest.raises(SigningError, match="ยังไม่มีใบรับรอง|no signing certificate"):
        keys.unlock(user, PIN)
    services.set_pin(SYSTEM, user, pin=PIN)
    db.session.commit()
    assert queries.active_certificate(user).id == row.id and row.certificate_der
    assert keys.unlock(user, PIN).certificate.id == row.id


def test_the_pin_is_at_least_six_characters_and_not_the_login_password(db_session):
    user = make_user()
    from app.core.errors import BusinessRuleError
    from tests.factories import DEFAULT_PASSWORD

    with pytest.raises(BusinessRuleError):
        services.set_pin(SYSTEM, user, pin="12345")
    with pytest.raises(BusinessRuleError):
        services.set_pin(SYSTEM, user, pin=DEFAULT_PASSWORD)


def test_change_pin_needs_the_old_one_and_the_key_then_opens_only_with_the_new(db_session):
    user = signer_user()
    with pytest.raises(SigningError):
        services.change_pin(SYSTEM, user, old_pin="wrong-pin", new_pin="new-pin-99")
    db.session.rollback()
    services.change_pin(SYSTEM, user, old_pin=PIN, new_pin="new-pin-99")
    db.session.commit()
    assert keys.unlock(user, "new-pin-99").display_name == "นายสมชาย ใจดี"
    with pytest.raises(SigningError):
        keys.unlock(user, PIN)


def test_five_wrong_pins_lock_signing_and_the_count_survives_each_rollback(db_session, app):
    user = signer_user()
    for attempt in range(1, 5):
        with pytest.raises(SigningError) as refused:
            keys.unlock(user, "not-my-pin")
        db.session.rollback()  # what the view does with the error: the request's writes are undone
        assert str(refused.value.message).startswith("PIN ไม่ถูกต้อง")
        assert lockout.state_of(user.id).failures == attempt  # read on a fresh connection: it was kept
    with pytest.raises(SigningError) as refused:
        keys.unlock(user, "not-my-pin")
    db.session.rollback()
    state = lockout.state_of(user.id)
    assert state.locked_at(utcnow()) and "ล็อก" in str(refused.value.message)
    with pytest.raises(SigningError, match="ล็อก"):
        keys.unlock(user, PIN)  # even the right PIN, while locked
    db.session.rollback()
    later = utcnow() + timedelta(minutes=app.config["SIGNING_PIN_LOCKOUT_MINUTES"] + 1)
    assert keys.unlock(user, PIN, at=later).user is user


def test_a_right_pin_resets_the_failure_count(db_session):
    user = signer_user()
    for _ in range(3):
        with pytest.raises(SigningError):
            keys.unlock(user, "not-my-pin")
        db.session.rollback()
    keys.unlock(user, PIN)
    db.session.commit()
    assert lockout.state_of(user.id).failures == 0


def test_expired_and_not_yet_valid_certificates_are_refused(db_session, app):
    long_ago = utcnow() - timedelta(days=app.config["SIGNING_CERTIFICATE_DAYS"] + 10)
    old = make_user()
    services.set_pin(SYSTEM, old, pin=PIN)
    services.issue_certificate(SYSTEM, old, now=long_ago)
    db.session.commit()
    with pytest.raises(SigningError, match="หมดอายุ"):
        keys.unlock(old, PIN)
    assert keys.unlock(old, PIN, at=long_ago + timedelta(days=1)).user is old
    with pytest.raises(SigningError, match="ยังใช้ไม่ได้จนถึง"):
        keys.unlock(old, PIN, at=long_ago - timedelta(days=1))


def test_a_revoked_certificate_cannot_sign_and_is_listed_in_the_new_crl(db_session, client):
    user = signer_user()
    row = queries.active_certificate(user)
    number_before = db.session.get(SigningAuthority, 1).crl_number
    services.revoke_certificate(SYSTEM, row, reason="affiliation_changed", note="ย้ายไปสังกัดอื่น")
    db.session.commit()
    with pytest.raises(SigningError, match="ถูกเพิกถอน"):
        keys.unlock(user, PIN)
    response = client.get("/pki/crl.crl")
    assert response.status_code == 200 and response.mimetype == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.data)
    entry = crl.get_revoked_certificate_by_serial_number(int(row.serial_hex, 16))
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == \
        x509.ReasonFlags.affiliation_changed
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > number_before
    days = (crl.next_update_utc - crl.last_update_utc).days
    assert days == 7
    root = x509.load_der_x509_certificate(client.get("/pki/ca.crt").data)
    assert crl.is_signature_valid(root.public_key())


def test_a_key_compromise_drops_the_key_and_pin_so_a_new_key_is_made(db_session):
    user = signer_user()
    old_public = queries.profile_of(user).public_key_der
    services.revoke_certificate(SYSTEM, queries.active_certificate(user), reason="key_compromise")
    services.issue_certificate(SYSTEM, user)
    services.set_pin(SYSTEM, user, pin="another-pin")
    db.session.commit()
    signer = keys.unlock(user, "another-pin")
    assert certs.public_der(signer.private_key.public_key()) != old_public


def test_renewal_supersedes_without_revoking(db_session):
    user = signer_user()
    old = queries.active_certificate(user)
    new = services.renew_certificate(SYSTEM, old)
    db.session.commit()
    assert old.status == CertificateStatus.SUPERSEDED and new.status == CertificateStatus.ACTIVE
    assert old.serial_hex not in {s for s, _, _ in queries.revoked_entries()}
    assert keys.unlock(user, PIN).certificate.id == new.id


def test_pkcs12_import_checks_the_password_and_keeps_the_chain(db_session):
    user = signer_user()
    p12, root, certificate = foreign_pkcs12("ถูกต้อง-123")
    with pytest.raises(SigningError, match="รหัสผ่านไม่ถูกต้อง"):
        services.import_pkcs12(SYSTEM, user, data=p12, password="wrong", pin=PIN)
    db.session.rollback()
    with pytest.raises(SigningError):
        services.import_pkcs12(SYSTEM, user, data=b"not a p12 at all", password="x", pin=PIN)
    db.session.rollback()
    row = services.import_pkcs12(SYSTEM, user, data=p12, password="ถูกต้อง-123", pin=PIN)
    db.session.commit()
    assert row.is_imported and row.subject_name == "นายต่างชาติ ทดสอบ"
    assert queries.active_certificate(user).id == row.id
    signer = keys.unlock(user, PIN)
    assert signer.x509_certificate == certificate and signer.chain == (root,)


def test_a_pkcs12_without_signing_usage_is_refused(db_session):
    user = signer_user()
    p12, _, _ = foreign_pkcs12("pw-123456", usage_sign=False)
    with pytest.raises(SigningError):
        services.import_pkcs12(SYSTEM, user, data=p12, password="pw-123456", pin=PIN)


def test_signature_image_png_is_kept_and_other_files_refused(db_session):
    from app.core.errors import BusinessRuleError

    user = make_user()
    services.set_signature_image(SYSTEM, user, data=PNG, max_bytes=512 * 1024)
    db.session.commit()
    assert queries.profile_of(user).signature_image == PNG
    with pytest.raises(BusinessRuleError):
        services.set_signature_image(SYSTEM, user, data=b"GIF89a....", max_bytes=512 * 1024)
    with pytest.raises(BusinessRuleError):
        services.set_signature_image(SYSTEM, user, data=PNG, max_bytes=10)
    with pytest.raises(BusinessRuleError):
        services.set_signature_image(SYSTEM, user, data=PNG[:20], max_bytes=512 * 1024)


# ---- pages -------------------------------------------------------------------------------------------

def test_ca_and_crl_are_public_without_login(client):
    make_user()  # the organisation (its top unit) the CA is named after
    for path, mimetype in (("/pki/ca.crt", "application/pkix-cert"),
                           ("/pki/ca.pem", "application/x-pem-file"),
                           ("/pki/crl.crl", "application/pkix-crl")):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == mimetype, path
    assert client.get("/pki/ca.pem").data.startswith(b"-----BEGIN CERTIFICATE-----")


def test_before_the_organisation_exists_there_is_no_ca_to_publish(db_session, client):
    from app.org.models import Unit

    if db.session.scalar(select(Unit).limit(1)) is not None:
        pytest.skip("this database already has units")
    assert client.get("/pki/ca.crt").status_code == 404
    with pytest.raises(ca.NoOrganisation):
        ca.ensure_authority()


def test_the_admin_issues_and_the_user_sets_a_pin_on_the_pages(client, other_client, login):
    admin = make_user(roles=("admin",))
    user = make_user(full_name_th="นายวิชัย ลงนาม")
    login(client, admin)
    page = client.get("/admin/signing").get_data(as_text=True)
    assert "นายวิชัย ลงนาม" in page and "ใบรับรอง" in page
    assert client.post(f"/admin/signing/users/{user.id}/issue").status_code == 302
    login(other_client, user)
    page = other_client.get("/account/signing").get_data(as_text=True)
    assert "ผู้ดูแลระบบอนุมัติใบรับรอง" in page
    response = other_client.post("/account/signing/pin",
                                 data={"set-new_pin": "1234", "set-confirm_pin": "1234"})
    assert response.status_code == 400 and "6" in response.get_data(as_text=True)
    response = other_client.post("/account/signing/pin", data={"set-new_pin": PIN, "set-confirm_pin": PIN},
                                 follow_redirects=True)
    assert "ตั้ง PIN สำหรับลงนามแล้ว" in response.get_data(as_text=True)
    assert queries.active_certificate(user) is not None
    revoke = client.post(f"/admin/signing/certificates/{queries.active_certificate(user).id}/revoke",
                         data={"reason": "cessation_of_operation", "note": ""}, follow_redirects=True)
    assert "เพิกถอน" in revoke.get_data(as_text=True)
    assert queries.active_certificate(user) is None


def test_a_wrong_pin_on_the_change_page_is_counted_and_shown_in_thai(client, login):
    user = signer_user()
    login(client, user)
    response = client.post("/account/signing/pin/change", data={
        "change-old_pin": "wrong-one", "change-new_pin": "new-pin-88", "change-confirm_pin": "new-pin-88"})
    assert response.status_code == 400 and "PIN ไม่ถูกต้อง" in response.get_data(as_text=True)
    assert lockout.state_of(user.id).failures == 1


def test_non_admins_do_not_reach_the_admin_signing_page(client, login):
    login(client, make_user())
    assert client.get("/admin/signing").status_code == 403


def test_the_user_uploads_a_signature_image_sees_it_and_removes_it(client, login):
    import io

    user = make_user()
    login(client, user)
    response = client.post("/account/signing/image", data={"img-image": (io.BytesIO(PNG), "sign.png")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "บันทึกภาพลายมือชื่อแล้ว" in response.get_data(as_text=True)
    image = client.get("/account/signing/image")
    assert image.status_code == 200 and image.data == PNG and image.mimetype == "image/png"
    refused = client.post("/account/signing/image", data={"img-image": (io.BytesIO(b"%PDF-1.7"), "x.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400 and "PNG หรือ JPEG" in refused.get_data(as_text=True)
    client.post("/account/signing/image/remove")
    assert client.get("/account/signing/image").status_code == 404
