"""The migrations build exactly the schema the models describe, on MariaDB and on SQLite."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db


def schema_differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


def test_mariadb_schema_built_by_migrations_matches_the_models(db_session):
    assert schema_differences(db.session.connection()) == []


@pytest.mark.own_database
def test_sqlite_schema_built_by_migrations_matches_the_models_and_downgrades(tmp_path):
    app = create_app(environ={"DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert schema_differences(connection) == []
        downgrade(revision="base")
        upgrade()
        with db.engine.connect() as connection:
            assert schema_differences(connection) == []
