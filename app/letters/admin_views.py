"""Admin page for the organisation's letterhead: address and contact lines, font, digits, era, emblem."""
from flask import Response, redirect, render_template, url_for

from app.admin.views import bp
from app.core.messages import lazy_gettext as _l
from app.core.security import FRAMED_BY_OWN_PAGES
from app.core.web import commit_or_flash, current_actor
from app.letters import fonts, queries, render, services
from forms.letters import LetterheadForm

FIELDS = ("address", "phone", "fax", "email", "font_family", "thai_digits", "buddhist_era")


@bp.route("/letterhead", methods=["GET", "POST"])
def letterhead():
    current = queries.letterhead()
    form = LetterheadForm(obj=current)
    form.font_family.choices = [(name, name) for name in fonts.available()]
    if form.validate_on_submit():
        upload = form.garuda.data
        data = upload.read() if upload and getattr(upload, "filename", "") else None
        if commit_or_flash(lambda: services.save_letterhead(
                current_actor(), values={name: getattr(form, name).data for name in FIELDS}, garuda=data,
                remove_garuda=form.remove_garuda.data), _l("The letterhead was saved.")):
            return redirect(url_for("admin.letterhead"))
    return render_template("letters/letterhead.html", form=form, letterhead=current)


@bp.get("/letterhead/sample.pdf")
def letterhead_sample():
    """An external letter with sample text in the saved letterhead, to see it before anyone writes one."""
    return Response(render.render_pdf(queries.sample_content(), queries.letterhead()), mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="sample.pdf"', **FRAMED_BY_OWN_PAGES})
