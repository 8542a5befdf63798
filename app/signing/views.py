"""Public PKI files (no login) and the user's own signing page (PIN, certificate, PKCS#12, image)."""
from cryptography.hazmat.primitives import serialization
from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.core.messages import lazy_gettext as _l
from app.core.web import commit_or_flash, current_actor
from app.extensions import db
from app.signing import ca, queries, services
from app.signing.labels import SOURCE_LABELS, STATUS_BADGES, STATUS_LABELS
from forms.signing import ChangePinForm, ImportPkcs12Form, SetPinForm, SignatureImageForm

bp = Blueprint("signing", __name__)
PUBLIC_CACHE = "public, max-age=3600"


# ---- public: the CA certificate and the CRL ----------------------------------------------------------

def _download(filename, cache):
    return {"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": cache}


def _authority():
    authority = ca.authority()
    if authority is None:  # made on first need, so the verify page can offer it from the start
        try:
            authority = ca.ensure_authority()
        except ca.NoOrganisation:
            abort(404)
        db.session.commit()
    return authority


@bp.get(ca.CA_DER_PATH)
def ca_der():
    return Response(_authority().certificate_der, mimetype="application/pkix-cert",
                    headers=_download("ca.crt", PUBLIC_CACHE))


@bp.get(ca.CA_PEM_PATH)
def ca_pem():
    pem = ca.certificate_of(_authority()).public_bytes(serialization.Encoding.PEM)
    return Response(pem, mimetype="application/x-pem-file",
                    headers=_download("ca.pem", PUBLIC_CACHE))


@bp.get(ca.CRL_PATH)
def crl():
    authority = _authority()
    if services.crl_is_stale(authority, margin_days=0):
        services.refresh_crl()
        db.session.commit()
    return Response(authority.crl_der, mimetype="application/pkix-crl",
                    headers=_download("crl.crl", "no-cache"))


# ---- the user's own signing page ---------------------------------------------------------------------

def _page(**forms):
    profile = queries.profile_of(current_user)
    defaults = {"set_pin_form": SetPinForm(prefix="set"), "change_pin_form": ChangePinForm(prefix="change"),
                "import_form": ImportPkcs12Form(prefix="p12"), "image_form": SignatureImageForm(prefix="img")}
    defaults.update(forms)
    return render_template("signing/account.html", profile=profile, status_labels=STATUS_LABELS,
                           status_badges=STATUS_BADGES, source_labels=SOURCE_LABELS,
                           certificate=queries.active_certificate(current_user),
                           pending=queries.pending_certificate(current_user),
                           history=queries.certificates_of(current_user),
                           image_max_kb=current_app.config["SIGNATURE_IMAGE_MAX_KB"], **defaults)


@bp.get("/account/signing")
@login_required
def account():
    return _page()


@bp.post("/account/signing/pin")
@login_required
def set_pin():
    form = SetPinForm(prefix="set")
    if not form.validate_on_submit():
        return _page(set_pin_form=form), 400
    if commit_or_flash(lambda: services.set_pin(current_actor(), current_user, pin=form.new_pin.data),
                       _l("Your signing PIN was set.")):
        return redirect(url_for("signing.account"))
    return _page(set_pin_form=form), 400


@bp.post("/account/signing/pin/change")
@login_required
def change_pin():
    form = ChangePinForm(prefix="change")
    if not form.validate_on_submit():
        return _page(change_pin_form=form), 400
    if commit_or_flash(lambda: services.change_pin(current_actor(), current_user, old_pin=form.old_pin.data,
                                                   new_pin=form.new_pin.data),
                       _l("Your signing PIN was changed.")):
        return redirect(url_for("signing.account"))
    return _page(change_pin_form=form), 400


@bp.post("/account/signing/import")
@login_required
def import_pkcs12():
    form = ImportPkcs12Form(prefix="p12")
    if not form.validate_on_submit():
        return _page(import_form=form), 400
    data = form.file.data.read(services.MAX_P12_BYTES + 1)
    if commit_or_flash(lambda: services.import_pkcs12(current_actor(), current_user, data=data,
                                                      password=form.file_password.data, pin=form.pin.data),
                       _l("The certificate was imported; you sign with it from now on.")):
        return redirect(url_for("signing.account"))
    return _page(import_form=form), 400


@bp.post("/account/signing/image")
@login_required
def upload_image():
    form = SignatureImageForm(prefix="img")
    if not form.validate_on_submit():
        return _page(image_form=form), 400
    limit = current_app.config["SIGNATURE_IMAGE_MAX_KB"] * 1024
    data = form.image.data.read(limit + 1)
    if commit_or_flash(lambda: services.set_signature_image(current_actor(), current_user, data=data,
                                                            max_bytes=limit),
                       _l("Your signature image was saved.")):
        return redirect(url_for("signing.account"))
    return _page(image_form=form), 400


@bp.post("/account/signing/image/remove")
@login_required
def remove_image():
    commit_or_flash(lambda: services.set_signature_image(current_actor(), current_user, data=None,
                                                         max_bytes=0),
                    _l("Your signature image was removed; letters show your typed name."))
    return redirect(url_for("signing.account"))


@bp.get("/account/signing/image")
@login_required
def image():
    profile = queries.profile_of(current_user)
    if profile is None or profile.signature_image is None:
        abort(404)
    return Response(profile.signature_image, mimetype=profile.signature_image_type,
                    headers={"Cache-Control": "private, no-store"})
