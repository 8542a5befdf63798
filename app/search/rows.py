"""A hit as a row of the results, the same on screen and in the .xlsx: what a classified document may not
show (documents.classified) is left out here, once, for both."""
from dataclasses import dataclass

from app.core.thai_dates import BUDDHIST_ERA_OFFSET, format_date, format_datetime
from app.documents.classified import Shown
from app.documents.labels import SECRECY_LABELS, SPEED_LABELS
from app.search.labels import STATUS_LABELS

DIRECTION_PREFIX = {"receive": "รับ", "send": "ส่ง"}


@dataclass(frozen=True)
class ResultRow:
    document_id: int
    unit_name: str
    register_label: str
    doc_number: str
    dated: str
    received: str
    subject: str
    from_name: str
    to_names: str
    status: str
    speed: str
    secrecy: str
    content_visible: bool
    is_urgent: bool
    is_classified: bool


def result_row(hit, locale="th", timezone_name="Asia/Bangkok"):
    entry, document, visible = hit.entry, hit.document, hit.content_visible
    shown = Shown(document, visible)
    return ResultRow(
        document_id=document.id,
        unit_name=entry.unit.name(locale),
        register_label=register_label(entry, locale),
        doc_number=shown.doc_number,
        dated=format_date(document.dated, locale),
        received=format_datetime(entry.received_at, locale, timezone_name),
        subject=shown.subject,
        from_name=_sender(document, locale) if visible else "",
        to_names=shown.addressed_to,
        status=str(STATUS_LABELS.get(entry.status, entry.status)),
        speed=str(SPEED_LABELS.get(document.speed, "")) if document.speed != "normal" else "",
        secrecy=str(SECRECY_LABELS[document.secrecy]) if document.is_classified else "",
        content_visible=visible, is_urgent=document.speed != "normal", is_classified=document.is_classified)


def register_label(entry, locale="th"):
    """รับ 45/2569: the number in this unit's register and its Buddhist-Era year."""
    if entry.reg_number is None:
        return ""
    prefix = DIRECTION_PREFIX.get(entry.register_direction, "") if locale == "th" else ""
    year = entry.year + BUDDHIST_ERA_OFFSET if locale == "th" else entry.year
    return f"{prefix} {entry.reg_number}/{year}".strip()


def _sender(document, locale):
    """จาก: the unit of ours it came from, else the outside organisation, else the unit that wrote it."""
    if document.from_unit:
        return document.from_unit.name(locale)
    return document.from_text or document.owner_unit.name(locale)
