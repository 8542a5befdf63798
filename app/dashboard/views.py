from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.core.thai_dates import today_local
from app.dashboard.labels import TILE_LABELS
from app.dashboard.queries import tiles
from app.org.queries import active_delegations_to, effective_roles

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def home():
    user = current_user._get_current_object()
    return render_template("dashboard/home.html", roles=effective_roles(user), tiles=tiles(user), tile_names=TILE_LABELS,
                           acting_for=active_delegations_to(user), today=today_local())
