"""The regulation's letter kinds (ระเบียบงานสารบรรณ ข้อ 9, แบบที่ 1–3 and the forms of คำสั่ง and ประกาศ):
which fields each one asks for and how its page is laid out. `../shared/research/letter-formats.md` has
the sources."""
from dataclasses import dataclass
from enum import StrEnum

from app.core.messages import lazy_gettext as _l
from app.documents.models import TypeGroup


class LetterKind(StrEnum):
    EXTERNAL = "external"          # หนังสือภายนอก (แบบที่ 1)
    MEMO = "memo"                  # หนังสือภายใน / บันทึกข้อความ (แบบที่ 2)
    STAMPED = "stamped"            # หนังสือประทับตรา (แบบที่ 3)
    ORDER = "order"                # คำสั่ง
    ANNOUNCEMENT = "announcement"  # ประกาศ


class Field(StrEnum):
    """What an author fills in. Subject, speed and secrecy are the document's own fields."""
    ADDRESSEE = "addressee"        # เรียน (ถึง on a stamped letter)
    REFERENCE = "reference"        # อ้างถึง
    ENCLOSURES = "enclosures"      # สิ่งที่ส่งมาด้วย, one per line
    BODY = "body"
    CLOSING = "closing"            # คำลงท้าย
    EFFECTIVE = "effective"        # ทั้งนี้ ตั้งแต่ ... (orders and announcements)
    COPY_TO = "copy_to"            # สำเนาส่ง
    CONTACT_UNIT = "contact_unit"  # ส่วนราชการเจ้าของเรื่อง
    CONTACT_PHONE = "contact_phone"
    CONTACT_FAX = "contact_fax"
    CONTACT_EMAIL = "contact_email"
    SIGNER_NAME = "signer_name"
    SIGNER_POSITION = "signer_position"
    ACTING_FOR = "acting_for"      # ปฏิบัติราชการแทน / รักษาราชการแทน <position>


@dataclass(frozen=True)
class KindSpec:
    kind: LetterKind
    label: object
    template: str
    fields: tuple
    garuda_cm: float
    closing: str = ""
    signed_by_seal: bool = False  # หนังสือประทับตรา: the agency's seal, initialled, in place of a signature

    @property
    def cosigned(self):
        """Co-signers (ลงนามร่วม) sign after the signer; a stamped letter carries the seal instead."""
        return not self.signed_by_seal


# The people who sign after the signer, in the order they sign: a list of user ids in a revision's fields,
# beside the typed ones (a choice of people, not text).
COSIGNERS = "cosigners"
MAX_COSIGNERS = 6

_CONTACT = (Field.CONTACT_UNIT, Field.CONTACT_PHONE, Field.CONTACT_FAX, Field.CONTACT_EMAIL)
_SIGNER = (Field.SIGNER_NAME, Field.SIGNER_POSITION, Field.ACTING_FOR)

KINDS = {spec.kind: spec for spec in (
    KindSpec(LetterKind.EXTERNAL, _l("External letter"), "letters/pdf/external.html",
             (Field.ADDRESSEE, Field.REFERENCE, Field.ENCLOSURES, Field.BODY, Field.CLOSING, *_SIGNER,
              *_CONTACT, Field.COPY_TO), garuda_cm=3.0, closing="ขอแสดงความนับถือ"),
    KindSpec(LetterKind.MEMO, _l("Memo (internal letter)"), "letters/pdf/memo.html",
             (Field.ADDRESSEE, Field.REFERENCE, Field.ENCLOSURES, Field.BODY, *_SIGNER, Field.CONTACT_PHONE),
             garuda_cm=1.5),
    KindSpec(LetterKind.STAMPED, _l("Stamped letter"), "letters/pdf/stamped.html",
             (Field.ADDRESSEE, Field.REFERENCE, Field.ENCLOSURES, Field.BODY, Field.SIGNER_NAME, *_CONTACT),
             garuda_cm=3.0, signed_by_seal=True),
    KindSpec(LetterKind.ORDER, _l("Order"), "letters/pdf/order.html",
             (Field.BODY, Field.EFFECTIVE, *_SIGNER), garuda_cm=3.0),
    KindSpec(LetterKind.ANNOUNCEMENT, _l("Announcement"), "letters/pdf/announcement.html",
             (Field.BODY, Field.EFFECTIVE, *_SIGNER), garuda_cm=3.0),
)}

# The kind a new letter of a document type starts as; a circular (ว) is an external letter or a memo.
KIND_OF_TYPE_GROUP = {
    TypeGroup.EXTERNAL: LetterKind.EXTERNAL, TypeGroup.INTERNAL: LetterKind.MEMO,
    TypeGroup.STAMPED: LetterKind.STAMPED, TypeGroup.DIRECTIVE: LetterKind.ORDER,
    TypeGroup.PUBLIC_RELATIONS: LetterKind.ANNOUNCEMENT, TypeGroup.CIRCULAR: LetterKind.EXTERNAL,
    TypeGroup.OFFICIAL_RECORD: LetterKind.MEMO,
}

FIELD_LABELS = {
    Field.ADDRESSEE: _l("To (เรียน)"), Field.REFERENCE: _l("Reference (อ้างถึง)"),
    Field.ENCLOSURES: _l("Enclosures, one per line"), Field.BODY: _l("Text of the letter"),
    Field.CLOSING: _l("Closing (คำลงท้าย)"), Field.EFFECTIVE: _l("In force from (ทั้งนี้ ตั้งแต่)"),
    Field.COPY_TO: _l("Copy to (สำเนาส่ง)"), Field.CONTACT_UNIT: _l("Unit in charge (ส่วนราชการเจ้าของเรื่อง)"),
    Field.CONTACT_PHONE: _l("Phone"), Field.CONTACT_FAX: _l("Fax"), Field.CONTACT_EMAIL: _l("E-mail"),
    Field.SIGNER_NAME: _l("Signer's name as printed"), Field.SIGNER_POSITION: _l("Signer's position"),
    Field.ACTING_FOR: _l("Acting-for line (ปฏิบัติราชการแทน / รักษาราชการแทน ...)"),
}


def spec(kind):
    return KINDS[LetterKind(kind)]
