"""Register reports: the list of registers a user may report on, the report page, and its downloads."""
import re
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required

from app.core.thai_dates import today_local
from app.extensions import db
from app.registry.models import NO_YEAR, Register
from app.reports import queries
from app.reports.xlsx import register_workbook

bp = Blueprint("reports", __name__)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EARLIEST_YEAR, LATEST_YEAR = 1950, 2500  # CE; anything else in ?year= is a mistake, not a register year


@bp.get("/")
@login_required
def index():
    this_year = _this_year()
    registers = [(register, queries.report_years(register, this_year))
                 for register in queries.reportable_registers(current_user)]
    return render_template("reports/index.html", registers=registers, year_label=queries.year_label)


@bp.get("/registers/<int:register_id>")
@login_required
def register_report(register_id):
    register, year = _register_and_year(register_id)
    return render_template("reports/register.html", register=register, year=year,
                           years=queries.report_years(register, _this_year()), year_label=queries.year_label,
                           report=queries.register_report(register, year, current_user))


@bp.get("/registers/<int:register_id>/register.xlsx")
@login_required
def register_report_xlsx(register_id):
    register, year = _register_and_year(register_id)
    report = queries.register_report(register, year, current_user)
    return _download(register_workbook(report), XLSX_TYPE, register, report, "xlsx")


@bp.get("/registers/<int:register_id>/register.pdf")
@login_required
def register_report_pdf(register_id):
    from app.reports.pdf import register_pdf  # WeasyPrint takes a second to load Pango: only PDFs wait for it

    register, year = _register_and_year(register_id)
    report = queries.register_report(register, year, current_user)
    return _download(register_pdf(report), "application/pdf", register, report, "pdf")


def _register_and_year(register_id):
    """The register, if the user may see it (404 otherwise, so others' registers are not revealed), and
    the year asked for: this year by default, the one "year" of a register that never restarts."""
    register = db.session.get(Register, register_id)
    if register is None or not queries.may_open(current_user, register):
        abort(404)
    if not register.yearly_reset:
        return register, NO_YEAR
    year = request.args.get("year", type=int)
    return register, year if year is not None and EARLIEST_YEAR <= year <= LATEST_YEAR else _this_year()


def _this_year():
    return today_local(current_app.config["BABEL_DEFAULT_TIMEZONE"]).year


def _download(content, mimetype, register, report, extension):
    response = Response(content, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-store"  # a register names people and letters: keep no copies
    ascii_parts = (register.unit.code, register.code, report.year_label)
    response.headers["Content-Disposition"] = content_disposition(
        ascii_name="-".join(["register", *map(_ascii, ascii_parts)]) + f".{extension}",
        name=f"{report.register_name} {report.unit_name} {report.year_label}.{extension}")
    return response


def content_disposition(*, ascii_name, name):
    """An attachment with an ASCII file name for old clients and the real (Thai) one in RFC 5987 form."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name)
    return f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(name, safe="")}'


def _ascii(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "all"
