"""R7 on the home page: each number is counted with the select of the list it opens, so they agree.

Unit A sends letters to unit B (a กอง) and to its section S below it. B's clerk registers them, B's operator
works on them and B's head signs. What people notice: the numbers on their home page, the rows of the list
each number opens, a manager's table of their units with its charts, and subjects of classified letters
hidden from those who may not read them.
"""
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.core.thai_dates import buddhist_year, today_local
from app.dashboard import charts, queries
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.followups import services as followups
from app.handling import services as handling
from app.handling.queries import open_handling
from app.registry.models import RegisterEntry
from app.routing import services as routing
from tests.factories import make_unit, make_user

ROW = 'data-testid="dashboard-row"'
WEEK_ROW = r'<tr><th scope="row"[^>]*>[^<]*</th>\s*<td[^>]*>(\d+)</td><td[^>]*>([^<]*)</td>'  # registered, timed
CLASSIFIED = "(หนังสือลับมาก)"  # "(classified: secret)" as the Thai page says it


@pytest.fixture
def org():
    a, b = make_unit(name_th="กองส่งแดชบอร์ด"), make_unit(name_th="กองรับแดชบอร์ด")
    s = make_unit(name_th="ฝ่ายย่อยแดชบอร์ด", kind="section", parent=b)
    return SimpleNamespace(a=a, b=b, s=s, clerk_a=make_user(unit=a, roles=("clerk",)),
                           clerk_b=make_user(unit=b, roles=("clerk",)),
                           head_b=make_user(unit=b, roles=("manager",), manager_level="division_head"),
                           operator_b=make_user(unit=b, roles=("operator",)),
                           clerk_s=make_user(unit=s, roles=("clerk",)),
                           head_a=make_user(unit=a, roles=("manager",), manager_level="division_head"))


@pytest.fixture
def today(app):
    return today_local(app.config["BABEL_DEFAULT_TIMEZONE"])


def letter(owner, sender, subject, due_date=None, secrecy="normal"):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    details = DocumentDetails(type=external, subject=subject, due_date=due_date, secrecy=secrecy)
    return create_document(Actor(user=sender), owner_unit=owner, details=details)


def send_to_b(org, subject, due_date=None, to=None):
    document = letter(org.a, org.clerk_a, subject, due_date)
    [delivery] = routing.send(Actor(user=org.clerk_a), document, from_unit=org.a, to_units=[to or org.b])
    db.session.commit()
    return delivery


def arrive(org, subject, due_date=None, *, to=None, clerk=None, secrecy="normal"):
    """A letter from A registered by the receiving clerk: the unit's work on it has begun."""
    unit = to or org.b
    document = letter(org.a, org.clerk_a, subject, due_date, secrecy)
    [delivery] = routing.send(Actor(user=org.clerk_a), document, from_unit=org.a, to_units=[unit])
    handling.register_delivery(Actor(user=clerk or org.clerk_b), delivery)
    db.session.commit()
    return open_handling(document, unit)


def signed(org, subject):
    work = arrive(org, subject)
    handling.assign(Actor(user=org.clerk_b), work, operator=org.operator_b)
    handling.propose(Actor(user=org.operator_b), work, reviewer=org.head_b)
    handling.sign(Actor(user=org.head_b), work)
    db.session.commit()
    return work


def returned_to_b(org, subject):
    """B sends a letter to A, and A's clerk returns it."""
    document = letter(org.b, org.clerk_b, subject)
    [delivery] = routing.send(Actor(user=org.clerk_b), document, from_unit=org.b, to_units=[org.a])
    routing.return_to_sender(Actor(user=org.clerk_a), delivery, "ไม่ใช่เรื่องของหน่วยงานนี้")
    db.session.commit()
    return delivery


def tiles(client):
    page = client.get("/").get_data(as_text=True)
    return {key: int(count) for key, count in re.findall(
        r'data-testid="tile-([a-z_]+)">\s*<div[^>]*data-testid="tile-count">(\d+)</div>', page)}


def tile_links(client):
    page = client.get("/").get_data(as_text=True)
    return dict((key, href) for href, key in re.findall(r'href="([^"]+)" data-testid="tile-([a-z_]+)"', page))


def unit_cells(client):
    """{unit id: {column: (number, link)}} from a manager's table."""
    page = client.get("/").get_data(as_text=True)
    table = {}
    for unit_id, row in re.findall(r'<tr data-testid="unit-row" data-unit-id="(\d+)">(.*?)</tr>', page, re.S):
        table[int(unit_id)] = {key: (int(count), href) for href, key, count in re.findall(
            r'href="([^"]+)" data-testid="cell-([a-z_]+)"\s*aria-label="[^"]*">(\d+)</a>', row)}
    return table


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
    assert numbers == {"new_arrivals": 1, "awaiting_registration": 2, "my_tasks": 3, "following": 1,
                       "signed": 0, "returned": 0, "overdue": 0, "due_soon": 0}
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


def test_r7_signed_returned_overdue_and_due_soon_match_their_lists(org, client, login, today):
    soon_days = client.application.config["DUE_SOON_DAYS"]
    arrive(org, "เกินกำหนดเมื่อวาน", today - timedelta(days=1))
    arrive(org, "ครบกำหนดวันนี้", today)
    arrive(org, "ครบกำหนดในช่วงใกล้", today + timedelta(days=soon_days))
    arrive(org, "ยังไม่ใกล้กำหนด", today + timedelta(days=soon_days + 1))
    finished = arrive(org, "เกินกำหนดแต่ปิดงานแล้ว", today - timedelta(days=3))
    handling.close(Actor(user=org.clerk_b), finished)
    signed(org, "ผู้อำนวยการลงนามแล้ว")
    returned_to_b(org, "หนังสือถูกตีกลับ")
    dealt_with = returned_to_b(org, "ตีกลับแล้วส่งใหม่")
    routing.send(Actor(user=org.clerk_b), dealt_with.document, from_unit=org.b, to_units=[org.a])
    db.session.commit()

    login(client, org.clerk_b)
    numbers = tiles(client)
    assert {key: numbers[key] for key in ("signed", "returned", "overdue", "due_soon")} == {
        "signed": 1, "returned": 1, "overdue": 1, "due_soon": 2}
    links = tile_links(client)
    expected_subjects = {"signed": ["ผู้อำนวยการลงนามแล้ว"], "returned": ["หนังสือถูกตีกลับ"],
                         "overdue": ["เกินกำหนดเมื่อวาน"],
                         "due_soon": ["ครบกำหนดวันนี้", "ครบกำหนดในช่วงใกล้"]}
    for key, subjects in expected_subjects.items():
        page = client.get(links[key]).get_data(as_text=True)
        assert page.count(ROW) == numbers[key], key
        assert all(subject in page for subject in subjects), key
    overdue = client.get(links["overdue"]).get_data(as_text=True)
    assert "ปิดงานแล้ว" not in overdue and "ยังไม่ใกล้กำหนด" not in overdue
    assert str(buddhist_year(today - timedelta(days=1))) in overdue  # the due date, in the Buddhist Era
    assert "ตีกลับแล้วส่งใหม่" not in client.get(links["returned"]).get_data(as_text=True)


def test_r7_overdue_and_due_soon_are_decided_by_the_due_date(org):
    day = today_local()
    for offset in (-2, -1, 0, 1, 2):
        arrive(org, f"กำหนด {offset:+d} วัน", day + timedelta(days=offset))
    people = queries.personal_scope(org.clerk_b, "overdue")

    def subjects(key, soon_days):
        period = queries.Period(day, soon_days)
        listed = queries.list_page(org.clerk_b, key, None, period)
        assert listed.total == queries._count(queries.MEASURES[key].build(people, period))
        return sorted(row.document.subject for row in listed.rows)

    assert subjects("overdue", 1) == ["กำหนด -1 วัน", "กำหนด -2 วัน"]
    assert subjects("due_soon", 1) == ["กำหนด +0 วัน", "กำหนด +1 วัน"]
    assert subjects("due_soon", 0) == ["กำหนด +0 วัน"]
    assert subjects("due_soon", 2) == ["กำหนด +0 วัน", "กำหนด +1 วัน", "กำหนด +2 วัน"]
    assert subjects("overdue", 2) == ["กำหนด -1 วัน", "กำหนด -2 วัน"]


def test_r7_work_given_to_a_person_counts_on_their_own_page_wherever_it_is(org, client, login, today):
    """The operator of a section works on B's letter: it is overdue on their page too."""
    operator_s = make_user(unit=org.s, roles=("operator",))
    work = arrive(org, "มอบให้ผู้ปฏิบัติในฝ่าย", today - timedelta(days=2))
    handling.assign(Actor(user=org.clerk_b), work, operator=operator_s)
    db.session.commit()

    login(client, operator_s)
    assert tiles(client)["overdue"] == 1
    assert "มอบให้ผู้ปฏิบัติในฝ่าย" in client.get("/dashboard/overdue").get_data(as_text=True)


def test_r7_a_manager_sees_each_unit_below_and_every_number_opens_its_list(org, client, login, today):
    arrive(org, "กองเกินกำหนด", today - timedelta(days=1))
    arrive(org, "กองใกล้กำหนด", today)
    arrive(org, "ฝ่ายเกินกำหนด 1", today - timedelta(days=5), to=org.s, clerk=org.clerk_s)
    arrive(org, "ฝ่ายเกินกำหนด 2", today - timedelta(days=1), to=org.s, clerk=org.clerk_s)
    send_to_b(org, "ฝ่ายยังไม่ลงรับ", to=org.s)
    signed(org, "ลงนามแล้วในกอง")
    returned_to_b(org, "กองถูกตีกลับ")

    login(client, org.head_b)
    table = unit_cells(client)
    assert list(table) == [org.b.id, org.s.id]  # the division, then its section; not unit A
    assert table[org.b.id]["overdue"][0] == 1 and table[org.s.id]["overdue"][0] == 2
    assert table[org.s.id]["awaiting_registration"][0] == 1 == table[org.s.id]["new_arrivals"][0]
    assert table[org.b.id]["signed"][0] == 1 and table[org.b.id]["returned"][0] == 1
    assert table[org.b.id]["due_soon"][0] == 1 and table[org.s.id]["open_work"][0] == 2
    for unit_id, cells in table.items():
        for key, (count, href) in cells.items():
            page = client.get(href).get_data(as_text=True)
            assert page.count(ROW) == count, (unit_id, key)
    section_overdue = client.get(table[org.s.id]["overdue"][1]).get_data(as_text=True)
    assert "ฝ่ายเกินกำหนด 1" in section_overdue and "กองเกินกำหนด" not in section_overdue

    home = client.get("/").get_data(as_text=True)
    assert home.count('data-testid="chart-svg"') == 3
    assert home.count('role="img"') == 3
    assert "ฝ่ายย่อยแดชบอร์ด: 2" in home  # the overdue chart names the section and its number


def test_r7_people_of_other_units_see_none_of_our_numbers(org, client, login, today):
    arrive(org, "ความลับของกองรับ", today - timedelta(days=1))
    returned_to_b(org, "ตีกลับถึงกองรับ")

    login(client, org.head_a)  # a manager, but of unit A
    numbers = tiles(client)
    assert numbers["overdue"] == 0 and numbers["returned"] == 0
    assert org.b.id not in unit_cells(client)
    assert client.get(f"/dashboard/overdue?unit={org.b.id}").status_code == 404
    assert client.get(f"/dashboard/open_work?unit={org.s.id}").status_code == 404
    assert "ความลับของกองรับ" not in client.get("/dashboard/overdue").get_data(as_text=True)
    assert client.get("/dashboard/open_work").status_code == 404  # a unit's number only
    assert client.get("/dashboard/nonsense").status_code == 404


def test_r7_classified_subjects_stay_hidden_in_the_lists(org, client, other_client, login, today):
    arrive(org, "เรื่องลับเกินกำหนด", today - timedelta(days=1), secrecy="secret")

    login(client, org.operator_b)  # works in B, but is neither its clerk nor given the letter
    assert tiles(client)["overdue"] == 1
    page = client.get("/dashboard/overdue").get_data(as_text=True)
    assert page.count(ROW) == 1 and "เรื่องลับเกินกำหนด" not in page and CLASSIFIED in page

    login(other_client, org.clerk_b)  # the registry clerk of B reads it
    page = other_client.get("/dashboard/overdue").get_data(as_text=True)
    assert "เรื่องลับเกินกำหนด" in page and CLASSIFIED not in page


def test_r7_a_long_list_pages_through(org, client, login, today, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    for n in range(5):
        arrive(org, f"เกินกำหนดเรื่องที่ {n}", today - timedelta(days=n + 1))

    login(client, org.clerk_b)
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/dashboard/overdue?page={page}").get_data(as_text=True)
        seen += re.findall(r"เกินกำหนดเรื่องที่ \d", html)
    assert sorted(seen) == [f"เกินกำหนดเรื่องที่ {n}" for n in range(5)]
    assert seen[0] == "เกินกำหนดเรื่องที่ 4"  # the longest overdue first


def test_r7_the_weekly_figures_count_registrations_and_take_the_median_wait(org, app):
    day = today_local(app.config["BABEL_DEFAULT_TIMEZONE"])
    waits = {"รับช้าหนึ่งชั่วโมง": 1, "รับช้าสามชั่วโมง": 3, "รับช้าห้าชั่วโมง": 5}
    for subject, hours in waits.items():
        delivery = send_to_b(org, subject)
        delivery.sent_at -= timedelta(hours=hours)
        handling.register_delivery(Actor(user=org.clerk_b), delivery)
    old = send_to_b(org, "รับเมื่อสามสัปดาห์ก่อน")
    entry = handling.register_delivery(Actor(user=org.clerk_b), old)
    old.sent_at -= timedelta(weeks=3, hours=10)
    old.registered_at -= timedelta(weeks=3)
    db.session.get(RegisterEntry, entry.id).created_at -= timedelta(weeks=3)
    db.session.commit()

    weeks = charts.weekly({org.b.id, org.s.id}, day, app.config["BABEL_DEFAULT_TIMEZONE"])
    assert len(weeks) == charts.WEEKS and weeks[-1].start <= day <= weeks[-1].end
    assert weeks[-1].start.weekday() == 0
    assert (weeks[-1].registered, weeks[-1].timed) == (3, 3)
    assert abs(weeks[-1].median - timedelta(hours=3)) < timedelta(minutes=1)
    assert (weeks[-4].registered, weeks[-4].timed) == (1, 1)
    assert abs(weeks[-4].median - timedelta(hours=10)) < timedelta(minutes=1)
    assert sum(week.registered for week in weeks) == 4
    assert charts.week_label(weeks[-1].start, "th")[1] == str(buddhist_year(weeks[-1].start))


def test_r7_a_median_cut_short_by_the_row_limit_is_not_shown(org, app, client, login, monkeypatch):
    """Beyond MEDIAN_ROWS registrations the oldest weeks would be taken from part of their rows: they show
    no median rather than a wrong one, while their counts stay whole."""
    monkeypatch.setattr(charts, "MEDIAN_ROWS", 2)
    for n in range(3):
        handling.register_delivery(Actor(user=org.clerk_b), send_to_b(org, f"รับหลายฉบับ {n}"))
    db.session.commit()

    weeks = charts.weekly({org.b.id}, today_local(app.config["BABEL_DEFAULT_TIMEZONE"]),
                          app.config["BABEL_DEFAULT_TIMEZONE"])
    assert (weeks[-1].registered, weeks[-1].timed, weeks[-1].median) == (3, None, None)
    login(client, org.head_b)
    home = client.get("/").get_data(as_text=True)
    weeks_shown = re.findall(WEEK_ROW, home)
    assert weeks_shown[-1] == ("3", "–")  # this week: 3 registered, its median not taken


# ---- issue 14 item 4: what was signed, per kind, returned copies, lists without a unit -------------------

def kind_cells(client, path="/"):
    """{type id: {column: (number, link)}} from a manager's table of document kinds."""
    page = client.get(path).get_data(as_text=True)
    table = {}
    for type_id, row in re.findall(r'<tr data-testid="kind-row" data-type-id="(\d+)">(.*?)</tr>', page, re.S):
        table[int(type_id)] = {key: (int(count), href.replace("&amp;", "&")) for href, key, count in re.findall(
            r'href="([^"]+)" data-testid="kind-([a-z_]+)"\s*aria-label="[^"]*">(\d+)</a>', row)}
    return table


def as_user(client, login, user):
    """A browser of its own for `user` (logging in again on the same one keeps the first person)."""
    own = client.application.test_client()
    login(own, user)
    return own


def proposed(org, subject):
    """A letter of B waiting for its head's signature."""
    work = arrive(org, subject)
    handling.assign(Actor(user=org.clerk_b), work, operator=org.operator_b)
    handling.propose(Actor(user=org.operator_b), work, reviewer=org.head_b)
    db.session.commit()
    return work


def test_r7_a_chief_still_sees_the_letters_they_signed_once_the_clerk_closed_them(org, client, login):
    first, second = signed(org, "ผอ.ลงนามฉบับแรก"), signed(org, "ผอ.ลงนามฉบับที่สอง")
    for work in (first, second):
        handling.close(Actor(user=org.clerk_b), work)
    db.session.commit()

    login(client, org.head_b)
    assert tiles(client)["signed"] == 2
    page = client.get(tile_links(client)["signed"].replace("&amp;", "&")).get_data(as_text=True)
    assert page.count(ROW) == 2
    assert "ผอ.ลงนามฉบับแรก" in page and "ผอ.ลงนามฉบับที่สอง" in page
    assert "ปิดงาน" in page  # the list says what happened since: closed
    count, href = unit_cells(client)[org.b.id]["signed"]  # the unit's number: signed in the unit
    assert count == 2 == client.get(href.replace("&amp;", "&")).get_data(as_text=True).count(ROW)

    clerk = as_user(client, login, org.clerk_b)  # the clerk's own number: signed in their unit, closed or not
    assert tiles(clerk)["signed"] == 2


def test_r7_signed_counts_the_chosen_period_only(org, client, login):
    recent, older = signed(org, "ลงนามเมื่อวาน"), signed(org, "ลงนามสิบวันก่อน")
    recent.signed_at -= timedelta(days=1)
    older.signed_at -= timedelta(days=10)
    db.session.commit()

    login(client, org.head_b)
    assert tiles(client)["signed"] == 2  # the last 30 days, the default
    week = client.get("/?period=7d").get_data(as_text=True)
    assert re.search(r'data-testid="tile-signed">\s*<div[^>]*>1</div>', week)
    listed = client.get("/dashboard/signed?period=7d").get_data(as_text=True)
    assert listed.count(ROW) == 1 and "ลงนามเมื่อวาน" in listed and "ลงนามสิบวันก่อน" not in listed


def test_r7_a_letter_signed_by_a_deputy_counts_for_both(org, client, login, today):
    from app.org.services import add_delegation
    deputy = make_user(unit=org.b, roles=("operator",))
    add_delegation(Actor.system(), principal=org.head_b, deputy=deputy, starts_on=today, ends_on=today)
    work = proposed(org, "รักษาราชการแทนลงนาม")
    handling.sign(Actor(user=deputy, acting_for=org.head_b), work)
    db.session.commit()

    for person in (deputy, org.head_b):
        browser = as_user(client, login, person)
        assert tiles(browser)["signed"] == 1, person.username
        assert "รักษาราชการแทนลงนาม" in browser.get("/dashboard/signed").get_data(as_text=True)
    assert tiles(as_user(client, login, org.head_a))["signed"] == 0  # another unit's chief


def test_r7_each_returned_copy_of_a_letter_sent_to_several_units_counts(org, client, login):
    x, y = make_unit(name_th="กองปลายทางเอ็กซ์"), make_unit(name_th="กองปลายทางวาย")
    clerk_x = make_user(unit=x, roles=("clerk",))
    document = letter(org.b, org.clerk_b, "หนังสือเวียนสามหน่วยงาน")
    to_a, to_x, _to_y = routing.send(Actor(user=org.clerk_b), document, from_unit=org.b, to_units=[org.a, x, y])
    routing.return_to_sender(Actor(user=org.clerk_a), to_a, "ไม่ใช่เรื่องของหน่วยงานนี้")
    routing.return_to_sender(Actor(user=clerk_x), to_x, "ส่งผิดหน่วยงาน")
    db.session.commit()

    login(client, org.clerk_b)
    assert tiles(client)["returned"] == 2
    page = client.get("/dashboard/returned").get_data(as_text=True)
    assert page.count(ROW) == 2
    assert "กองส่งแดชบอร์ด" in page and "กองปลายทางเอ็กซ์" in page and "กองปลายทางวาย" not in page
    chief = as_user(client, login, org.head_b)
    count, href = unit_cells(chief)[org.b.id]["returned"]
    assert count == 2 == chief.get(href.replace("&amp;", "&")).get_data(as_text=True).count(ROW)

    routing.send(Actor(user=org.clerk_b), document, from_unit=org.b, to_units=[org.a])  # sent again to A
    db.session.commit()
    assert tiles(client)["returned"] == 1
    assert "กองปลายทางเอ็กซ์" in client.get("/dashboard/returned").get_data(as_text=True)


def test_r7_the_table_of_kinds_counts_what_its_lists_show(org, client, login):
    memo_type = db.session.scalar(select(DocumentType).where(DocumentType.code == "internal"))
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    proposed(org, "รอลงนามหนังสือภายนอก")
    for n in range(2):
        handling.close(Actor(user=org.clerk_b), signed(org, f"ลงนามหนังสือภายนอก {n}"))
    memo = proposed(org, "บันทึกรอลงนามในฝ่าย")
    memo.document.type_id = memo_type.id
    db.session.commit()

    login(client, org.head_b)
    table = kind_cells(client)
    assert table[external.id]["awaiting_signature"][0] == 1 and table[external.id]["signed"][0] == 2
    assert table[memo_type.id]["awaiting_signature"][0] == 1 and table[memo_type.id]["signed"][0] == 0
    assert set(table) == {external.id, memo_type.id}  # the kinds with nothing to show are left out
    for type_id, cells in table.items():
        for key, (count, href) in cells.items():
            page = client.get(href).get_data(as_text=True)
            assert page.count(ROW) == count, (type_id, key)
    signed_page = client.get(table[external.id]["signed"][1]).get_data(as_text=True)
    assert "ลงนามหนังสือภายนอก 0" in signed_page and "รอลงนามหนังสือภายนอก" not in signed_page
    assert "บันทึกรอลงนามในฝ่าย" in client.get(table[memo_type.id]["awaiting_signature"][1]).get_data(as_text=True)

    clerk = as_user(client, login, org.clerk_b)  # not a manager: no table of kinds, and no list behind it
    assert kind_cells(clerk) == {}
    assert clerk.get(table[external.id]["signed"][1]).status_code == 404


def test_r7_a_list_without_a_unit_is_the_persons_own_page_not_a_404(org, client, login):
    proposed(org, "รอลงนามจากหน้าแรก")
    send_to_b(org, "มาใหม่ที่กองรับ")

    login(client, org.head_b)
    response = client.get("/dashboard/awaiting_signature")
    assert response.status_code == 302 and response.location.endswith("/signatures")
    signatures = client.get("/dashboard/awaiting_signature", follow_redirects=True).get_data(as_text=True)
    assert signatures.count('data-testid="signature-row"') == tiles(client)["awaiting_signature"] == 1
    assert "รอลงนามจากหน้าแรก" in signatures

    clerk = as_user(client, login, org.clerk_b)
    numbers = tiles(clerk)
    for key in ("new_arrivals", "awaiting_registration"):
        response = clerk.get(f"/dashboard/{key}")
        assert response.status_code == 302 and response.location.endswith("/inbox"), key
    inbox = clerk.get("/dashboard/new_arrivals", follow_redirects=True).get_data(as_text=True)
    assert inbox.count("app-new-item") == numbers["new_arrivals"] == 1
    for key in queries.PERSONAL_KEYS:
        assert clerk.get(f"/dashboard/{key}").status_code == 200, key
