"""Reading letters: the letter of a document, the letterhead, what a revision's page prints, and what
changed between two revisions."""
import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.messages import lazy_gettext as _l
from app.core.thai_dates import today_local
from app.extensions import db
from app.letters import kinds
from app.letters.models import COSIGNER_FIELD_PREFIX, Letter, Letterhead, LetterRevision, LetterTemplate
from app.letters.render import Cosigner, LetterContent
from app.org.models import Unit, UnitKind, User
from app.signing import queries as signing_queries


def letter_of(document):
    return db.session.scalars(select(Letter).where(Letter.document_id == document.id)).first()


def letters_of(document_ids):
    """The letters of these documents, by document id, with their revisions, in one query each."""
    if not document_ids:
        return {}
    return {letter.document_id: letter for letter in db.session.scalars(
        select(Letter).where(Letter.document_id.in_(set(document_ids))).options(selectinload(Letter.revisions)))}


def signed_revision_by_code(code):
    """The signed revision a verify code names (each signed revision, a correction too, has its own)."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return db.session.scalars(select(LetterRevision).where(LetterRevision.verify_code == code,
                                                           LetterRevision.signed_at.is_not(None))).first()


def awaits_correction_signature(document):
    """The document's letter was signed and its correction waits for a signature of its own."""
    letter = letter_of(document)
    return letter is not None and letter.is_correction


def correction_note(document):
    """What recipients of a signed correction are told, with the delivery."""
    letter = letter_of(document)
    if letter is None or len(letter.signed_revisions) < 2:
        return ""
    return f"หนังสือฉบับแก้ไข (ฉบับที่ {letter.current.number}): {letter.current.comment}".strip()[:500]


def letterhead():
    """The organisation's letterhead settings; the defaults until an admin saves them."""
    return db.session.scalars(select(Letterhead).order_by(Letterhead.id)).first() or Letterhead(
        address="", phone="", fax="", email="", font_family="Laksaman", thai_digits=True, buddhist_era=True)


def organisation_of(unit):
    """The organisation a unit belongs to: the nearest enclosing unit of the organisation kind, else the
    top of its tree."""
    while unit.parent is not None and unit.kind != UnitKind.ORGANISATION:
        unit = unit.parent
    return unit


def content_unit_name(unit):
    """ส่วนราชการ as a letter prints it: the unit, then its organisation."""
    organisation = organisation_of(unit)
    return unit.name_th if unit.id == organisation.id else f"{unit.name_th} {organisation.name_th}"


def content_for(letter, revision=None, *, signature=None, verification=None):
    """What the page of `revision` (the current one unless given) prints now: the document's number and
    date once it has them."""
    revision = revision or letter.current
    document = letter.document
    numbered = signature is not None or letter.signed_revision is not None  # a correction keeps its number
    unit = db.session.get(Unit, document.owner_unit_id)
    organisation = organisation_of(unit)
    return LetterContent(
        kind=revision.kind, subject=revision.subject, fields=revision.fields,
        organisation=organisation.name_th, unit_name=content_unit_name(unit), letter_code=unit.letter_code,
        circular=revision.circular, speed=document.speed, secrecy=document.secrecy,
        number=document.doc_number if numbered else "", dated=document.dated if numbered else None,
        today=today_local(), cosigners=cosigners_of(revision),
        signature=signature, verification=verification)


def cosigners_of(revision):
    """The co-signers' slots as the page prints them, in signing order."""
    ids = revision.cosigner_ids
    people = _people(ids)
    return [Cosigner(name=people[user_id].full_name_th, position=people[user_id].position_title or "",
                     slot=f"{COSIGNER_FIELD_PREFIX}{index}", user_id=user_id)
            for index, user_id in enumerate(ids, start=1) if user_id in people]


def awaited_cosigners(revision):
    """The names of the co-signers who have yet to sign `revision`, in signing order."""
    pending = set(revision.pending_cosigner_ids)
    return [cosigner.name for cosigner in cosigners_of(revision) if cosigner.user_id in pending]


def cosigner_choices(already_chosen=()):
    """Whom the letter form offers as co-signers: everyone able to sign now, and those the letter already
    names (so a save does not drop one whose certificate lapsed; the save then says why)."""
    able = signing_queries.people_able_to_sign()
    missing = [user_id for user_id in already_chosen if user_id not in {user.id for user in able}]
    return able + [user for user in _people(missing).values()]


def _people(user_ids):
    if not user_ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(list(user_ids))))}


SAMPLE_BODY = ("ตามที่ท่านได้ขอความอนุเคราะห์ใช้ห้องประชุม เพื่อจัดการประชุมประจำเดือน นั้น\n\n"
               "องค์การบริหารส่วนจังหวัดพิจารณาแล้ว ยินดีให้ใช้ห้องประชุมในวันที่ 15 มกราคม 2570\n\n"
               "จึงเรียนมาเพื่อโปรดทราบ")


def sample_content():
    """A sample external letter of the organisation, for the admin's letterhead preview."""
    organisation = db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.sort_order,
                                                                                           Unit.id)).first()
    name = organisation.name_th if organisation else ""
    return LetterContent(kind=kinds.LetterKind.EXTERNAL, subject="ตัวอย่างหัวจดหมาย (Sample)",
                         fields={"addressee": "ผู้อำนวยการตัวอย่าง", "body": SAMPLE_BODY,
                                 "signer_name": "(ชื่อผู้ลงนาม)", "signer_position": "ตำแหน่ง"},
                         organisation=name, unit_name=name,
                         letter_code=organisation.letter_code if organisation else "", today=today_local())


def default_type_for(kind):
    """The first active document type whose group a new letter of `kind` belongs to."""
    from app.documents.models import DocumentType

    groups = [group for group, of_kind in kinds.KIND_OF_TYPE_GROUP.items() if of_kind == kind]
    return db.session.scalars(select(DocumentType).where(DocumentType.group.in_(groups),
                                                         DocumentType.is_active.is_(True))
                              .order_by(DocumentType.sort_order, DocumentType.id)).first()


def templates_for(unit_ids):
    return db.session.scalars(select(LetterTemplate).where(
        LetterTemplate.unit_id.in_(list(unit_ids)), LetterTemplate.is_active.is_(True))
        .order_by(LetterTemplate.name)).all()


SUBJECT_LABEL, KIND_LABEL = _l("Subject (เรื่อง)"), _l("Kind of letter")
COSIGNERS_LABEL = _l("Co-signers (ลงนามร่วม)")


@dataclass
class FieldChange:
    label: object
    pieces: list  # (kind, text) with kind "same", "added" or "removed"


def changes(before, after):
    """What changed from revision `before` to `after`, field by field, character by character (Thai has no
    spaces to split words on)."""
    old, new = before.fields, after.fields
    result = []
    for name in kinds.Field:
        a, b = old.get(name, ""), new.get(name, "")
        if a != b:
            result.append(FieldChange(kinds.FIELD_LABELS[name], _pieces(a, b)))
    if before.cosigner_ids != after.cosigner_ids:
        people = _people(before.cosigner_ids + after.cosigner_ids)
        result.append(FieldChange(COSIGNERS_LABEL, _pieces(_names(before.cosigner_ids, people),
                                                           _names(after.cosigner_ids, people))))
    if before.subject != after.subject:
        result.insert(0, FieldChange(SUBJECT_LABEL, _pieces(before.subject, after.subject)))
    if before.kind != after.kind:
        result.insert(0, FieldChange(KIND_LABEL, [("removed", str(kinds.spec(before.kind).label)),
                                                  ("added", str(kinds.spec(after.kind).label))]))
    return result


def _names(user_ids, people):
    return "\n".join(people[user_id].full_name_th for user_id in user_ids if user_id in people)


def _pieces(a, b):
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", a[i1:i2]))
        if op in ("delete", "replace"):
            pieces.append(("removed", a[i1:i2]))
        if op in ("insert", "replace"):
            pieces.append(("added", b[j1:j2]))
    return pieces
