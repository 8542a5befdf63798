"""Flask-WTF forms, one module per feature: declarative, no database access (views supply choices)."""
