"""`flask demo load` gives a newcomer three months of letters in every state, so each role has real work on
their home page at once (issue 14 item 8), and it still loads only into an empty database."""
import re
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.thai_dates import to_local, today_local
from app.documents.models import Document
from app.extensions import db
from app.handling.models import Handling, HandlingNote, HandlingStatus
from app.letters import verification
from app.letters.models import Letter
from app.org.demo import DEMO_PASSWORD
from app.registry.models import Register, RegisterEntry
from app.routing.models import Delivery

FINISHED = (HandlingStatus.CLOSED, HandlingStatus.FORWARDED, HandlingStatus.DISPATCHED,
            HandlingStatus.WITHDRAWN)
TIMEZONE = "Asia/Bangkok"
# The home page tiles that mean "something for me to do or to look at".
WORK_TILES = ("new_arrivals", "awaiting_registration", "my_tasks", "awaiting_signature", "signed", "returned",
              "overdue")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_the_demo_has_letters_in_every_state_and_loads_once(cli, client, login):
    result = cli("demo", "load")
    assert result.exit_code == 0, result.output
    letters = db.session.scalar(select(func.count(Document.id)))
    assert 60 <= letters <= 120 and f"{letters} letters" in result.output

    deliveries = Counter(db.session.scalars(select(Delivery.status)))
    assert {"sent", "read", "registered", "returned", "recalled"} <= {k for k, n in deliveries.items() if n}
    handlings = Counter(db.session.scalars(select(Handling.status)))
    assert {"new", "with_manager", "in_progress", "awaiting_signature", "signed", "sent_back", "done",
            "closed", "forwarded", "dispatched"} <= set(handlings)
    assert handlings["closed"] >= 10 and deliveries["sent"] >= 5
    today = today_local()
    overdue = db.session.scalar(select(func.count(Handling.id)).join(Document).where(
        Handling.status.not_in(FINISHED), Document.due_date < today))
    assert overdue >= 3
    assert db.session.scalar(select(func.count(HandlingNote.id)).where(HandlingNote.kind == "progress")) >= 5
    kinds = Counter(db.session.scalars(select(Document.speed)))
    assert kinds["normal"] > letters / 2 and sum(kinds.values()) - kinds["normal"] >= 3
    assert db.session.scalar(select(func.count(Document.id)).where(Document.secrecy != "normal")) >= 1
    circular = db.session.scalar(select(Document).join(RegisterEntry).join(Register)
                                 .where(Register.code == "circular").limit(1))
    assert "/ว " in circular.doc_number

    # Dated on working days over the last three months, numbered in the order they came
    entries = db.session.scalars(select(RegisterEntry)
                                 .order_by(RegisterEntry.register_id, RegisterEntry.number))
    by_register = {}
    for entry in entries:
        by_register.setdefault(entry.register_id, []).append(entry.created_at)
    assert all(times == sorted(times) for times in by_register.values())
    days = {to_local(at, TIMEZONE).date() for times in by_register.values() for at in times}
    assert all(day.weekday() < 5 and day < today for day in days)
    assert min(days) < today - timedelta(days=60) and max(days) > today - timedelta(days=10)

    # Each role finds work on the home page
    for username in ("saraban", "chief", "finance.director", "finance.clerk", "palad.officer", "palad.head",
                     "engineering.clerk"):
        client.post("/logout")
        assert login(client, username, DEMO_PASSWORD).status_code == 302
        home = client.get("/").get_data(as_text=True)
        tiles = dict(re.findall(r'data-testid="tile-(\w+)".*?data-testid="tile-count">(\d+)<', home, re.S))
        assert sum(int(tiles.get(key, 0)) for key in WORK_TILES) >= 1, (username, tiles)

    # Issue 15: letters written in the system, of several kinds, signed and valid; one awaits the chief
    letters_written = db.session.scalars(select(Letter)).all()
    signed = [letter for letter in letters_written if letter.is_signed]
    assert {letter.signed_revision.kind for letter in signed} >= {"external", "memo", "stamped", "order"}
    assert all(verification.attachment_report(letter.signed_attachment).all_valid for letter in signed)
    [cosigned] = [letter for letter in signed if letter.current.cosigner_ids]
    assert not cosigned.awaits_cosignatures and cosigned.document.first_sent_at is not None
    assert len(verification.attachment_report(cosigned.signed_attachment).signatures) == 2
    waiting = [letter for letter in letters_written if not letter.is_signed]
    assert [letter.current.kind for letter in waiting] == ["announcement"]
    client.post("/logout")
    login(client, "chief", DEMO_PASSWORD)
    assert "PIN" in client.get("/signatures").get_data(as_text=True)

    again = cli("demo", "load")
    assert "not loaded" in again.output
    assert db.session.scalar(select(func.count(Document.id))) == letters
