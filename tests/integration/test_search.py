"""Search (R25–R27, R32, R34) on the production engine: every field, the conditions, AND/OR, sorting and
years, Thai words in the middle of a subject, and what another unit may not find."""
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.core.actor import Actor
from app.core.thai_dates import today_local
from app.documents.models import Category, DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.registry.models import RegisterEntry
from app.routing import services as routing
from app.search import criteria as criteria_module, queries, services
from app.search.models import SearchEntry, SearchGram, SearchPending
from tests.factories import make_unit, make_user

THIS_YEAR = 2026


@pytest.fixture
def org():
    a, b = make_unit(name_th="กองคลังค้นหา"), make_unit(name_th="กองช่างค้นหา")
    c = make_unit(name_th="กองศึกษาค้นหา")
    return SimpleNamespace(a=a, b=b, c=c, clerk_a=make_user(unit=a, roles=("clerk",)),
                           clerk_b=make_user(unit=b, roles=("clerk",)),
                           clerk_c=make_user(unit=c, roles=("clerk",)),
                           operator_b=make_user(unit=b, roles=("operator",)))


def doc_type(code="external"):
    return db.session.scalar(select(DocumentType).where(DocumentType.code == code))


def send(org, subject, *, to=None, register=True, **details):
    """A letter from A to B (registered there unless `register` is False)."""
    details = DocumentDetails(type=details.pop("type", doc_type()), subject=subject, **details)
    document = create_document(Actor(user=org.clerk_a), owner_unit=org.a, details=details)
    deliveries = routing.send(Actor(user=org.clerk_a), document, from_unit=org.a, to_units=to or [org.b])
    if register:
        handling.register_delivery(Actor(user=org.clerk_b), deliveries[0])
    db.session.commit()
    return document


def found(user, this_year=THIS_YEAR, **args):
    """The subjects a search finds, in the order shown, after the pending changes are applied."""
    services.apply_pending("Asia/Bangkok")
    parsed = criteria_module.parse(MultiDict(args), this_year=this_year)
    assert parsed.errors == []
    return [hit.document.subject for hit in queries.search(user, parsed.criteria).hits]


def total(user, **args):
    services.apply_pending("Asia/Bangkok")
    return queries.search(user, criteria_module.parse(MultiDict(args), this_year=THIS_YEAR).criteria).total


def test_r25_a_thai_word_in_the_middle_of_a_subject_is_found(org):
    send(org, "ขอความอนุเคราะห์ข้อมูลงบประมาณประจำปี 2570")
    send(org, "ขอเชิญประชุมคณะกรรมการ")
    assert found(org.clerk_b, q="อนุเคราะห์") == ["ขอความอนุเคราะห์ข้อมูลงบประมาณประจำปี 2570"]
    assert found(org.clerk_b, q="งบประมาณ") == ["ขอความอนุเคราะห์ข้อมูลงบประมาณประจำปี 2570"]
    assert found(org.clerk_b, q="ขอความอนุเคราะห์") == ["ขอความอนุเคราะห์ข้อมูลงบประมาณประจำปี 2570"]
    assert found(org.clerk_b, q="ประชุม") == ["ขอเชิญประชุมคณะกรรมการ"]
    assert found(org.clerk_b, q="2570") == ["ขอความอนุเคราะห์ข้อมูลงบประมาณประจำปี 2570"]
    assert found(org.clerk_b, q="ภูกระดึง") == []


def test_thai_tone_marks_count_and_english_is_found_in_any_case(org):
    send(org, "โครงการปลูกป่าชุมชน")
    send(org, "รายงานสถานการณ์ COVID-19 ประจำสัปดาห์")
    assert found(org.clerk_b, q="ป่า") == ["โครงการปลูกป่าชุมชน"]
    assert found(org.clerk_b, q="ปา") == []  # ป่า (forest) is not ปา (to throw)
    assert found(org.clerk_b, q="covid-19") == ["รายงานสถานการณ์ COVID-19 ประจำสัปดาห์"]
    assert found(org.clerk_b, q="Covid สัปดาห์") == ["รายงานสถานการณ์ COVID-19 ประจำสัปดาห์"]
    assert found(org.clerk_b, q="100%") == []  # LIKE wildcards are searched as themselves
    send(org, "เชิญร่วมงาน Café 😀 ประจำปี")
    assert found(org.clerk_b, q="CAFÉ") == ["เชิญร่วมงาน Café 😀 ประจำปี"]  # beyond Thai and ASCII too
    assert found(org.clerk_b, q="日本") == []


def test_r34_another_unit_finds_nothing_of_ours_and_may_not_ask_for_our_unit(org):
    send(org, "ขอความอนุเคราะห์รถยนต์ส่วนกลาง")
    assert found(org.clerk_b, q="รถยนต์") == ["ขอความอนุเคราะห์รถยนต์ส่วนกลาง"]
    assert found(org.clerk_a, q="รถยนต์") == ["ขอความอนุเคราะห์รถยนต์ส่วนกลาง"]  # the sender keeps its copy
    assert found(org.clerk_c, q="รถยนต์") == []
    parsed = criteria_module.parse(MultiDict({"unit": str(org.b.id)}), this_year=THIS_YEAR)
    with pytest.raises(criteria_module.CriteriaError):
        queries.search(org.clerk_c, parsed.criteria)


def test_r34_a_classified_subject_is_neither_shown_nor_matched_for_people_without_clearance(org):
    send(org, "ลับ เรื่องสอบสวนข้อเท็จจริง", secrecy="confidential")
    assert found(org.clerk_b, q="สอบสวน") == ["ลับ เรื่องสอบสวนข้อเท็จจริง"]  # the receiving clerk is cleared
    assert found(org.operator_b, q="สอบสวน") == []  # an operator not given the document is not
    everything = criteria_module.parse(MultiDict(), this_year=THIS_YEAR).criteria
    [hit] = queries.search(org.operator_b, everything).hits
    assert hit.content_visible is False


def test_r25_every_field(org):
    finance = Category(name_th="หมวดการเงินค้นหา")
    db.session.add(finance)
    db.session.flush()
    send(org, "หนังสือหนึ่ง", doc_number="ลย 51001/123", dated=date(2026, 3, 5), addressed_to="นายก อบจ.เลย",
         from_text="จังหวัดเลย", category=finance)
    send(org, "หนังสือสอง", doc_number="ลย 0023.3/ว 45", dated=date(2026, 6, 1), type=doc_type("internal"),
         from_text="กรมส่งเสริมการปกครองท้องถิ่น")
    b = org.clerk_b
    assert found(b, doc_number="51001/123") == ["หนังสือหนึ่ง"]
    assert found(b, doc_number="ว 45") == ["หนังสือสอง"]
    assert found(b, dated_from="2026-03-01", dated_to="2026-03-31") == ["หนังสือหนึ่ง"]
    assert found(b, **{"from": "กรมส่งเสริม"}) == ["หนังสือสอง"]
    assert found(b, to="นายก") == ["หนังสือหนึ่ง"]
    assert found(b, to="กองช่างค้นหา", sort="subject", dir="asc") == ["หนังสือสอง", "หนังสือหนึ่ง"]
    assert found(b, type=str(doc_type("internal").id)) == ["หนังสือสอง"]
    assert found(b, category=str(finance.id)) == ["หนังสือหนึ่ง"]
    first_number = db.session.scalar(select(func.min(SearchEntry.reg_number))
                                     .where(SearchEntry.unit_id == org.b.id))
    assert found(b, reg_number=str(first_number)) == ["หนังสือหนึ่ง"]
    today = today_local().isoformat()  # the office's day (Bangkok), not the server's UTC date
    assert sorted(found(b, received_from=today, received_to=today)) == ["หนังสือสอง", "หนังสือหนึ่ง"]
    assert found(b, received_to="2000-01-01") == []
    assert found(b, owner_unit=str(org.a.id)) == found(b)


def test_r26_status_speed_and_secrecy_conditions(org):
    send(org, "มาใหม่ยังไม่เปิด", register=False, speed="most_urgent")
    send(org, "ลงรับแล้ว", due_date=date(2020, 1, 1))
    send(org, "ลับมาก", secrecy="secret")
    b = org.clerk_b
    assert found(b, status="new") == ["มาใหม่ยังไม่เปิด"]
    assert found(b, status="overdue") == ["ลงรับแล้ว"]
    assert found(b, speed="most_urgent") == ["มาใหม่ยังไม่เปิด"]
    assert found(b, secrecy="secret") == ["ลับมาก"]
    assert sorted(found(b, status=["new", "overdue"])) == ["มาใหม่ยังไม่เปิด", "ลงรับแล้ว"]
    assert len(found(org.clerk_a, status="sent")) == 3  # in the sender's registers they are all "sent"


def test_r26_and_binds_tighter_than_or(org):
    send(org, "ประชุมสภาสมัยสามัญ", speed="urgent")
    send(org, "ประชุมคณะทำงาน")
    send(org, "ขออนุมัติเดินทางไปราชการ", speed="most_urgent")
    b = org.clerk_b
    rows = MultiDict([("c", "subject"), ("v", "ประชุม"), ("j", "and"), ("c", "speed"), ("v", "urgent"),
                      ("j", "or"), ("c", "speed"), ("v", "ด่วนที่สุด")])
    services.apply_pending("Asia/Bangkok")
    parsed = criteria_module.parse(rows, this_year=THIS_YEAR)
    assert parsed.errors == []
    subjects = sorted(hit.document.subject for hit in queries.search(b, parsed.criteria).hits)
    assert subjects == ["ขออนุมัติเดินทางไปราชการ", "ประชุมสภาสมัยสามัญ"]
    both = MultiDict([("c", "subject"), ("v", "ประชุม"), ("j", "or"), ("c", "subject"), ("v", "เดินทาง")])
    assert len(queries.search(b, criteria_module.parse(both, this_year=THIS_YEAR).criteria).hits) == 3


def test_r27_sorting_both_ways_and_paging(org):
    subjects = [f"หนังสือลำดับ {n:02d}" for n in range(1, 56)]
    for subject in subjects:
        send(org, subject)
    b = org.clerk_b
    assert found(b) == subjects[::-1][:50]  # newest register number first
    assert found(b, page="2") == subjects[::-1][50:]
    assert found(b, sort="register", dir="asc")[:3] == subjects[:3]
    assert found(b, sort="subject", dir="asc")[:2] == subjects[:2]
    assert total(b) == 55


def test_thai_subjects_sort_as_in_the_dictionary(org):
    for subject in ("ไก่ชน", "ขวดน้ำ", "เกมกีฬา", "กาแฟ"):
        send(org, subject)
    assert found(org.clerk_b, sort="subject", dir="asc") == ["กาแฟ", "เกมกีฬา", "ไก่ชน", "ขวดน้ำ"]


def test_r32_the_current_year_by_default_and_earlier_years_on_request(org):
    send(org, "หนังสือปีนี้")
    old = send(org, "หนังสือปีก่อน")
    entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.document_id == old.id))
    entry.year, entry.created_at = THIS_YEAR - 3, datetime(THIS_YEAR - 3, 5, 1)
    db.session.commit()
    b = org.clerk_b
    assert found(b) == ["หนังสือปีนี้"]
    assert found(b, year=str(THIS_YEAR - 3)) == ["หนังสือปีก่อน"]
    assert found(b, year=str(THIS_YEAR - 3 + 543)) == ["หนังสือปีก่อน"]  # a Buddhist-Era year is understood
    assert sorted(found(b, year="all")) == ["หนังสือปีก่อน", "หนังสือปีนี้"]


def test_the_rows_follow_every_change_and_a_rollback_leaves_no_trace(org):
    document = send(org, "ก่อนแก้ไข", register=False)
    assert found(org.clerk_b, status="new") == ["ก่อนแก้ไข"]
    document.subject = "หลังแก้ไขชื่อเรื่อง"
    db.session.commit()
    assert found(org.clerk_b, q="ก่อนแก้ไข") == []
    assert found(org.clerk_b, q="ชื่อเรื่อง") == ["หลังแก้ไขชื่อเรื่อง"]
    grams = set(db.session.scalars(select(SearchGram.gram).where(SearchGram.document_id == document.id)))
    assert "ชื" in grams and "ก่" not in grams

    document.subject = "ไม่ควรบันทึก"
    db.session.flush()
    db.session.rollback()
    assert found(org.clerk_b, q="ไม่ควรบันทึก") == []
    assert db.session.scalar(select(func.count()).select_from(SearchPending)) == 0


def test_renaming_a_unit_updates_from_and_to_of_its_documents(org):
    send(org, "หนังสือก่อนเปลี่ยนชื่อกอง")
    org.a.name_th = "กองคลังชื่อใหม่"
    db.session.commit()
    assert found(org.clerk_b, **{"from": "กองคลังชื่อใหม่"}) == ["หนังสือก่อนเปลี่ยนชื่อกอง"]
    assert found(org.clerk_b, **{"from": "กองคลังค้นหา"}) == []


def test_a_recalled_letter_leaves_the_receivers_search(org):
    document = send(org, "หนังสือที่จะดึงกลับ", register=False)
    [delivery] = [d for d in routing_deliveries(document)]
    routing.recall(Actor(user=org.clerk_a), delivery)
    db.session.commit()
    assert found(org.clerk_b, q="ดึงกลับ") == []
    assert found(org.clerk_a, q="ดึงกลับ", status="recalled") == ["หนังสือที่จะดึงกลับ"]


def routing_deliveries(document):
    from app.routing.queries import route_of

    return route_of(document)


def test_rebuild_gives_the_same_rows_as_the_changes_did(org, app):
    send(org, "หนึ่ง")
    send(org, "สอง", register=False)
    services.apply_pending("Asia/Bangkok")
    columns = (SearchEntry.document_id, SearchEntry.unit_id, SearchEntry.status, SearchEntry.reg_number,
               SearchEntry.subject_key, SearchEntry.year)
    unit_ids = (org.a.id, org.b.id)
    before = sorted(db.session.execute(select(*columns).where(SearchEntry.unit_id.in_(unit_ids))).all())
    services.rebuild_all("Asia/Bangkok")
    after = sorted(db.session.execute(select(*columns).where(SearchEntry.unit_id.in_(unit_ids))).all())
    assert before == after and len(before) == 4


def test_bad_input_gets_a_clear_message_and_no_search(org, client, login):
    login(client, org.clerk_b)
    page = client.get("/search?dated_from=2026-13-01&reg_number=abc").get_data(as_text=True)
    assert page.count('data-testid="search-error"') == 2
    assert 'data-testid="results"' not in page
    assert client.get(f"/search?unit={org.a.id}&q=x").status_code == 200  # B's clerk asking for A: a message


def test_the_results_page_and_its_xlsx(org, client, login):
    document = send(org, "ขอความอนุเคราะห์ข้อมูลงบประมาณ")
    login(client, org.clerk_b)
    page = client.get("/search?q=อนุเคราะห์").get_data(as_text=True)
    assert page.count('data-testid="result-row"') == 1 and "ขอความอนุเคราะห์ข้อมูลงบประมาณ" in page
    assert f'href="/documents/{document.id}/route"' in page  # R29: its send and receive records, one click
    response = client.get("/search/export.xlsx?q=อนุเคราะห์")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and "ขอความอนุเคราะห์ข้อมูลงบประมาณ" in values[1]


def test_counting_stops_at_the_limit_and_says_more(org, monkeypatch, client, login):
    monkeypatch.setattr(queries, "COUNT_LIMIT", 3)
    for n in range(5):
        send(org, f"หนังสือนับจำนวน {n}")
    services.apply_pending("Asia/Bangkok")
    page = queries.search(org.clerk_b, criteria_module.parse(MultiDict(), this_year=THIS_YEAR).criteria)
    assert (page.total, page.more, len(page.hits)) == (3, True, 5)
    login(client, org.clerk_b)
    assert "พบหนังสือมากกว่า 3 รายการ" in client.get("/search").get_data(as_text=True)


def test_the_xlsx_keeps_a_classified_subject_hidden_from_people_without_clearance(org, client, login):
    send(org, "ลับ เรื่องร้องเรียนเจ้าหน้าที่", secrecy="confidential")
    send(org, "หนังสือทั่วไปส่งออก")
    login(client, org.operator_b)
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get("/search/export.xlsx?sort=subject&dir=asc")
    sheet = load_workbook(BytesIO(response.data)).active
    subjects = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "หนังสือทั่วไปส่งออก" in subjects and "ลับ เรื่องร้องเรียนเจ้าหน้าที่" not in subjects
    assert any(subject.startswith("(") for subject in subjects)  # the classified row listed, subject hidden
