"""The public verify page (no login): anyone holding a letter signed here opens its QR code's address,
sees what the letter is, and checks the copy they received (issue 15 item 5)."""
from flask import Blueprint, redirect, render_template, url_for

from app.letters import queries, verification
from forms.letters import VerifyCodeForm, VerifyUploadForm

verify_bp = Blueprint("verify", __name__)


@verify_bp.route("/verify", methods=["GET", "POST"])
def find():
    form = VerifyCodeForm()
    if form.validate_on_submit():
        return redirect(url_for("verify.letter", code=form.code.data))
    return render_template("letters/verify_find.html", form=form)


@verify_bp.route("/verify/<code>", methods=["GET", "POST"])
def letter(code):
    found = queries.signed_revision_by_code(code)
    if found is None:
        return render_template("letters/verify_find.html", form=VerifyCodeForm(code=code), unknown=code), 404
    form, check = VerifyUploadForm(), None
    if form.validate_on_submit():
        check = verification.check_upload(found, form.file.data.stream)
    return render_template("letters/verify.html", facts=verification.public_facts(found),
                           form=form, check=check, ca_url=url_for("signing.ca_der"))
