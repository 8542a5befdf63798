"""Names of the org chart's codes as people read them, in the user's language."""
from app.core.messages import lazy_gettext as _l

UNIT_KIND_LABELS = {
    "organisation": _l("Organisation"),
    "group": _l("Unit group"),
    "division": _l("Division (กอง/สำนัก)"),
    "section": _l("Section (ฝ่าย/งาน)"),
}
ROLE_LABELS = {
    "clerk": _l("Registry clerk"),
    "operator": _l("Operator"),
    "manager": _l("Manager"),
    "admin": _l("Administrator"),
}
MANAGER_LEVEL_LABELS = {
    "section_head": _l("Head of section"),
    "division_head": _l("Director of division"),
    "deputy_chief": _l("Deputy Permanent Secretary"),
    "chief": _l("Permanent Secretary"),
    "deputy_mayor": _l("Deputy Chief Executive"),
    "mayor": _l("Chief Executive"),
}


def init_app(app):
    @app.context_processor
    def org_labels():
        from flask_login import current_user

        from app.org.queries import holds_any_role

        is_admin = current_user.is_authenticated and holds_any_role(current_user, ("admin",))
        return {"unit_kind_names": UNIT_KIND_LABELS, "role_names": ROLE_LABELS,
                "level_names": MANAGER_LEVEL_LABELS, "is_admin": is_admin}
