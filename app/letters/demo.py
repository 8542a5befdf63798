"""Demo letters written and signed in the system (issue 15), so a newcomer sees the feature at once: an
external letter, memos (one co-signed), a stamped letter under the organisation's seal, an order and an
announcement written in the E-Form, endorsed up the chain and signed with the signing PIN; one waits for the
chief's signature.

They are stories for app/org/demo_letters.py's runner: each yields the working day of its next step.
"""
from app.letters import services
from app.letters.kinds import COSIGNERS, Field, LetterKind

DEMO_PIN = "Loei-2569-pin"  # every demo signer's signing PIN (printed with the demo logins)
SIGNERS = ("palad.director", "chief", "palad.head")  # each costs a PIN derivation and a certificate
LETTERHEAD = {"address": "ถนนมลิวรรณ ตำบลกุดป่อง\nอำเภอเมืองเลย จังหวัดเลย 42000", "phone": "0 4281 0000",
              "fax": "", "email": "saraban@example.go.th", "font_family": "Laksaman", "thai_digits": True,
              "buddhist_era": True}  # a demo address: the real office types its own in Admin → หัวหนังสือ

BODY_EXTERNAL = """ด้วยองค์การบริหารส่วนจังหวัดเลย กำหนดจัดโครงการฝึกอบรมเพิ่มประสิทธิภาพผู้นำท้องถิ่น
ประจำปีงบประมาณ พ.ศ. ๒๕๗๐ ระหว่างวันที่ ๑๕ – ๑๖ มกราคม ๒๕๗๐ ณ หอประชุมอำเภอเมืองเลย

ในการนี้ จึงขอความอนุเคราะห์ท่านแจ้งกำนันและผู้ใหญ่บ้านในเขตอำเภอเมืองเลยเข้ารับการฝึกอบรม ดังนี้
๑. กำนัน ตำบลละ ๑ คน
๒. ผู้ใหญ่บ้าน หมู่บ้านละ ๑ คน

จึงเรียนมาเพื่อโปรดพิจารณาให้ความอนุเคราะห์ ขอขอบคุณมา ณ โอกาสนี้"""

BODY_MEMO = """เรื่องเดิม
สำนักปลัดองค์การบริหารส่วนจังหวัดเลย กำหนดประชุมพนักงานประจำเดือนธันวาคม ๒๕๖๙

ข้อพิจารณา
เพื่อให้การประชุมเป็นไปด้วยความเรียบร้อย จึงขออนุญาตใช้ห้องประชุมใหญ่และเครื่องเสียง ดังนี้
| รายการ | จำนวน |
|---|---|
| ห้องประชุมใหญ่ | ๑ ห้อง |
| ไมโครโฟนไร้สาย | ๔ ตัว |

จึงเรียนมาเพื่อโปรดพิจารณาอนุญาต"""

BODY_ORDER = """เพื่อให้การตรวจรับพัสดุตามโครงการซ่อมแซมถนนลาดยางสายบ้านนาอ้อ – บ้านนาโป่ง เป็นไปด้วยความ
เรียบร้อยตามระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐
จึงแต่งตั้งคณะกรรมการตรวจรับพัสดุ ประกอบด้วย
๑. ผู้อำนวยการกองช่าง ประธานกรรมการ
๒. หัวหน้าฝ่ายก่อสร้างและซ่อมบำรุง กรรมการ
๓. นายช่างโยธา กรรมการ

ให้คณะกรรมการมีหน้าที่ตรวจรับพัสดุให้ถูกต้องครบถ้วนตามสัญญา"""

BODY_ANNOUNCEMENT = """ด้วยองค์การบริหารส่วนจังหวัดเลย จะดำเนินการสอบราคาจ้างปรับปรุงอาคารสำนักงาน
จึงขอประกาศให้ผู้ที่สนใจยื่นซองเสนอราคาได้ตั้งแต่วันที่ ๘ – ๒๒ ธันวาคม ๒๕๖๙ ณ กองพัสดุและทรัพย์สิน

ผู้สนใจติดต่อขอรับเอกสารได้ในวันและเวลาราชการ"""

BODY_REPORT = """ตามคำสั่งองค์การบริหารส่วนจังหวัดเลย แต่งตั้งคณะกรรมการตรวจรับพัสดุ โครงการจัดซื้อเครื่องคอมพิวเตอร์
สำหรับสำนักปลัด จำนวน ๑๐ เครื่อง นั้น

คณะกรรมการได้ตรวจรับพัสดุเมื่อวันที่ ๒๖ พฤศจิกายน ๒๕๖๙ ถูกต้องครบถ้วนตามสัญญาแล้ว

จึงเรียนมาเพื่อโปรดทราบ"""

BODY_STAMPED = """ตามที่ท่านขอใช้หอประชุมองค์การบริหารส่วนจังหวัดเลย เพื่อจัดงานวันผู้สูงอายุ ในวันที่ ๑๓ เมษายน ๒๕๗๐ นั้น

องค์การบริหารส่วนจังหวัดเลยพิจารณาแล้ว อนุญาตให้ใช้หอประชุมตามที่ขอ"""

# (unit, writer, kind, document type, subject, fields, recipient units, the chain, how it ends)
WRITTEN = [
    ("palad.general", "palad.officer", LetterKind.EXTERNAL, "external",
     "ขอความอนุเคราะห์แจ้งกำนันและผู้ใหญ่บ้านเข้ารับการฝึกอบรม",
     {Field.ADDRESSEE: "นายอำเภอเมืองเลย", Field.BODY: BODY_EXTERNAL, Field.ENCLOSURES: "กำหนดการฝึกอบรม",
      Field.CONTACT_UNIT: "สำนักปลัด องค์การบริหารส่วนจังหวัดเลย", Field.CONTACT_PHONE: "0 4281 0000"},
     (), ("palad.head", "palad.director", "chief"), "signed"),
    ("palad.general", "palad.officer", LetterKind.MEMO, "internal", "ขออนุญาตใช้ห้องประชุมใหญ่ประจำเดือนธันวาคม",
     {Field.ADDRESSEE: "ปลัดองค์การบริหารส่วนจังหวัดเลย", Field.BODY: BODY_MEMO, Field.CONTACT_PHONE: "1102"},
     ("finance",), ("palad.head", "palad.director"), "signed"),
    ("palad.general", "palad.officer", LetterKind.MEMO, "internal", "รายงานผลการตรวจรับพัสดุ",
     {Field.ADDRESSEE: "ปลัดองค์การบริหารส่วนจังหวัดเลย", Field.BODY: BODY_REPORT, Field.CONTACT_PHONE: "1102",
      COSIGNERS: ("palad.head",)},  # the committee's other member signs after the director
     ("finance",), ("palad.head", "palad.director"), "signed"),
    ("palad.general", "palad.officer", LetterKind.ORDER, "order", "แต่งตั้งคณะกรรมการตรวจรับพัสดุ",
     {Field.BODY: BODY_ORDER, Field.EFFECTIVE: "วันที่ ๑ ธันวาคม ๒๕๖๙"},
     ("engineering",), ("palad.head", "palad.director", "chief"), "signed"),
    ("palad.general", "palad.officer", LetterKind.STAMPED, "stamped", "แจ้งผลการพิจารณาคำขอใช้สถานที่",
     {Field.ADDRESSEE: "ประธานชมรมผู้สูงอายุจังหวัดเลย", Field.BODY: BODY_STAMPED,
      Field.CONTACT_UNIT: "สำนักปลัด องค์การบริหารส่วนจังหวัดเลย", Field.CONTACT_PHONE: "0 4281 0000"},
     (), ("palad.head", "palad.director"), "signed"),
    ("palad.general", "palad.officer", LetterKind.ANNOUNCEMENT, "announcement",
     "สอบราคาจ้างปรับปรุงอาคารสำนักงาน", {Field.BODY: BODY_ANNOUNCEMENT},
     (), ("palad.head", "palad.director", "chief"), "awaiting_signature"),
]


def prepare(actor, users):
    """The letterhead, the organisation's electronic seal, and the demo signers' PIN and certificate from
    the organisation's CA."""
    from app.signing import seal_services
    from app.signing import services as signing

    services.save_letterhead(actor, values=LETTERHEAD)
    seal_services.issue_seal(actor)
    for username in SIGNERS:
        signing.set_pin(actor, users[username], pin=DEMO_PIN)
        signing.issue_certificate(actor, users[username])


def publish_revocation_list():
    from app.signing import services as signing

    signing.refresh_crl()


def stories(demo):
    """(start day, story) for app/org/demo_letters.py's runner, in the last weeks of the history."""
    last = len(demo.days) - 1
    return [(last - 12 + 2 * index, _written(demo, *spec)) for index, spec in enumerate(WRITTEN)]


def _written(demo, unit_code, writer, kind, type_code, subject, fields, to, chain, ending):
    from app.handling import services as handling

    yield 0
    fields = dict(fields)
    cosigners = [demo.users[username] for username in fields.pop(COSIGNERS, ())]
    draft = services.LetterDraft(
        kind=kind, subject=subject, recipient_units=[demo.units[code] for code in to],
        fields={**fields, Field.SIGNER_NAME: demo.users[chain[-1]].full_name_th,
                Field.SIGNER_POSITION: demo.users[chain[-1]].position_title},
        cosigner_ids=[user.id for user in cosigners])
    letter, _ = services.start_letter(demo.actor(writer), owner_unit=demo.units[unit_code],
                                      document_type=demo.types[type_code], draft=draft)
    work = handling.propose_outgoing(demo.actor(writer), letter.document, unit=demo.units[unit_code],
                                     reviewer=demo.users[chain[0]], text="เรียนเสนอร่างหนังสือเพื่อโปรดลงนาม")
    for step, (reviewer, after) in enumerate(zip(chain, chain[1:])):
        yield 1 + step
        handling.endorse(demo.actor(reviewer), work, next_reviewer=demo.users[after], comment="เห็นควรลงนาม")
    if ending == "awaiting_signature":
        return
    yield len(chain)
    handling.sign(demo.actor(chain[-1]), work, comment="ลงนามแล้ว", pin=DEMO_PIN, seen_revision=1)
    for cosigner in cosigners:
        yield len(chain)
        handling.cosign(demo.actor(cosigner.username), work, comment="ลงนามร่วม", pin=DEMO_PIN)
