"""R7 for one person: the numbers on the home page, each counted with the same select as the list it opens."""
from dataclasses import dataclass

from sqlalchemy import func, select

from app.documents.queries import clerk_units
from app.extensions import db
from app.followups.queries import followed_documents
from app.handling.queries import awaiting_signature_query
from app.org.models import Role
from app.org.queries import holds_any_role
from app.routing.models import DeliveryStatus
from app.routing.queries import my_tasks_query, waiting_deliveries


@dataclass(frozen=True)
class Tile:
    key: str
    count: int
    endpoint: str


def tiles(user):
    clerk_unit_ids = [unit.id for unit in clerk_units(user)]
    result = []
    if clerk_unit_ids:
        result += [Tile("new_arrivals", _count(waiting_deliveries(clerk_unit_ids, (DeliveryStatus.SENT,))),
                        "routing.inbox"),
                   Tile("awaiting_registration", _count(waiting_deliveries(clerk_unit_ids)), "routing.inbox")]
    result.append(Tile("my_tasks", _count(my_tasks_query(user)), "routing.my_work"))
    if holds_any_role(user, {Role.MANAGER}):
        result.append(Tile("awaiting_signature", _count(awaiting_signature_query(user)), "handling.signatures"))
    result.append(Tile("following", _count(followed_documents(user)), "followups.index"))
    return result


def _count(query):
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
