"""The home page (R7): a person's numbers, a manager's table of the units below them with three charts, and
the list behind every number."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.i18n import current_locale
from app.core.thai_dates import format_date, today_local
from app.core.web import id_arg, page_arg
from app.dashboard import charts, queries
from app.dashboard.labels import (KIND_COLUMN_LABELS, PERIOD_LABELS, TILE_LABELS, UNIT_COLUMN_LABELS,
                                  list_description)
from app.org.queries import active_delegations_to, effective_roles

bp = Blueprint("dashboard", __name__)


def _period():
    """The period the page is read over (`?period=`, one of queries.PERIODS; the first when missing)."""
    choice = request.args.get("period")
    timezone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return queries.Period(today_local(timezone), current_app.config["DUE_SOON_DAYS"],
                          choice if choice in queries.PERIODS else queries.PERIODS[0], timezone)


@bp.get("/")
@login_required
def home():
    user = current_user._get_current_object()
    period = _period()
    return render_template("dashboard/home.html", roles=effective_roles(user),
                           tiles=queries.tiles(user, period), tile_names=TILE_LABELS,
                           acting_for=active_delegations_to(user), today=period.today, period=period,
                           periods=queries.PERIODS, period_names=PERIOD_LABELS, **_manager_view(user, period))


def _manager_view(user, period):
    """A manager's table of their units and the units below, and its charts; nothing for anyone else."""
    rows = queries.unit_table(user, period)
    if not rows:
        return {}
    locale = current_locale()
    weeks = charts.weekly({row.unit.id for row in rows}, period.today,
                          current_app.config["BABEL_DEFAULT_TIMEZONE"])
    median_chart, median_unit = charts.median_chart(weeks, locale)
    return {"unit_rows": rows, "unit_keys": queries.UNIT_KEYS, "column_names": UNIT_COLUMN_LABELS,
            "weeks": weeks, "registered_chart": charts.registered_chart(weeks, locale),
            "median_chart": median_chart, "median_unit": median_unit,
            "overdue_chart": charts.overdue_chart(rows, locale),
            "kind_rows": queries.kind_table(user, period), "kind_table": True, "kind_keys": queries.KIND_KEYS,
            "kind_names": KIND_COLUMN_LABELS}


@bp.get("/dashboard/<key>")
@login_required
def listing(key):
    page = page_arg(request.args)
    period = _period()
    unit_id, managed = id_arg(request.args, "unit"), request.args.get("units") == "managed"
    if unit_id is None and not managed and key in queries.ELSEWHERE:
        return redirect(url_for(queries.ELSEWHERE[key]))  # a person's own list of these is that page
    listed = queries.list_page(current_user._get_current_object(), key, unit_id, period, page,
                               managed=managed, type_id=id_arg(request.args, "type"))
    if listed is None:
        abort(404)
    locale = current_locale()
    title = TILE_LABELS[key] if listed.unit is None and not managed else UNIT_COLUMN_LABELS[key]
    return render_template("dashboard/list.html", listed=listed, period=period, title=title,
                           description=list_description(key, listed, period, lambda day: format_date(day, locale)))
