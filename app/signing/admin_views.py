"""Admin pages: every user's signing certificate; issue, renew, revoke; the organisation's electronic seal;
publish the CRL now."""
from flask import abort, redirect, render_template, request, url_for

from app.admin.views import bp
from app.core.messages import lazy_gettext as _l
from app.core.web import commit_or_flash, current_actor
from app.extensions import db
from app.org.models import User
from app.signing import ca, queries, seal, seal_services, services
from app.signing.labels import SOURCE_LABELS, STATUS_BADGES, STATUS_LABELS
from app.signing.models import SigningCertificate, SigningSeal
from forms.signing import RevokeForm


@bp.get("/signing")
def signing_certificates():
    text = request.args.get("q", "").strip()
    return render_template("signing/admin.html", rows=queries.admin_overview(text), text=text,
                           authority=ca.authority(), revoke_form=RevokeForm(),
                           status_labels=STATUS_LABELS, status_badges=STATUS_BADGES,
                           source_labels=SOURCE_LABELS, seal_readiness=seal.seal_ready(),
                           seal_history=queries.seal_history())


@bp.post("/signing/users/<int:user_id>/issue")
def signing_issue(user_id):
    user = db.session.get(User, user_id) or abort(404)
    commit_or_flash(lambda: services.issue_certificate(current_actor(), user),
                    _l("The certificate was issued (or waits for the user to set a signing PIN)."))
    return redirect(url_for("admin.signing_certificates"))


@bp.post("/signing/certificates/<int:certificate_id>/renew")
def signing_renew(certificate_id):
    certificate = db.session.get(SigningCertificate, certificate_id) or abort(404)
    commit_or_flash(lambda: services.renew_certificate(current_actor(), certificate),
                    _l("The certificate was renewed."))
    return redirect(url_for("admin.signing_certificates"))


@bp.post("/signing/certificates/<int:certificate_id>/revoke")
def signing_revoke(certificate_id):
    certificate = db.session.get(SigningCertificate, certificate_id) or abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: services.revoke_certificate(current_actor(), certificate,
                                                            reason=form.reason.data, note=form.note.data),
                        _l("The certificate was revoked and the CRL published."))
    return redirect(url_for("admin.signing_certificates"))


@bp.post("/signing/crl")
def signing_refresh_crl():
    commit_or_flash(lambda: services.refresh_crl(), _l("A new CRL was published."))
    return redirect(url_for("admin.signing_certificates"))


# ---- the organisation's electronic seal (หนังสือประทับตรา) -------------------------------------------

@bp.post("/signing/seal/issue")
def signing_seal_issue():
    commit_or_flash(lambda: seal_services.issue_seal(current_actor()),
                    _l("The organisation's electronic seal was issued."))
    return redirect(url_for("admin.signing_certificates", _anchor="seal"))


@bp.post("/signing/seal/<int:seal_id>/renew")
def signing_seal_renew(seal_id):
    row = db.session.get(SigningSeal, seal_id) or abort(404)
    commit_or_flash(lambda: seal_services.renew_seal(current_actor(), row),
                    _l("The organisation's electronic seal was renewed."))
    return redirect(url_for("admin.signing_certificates", _anchor="seal"))


@bp.post("/signing/seal/<int:seal_id>/revoke")
def signing_seal_revoke(seal_id):
    row = db.session.get(SigningSeal, seal_id) or abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: seal_services.revoke_seal(current_actor(), row, reason=form.reason.data,
                                                          note=form.note.data),
                        _l("The organisation's electronic seal was revoked and the CRL published."))
    return redirect(url_for("admin.signing_certificates", _anchor="seal"))
