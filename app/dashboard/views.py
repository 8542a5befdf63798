"""The home page (R7): a person's numbers, a manager's table of the units below them with three charts, and
the list behind every number."""
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from app.core.i18n import current_locale
from app.core.thai_dates import format_date, today_local
from app.dashboard import charts, queries
from app.dashboard.labels import TILE_LABELS, UNIT_COLUMN_LABELS, list_description
from app.org.queries import active_delegations_to, effective_roles

bp = Blueprint("dashboard", __name__)


def _period():
    return queries.Period(today_local(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
                          current_app.config["DUE_SOON_DAYS"])


@bp.get("/")
@login_required
def home():
    user = current_user._get_current_object()
    period = _period()
    return render_template("dashboard/home.html", roles=effective_roles(user),
                           tiles=queries.tiles(user, period), tile_names=TILE_LABELS,
                           acting_for=active_delegations_to(user), today=period.today,
                           **_manager_view(user, period))


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
            "overdue_chart": charts.overdue_chart(rows, locale)}


@bp.get("/dashboard/<key>")
@login_required
def listing(key):
    page = max(1, request.args.get("page", 1, type=int))
    period = _period()
    listed = queries.list_page(current_user._get_current_object(), key, request.args.get("unit", type=int),
                               period, page)
    if listed is None:
        abort(404)
    soon_until = format_date(period.soon_until, current_locale())
    return render_template("dashboard/list.html", listed=listed,
                           title=UNIT_COLUMN_LABELS[key] if listed.unit else TILE_LABELS[key],
                           description=list_description(key, soon_until))
