"""The demo organisation: อบจ.เลย with its real divisions, some sections, and users in every role.

Every demo user has the same password, printed by `make run`; it is for trying the system, never production.
"""
from datetime import timedelta

from app.auth import passwords
from app.core.models import clock_at
from app.core.thai_dates import today_local
from app.documents import lists
from app.letters import demo as written_letters
from app.org import demo_letters, services
from app.org.models import ManagerLevel as L
from app.org.models import Role as R
from app.org.models import UnitKind as K
from app.registry import services as registry
from app.registry.models import Direction

DEMO_PASSWORD = "Loei2569"

# code, parent code, kind, Thai name, English name, letter code
UNITS = [
    ("pao-loei", None, K.ORGANISATION, "องค์การบริหารส่วนจังหวัดเลย", "Loei Provincial Administrative Organisation",
     "ลย 51001"),
    ("palad", "pao-loei", K.DIVISION, "สำนักปลัด", "Office of the Permanent Secretary", "ลย 51001"),
    ("palad.general", "palad", K.SECTION, "ฝ่ายบริหารงานทั่วไป", "General Administration Section", "ลย 51001"),
    ("palad.legal", "palad", K.SECTION, "ฝ่ายนิติการ", "Legal Affairs Section", "ลย 51001"),
    ("finance", "pao-loei", K.DIVISION, "กองคลัง", "Finance Division", "ลย 51002"),
    ("finance.accounting", "finance", K.SECTION, "ฝ่ายบัญชี", "Accounting Section", "ลย 51002"),
    ("finance.revenue", "finance", K.SECTION, "ฝ่ายพัฒนารายได้", "Revenue Section", "ลย 51002"),
    ("engineering", "pao-loei", K.DIVISION, "กองช่าง", "Engineering Division", "ลย 51003"),
    ("engineering.design", "engineering", K.SECTION, "ฝ่ายสำรวจและออกแบบ", "Survey and Design Section",
     "ลย 51003"),
    ("strategy", "pao-loei", K.DIVISION, "กองยุทธศาสตร์และงบประมาณ", "Strategy and Budget Division", "ลย 51004"),
    ("education", "pao-loei", K.DIVISION, "กองการศึกษา ศาสนาและวัฒนธรรม",
     "Education, Religion and Culture Division", "ลย 51005"),
    ("health", "pao-loei", K.DIVISION, "กองสาธารณสุข", "Public Health Division", "ลย 51006"),
    ("supplies", "pao-loei", K.DIVISION, "กองพัสดุและทรัพย์สิน", "Supplies and Property Division", "ลย 51007"),
    ("personnel", "pao-loei", K.DIVISION, "กองการเจ้าหน้าที่", "Personnel Division", "ลย 51008"),
    ("audit", "pao-loei", K.DIVISION, "หน่วยตรวจสอบภายใน", "Internal Audit Unit", "ลย 51009"),
]

# username, Thai name, English name, position, unit code, roles as (role, manager level)
USERS = [
    ("admin", "นายสมชาย ใจดี", "Somchai Jaidee", "นักวิชาการคอมพิวเตอร์", "palad.general",
     [(R.ADMIN, None), (R.OPERATOR, None)]),
    ("mayor", "นายชัยวัฒน์ ศรีเลย", "Chaiwat Srilei", "นายกองค์การบริหารส่วนจังหวัดเลย", "pao-loei",
     [(R.MANAGER, L.MAYOR)]),
    ("deputy.mayor", "นางสาวพรทิพย์ ภูเรือ", "Pornthip Phurua", "รองนายกองค์การบริหารส่วนจังหวัดเลย", "pao-loei",
     [(R.MANAGER, L.DEPUTY_MAYOR)]),
    ("chief", "นายประเสริฐ วงศ์ไทย", "Prasert Wongthai", "ปลัดองค์การบริหารส่วนจังหวัด", "pao-loei",
     [(R.MANAGER, L.CHIEF)]),
    ("deputy.chief", "นางวิไลวรรณ แสงทอง", "Wilaiwan Saengthong", "รองปลัดองค์การบริหารส่วนจังหวัด", "pao-loei",
     [(R.MANAGER, L.DEPUTY_CHIEF)]),
    ("palad.director", "นายอนุชา ด่านซ้าย", "Anucha Dansai", "หัวหน้าสำนักปลัด", "palad",
     [(R.MANAGER, L.DIVISION_HEAD)]),
    ("saraban", "นางสาวกาญจนา บุญมา", "Kanchana Boonma", "เจ้าพนักงานธุรการ", "palad.general", [(R.CLERK, None)]),
    ("palad.head", "นางสุภาพร นาด้วง", "Supaporn Naduang", "หัวหน้าฝ่ายบริหารงานทั่วไป", "palad.general",
     [(R.MANAGER, L.SECTION_HEAD)]),
    ("palad.officer", "นายธนากร เชียงคาน", "Thanakorn Chiangkhan", "นักจัดการงานทั่วไป", "palad.general",
     [(R.OPERATOR, None)]),
    ("legal.officer", "นางสาวศิริพร ภูหลวง", "Siriporn Phuluang", "นิติกร", "palad.legal",
     [(R.OPERATOR, None)]),
    ("finance.director", "นางรัตนา ทองดี", "Rattana Thongdee", "ผู้อำนวยการกองคลัง", "finance",
     [(R.MANAGER, L.DIVISION_HEAD)]),
    ("finance.clerk", "นางสาวมณีรัตน์ วังสะพุง", "Maneerat Wangsaphung", "เจ้าพนักงานธุรการ", "finance",
     [(R.CLERK, None)]),
    ("finance.head", "นายวีระพงษ์ ผาขาว", "Weerapong Phakhao", "หัวหน้าฝ่ายบัญชี", "finance.accounting",
     [(R.MANAGER, L.SECTION_HEAD)]),
    ("finance.officer", "นางสาวจิราพร นาแห้ว", "Jiraporn Nahaeo", "นักวิชาการเงินและบัญชี", "finance.accounting",
     [(R.OPERATOR, None)]),
    ("engineering.director", "นายสุรชัย ภูกระดึง", "Surachai Phukradueng", "ผู้อำนวยการกองช่าง", "engineering",
     [(R.MANAGER, L.DIVISION_HEAD)]),
    ("engineering.clerk", "นางสาวอรุณี ท่าลี่", "Arunee Thali", "เจ้าพนักงานธุรการ", "engineering",
     [(R.CLERK, None)]),
    ("engineering.officer", "นายกิตติศักดิ์ ปากชม", "Kittisak Pakchom", "วิศวกรโยธา", "engineering.design",
     [(R.OPERATOR, None)]),
    ("strategy.director", "นางสาวนันทนา หนองหิน", "Nanthana Nonghin", "ผู้อำนวยการกองยุทธศาสตร์และงบประมาณ",
     "strategy", [(R.MANAGER, L.DIVISION_HEAD)]),
    ("strategy.clerk", "นายพงศธร เอราวัณ", "Pongsathorn Erawan", "เจ้าพนักงานธุรการ", "strategy",
     [(R.CLERK, None), (R.OPERATOR, None)]),
    ("education.director", "นางจันทร์เพ็ญ ภูเรือ", "Janpen Phurua", "ผู้อำนวยการกองการศึกษา ศาสนาและวัฒนธรรม",
     "education", [(R.MANAGER, L.DIVISION_HEAD)]),
    ("education.clerk", "นางสาวปิยะนุช นาอ้อ", "Piyanuch Na-o", "เจ้าพนักงานธุรการ", "education",
     [(R.CLERK, None)]),
    ("health.director", "นายแพทย์ณัฐพล ผาน้อย", "Nattapon Phanoi", "ผู้อำนวยการกองสาธารณสุข", "health",
     [(R.MANAGER, L.DIVISION_HEAD)]),
    ("health.clerk", "นางสาวสุดารัตน์ นาดินดำ", "Sudarat Nadindam", "เจ้าพนักงานธุรการ", "health",
     [(R.CLERK, None), (R.OPERATOR, None)]),
    ("supplies.clerk", "นายสมศักดิ์ กุดป่อง", "Somsak Kudpong", "เจ้าพนักงานพัสดุ", "supplies",
     [(R.CLERK, None), (R.OPERATOR, None)]),
    ("personnel.clerk", "นางสาวเพ็ญศรี ศรีสองคอน", "Pensri Srisongkhon", "เจ้าพนักงานธุรการ", "personnel",
     [(R.CLERK, None), (R.OPERATOR, None)]),
    ("audit.head", "นางอัญชลี เมืองเลย", "Anchalee Mueanglei", "หัวหน้าหน่วยตรวจสอบภายใน", "audit",
     [(R.MANAGER, L.DIVISION_HEAD), (R.CLERK, None)]),
]

# หมวด: Thai name, English name
CATEGORIES = [
    ("ทั่วไป", "General"),
    ("การเงินและบัญชี", "Finance and accounting"),
    ("บุคลากร", "Personnel"),
    ("พัสดุและจัดซื้อจัดจ้าง", "Supplies and procurement"),
    ("แผนงานและงบประมาณ", "Plans and budget"),
    ("ก่อสร้างและซ่อมบำรุง", "Construction and maintenance"),
]

# Send series counted apart from the send register: code, Thai name, English name, prefix, document type code
SERIES = [
    ("order", "ทะเบียนคำสั่ง", "Orders register", "", "order"),
    ("circular", "ทะเบียนหนังสือเวียน", "Circulars register", "ว", "circular"),
]
UNITS_WITH_SERIES = ("palad", "finance")


def load(actor, letters=True):
    """The organisation, and with `letters` about three months of its correspondence (app/org/demo_letters.py),
    the organisation then made on the morning the letters start."""
    if not letters:
        return _load_organisation(actor)
    with clock_at(demo_letters.history_start(today_local())):
        units, users = _load_organisation(actor)
        written_letters.prepare(actor, users)
    # Signing software checks the CRL against the real clock, whatever day a demo letter is dated: the
    # CRL the demo signatures embed is published now.
    written_letters.publish_revocation_list()
    demo_letters.load(units, users)
    return units, users


def _load_organisation(actor):
    units = {}
    for sort_order, (code, parent, kind, name_th, name_en, letter_code) in enumerate(UNITS):
        units[code] = services.create_unit(actor, code=code, kind=kind, name_th=name_th, name_en=name_en,
                                           letter_code=letter_code, parent=units.get(parent),
                                           sort_order=sort_order)
    users = {}
    password_hash = passwords.hash_password(DEMO_PASSWORD)  # one hash for every demo user: same password
    for username, name_th, name_en, position, unit_code, roles in USERS:
        users[username] = services.create_user(
            actor, username=username, full_name_th=name_th, full_name_en=name_en, position_title=position,
            unit=units[unit_code], roles=roles, password=DEMO_PASSWORD, password_hash=password_hash,
            must_change_password=False)
    today = today_local()
    services.add_delegation(actor, principal=users["chief"], deputy=users["deputy.chief"], starts_on=today,
                            ends_on=today + timedelta(days=7), note="ปลัดไปราชการต่างจังหวัด (ข้อมูลตัวอย่าง)")
    _load_categories(actor)
    for code in UNITS_WITH_SERIES:
        _load_series(actor, units[code])
    return units, users


def _load_categories(actor):
    for name_th, name_en in CATEGORIES:
        lists.create_category(actor, name_th=name_th, name_en=name_en)


def _load_series(actor, unit):
    for code, name_th, name_en, prefix, type_code in SERIES:
        registry.create_register(actor, unit=unit, code=code, direction=Direction.SEND, name_th=name_th,
                                 name_en=name_en, prefix=prefix,
                                 document_type=lists.document_type_by_code(type_code))


def logins_text():
    lines = [f"Demo logins (password for every one: {DEMO_PASSWORD}; signing PIN of the managers who sign: "
             f"{written_letters.DEMO_PIN})"]
    for username, name_th, _, position, unit_code, roles in USERS:
        role_names = ", ".join(role.value for role, _ in roles)
        lines.append(f"  {username:<22} {role_names:<18} {name_th} — {position}")
    return "\n".join(lines)
