"""The search page (R25–R27, R32, R34) and its .xlsx download. Searches are GET requests, so a search can be
bookmarked, shared, paged and exported as it stands."""
from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.i18n import current_locale
from app.core.thai_dates import today_local
from app.documents.labels import SECRECY_LABELS, SPEED_LABELS
from app.documents.queries import category_choices, document_type_choices
from app.extensions import db
from app.org.models import Unit
from app.reports.views import content_disposition
from app.search import criteria as criteria_module, queries, services, xlsx
from app.search.rows import result_row
from app.search.labels import FIELD_LABELS, JOINER_LABELS, SORT_LABELS, STATUS_LABELS

bp = Blueprint("search", __name__)
YEARS_SHOWN = 11


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/search")
def index():
    parsed, page = _run(lambda criteria: queries.search(current_user, criteria))
    rows = [result_row(hit, current_locale(), current_app.config["BABEL_DEFAULT_TIMEZONE"])
            for hit in page.hits] if page else []
    return render_template("search/index.html", criteria=parsed.criteria, errors=parsed.errors, page=page,
                           rows=rows, advanced_rows=_advanced_rows(), url_with=_url_with,
                           sort_url=lambda key: _sort_url(parsed.criteria, key), **_choices())


def _url_with(endpoint="search.index", **changes):
    """This search's URL with some arguments changed (another page, the export)."""
    args = request.args.copy()
    for name, value in changes.items():
        args.setlist(name, [value])
    return url_for(endpoint, **args.to_dict(flat=False))


def _sort_url(criteria, key):
    """Sorted by `key`; clicking the column it is already sorted by turns the order round."""
    descending = not criteria.descending if criteria.sort == key else key in ("register", "received", "dated")
    return _url_with(sort=key, dir="desc" if descending else "asc", page=1)


def _advanced_rows():
    """The condition rows as typed, plus one empty row to add another."""
    fields, values, joiners = request.args.getlist("c"), request.args.getlist("v"), request.args.getlist("j")
    rows = [(fields[i], values[i], joiners[i - 1] if 0 < i <= len(joiners) else "and")
            for i in range(min(len(fields), len(values))) if values[i].strip()]
    return rows + [("subject", "", "and")]


@bp.get("/search/export.xlsx")
def export():
    parsed, chunks = _run(lambda criteria: queries.export_rows(current_user, criteria))
    if parsed.errors:
        return index()
    content = xlsx.results_workbook(chunks, locale=current_locale(),
                                    timezone_name=current_app.config["BABEL_DEFAULT_TIMEZONE"])
    response = Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = content_disposition(ascii_name="search-results.xlsx",
                                                                  name="ผลการค้นหาหนังสือ.xlsx")
    return response


def _run(action):
    """Bring the search rows up to date, read the criteria, and run `action` on them unless they are bad."""
    timezone_name = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    db.session.commit()  # the rows are worked out in fresh transactions, which see every committed change
    services.apply_pending(timezone_name)
    parsed = criteria_module.parse(request.args, this_year=today_local(timezone_name).year,
                                   timezone_name=timezone_name)
    if parsed.errors:
        return parsed, None
    try:
        return parsed, action(parsed.criteria)
    except criteria_module.CriteriaError as error:
        parsed.errors.append(error.args[0])
        return parsed, None


def _all_units():
    return db.session.scalars(select(Unit).where(Unit.is_active.is_(True)).order_by(Unit.sort_order, Unit.id))


def _choices():
    units = db.session.scalars(select(Unit).where(Unit.id.in_(queries.searchable_units(current_user)))
                               .order_by(Unit.sort_order, Unit.id)).all()
    this_year = today_local(current_app.config["BABEL_DEFAULT_TIMEZONE"]).year
    return dict(units=units, years=range(this_year, this_year - YEARS_SHOWN, -1),
                type_choices=document_type_choices(), category_choices=category_choices(),
                owner_choices=[(unit.id, unit.name(current_locale())) for unit in _all_units()],
                status_labels=STATUS_LABELS, speed_labels=SPEED_LABELS, secrecy_labels=SECRECY_LABELS,
                field_labels=FIELD_LABELS, joiner_labels=JOINER_LABELS, sort_labels=SORT_LABELS)
