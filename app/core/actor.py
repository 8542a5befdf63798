"""The person behind a change, passed explicitly to services (they never read the request)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object | None  # app.org.models.User; None for system jobs
    address: str = ""
    request_id: str = ""
    acting_for: object | None = None

    @classmethod
    def system(cls, label="system"):
        return cls(user=None, address=label)

    @property
    def user_id(self):
        return self.user.id if self.user is not None else None
