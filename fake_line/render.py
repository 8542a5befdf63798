"""A plain reading of the messages the app sent, for the demo page: what a LINE user would see, roughly.

Flex layout is not imitated. Each bubble becomes its blocks (header, hero, body, footer) in order, each a
list of lines: the texts of text components, links for URI buttons, rules for separators. Colours are kept
only when they are the hex colours LINE accepts, so nothing from a message reaches a style attribute
unchecked; links are kept only for http(s).
"""
import re

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$")
BLOCKS = ("header", "hero", "body", "footer")


def colour(value):
    return value if isinstance(value, str) and HEX_COLOUR.match(value) else None


def safe_link(uri):
    return uri if isinstance(uri, str) and uri.startswith(("https://", "http://")) else None


def _text_of(component):
    if component.get("contents"):
        return "".join(span.get("text", "") for span in component["contents"] if isinstance(span, dict))
    return str(component.get("text", ""))


def _lines(component):
    """The lines one component shows, boxes flattened in order."""
    kind = component.get("type")
    if kind == "box":
        return [line for child in component.get("contents", []) for line in _lines(child)]
    if kind == "text":
        action = component.get("action") or {}
        return [{"kind": "text", "text": _text_of(component), "colour": colour(component.get("color")),
                 "bold": component.get("weight") == "bold",
                 "uri": safe_link(action.get("uri")) if action.get("type") == "uri" else None}]
    if kind == "button":
        action = component.get("action") or {}
        return [{"kind": "link", "text": action.get("label") or action.get("uri") or action.get("type", ""),
                 "uri": safe_link(action.get("uri")) if action.get("type") == "uri" else None,
                 "colour": colour(component.get("color")), "style": component.get("style", "link")}]
    if kind == "separator":
        return [{"kind": "separator"}]
    if kind in ("image", "video", "icon"):
        return [{"kind": "media", "text": f"[{kind}]"}]
    return []


def _bubble(bubble):
    styles = bubble.get("styles") or {}
    blocks = []
    for name in BLOCKS:
        block = bubble.get(name)
        if isinstance(block, dict):
            background = colour(block.get("backgroundColor")) or colour((styles.get(name) or {}).get(
                "backgroundColor"))
            blocks.append({"name": name, "background": background, "lines": _lines(block)})
    return blocks


def message_card(message):
    """{altText, type, bubbles: [[block, ...], ...]} for one message object."""
    kind = message.get("type")
    card = {"type": kind, "altText": message.get("altText"), "bubbles": []}
    if kind == "flex":
        contents = message.get("contents") or {}
        bubbles = contents.get("contents", []) if contents.get("type") == "carousel" else [contents]
        card["bubbles"] = [_bubble(bubble) for bubble in bubbles]
    elif kind == "text":
        card["bubbles"] = [[{"name": "body", "background": None,
                             "lines": [{"kind": "text", "text": message.get("text", ""), "colour": None,
                                        "bold": False, "uri": None}]}]]
    else:
        card["bubbles"] = [[{"name": "body", "background": None,
                             "lines": [{"kind": "media", "text": f"[{kind}]"}]}]]
    return card
