"""R7 on the home page: each number is counted with the select of the list it opens, so they agree."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.followups import services as followups
from app.handling import services as handling
from app.handling.queries import open_handling
from app.routing import services as routing
from tests.factories import make_unit, make_user


@pytest.fixture
def org():
    a, b = make_unit(name_th="กองส่งแดชบอร์ด"), make_unit(name_th="กองรับแดชบอร์ด")
    return SimpleNamespace(a=a, b=b, clerk_a=make_user(unit=a, roles=("clerk",)),
                           clerk_b=make_user(unit=b, roles=("clerk",)),
                           head_b=make_user(unit=b, roles=("manager",), manager_level="division_head"),
                           operator_b=make_user(unit=b, roles=("operator",)))


def send_to_b(org, subject):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document = create_document(Actor(user=org.clerk_a), owner_unit=org.a,
                               details=DocumentDetails(type=external, subject=subject))
    [delivery] = routing.send(Actor(user=org.clerk_a), document, from_unit=org.a, to_units=[org.b])
    db.session.commit()
    return delivery


def tiles(client):
    page = client.get("/").get_data(as_text=True)
    return {key: int(count) for key, count in re.findall(
        r'data-testid="tile-([a-z_]+)">\s*<div[^>]*data-testid="tile-count">(\d+)</div>', page)}


def list_rows(client, path, marker):
    return client.get(path).get_data(as_text=True).count(marker)


def test_r7_a_clerks_numbers_match_the_lists_they_open(org, client, login):
    deliveries = [send_to_b(org, f"หนังสือแดชบอร์ด {n}") for n in range(3)]
    routing.mark_read(Actor(user=org.clerk_b), deliveries[0])
    handling.register_delivery(Actor(user=org.clerk_b), deliveries[1])
    followups.follow(org.clerk_b, deliveries[2].document)
    db.session.commit()

    login(client, org.clerk_b)
    numbers = tiles(client)
    assert numbers == {"new_arrivals": 1, "awaiting_registration": 2, "my_tasks": 3, "following": 1}
    inbox = client.get("/inbox").get_data(as_text=True)
    assert inbox.count("<tr") - 1 == numbers["awaiting_registration"]
    assert inbox.count("app-new-item") == numbers["new_arrivals"]
    assert list_rows(client, "/tasks", 'data-testid="task-row"') == numbers["my_tasks"]
    assert list_rows(client, "/following", 'data-testid="followed-row"') == numbers["following"]


def test_r7_a_manager_sees_how_many_wait_for_their_signature(org, client, login):
    delivery = send_to_b(org, "หนังสือรอลงนามแดชบอร์ด")
    handling.register_delivery(Actor(user=org.clerk_b), delivery)
    work = open_handling(delivery.document, org.b)
    handling.assign(Actor(user=org.clerk_b), work, operator=org.operator_b)
    handling.propose(Actor(user=org.operator_b), work, reviewer=org.head_b)
    db.session.commit()

    login(client, org.head_b)
    numbers = tiles(client)
    assert numbers["awaiting_signature"] == 1 == list_rows(client, "/signatures", 'data-testid="signature-row"')
    assert "new_arrivals" not in numbers  # not a clerk: no inbox numbers
