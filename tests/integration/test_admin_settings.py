"""R9, R21, R24: admins keep the lists of document types, categories and delivery methods, and the registers'
series and starting numbers."""
import re

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from app.core.models import AuditEvent
from app.documents import lists
from app.documents.models import Category, DeliveryMethod, DocumentType
from app.documents.services import DocumentDetails, create_document, issue_send_number
from app.extensions import db
from app.org import demo
from app.org.queries import unit_by_code
from app.registry import queries as registry_queries
from app.registry.models import Register
from tests.factories import SYSTEM, make_unit, make_user

SETTINGS_PAGES = ("/admin/document-types", "/admin/categories", "/admin/delivery-methods", "/admin/registers")


def admin_client(client, login):
    admin = make_user(roles=("admin",))
    login(client, admin)
    return admin


def thai(message):
    """What a Thai user reads for an English source message, as the page escapes it; it must be Thai."""
    with force_locale("th"):
        text = str(message)
    assert re.search("[ก-๙]", text), f"no Thai translation for {text!r}"
    return str(escape(text))


def row_data(item, **changes):
    values = {"name_th": item.name_th, "name_en": item.name_en, "sort_order": item.sort_order, **changes}
    return {f"item{item.id}-{name}": value for name, value in values.items()}


def send_letter(unit, type_code):
    document = create_document(SYSTEM, owner_unit=unit, details=DocumentDetails(
        type=lists.document_type_by_code(type_code), subject="เรื่องทดสอบเลขหนังสือส่ง"))
    issue_send_number(SYSTEM, document)
    db.session.commit()
    return document.doc_number


def test_only_admins_open_the_settings_pages(client, login):
    login(client, make_user(roles=("clerk", "operator", "manager")))
    for path in SETTINGS_PAGES:
        assert client.get(path).status_code == 403, path
    count = db.session.query(DocumentType).count()
    response = client.post("/admin/document-types", data={"group": "external", "code": "sneaky",
                                                          "name_th": "แอบเพิ่ม"})
    assert response.status_code == 403
    assert db.session.query(DocumentType).count() == count


def test_settings_pages_carry_no_inline_script(client, login):
    admin_client(client, login)
    unit = make_unit()
    for path in SETTINGS_PAGES + (f"/admin/registers?unit={unit.id}",):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert all(not body.strip() for body in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)), path
        assert not re.search(r"\son[a-z]+=", page), path


# ---- document types ----------------------------------------------------------------------------------

def test_admin_adds_a_document_type_to_a_group_and_it_is_listed_there(client, login):
    admin = admin_client(client, login)
    response = client.post("/admin/document-types", data={
        "group": "official_record", "code": "Secret_Memo", "name_th": "หนังสือราชการลับเฉพาะ",
        "name_en": "Restricted memo"})
    assert response.status_code == 302
    added = lists.document_type_by_code("secret_memo")
    assert (added.group, added.name_th, added.is_active) == ("official_record", "หนังสือราชการลับเฉพาะ", True)
    page = client.get("/admin/document-types").get_data(as_text=True)
    headings = [page.index(f">{thai(lists.TYPE_GROUP_LABELS[group])}</h2>")
                for group in ("official_record", "circular")]
    assert headings[0] < page.index("หนังสือราชการลับเฉพาะ") < headings[1]
    event = db.session.query(AuditEvent).filter_by(action="document_type.create", subject_id=added.id).one()
    assert event.actor_id == admin.id


def test_duplicate_type_code_is_refused_in_thai_and_nothing_changes(client, login):
    admin_client(client, login)
    count = db.session.query(DocumentType).count()
    response = client.post("/admin/document-types", data={"group": "circular", "code": "circular",
                                                          "name_th": "หนังสือเวียนซ้ำ"})
    assert response.status_code == 200
    refusal = _l("The code %(code)s is already in use.", code="circular")
    assert thai(refusal) in response.get_data(as_text=True)
    assert db.session.query(DocumentType).count() == count
    assert lists.document_type_by_code("circular").name_th == "หนังสือเวียน"


def test_a_deactivated_type_stays_in_the_database_and_is_not_offered(client, login):
    admin_client(client, login)
    stamped = lists.document_type_by_code("stamped")
    unit = make_unit()
    client.post(f"/admin/document-types/{stamped.id}/active/0")
    assert db.session.get(DocumentType, stamped.id).is_active is False
    assert stamped not in lists.document_types(active_only=True)
    page = client.get(f"/admin/registers?unit={unit.id}").get_data(as_text=True)
    type_select = page.split('name="document_type_id"')[1].split("</select>")[0]
    assert f'value="{stamped.id}"' not in type_select
    client.post(f"/admin/document-types/{stamped.id}/active/1")
    assert stamped.is_active


def test_admin_renames_and_reorders_a_type(client, login):
    admin_client(client, login)
    news = lists.document_type_by_code("news")
    client.post(f"/admin/document-types/{news.id}",
                data=row_data(news, name_th="ข่าวประชาสัมพันธ์", sort_order=0))
    assert (news.name_th, news.sort_order) == ("ข่าวประชาสัมพันธ์", 0)
    public_relations = [t.code for t in lists.document_types() if t.group == "public_relations"]
    assert public_relations[0] == "news"


def test_a_row_edit_with_a_mistake_shows_the_row_again_and_changes_nothing(client, login):
    admin_client(client, login)
    memo = lists.document_type_by_code("memo")
    response = client.post(f"/admin/document-types/{memo.id}", data=row_data(memo, name_th=""))
    assert response.status_code == 200
    assert "<details open>" in response.get_data(as_text=True)
    assert memo.name_th == "บันทึก"


# ---- categories and delivery methods -----------------------------------------------------------------

def test_admin_keeps_the_categories(client, login):
    admin_client(client, login)
    client.post("/admin/categories", data={"name_th": "หมวดทดสอบ", "name_en": "Test category"})
    category = lists.category_by_name("หมวดทดสอบ")
    assert category.is_active
    count = db.session.query(Category).count()
    response = client.post("/admin/categories", data={"name_th": "หมวดทดสอบ"})
    refusal = _l("The category %(name)s already exists.", name="หมวดทดสอบ")
    assert thai(refusal) in response.get_data(as_text=True)
    assert db.session.query(Category).count() == count
    client.post(f"/admin/categories/{category.id}", data=row_data(category, name_th="หมวดทดสอบใหม่"))
    client.post(f"/admin/categories/{category.id}/active/0")
    assert (category.name_th, category.is_active) == ("หมวดทดสอบใหม่", False)
    assert "หมวดทดสอบใหม่" in client.get("/admin/categories").get_data(as_text=True)


def test_admin_keeps_the_delivery_methods(client, login):
    admin_client(client, login)
    client.post("/admin/delivery-methods", data={"code": "courier", "name_th": "บริษัทขนส่งเอกชน",
                                                 "name_en": "Courier"})
    courier = lists.delivery_method_by_code("courier")
    assert courier.name_th == "บริษัทขนส่งเอกชน"
    assert [m.code for m in lists.delivery_methods()][-1] == "courier"
    count = db.session.query(DeliveryMethod).count()
    response = client.post("/admin/delivery-methods", data={"code": "ems", "name_th": "อีเอ็มเอส"})
    assert thai(_l("The code %(code)s is already in use.", code="ems")) in response.get_data(as_text=True)
    assert db.session.query(DeliveryMethod).count() == count
    client.post(f"/admin/delivery-methods/{courier.id}/active/0")
    assert db.session.get(DeliveryMethod, courier.id).is_active is False


# ---- registers ---------------------------------------------------------------------------------------

def add_series(client, unit, **fields):
    data = {"code": "circular", "name_th": "ทะเบียนหนังสือเวียน", "direction": "send", "prefix": "ว",
            "document_type_id": lists.document_type_by_code("circular").id, "yearly_reset": "y", **fields}
    return client.post(f"/admin/registers/unit/{unit.id}", data=data)


def test_opening_a_units_registers_writes_nothing_and_a_button_creates_the_main_ones(client, login):
    admin_client(client, login)
    unit = make_unit()
    page = client.get(f"/admin/registers?unit={unit.id}").get_data(as_text=True)
    assert registry_queries.registers_of_unit(unit) == []
    assert f"/admin/registers/unit/{unit.id}/standard" in page
    client.post(f"/admin/registers/unit/{unit.id}/standard")
    assert sorted(r.code for r in registry_queries.registers_of_unit(unit)) == ["receive", "send"]


def test_a_circular_series_numbers_circulars_with_its_prefix_and_letters_use_the_send_register(client, login):
    admin_client(client, login)
    unit = make_unit(letter_code="ลย 51099")
    assert add_series(client, unit).status_code == 302
    series = registry_queries.register_by_code(unit, "circular")
    assert (series.prefix, series.direction, series.yearly_reset) == ("ว", "send", True)
    assert send_letter(unit, "circular") == "ลย 51099/ว 1"
    assert send_letter(unit, "external") == "ลย 51099/1"
    assert send_letter(unit, "circular") == "ลย 51099/ว 2"
    page = client.get(f"/admin/registers?unit={unit.id}").get_data(as_text=True)
    assert "ทะเบียนหนังสือเวียน" in page and "ทะเบียนหนังสือส่ง" in page


def test_a_duplicate_series_code_is_refused(client, login):
    admin_client(client, login)
    unit = make_unit()
    add_series(client, unit)
    response = add_series(client, unit, name_th="ซ้ำ")
    assert response.status_code == 200
    assert db.session.query(Register).filter_by(unit_id=unit.id).count() == 1


def test_the_starting_number_only_moves_forward(client, login):
    admin_client(client, login)
    unit = make_unit(letter_code="ลย 51099")
    client.post(f"/admin/registers/unit/{unit.id}/standard")
    send = registry_queries.register_by_code(unit, "send")
    client.post(f"/admin/registers/{send.id}/starting-number", data={"first_number": 120})
    assert send_letter(unit, "external") == "ลย 51099/120"
    assert "120" in client.get(f"/admin/registers/{send.id}").get_data(as_text=True)
    response = client.post(f"/admin/registers/{send.id}/starting-number", data={"first_number": 5})
    refusal = _l("Number %(number)d has already been issued; the register can only move forward.", number=120)
    assert thai(refusal) in response.get_data(as_text=True)
    assert send_letter(unit, "external") == "ลย 51099/121"


def test_admin_edits_a_series_and_closing_it_hands_its_type_back_to_the_send_register(client, login):
    admin_client(client, login)
    unit = make_unit(letter_code="ลย 51099")
    add_series(client, unit)
    series = registry_queries.register_by_code(unit, "circular")
    client.post(f"/admin/registers/{series.id}", data={"name_th": "ทะเบียนหนังสือเวียนจังหวัด", "name_en": "",
                                                       "prefix": "ว."})
    assert (series.name_th, series.prefix) == ("ทะเบียนหนังสือเวียนจังหวัด", "ว.")
    client.post(f"/admin/registers/{series.id}/active/0")
    assert series.is_active is False
    assert send_letter(unit, "circular") == "ลย 51099/1"


def test_the_main_registers_cannot_be_closed(client, login):
    admin_client(client, login)
    unit = make_unit()
    client.post(f"/admin/registers/unit/{unit.id}/standard")
    send = registry_queries.register_by_code(unit, "send")
    response = client.post(f"/admin/registers/{send.id}/active/0", follow_redirects=True)
    refusal = _l("A unit's main receive and send registers cannot be closed.")
    assert thai(refusal) in response.get_data(as_text=True)
    assert send.is_active


def test_the_demo_has_categories_and_series(db_session):
    demo.load(SYSTEM, letters=False)
    assert lists.category_by_name("การเงินและบัญชี").is_active
    circulars = registry_queries.register_by_code(unit_by_code("palad"), "circular")
    assert (circulars.prefix, circulars.document_type.code) == ("ว", "circular")
    assert registry_queries.register_by_code(unit_by_code("finance"), "order").document_type.code == "order"
