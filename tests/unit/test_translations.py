"""R1: every string of the UI is translatable, and translated into Thai."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
METHODS = [("app/**.py", "python"), ("forms/**.py", "python"), ("app/templates/**.html", "jinja2")]


def source_messages():
    found = set()
    for folder in ("app", "forms"):
        for _, _, message, _, _ in extract_from_dir(ROOT / folder, method_map=[
                (pattern.split("/", 1)[1], method) for pattern, method in METHODS if pattern.startswith(folder)],
                keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def thai_catalog():
    with open(ROOT / "app/translations/th/LC_MESSAGES/messages.po", "rb") as po_file:
        return read_po(po_file, locale="th")


def test_every_ui_string_has_a_thai_translation():
    catalog = thai_catalog()
    untranslated = sorted(m for m in source_messages() if m and not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == [], "run `make update-translations` and translate these in th/messages.po"


def test_thai_translations_keep_every_placeholder():
    import re

    def found(text):
        return sorted(re.findall(r"%\(\w+\)[sd]", text))

    for message in thai_catalog():
        if message.id and message.string:
            if message.pluralizable:  # WTForms' messages: Thai has one form, with the plural's placeholders
                for form in message.string:
                    assert found(form) == found(message.id[1]), message.id
            else:
                assert found(message.string) == found(message.id), message.id
