"""The LINE Flex card of a notice: speed class (red from ด่วน up), what happened, the subject (hidden for a
classified document), from which unit, and a button that opens it in the app (login required).

Cards are built in Thai, the language of the organisation's LINE channel.
"""
from app.documents.models import Speed

EVENT_TITLES = {
    "arrival": "หนังสือเข้าใหม่",
    "assignment": "มอบหมายงานให้ท่าน",
    "instruction": "เสนอท่านเพื่อสั่งการ",
    "sign_request": "เสนอท่านเพื่อพิจารณาลงนาม",
    "sent_back": "ส่งกลับแก้ไข",
    "returned": "หนังสือถูกตีกลับ",
    "recalled": "ผู้ส่งดึงหนังสือกลับ",
    "due_soon": "ใกล้ครบกำหนด",
    "overdue": "เกินกำหนดแล้ว",
    "line_paused": "LINE หยุดส่งข้อความ",
}
SPEED_TEXT = {"normal": "ปกติ", "urgent": "ด่วน", "very_urgent": "ด่วนมาก", "most_urgent": "ด่วนที่สุด"}
RED, GREY, DARK = "#D32F2F", "#8A8A8A", "#1F2937"
CLASSIFIED_SUBJECT = "หนังสือชั้นความลับ: เปิดอ่านในระบบ"
MAX_ALT_TEXT = 400
NO_LINK_EVENTS = frozenset({"recalled"})  # the recipient may no longer open a recalled document


def card(notification, base_url):
    document = notification.document
    title = EVENT_TITLES.get(notification.event, notification.event)
    speed = document.speed if document else Speed.NORMAL
    subject = _subject(document) if document else notification.text
    body = [_text(title, weight="bold", size="lg", color=DARK), _text(subject, wrap=True, color=DARK)]
    if notification.from_unit is not None:
        body.append(_text(f"จาก {notification.from_unit.name_th}", size="sm", color=GREY, wrap=True))
    if notification.text and document is not None and not document.is_classified:
        body.append(_text(notification.text[:300], size="sm", color=GREY, wrap=True))
    bubble = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "contents": [
            _text(SPEED_TEXT.get(speed, speed), weight="bold", color=RED if speed != Speed.NORMAL else GREY)]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
    }
    if document is not None and notification.event not in NO_LINK_EVENTS:
        bubble["footer"] = {"type": "box", "layout": "vertical", "contents": [{
            "type": "button", "style": "primary",
            "action": {"type": "uri", "label": "เปิดหนังสือ", "uri": f"{base_url}/documents/{document.id}"}}]}
    return {"type": "flex", "altText": f"{title}: {subject}"[:MAX_ALT_TEXT], "contents": bubble}


def _subject(document):
    return CLASSIFIED_SUBJECT if document.is_classified else document.subject


def _text(text, **style):
    return {"type": "text", "text": text or "-", **style}


def link_invitation(link_url):
    """The reply to a new friend of the official account: a button to link their e-Saraban login."""
    return {"type": "flex", "altText": "เชื่อมบัญชี LINE กับระบบสารบรรณอิเล็กทรอนิกส์", "contents": {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            _text("ระบบสารบรรณอิเล็กทรอนิกส์", weight="bold", size="lg", color=DARK),
            _text("เชื่อมบัญชี LINE กับบัญชีผู้ใช้ของท่าน เพื่อรับแจ้งเตือนหนังสือเข้าใหม่", wrap=True)]},
        "footer": {"type": "box", "layout": "vertical", "contents": [{
            "type": "button", "style": "primary",
            "action": {"type": "uri", "label": "เชื่อมบัญชี", "uri": link_url}}]}}}
