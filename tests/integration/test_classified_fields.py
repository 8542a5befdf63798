"""Issue 12 items 3-5 (R34): the fields of a classified document (เรื่อง, ที่, จาก, ถึง) are hidden from
a member of a unit it concerns who is not cleared, in every list, sort order, report and export, and
shown to the cleared clerk. One rule: app/documents/classified.py."""
import io
import shutil
import subprocess
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.followups import services as followups
from app.handling import services as handling
from app.notifications.cards import card
from app.registry import services as registry
from app.registry.models import Direction
from app.routing import services as routing
from app.search import criteria as criteria_module, queries as search, services as search_services
from tests.conftest import REQUIRE_SERVICES
from tests.factories import make_unit, make_user

SUBJECT = "แผนย้ายคลังอาวุธประจำจังหวัด"
DOC_NUMBER = "ลย 0023.3/ลับ 77"
FROM_TEXT = "กองอำนวยการรักษาความมั่นคงภายใน"
ADDRESSED_TO = "ผู้บัญชาการมณฑลทหารบกที่ 28"
HIDDEN_VALUES = (SUBJECT, DOC_NUMBER, FROM_TEXT, ADDRESSED_TO)
PLACEHOLDER = "(หนังสือลับมาก)"   # the product's placeholder for a hidden subject, in Thai
REPORT_PLACEHOLDER = "(ลับมาก)"   # the register's own, Thai whatever the reader's language


@pytest.fixture
def org():
    a, b = make_unit(name_th="กองคลังชั้นความลับ"), make_unit(name_th="กองช่างชั้นความลับ")
    org = SimpleNamespace(a=a, b=b, clerk_a=make_user(unit=a, roles=("clerk",)),
                          operator_a=make_user(unit=a, roles=("operator",)),
                          clerk_b=make_user(unit=b, roles=("clerk",)),
                          operator_b=make_user(unit=b, roles=("operator",)))
    org.secret = letter(org, SUBJECT, secrecy="secret", doc_number=DOC_NUMBER, from_text=FROM_TEXT,
                        addressed_to=ADDRESSED_TO)
    registry.issue_number(Actor(user=org.clerk_a), registry.default_register(a, Direction.SEND), org.secret)
    [org.delivery] = routing.send(Actor(user=org.clerk_a), org.secret, from_unit=a, to_units=[b])
    db.session.commit()
    return org


def letter(org, subject, **details):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    return create_document(Actor(user=org.clerk_a), owner_unit=org.a,
                           details=DocumentDetails(type=external, subject=subject, **details))


def register_at_b(org, delivery=None):
    handling.register_delivery(Actor(user=org.clerk_b), delivery or org.delivery)
    db.session.commit()


@pytest.fixture
def as_user(app, login):
    """A client logged in as `user`, its own session each time."""
    def logged_in(user):
        client = app.test_client()
        login(client, user)
        return client
    return logged_in


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def assert_hidden(text):
    for value in HIDDEN_VALUES:
        assert value not in text


def test_issue12_item3_sent_items_hide_the_subject_from_the_sending_units_other_members(as_user, org):
    assert_hidden(text := page(as_user(org.operator_a), "/sent"))
    assert PLACEHOLDER in text
    assert SUBJECT in page(as_user(org.clerk_a), "/sent")


def test_issue12_the_cleared_clerk_sees_the_subject_in_the_inbox_and_in_my_work(as_user, org):
    assert SUBJECT in page(as_user(org.clerk_b), "/inbox")
    register_at_b(org)
    assert SUBJECT in page(as_user(org.clerk_b), "/tasks")  # the triage task of the registered letter


def test_issue12_documents_dashboard_and_follow_up_lists_hide_every_field(as_user, org):
    register_at_b(org)
    followups.follow(org.operator_b, org.secret)
    db.session.commit()
    for url in ("/documents", f"/dashboard/open_work?unit={org.b.id}", "/following"):
        text = page(as_user(org.operator_b), url)
        assert_hidden(text)
        assert PLACEHOLDER in text, url
    for url in ("/documents", f"/dashboard/open_work?unit={org.b.id}"):
        text = page(as_user(org.clerk_b), url)
        assert SUBJECT in text and DOC_NUMBER in text, url


# ---- search: the page, the .xlsx and every sort order -----------------------------------------------------

def searched(user, **args):
    search_services.apply_pending("Asia/Bangkok")
    parsed = criteria_module.parse(MultiDict(args), this_year=date.today().year)
    return [(hit.document.id, hit.content_visible) for hit in search.search(user, parsed.criteria).hits]


@pytest.fixture
def probed(org):
    """Around the secret letter (subject แผน..., number ลย 0023.3/ลับ 77) a second secret one, and ordinary
    letters a unit member could write as probes, whose subjects and numbers fall before, between and after."""
    org.other_secret = letter(org, "กฎการเก็บรักษาอาวุธ", secrecy="secret", doc_number="ลย 0001/ลับ 1")
    org.probes = [letter(org, subject, doc_number=number) for subject, number in
                  (("ขอความอนุเคราะห์", "ลย 0010/5"), ("ฝึกซ้อมดับเพลิง", "ลย 0050/5"),
                   ("ฮ่องเต้เสด็จเยือน", "ลย 0099/5"))]
    for document in (org.other_secret, *org.probes):
        [delivery] = routing.send(Actor(user=org.clerk_a), document, from_unit=org.a, to_units=[org.b])
        register_at_b(org, delivery)
    register_at_b(org)
    return org


@pytest.mark.parametrize("sort", ["subject", "doc_number"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_issue12_item4_hidden_rows_sort_as_hidden_whatever_their_subject_or_number(probed, sort, direction):
    org = probed
    hits = searched(org.operator_b, sort=sort, dir=direction)
    hidden = [document_id for document_id, visible in hits if not visible]
    assert sorted(hidden) == sorted([org.secret.id, org.other_secret.id])
    positions = [i for i, (_, visible) in enumerate(hits) if not visible]
    # Their real keys fall apart (one before every probe, one between them); hidden, they sort together at
    # one end, so no probe can be placed between them or next to one to learn its key.
    assert positions in ([0, 1], [len(hits) - 2, len(hits) - 1])
    visible_order = [document_id for document_id, visible in hits if visible]
    probes = [p.id for p in org.probes]
    assert visible_order == (probes if direction == "asc" else probes[::-1])
    cleared = [document_id for document_id, _ in searched(org.clerk_b, sort=sort, dir=direction)]
    # แผน sorts under ผ, before ฝ
    by_key = [org.other_secret.id, probes[0], org.secret.id, probes[1], probes[2]]
    assert cleared == (by_key if direction == "asc" else by_key[::-1])  # the clerk's order is the real one


def test_issue12_search_page_and_xlsx_show_the_placeholder_only_to_the_uncleared(as_user, org):
    register_at_b(org)
    for sort in ("subject", "doc_number", "register"):
        text = page(as_user(org.operator_b), f"/search?sort={sort}")
        assert_hidden(text)
        assert PLACEHOLDER in text
    cells = xlsx_cells(as_user(org.operator_b).get("/search/export.xlsx?sort=subject"))
    assert PLACEHOLDER in cells and not cells & set(HIDDEN_VALUES)
    cells = xlsx_cells(as_user(org.clerk_b).get("/search/export.xlsx?sort=subject"))
    assert {SUBJECT, DOC_NUMBER, FROM_TEXT} <= cells


def xlsx_cells(response):
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    return {cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None}


# ---- register reports: the page, the .xlsx and the .pdf ------------------------------------------------

def report_url(register, suffix=""):
    return f"/reports/registers/{register.id}{suffix}?year={date.today().year}"


def pdf_text(response, tmp_path):
    if shutil.which("pdftotext") is None:
        if REQUIRE_SERVICES:
            pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
        pytest.skip("pdftotext is missing")
    path = tmp_path / "register.pdf"
    path.write_bytes(response.data)
    return "".join(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                  text=True).stdout.split())


@pytest.mark.parametrize("direction", [Direction.RECEIVE, Direction.SEND])
def test_issue12_item5_register_page_xlsx_and_pdf_hide_number_from_and_to(as_user, org, direction,
                                                                           tmp_path):
    register_at_b(org)
    unit, member, clerk = (org.b, org.operator_b, org.clerk_b) if direction == Direction.RECEIVE else \
        (org.a, org.operator_a, org.clerk_a)
    register = registry.default_register(unit, direction)
    hidden_party = FROM_TEXT if direction == Direction.RECEIVE else ADDRESSED_TO
    hidden = (SUBJECT, DOC_NUMBER, hidden_party)

    client = as_user(member)
    text = page(client, report_url(register))
    assert REPORT_PLACEHOLDER in text and not any(value in text for value in hidden)
    cells = xlsx_cells(client.get(report_url(register, "/register.xlsx")))
    assert REPORT_PLACEHOLDER in cells and not cells & set(hidden)
    text = pdf_text(client.get(report_url(register, "/register.pdf")), tmp_path)
    assert REPORT_PLACEHOLDER in text and not any("".join(value.split()) in text for value in hidden)

    client = as_user(clerk)
    text = page(client, report_url(register))
    assert all(value in text for value in hidden)
    assert set(hidden) <= xlsx_cells(client.get(report_url(register, "/register.xlsx")))


def test_issue12_line_cards_never_carry_a_classified_documents_fields(org):
    notice = SimpleNamespace(document=org.secret, event="arrival", from_unit=org.a, text=SUBJECT)
    sent = str(card(notice, "https://saraban.example"))
    assert not any(value in sent for value in HIDDEN_VALUES)
    assert "หนังสือชั้นความลับ" in sent
