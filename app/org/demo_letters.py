"""The demo letters: three months of อบจ.เลย's correspondence, so each demo role finds real work at once.

Each letter is a short story told through the real services (app/handling, app/routing, app/documents) by
the demo users who would do each step: a paper letter arrives and is registered, routed, instructed,
worked on, proposed, signed and closed; memos go between divisions and are read, registered, returned or
recalled; outgoing letters and circulars climb the signing chain and leave with their numbers. A story
stops at the state it is meant to show (arrived, registered, with the manager, at work, awaiting a
signature, signed, sent back, returned, recalled, overdue, closed, ...).

The steps of all stories run in time order on past working days (`clock_at`), so register numbers, audit
events and notices run with the dates. A seeded random makes the same demo every time.
"""
import heapq
import random
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.core.actor import Actor
from app.core.models import clock_at
from app.core.thai_dates import today_local
from app.documents import lists
from app.documents.models import Secrecy, Speed
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.letters import demo as written_letters
from app.routing import services as routing
from app.routing.models import Delivery, DeliveryStatus

SEED = 2569
DAYS_BACK = 92  # calendar days of history
BANGKOK = ZoneInfo("Asia/Bangkok")

# Who does what in each unit that works on letters: clerk, manager giving instructions, operator, the
# managers a proposal climbs (the last one signs).
DESKS = {
    "palad.general": ("saraban", "palad.head", "palad.officer", ("palad.head", "palad.director", "chief")),
    "finance": ("finance.clerk", "finance.director", "finance.officer", ("finance.head", "finance.director")),
    "engineering": ("engineering.clerk", "engineering.director", "engineering.officer",
                    ("engineering.director", "deputy.chief")),
    "strategy": ("strategy.clerk", "strategy.director", "strategy.clerk", ("strategy.director",)),
    "health": ("health.clerk", "health.director", "health.clerk", ("health.director", "chief")),
    "education": ("education.clerk", "education.director", None, ("education.director",)),
    "supplies": ("supplies.clerk", None, "supplies.clerk", ("deputy.chief", "chief")),
    "personnel": ("personnel.clerk", None, "personnel.clerk", ("chief",)),
}

# Who writes to อบจ.เลย from outside: name and the start of their letter numbers.
SENDERS = [
    ("ศาลากลางจังหวัดเลย", "ลย 0017.2"),
    ("สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย", "ลย 0023.3"),
    ("กรมส่งเสริมการปกครองท้องถิ่น", "มท 0808.2"),
    ("สำนักงานตรวจเงินแผ่นดินจังหวัดเลย", "ตผ 0061"),
    ("อำเภอเมืองเลย", "ลย 0318"),
    ("อำเภอเชียงคาน", "ลย 0321"),
    ("เทศบาลเมืองเลย", "ลย 52001"),
    ("สำนักงานสาธารณสุขจังหวัดเลย", "ลย 0032"),
    ("สำนักงานคลังจังหวัดเลย", "กค 0423.42"),
    ("สำนักงานทางหลวงชนบทจังหวัดเลย", "คค 0713"),
    ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเลย เขต 1", "ศธ 04133"),
    ("ที่ทำการปกครองจังหวัดเลย", "ลย 0017.1"),
]

# Subjects by the unit they are for (paper letters from outside, worked on there).
EXTERNAL = {
    "palad.general": [
        "ขอเชิญประชุมคณะกรมการจังหวัดเลย ประจำเดือน",
        "ขอความร่วมมือรายงานผลการดำเนินงานตามแผนพัฒนาท้องถิ่น",
        "การจัดงานประเพณีผีตาโขน อำเภอด่านซ้าย",
        "ขอความอนุเคราะห์รถบรรทุกน้ำช่วยเหลือผู้ประสบภัยแล้ง",
        "ขอเชิญร่วมพิธีวางพวงมาลาเนื่องในวันปิยมหาราช",
        "ร้องเรียนกรณีไฟฟ้าส่องสว่างริมทางหลวงท้องถิ่นชำรุด",
        "ขอความร่วมมือประชาสัมพันธ์โครงการลดการเผาในที่โล่ง",
        "รายงานสถานการณ์อุทกภัยในพื้นที่อำเภอเชียงคาน",
        "การเตรียมความพร้อมรับมือสาธารณภัยช่วงฤดูหนาว",
        "ขอใช้สถานที่ศูนย์ประชุมอบจ.เลย จัดอบรมอาสาสมัคร",
        "แนวทางการจัดงานวันเด็กแห่งชาติ",
        "ขอความร่วมมือตรวจสอบข้อมูลผู้มีสิทธิเลือกตั้ง",
        "การประเมินประสิทธิภาพขององค์กรปกครองส่วนท้องถิ่น (LPA)",
        "ขอเชิญร่วมงานกาชาดและงานดอกฝ้ายบานจังหวัดเลย",
    ],
    "finance": [
        "แจ้งกำหนดการตรวจสอบการเงินประจำปีงบประมาณ",
        "ซักซ้อมแนวทางการเบิกจ่ายเงินอุดหนุนทั่วไป",
        "แจ้งการโอนเงินภาษีมูลค่าเพิ่มตาม พ.ร.บ.กำหนดแผนฯ",
        "ขอให้รายงานงบแสดงฐานะการเงินประจำไตรมาส",
        "การจัดเก็บภาษีบำรุงองค์การบริหารส่วนจังหวัดจากสถานค้าปลีกน้ำมัน",
        "ขอสำเนาฎีกาเบิกจ่ายโครงการก่อสร้างถนนลาดยาง",
    ],
    "engineering": [
        "ขอรับการสนับสนุนงบประมาณซ่อมแซมถนนสายบ้านนาอ้อ–บ้านศรีสองรัก",
        "ขอให้ตรวจสอบสะพานข้ามลำน้ำเลยที่ชำรุด",
        "แจ้งผลการตรวจรับงานก่อสร้างรางระบายน้ำ",
        "ขออนุญาตใช้เขตทางหลวงท้องถิ่นวางท่อประปา",
        "ขอความอนุเคราะห์เครื่องจักรกลขุดลอกหนองน้ำสาธารณะ",
    ],
    "strategy": [
        "ซักซ้อมแนวทางการจัดทำงบประมาณรายจ่ายประจำปี",
        "ขอข้อมูลโครงการเพื่อบรรจุในแผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖–๒๕๗๐)",
        "การติดตามและประเมินผลแผนพัฒนาท้องถิ่น",
    ],
    "health": [
        "การป้องกันและควบคุมโรคไข้เลือดออก",
        "ขอความร่วมมือรณรงค์ฉีดวัคซีนไข้หวัดใหญ่",
        "การถ่ายโอนภารกิจโรงพยาบาลส่งเสริมสุขภาพตำบล",
        "ขอรับการสนับสนุนทรายอะเบทและน้ำยาพ่นหมอกควัน",
    ],
    "education": [
        "ขอเชิญส่งนักเรียนเข้าร่วมการแข่งขันทักษะวิชาการ",
        "การจัดสรรงบประมาณอาหารกลางวันโรงเรียนในสังกัด",
        "ขอเชิญร่วมงานบุญประเพณีแห่ต้นดอกเผิ่ง",
    ],
    "supplies": [
        "ขอความร่วมมือตรวจสอบพัสดุประจำปี",
        "แจ้งราคากลางวัสดุก่อสร้างประจำไตรมาส",
        "ขอให้ส่งแผนการจัดซื้อจัดจ้างประจำปีงบประมาณ",
    ],
    "personnel": [
        "ขอข้อมูลบุคลากรเพื่อประกอบการพิจารณาเลื่อนขั้นเงินเดือน",
        "การรับสมัครบุคคลเพื่อสรรหาเป็นพนักงานจ้าง",
        "แจ้งหลักสูตรฝึกอบรมข้าราชการส่วนท้องถิ่น",
    ],
}

# Memos between divisions: from unit, to unit, subject.
MEMOS = [
    ("finance", "palad.general", "ขอให้ส่งหลักฐานการเบิกค่าเบี้ยประชุมสภาองค์การบริหารส่วนจังหวัด"),
    ("engineering", "finance", "ขอเบิกเงินค่าจ้างงวดที่ ๓ โครงการก่อสร้างถนนลาดยางสายวังสะพุง"),
    ("strategy", "engineering", "ขอข้อมูลโครงการก่อสร้างเพื่อจัดทำร่างข้อบัญญัติงบประมาณ"),
    ("health", "supplies", "ขอให้จัดซื้อเวชภัณฑ์สำหรับหน่วยบริการสาธารณสุข"),
    ("personnel", "palad.general", "ส่งรายชื่อผู้เข้ารับการอบรมหลักสูตรการเขียนหนังสือราชการ"),
    ("education", "finance", "ขอเบิกเงินอุดหนุนค่าอาหารกลางวันโรงเรียนในสังกัด"),
    ("supplies", "engineering", "ขอให้ตรวจรับวัสดุก่อสร้างโครงการซ่อมแซมอาคารศูนย์ประชุม"),
    ("palad.general", "personnel", "ขอให้ปรับปรุงทะเบียนประวัติพนักงานจ้าง"),
    ("finance", "strategy", "รายงานผลการเบิกจ่ายงบประมาณไตรมาสที่ ๔"),
    ("engineering", "palad.general", "ขออนุมัติใช้รถยนต์ส่วนกลางออกตรวจพื้นที่อำเภอภูเรือ"),
    ("strategy", "health", "ขอให้ส่งแผนงานโครงการด้านสาธารณสุขประจำปี"),
    ("palad.general", "finance", "ขอให้ตรวจสอบหลักฐานการจ่ายค่าสาธารณูปโภค"),
    ("health", "palad.general", "ขอใช้ห้องประชุมชั้น ๒ จัดประชุมเครือข่ายอาสาสมัครสาธารณสุข"),
    ("personnel", "finance", "ส่งบัญชีถือจ่ายเงินเดือนพนักงานส่วนจังหวัด"),
    ("supplies", "palad.general", "แจ้งผลการจัดซื้อครุภัณฑ์สำนักงาน"),
    ("education", "supplies", "ขอให้จัดซื้อวัสดุการศึกษาสำหรับศูนย์พัฒนาเด็กเล็ก"),
]

# Letters a division writes and has signed: unit, subject, recipient units (ours) or an outside recipient.
OUTGOING = [
    ("palad.general", "ขอเชิญประชุมหัวหน้าส่วนราชการประจำเดือน",
     ["finance", "engineering", "strategy", "health"]),
    ("palad.general", "ขอความอนุเคราะห์ข้อมูลผู้ประสบภัยหนาว", "ที่ทำการปกครองจังหวัดเลย"),
    ("finance", "ส่งรายงานการรับจ่ายเงินประจำเดือน", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย"),
    ("finance", "แจ้งแนวทางการส่งใช้เงินยืมราชการ", ["palad.general", "engineering", "education"]),
    ("engineering", "แจ้งแผนการซ่อมบำรุงถนนทางหลวงท้องถิ่น", "สำนักงานทางหลวงชนบทจังหวัดเลย"),
    ("health", "ขอความร่วมมือรณรงค์กำจัดแหล่งเพาะพันธุ์ยุงลาย", "สำนักงานสาธารณสุขจังหวัดเลย"),
    ("supplies", "ประกาศผู้ชนะการเสนอราคาจ้างซ่อมแซมอาคารสำนักงาน", "เทศบาลเมืองเลย"),
    ("personnel", "ขอส่งตัวพนักงานเข้ารับการฝึกอบรม", "กรมส่งเสริมการปกครองท้องถิ่น"),
    ("palad.general", "ตอบข้อหารือการใช้ที่ดินสาธารณประโยชน์", "อำเภอเมืองเลย"),
    ("engineering", "ขอความเห็นแบบก่อสร้างอาคารศูนย์พัฒนาเด็กเล็ก", ["education", "strategy"]),
    ("finance", "ขอให้ตรวจสอบหนี้ค้างชำระภาษีบำรุง อบจ.", "สำนักงานคลังจังหวัดเลย"),
    ("health", "ขอรายงานผลการดำเนินงานป้องกันโรคไข้เลือดออก", ["palad.general", "education"]),
]

CIRCULARS = [
    "ซักซ้อมการปฏิบัติงานสารบรรณตามระเบียบสำนักนายกรัฐมนตรี",
    "มาตรการประหยัดพลังงานในสำนักงาน",
    "กำหนดวันหยุดราชการและการจัดเวรยามช่วงเทศกาลปีใหม่",
]
CIRCULAR_UNITS = ["palad.general", "finance", "engineering", "strategy", "education", "health", "supplies",
                  "personnel", "audit"]

INSTRUCTIONS = ["ดำเนินการตามระเบียบ แล้วรายงานให้ทราบ", "มอบผู้รับผิดชอบประสานงานและเสนอร่างหนังสือตอบ",
                "ทราบ ให้ดำเนินการโดยด่วน", "ตรวจสอบข้อเท็จจริงแล้วสรุปเสนอ",
                "แจ้งผู้เกี่ยวข้องทราบและถือปฏิบัติ"]
PROGRESS = ["ประสานหน่วยงานที่เกี่ยวข้องแล้ว รอข้อมูลเพิ่มเติม", "รวบรวมเอกสารหลักฐานครบแล้ว",
            "จัดทำร่างหนังสือตอบเสร็จแล้ว", "ลงพื้นที่ตรวจสอบแล้ว อยู่ระหว่างสรุปผล"]
SEND_BACKS = ["ขอให้แก้ไขวันที่และตรวจทานตัวเลขงบประมาณอีกครั้ง", "ขอให้แนบเอกสารประกอบให้ครบถ้วน",
              "ถ้อยคำในย่อหน้าที่ ๒ ยังไม่ชัดเจน โปรดปรับปรุง"]
RETURN_NOTES = ["ไม่ใช่ภารกิจของกอง โปรดส่งกองคลัง", "เอกสารแนบไม่ครบ ขาดสำเนาสัญญา",
                "ส่งผิดหน่วยงาน โปรดตรวจสอบผู้รับ"]

# The incoming stories and where each one stops; paper letters get the first, memos the second list.
PAPER_ENDINGS = ["closed"] * 14 + ["registered"] * 5 + ["with_manager"] * 5 + ["at_work"] * 6 + \
    ["overdue"] * 5 + ["awaiting_signature"] * 6 + ["signed"] * 3 + ["sent_back"] * 3 + ["done"] * 2 + \
    ["forwarded"] * 2
MEMO_ENDINGS = ["arrived"] * 5 + ["read"] * 2 + ["closed"] * 4 + ["registered"] * 2 + ["at_work"] * 2 + \
    ["returned"] * 3 + ["recalled"] * 2
OUTGOING_ENDINGS = ["dispatched"] * 6 + ["awaiting_signature"] * 4 + ["revise"] * 2
# How many working days before the last one each ending's story starts: finished work is older.
AGE = {"closed": (20, 60), "forwarded": (15, 55), "done": (5, 30), "signed": (3, 25), "overdue": (15, 40),
       "at_work": (2, 15), "sent_back": (3, 15), "awaiting_signature": (1, 10), "with_manager": (0, 6),
       "registered": (0, 4), "arrived": (0, 2), "read": (0, 3), "returned": (2, 30), "recalled": (2, 30),
       "dispatched": (10, 58), "revise": (2, 12)}


class Demo:
    """What the stories share: the organisation, the reference lists, the seeded random and the calendar."""

    def __init__(self, units, users, today):
        self.units, self.users, self.rng, self.today = units, users, random.Random(SEED), today
        self.days = _working_days(today)
        self.types = {code: lists.document_type_by_code(code)
                      for code in ("external", "internal", "stamped", "circular", "order", "announcement")}
        self.categories = lists.categories()
        self.methods = {code: lists.delivery_method_by_code(code)
                        for code in ("post", "registered_post", "email", "hand", "system")}
        self._subjects = {unit: self.rng.sample(items, len(items)) for unit, items in EXTERNAL.items()}
        self._letter_numbers = {}

    def actor(self, username):
        return Actor(user=self.users[username], address="demo")

    def day(self, index):
        """The working day `index` places from the oldest one (clamped to the last)."""
        return self.days[max(0, min(index, len(self.days) - 1))]

    def start(self, ending):
        low, high = AGE[ending]
        return len(self.days) - 1 - self.rng.randint(low, high)

    def subject(self, unit_code):
        pool = self._subjects[unit_code]
        pool.append(pool.pop(0))
        return pool[-1]

    def speed_and_secrecy(self):
        roll = self.rng.random()
        speed = (Speed.MOST_URGENT if roll < 0.05 else Speed.VERY_URGENT if roll < 0.12
                 else Speed.URGENT if roll < 0.25 else Speed.NORMAL)
        secrecy = Secrecy.SECRET if self.rng.random() < 0.04 else (
            Secrecy.CONFIDENTIAL if self.rng.random() < 0.06 else Secrecy.NORMAL)
        return speed, secrecy

    def letter_number(self, prefix):
        self._letter_numbers[prefix] = self._letter_numbers.get(prefix, self.rng.randint(150, 900)) + \
            self.rng.randint(3, 40)
        return f"{prefix}/{_thai_digits(self._letter_numbers[prefix])}"


def load(units, users):
    """Write the demo letters for the organisation `load` in app/org/demo.py has just made."""
    demo = Demo(units, users, today_local())
    stories = []
    paper_units = [unit for unit in DESKS for _ in range(len(EXTERNAL[unit]))]
    paper_units = _spread(demo, paper_units * 2, len(PAPER_ENDINGS))
    for ending, unit_code in zip(_spread(demo, PAPER_ENDINGS), paper_units):
        if ending in ("with_manager",) and DESKS[unit_code][1] is None:
            unit_code = "palad.general"
        if ending not in ("registered", "with_manager", "forwarded") and DESKS[unit_code][2] is None:
            unit_code = "finance"
        stories.append((demo.start(ending), _paper_letter(demo, unit_code, ending)))
    for (from_code, to_code, subject), ending in zip(MEMOS * 2, _spread(demo, MEMO_ENDINGS)):
        stories.append((demo.start(ending), _memo(demo, from_code, to_code, subject, ending)))
    for (unit_code, subject, to), ending in zip(OUTGOING, _spread(demo, OUTGOING_ENDINGS)):
        stories.append((demo.start(ending), _outgoing(demo, unit_code, subject, to, ending)))
    for number, subject in enumerate(CIRCULARS):
        stories.append((len(demo.days) - 1 - (50, 25, 3)[number], _circular(demo, subject)))
    stories.extend(written_letters.stories(demo))
    return _run(demo, stories)


def _run(demo, stories):
    """Run every story's steps in time order. A story yields the working day (from its start) of its next
    step; the time of day is drawn, and a story's steps never go back in time."""
    heap, made = [], 0
    for order, (start, story) in enumerate(stories):
        offset = next(story)
        heapq.heappush(heap, (_when(demo, start + offset, None), order, start, story))
    while heap:
        moment, order, start, story = heapq.heappop(heap)
        with clock_at(moment):
            try:
                offset = story.send(moment)
            except StopIteration:
                made += 1
                continue
        heapq.heappush(heap, (_when(demo, start + offset, moment), order, start, story))
    return made


def _when(demo, index, after):
    local = datetime.combine(demo.day(index), time(8, 30), BANGKOK) + timedelta(
        minutes=demo.rng.randint(0, 7 * 60))
    moment = local.astimezone(timezone.utc).replace(tzinfo=None)
    if after is not None and moment <= after:
        moment = after + timedelta(minutes=demo.rng.randint(5, 40))
    return moment


# --- the stories ------------------------------------------------------------------------------------------

def _paper_letter(demo, unit_code, ending):
    """A letter from outside, by post or by hand, received and worked on in `unit_code`."""
    clerk = DESKS[unit_code][0]
    sender, prefix = demo.rng.choice(SENDERS)
    speed, secrecy = demo.speed_and_secrecy()
    arrived = yield 0  # each yield gives the working day of the next step and gets its moment
    details = DocumentDetails(
        type=demo.types["external"], subject=demo.subject(unit_code), doc_number=demo.letter_number(prefix),
        dated=_local_date(arrived) - timedelta(days=demo.rng.randint(1, 6)), from_text=sender,
        addressed_to="นายกองค์การบริหารส่วนจังหวัดเลย", category=demo.rng.choice(demo.categories),
        delivery_method=demo.methods[demo.rng.choice(("post", "registered_post", "hand", "email"))],
        secrecy=secrecy, speed=speed, due_date=_due_date(demo, arrived, ending))
    document, _ = handling.receive_paper_letter(demo.actor(clerk), unit=demo.units[unit_code],
                                                details=details)
    yield from _work(demo, document, unit_code, ending)


def _memo(demo, from_code, to_code, subject, ending):
    """A memo (บันทึกข้อความ) a division's clerk sends straight to another division."""
    sender_clerk, receiver_clerk = DESKS[from_code][0], DESKS[to_code][0]
    sent = yield 0
    speed, secrecy = demo.speed_and_secrecy()
    details = DocumentDetails(
        type=demo.types["internal"], subject=subject, dated=_local_date(sent),
        from_unit=demo.units[from_code], addressed_to=f"ผู้อำนวยการ{demo.units[to_code].name_th}",
        category=demo.rng.choice(demo.categories), delivery_method=demo.methods["system"],
        speed=speed, secrecy=secrecy, recipient_units=[demo.units[to_code]],
        due_date=_due_date(demo, sent, ending))
    actor = demo.actor(sender_clerk)
    document = create_document(actor, owner_unit=demo.units[from_code], details=details)
    [delivery] = routing.send(actor, document, from_unit=demo.units[from_code],
                              to_units=[demo.units[to_code]])
    if ending == "arrived":
        return
    yield 1 if ending != "recalled" else 0
    if ending == "recalled":
        routing.recall(actor, delivery)
        return
    routing.mark_read(demo.actor(receiver_clerk), delivery)
    if ending == "read":
        return
    yield 1
    if ending == "returned":
        routing.return_to_sender(demo.actor(receiver_clerk), delivery, demo.rng.choice(RETURN_NOTES))
        return
    handling.register_delivery(demo.actor(receiver_clerk), delivery)
    yield from _work(demo, document, to_code, ending, offset=1)


def _work(demo, document, unit_code, ending, offset=0):
    """A registered letter's way through the unit (flow 2), up to `ending`."""
    clerk, manager, operator, chain = DESKS[unit_code]
    work = handling_queries.open_handling(document, demo.units[unit_code])
    if ending == "registered":
        return
    yield offset + demo.rng.randint(0, 1)
    if ending == "forwarded":
        others = [code for code in ("finance", "engineering", "strategy") if code != unit_code]
        handling.forward(demo.actor(clerk), work, to_units=[demo.units[others[0]]], note="เพื่อดำเนินการต่อ")
        return
    if manager is not None:
        handling.to_manager(demo.actor(clerk), work, manager=demo.users[manager],
                            note="เรียนเสนอเพื่อโปรดพิจารณา")
        if ending == "with_manager":
            return
        yield offset + demo.rng.randint(1, 2)
        handling.assign(demo.actor(manager), work, operator=demo.users[operator],
                        instruction=demo.rng.choice(INSTRUCTIONS))
    else:
        handling.assign(demo.actor(clerk), work, operator=demo.users[operator])
    offset += 2
    yield offset + demo.rng.randint(1, 3)
    handling.report_progress(demo.actor(operator), work, text=demo.rng.choice(PROGRESS),
                             percent_done=demo.rng.choice((20, 40, 50, 60)))
    if ending in ("at_work", "overdue"):
        return
    offset += 4
    yield offset
    if ending == "done" or (ending == "closed" and demo.rng.random() < 0.5):
        handling.finish_work(demo.actor(operator), work, text="ดำเนินการเรียบร้อยแล้ว")
        if ending == "done":
            return
    else:
        yield from _sign(demo, work, operator, [m for m in chain if m != operator], ending, offset)
        if ending in ("awaiting_signature", "sent_back", "signed"):
            return
    yield offset + 6
    handling.close(demo.actor(clerk), work, note="ดำเนินการแล้ว เก็บเข้าแฟ้ม")


def _sign(demo, work, proposer, chain, ending, offset):
    """The proposal climbs `chain`; the last manager signs (or one sends it back)."""
    handling.propose(demo.actor(proposer), work, reviewer=demo.users[chain[0]],
                     text="เรียนเสนอเพื่อโปรดพิจารณาลงนาม")
    if ending == "sent_back":
        yield offset + 1
        handling.send_back(demo.actor(chain[0]), work, demo.rng.choice(SEND_BACKS))
        return
    climb = chain if ending != "awaiting_signature" else _partway(demo, chain)
    for step, (reviewer, after) in enumerate(zip(climb, climb[1:])):
        yield offset + 1 + step
        handling.endorse(demo.actor(reviewer), work, next_reviewer=demo.users[after],
                         comment="เห็นควรอนุมัติ")
    if ending == "awaiting_signature":
        return
    yield offset + len(climb) + 1
    handling.sign(demo.actor(climb[-1]), work, comment="อนุมัติ")


def _outgoing(demo, unit_code, subject, to, ending):
    """A letter the unit writes, has signed, and sends out with its send number (flow 3)."""
    clerk, _, operator, chain = DESKS[unit_code]
    writer = operator if operator and demo.users[operator].unit_id == demo.units[unit_code].id else clerk
    chain = [m for m in chain if m != writer]
    written = yield 0
    inside = isinstance(to, list)
    method = "system" if inside else demo.rng.choice(("post", "registered_post", "email"))
    details = DocumentDetails(
        type=demo.types["internal" if inside else "external"], subject=subject,
        addressed_to="ผู้อำนวยการกองที่เกี่ยวข้อง" if inside else f"เรียน {to}",
        category=demo.rng.choice(demo.categories),
        delivery_method=demo.methods[method], speed=demo.speed_and_secrecy()[0],
        recipient_units=[demo.units[code] for code in to] if inside else [],
        recipient_texts=[] if inside else [to],
        due_date=_local_date(written) + timedelta(days=14) if inside else None)
    document = create_document(demo.actor(writer), owner_unit=demo.units[unit_code], details=details)
    work = handling.propose_outgoing(demo.actor(writer), document, unit=demo.units[unit_code],
                                     reviewer=demo.users[chain[0]], text="เรียนเสนอร่างหนังสือเพื่อโปรดลงนาม")
    if ending == "revise":
        yield 1
        handling.send_back(demo.actor(chain[0]), work, demo.rng.choice(SEND_BACKS))
        return
    climb = chain if ending == "dispatched" else _partway(demo, chain)
    for step, (reviewer, after) in enumerate(zip(climb, climb[1:])):
        yield 1 + step
        handling.endorse(demo.actor(reviewer), work, next_reviewer=demo.users[after], comment="เห็นควรลงนาม")
    if ending == "awaiting_signature":
        return
    yield len(climb) + 1
    handling.sign(demo.actor(climb[-1]), work, comment="ลงนามแล้ว")
    if inside:
        yield from _receive_all(demo, document, to, len(climb) + 2)


def _circular(demo, subject):
    """A circular (หนังสือเวียน, numbered ว) from สำนักปลัด, signed by the ปลัด, to every division."""
    written = yield 0
    details = DocumentDetails(
        type=demo.types["circular"], subject=subject, addressed_to="ผู้อำนวยการกองทุกกอง",
        category=demo.categories[0], delivery_method=demo.methods["system"],
        recipient_units=[demo.units[code] for code in CIRCULAR_UNITS],
        due_date=_local_date(written) + timedelta(days=30))
    director = demo.actor("palad.director")
    document = create_document(director, owner_unit=demo.units["palad"], details=details)
    work = handling.propose_outgoing(director, document, unit=demo.units["palad"],
                                     reviewer=demo.users["chief"], text="เรียนเสนอหนังสือเวียนเพื่อโปรดลงนาม")
    yield 1
    handling.sign(demo.actor("chief"), work, comment="ลงนามแล้ว แจ้งเวียนทุกกอง")
    yield from _receive_all(demo, document, CIRCULAR_UNITS, 2)


def _receive_all(demo, document, unit_codes, offset):
    """The deliveries of a signed letter at each recipient: most are registered and closed, the recent
    ones still wait in the inbox."""
    deliveries = db.session.scalars(select(Delivery).where(
        Delivery.document_id == document.id, Delivery.status == DeliveryStatus.SENT)
        .order_by(Delivery.id)).all()
    for number, delivery in enumerate(deliveries):
        code = delivery.to_unit.code
        clerk = DESKS[code][0] if code in DESKS else "audit.head"
        if (yield offset + number % 3) > _past(demo, 3):
            continue  # recent: still new in the unit's inbox
        routing.mark_read(demo.actor(clerk), delivery)
        handling.register_delivery(demo.actor(clerk), delivery)
        work = handling_queries.open_handling(document, delivery.to_unit)
        if (yield offset + number % 3 + 2) > _past(demo, 6):
            continue
        handling.close(demo.actor(clerk), work, note="รับทราบ แจ้งเวียนภายในกองแล้ว")


def history_start(today):
    """Seven in the morning of the first working day of the history (naive UTC): the organisation's birth."""
    first = _working_days(today)[0]
    return datetime.combine(first, time(7, 0), BANGKOK).astimezone(timezone.utc).replace(tzinfo=None)


# --- helpers ----------------------------------------------------------------------------------------------

def _working_days(today):
    days, day = [], today - timedelta(days=DAYS_BACK)
    while day < today:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _past(demo, working_days):
    """The moment `working_days` working days before the last one (naive UTC), for "is this recent?"."""
    return datetime.combine(demo.day(len(demo.days) - 1 - working_days), time(23, 0))


def _partway(demo, chain):
    """How far up the chain a proposal awaiting signature has come: mostly to the one who signs."""
    return chain[:max(1, len(chain) - demo.rng.choice((0, 0, 1)))]


def _spread(demo, items, count=None):
    shuffled = list(items)
    demo.rng.shuffle(shuffled)
    return shuffled[:count] if count else shuffled


def _local_date(moment):
    return moment.replace(tzinfo=timezone.utc).astimezone(BANGKOK).date()


def _due_date(demo, arrived, ending):
    """Most letters to act on have a due date; an overdue one's has passed, a few fall due today or
    tomorrow, others are further ahead."""
    if ending == "overdue":
        return _local_date(arrived) + timedelta(days=demo.rng.randint(5, 10))
    if ending in ("at_work", "with_manager", "registered") and demo.rng.random() < 0.2:
        return demo.today + timedelta(days=demo.rng.randint(0, 1))  # due soon: today or tomorrow
    if ending in ("closed", "at_work", "with_manager", "registered", "awaiting_signature", "sent_back"):
        if demo.rng.random() < 0.6:
            return max(_local_date(arrived) + timedelta(days=demo.rng.randint(15, 30)),
                       demo.days[-1] + timedelta(days=demo.rng.randint(1, 10)))
    return None


def _thai_digits(number):
    return str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
