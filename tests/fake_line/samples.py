"""Messages and events shaped like the ones in LINE's reference, and like the cards e-Saraban sends."""
import copy

USER_ID = "U4af4980629a6b2f1a5e8a1c4e6b0d9f3"
BOT_ID = "Uab12cd34ef56ab12cd34ef56ab12cd34"


def letter_bubble(subject="ขอเชิญประชุมคณะกรรมการ", uri="https://esaraban.example/documents/42"):
    """A notification card: coloured header, wrapped body texts, a separator and a URI button."""
    return {
        "type": "bubble",
        "size": "mega",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": "#0B5ED7", "contents": [
            {"type": "text", "text": "หนังสือเข้าใหม่", "color": "#FFFFFF", "weight": "bold", "size": "lg"}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "text", "text": subject, "weight": "bold", "wrap": True},
            {"type": "text", "text": "ที่ ลย 51001/123 · ด่วนที่สุด", "color": "#DC3545", "size": "sm",
             "wrap": True},
            {"type": "separator", "margin": "md"},
            {"type": "box", "layout": "baseline", "contents": [
                {"type": "text", "text": "กำหนดเสร็จ", "color": "#888888", "size": "sm", "flex": 2},
                {"type": "text", "text": "30 พ.ย. 2569", "size": "sm", "flex": 4}]}]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "color": "#0B5ED7", "height": "sm",
             "action": {"type": "uri", "label": "เปิดหนังสือ", "uri": uri}}]},
        "styles": {"footer": {"separator": True}},
    }


def flex(bubble=None, alt_text="หนังสือเข้าใหม่: ขอเชิญประชุมคณะกรรมการ"):
    return {"type": "flex", "altText": alt_text, "contents": bubble or letter_bubble()}


def push(*messages, to=USER_ID):
    return {"to": to, "messages": list(messages) or [flex()]}


def changed(document, path, value=None, delete=False):
    """A deep copy of `document` with the item at `path` (a list of keys and indexes) replaced or deleted."""
    document = copy.deepcopy(document)
    target = document
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


def event(kind, **fields):
    base = {"type": kind, "mode": "active", "timestamp": 1462629479859,
            "source": {"type": "user", "userId": USER_ID}, "webhookEventId": "01FZ74A0TDDPYRVKNK77XKC3ZR",
            "deliveryContext": {"isRedelivery": False}}
    base.update(fields)
    return base


def webhook_body(*events):
    return {"destination": BOT_ID, "events": list(events)}
