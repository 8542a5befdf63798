"""Issue 12 item 1 (R34): a value put into a translated message is text, never markup, in every message of the
catalogue, in Thai and English, from Python (`_l`) and from templates (`_()`)."""
import pathlib
import re

import pytest
from babel.messages.pofile import read_po

from app import create_app
from app.core.messages import lazy_gettext
from tests.conftest import app_environ

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAYLOAD = """<b>x</b>"'><div hx-get=/>"""
PLACEHOLDER = re.compile(r"%\((\w+)\)(?:\.\d+)?([sdf])")


def messages_with_text_values():
    """Every message of the catalogue that takes a text value (numbers cannot carry markup)."""
    with open(ROOT / "app/translations/th/LC_MESSAGES/messages.po", "rb") as po_file:
        catalog = read_po(po_file, locale="th")
    return sorted({m.id for m in catalog if isinstance(m.id, str)
                   and any(kind == "s" for _, kind in PLACEHOLDER.findall(m.id))})


def values_for(message_id):
    return {name: 7 if kind in "df" else PAYLOAD for name, kind in PLACEHOLDER.findall(message_id)}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    database = tmp_path_factory.mktemp("escaping") / "app.sqlite3"
    return create_app({"TESTING": True}, environ=app_environ(f"sqlite:///{database}"))


@pytest.fixture(params=["th", "en"])
def page_context(app, request):
    with app.test_request_context("/", headers={"Accept-Language": request.param}):
        from flask import session

        session["locale"] = request.param
        yield app.jinja_env


def test_the_catalogue_has_messages_with_values():
    assert len(messages_with_text_values()) >= 30


@pytest.mark.parametrize("message_id", messages_with_text_values())
def test_a_value_in_a_python_message_is_escaped_in_the_page(page_context, message_id):
    values = values_for(message_id)
    page = page_context.from_string("<p>{{ message }}</p>").render(message=lazy_gettext(message_id, **values))

    assert "<b>" not in page and "<div hx-get" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.parametrize("message_id", messages_with_text_values()[:10])
def test_a_value_in_a_template_message_is_escaped(page_context, message_id):
    values = values_for(message_id)
    page = page_context.from_string("<p>{{ _(message_id, **values) }}</p>").render(
        message_id=message_id, values=values)

    assert "<b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_plain_text_of_a_message_keeps_the_value_as_typed(page_context):
    message = lazy_gettext("%(value)s is not a date.", value=PAYLOAD)

    assert PAYLOAD in str(message)  # logs, LINE cards and .xlsx cells take the text as it is


def test_a_message_inside_a_message_is_escaped_once(page_context):
    inner = lazy_gettext("Unknown unit kind: %(kind)s", kind=PAYLOAD)
    page = page_context.from_string("{{ m }}").render(m=lazy_gettext("Line %(line)d: %(problem)s", line=3,
                                                                       problem=inner))

    assert "&lt;b&gt;x&lt;/b&gt;" in page and "&amp;lt;" not in page


def test_no_module_takes_flask_babels_unescaped_lazy_strings():
    offenders = [str(path.relative_to(ROOT)) for folder in ("app", "forms", "workers")
                 for path in (ROOT / folder).rglob("*.py")
                 if re.search(r"from flask_babel import[^\n]*lazy_", path.read_text(encoding="utf-8"))
                 and path.name != "messages.py"]

    assert offenders == [], "take _l from app.core.messages"
