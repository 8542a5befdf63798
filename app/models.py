"""Every model, imported in one place so metadata is complete for migrations and tests."""
from app.auth.models import LoginAttempt  # noqa: F401
from app.core.models import AuditEvent  # noqa: F401
from app.org.models import Delegation, Unit, User, UserRole  # noqa: F401
