"""e-Saraban: the application factory."""
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import load_config
from app.core import errors, i18n, jobs, request_log, security
from app.extensions import babel, csrf, db, login_manager, migrate

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


def create_app(config=None, environ=None):
    """`config` overrides settings after they are read from `environ` (tests pass their own)."""
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH") or str(Path.cwd() / "instance"))
    app.config.update(load_config(environ, app.instance_path))
    app.config.update(config or {})
    request_log.configure_logging(app.config["LOG_LEVEL"])
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=1, x_host=1)

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app):
    from app import models  # noqa: F401  every model registered before migrations compare them
    from app.auth import session
    from app.documents import labels as document_labels
    from app.org import labels
    from app.handling import labels as handling_labels
    from app.notifications import labels as notification_labels
    from app.routing import labels as routing_labels
    from app.search import labels as search_labels
    from app.search import services as search_services  # noqa: F401  its flush listener marks changed documents

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    session.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    document_labels.init_app(app)
    routing_labels.init_app(app)
    handling_labels.init_app(app)
    notification_labels.init_app(app)
    search_labels.init_app(app)
    jobs.init_app(app)
    security.init_app(app)
    request_log.init_app(app)
    errors.init_app(app)


def _register_blueprints(app):
    from app.admin.views import bp as admin_bp
    from app.attachments.views import bp as attachments_bp
    from app.admin import line_views, settings_views, status_views  # noqa: F401  their routes join the admin blueprint
    from app.auth.views import bp as auth_bp
    from app.core.views import bp as core_bp
    from app.dashboard.views import bp as dashboard_bp
    from app.documents import views as documents_views
    from app.followups.views import bp as followups_bp
    from app.handling.views import bp as handling_bp
    from app.letters.views import bp as letters_bp
    from app.letters.public_views import verify_bp
    from app.notifications.views import bp as notifications_bp
    from app.routing.views import bp as routing_bp
    from app.reports.views import bp as reports_bp
    from app.search.views import bp as search_bp
    from app.letters import admin_views as letters_admin_views  # noqa: F401  its routes join the admin blueprint
    from app.signing import admin_views  # noqa: F401  its routes join the admin blueprint
    from app.workflow import admin_views as workflow_admin_views  # noqa: F401  joins the admin blueprint
    from app.workflow import editor_views  # noqa: F401  joins the admin blueprint
    from app.workflow import migration_views  # noqa: F401  joins the admin blueprint
    from app.signing.views import bp as signing_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(documents_views.bp)
    documents_views.init_app(app)
    app.register_blueprint(routing_bp)
    app.register_blueprint(handling_bp)
    app.register_blueprint(letters_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(followups_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(signing_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(reports_bp, url_prefix="/reports")


def _register_cli(app):
    from app.core.cli import audit_cli
    from app.ops.cli import OPERATIONS
    from app.org.cli import demo_cli, org_cli, users_cli
    from app.search.cli import search_cli
    from app.signing.cli import signing_cli

    app.cli.add_command(org_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(signing_cli)
    for command in OPERATIONS:
        app.cli.add_command(command)
