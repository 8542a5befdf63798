"""Issue 12 item 9: NUL, control, bidi-override and zero-width characters never reach the database from a
form or a CSV import; every Thai character and mark, and everything else people write, stays as typed."""
import importlib
import inspect
import pkgutil

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField

import forms
from app.core.text import clean_line, clean_lines
from app.org.importing import parse_units_csv
from forms.fields import Form

THAI = "".join(chr(code) for code in range(0x0E01, 0x0E5C) if chr(code).isprintable())  # every Thai letter,
THAI_WORDS = "นางสาวกุลธิดา ก๊กเฮง ปู่ป่าป้า ฯลฯ ๑๒๓ ฿"                                # vowel, tone mark, digit
OTHER_KEPT = "Kunthida O'Neil – “quoted” 😀 👨\u200d👩\u200d👧 café"  # a family emoji is joined by U+200D
JUNK = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
        "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c", "\u200b", "\u2060", "\ufeff", "\u180e"]


def sprinkled(text):
    """`text` with every junk character pushed in between its letters."""
    out = []
    for index, char in enumerate(text):
        out += [char, JUNK[index % len(JUNK)]]
    return "".join(out) + "".join(JUNK)


def test_every_thai_character_and_mark_is_kept():
    assert len(THAI) == 87
    for text in (THAI, THAI_WORDS, OTHER_KEPT):
        assert clean_line(text) == text
        assert clean_lines(text) == text


@pytest.mark.parametrize("junk", JUNK, ids=[f"U+{ord(char):04X}" for char in JUNK])
def test_each_control_bidi_and_zero_width_character_is_removed(junk):
    assert clean_line(f"เรื่อง{junk}ทดสอบ") == "เรื่องทดสอบ"
    assert clean_lines(f"บันทึก{junk}ทดสอบ") == "บันทึกทดสอบ"


def test_a_reversed_file_name_in_a_subject_reads_as_typed():
    assert clean_line("ใบเสร็จ_\u202egpj.exe") == "ใบเสร็จ_gpj.exe"


def test_one_line_text_turns_line_breaks_into_spaces_many_lines_keep_them():
    assert clean_line("ขอเชิญประชุม\r\nคณะกรรมการ\tครั้งที่ 1") == "ขอเชิญประชุม คณะกรรมการ ครั้งที่ 1"
    assert clean_lines("บรรทัดแรก\r\nบรรทัดสอง\rบรรทัดสาม\n\tย่อหน้า") == "บรรทัดแรก\nบรรทัดสอง\nบรรทัดสาม\n\tย่อหน้า"


# ---- every form ---------------------------------------------------------------------------------------

def all_forms():
    for info in pkgutil.iter_modules(forms.__path__):
        module = importlib.import_module(f"forms.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Form) and cls is not Form and cls.__module__ == module.__name__:
                yield cls


@pytest.fixture
def request_context():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="x" * 32, WTF_CSRF_ENABLED=False)
    with app.test_request_context(method="POST"):
        yield


def test_every_form_of_the_app_is_built_on_the_cleaning_form():
    import flask_wtf

    plain = []
    for info in pkgutil.iter_modules(forms.__path__):
        module = importlib.import_module(f"forms.{info.name}")
        plain += [f"{module.__name__}.{name}" for name, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, flask_wtf.FlaskForm) and not issubclass(cls, Form)
                  and cls.__module__ == module.__name__]
    assert plain == []
    assert len(list(all_forms())) >= 30


def test_every_text_field_of_every_form_is_cleaned_and_passwords_are_left_alone(request_context):
    typed = f"ป่าไม้ {THAI_WORDS} {OTHER_KEPT}"
    checked = 0
    for form_class in all_forms():
        form = form_class(formdata=None)
        names = [field.name for field in form if isinstance(field, StringField)]
        if not names:
            continue
        submitted = form_class(formdata=MultiDict({name: sprinkled(typed) + "\r\nต่อ" for name in names}))
        for field in submitted:
            if not isinstance(field, StringField):
                continue
            where = f"{form_class.__name__}.{field.name}"
            if isinstance(field, PasswordField):
                assert field.data == sprinkled(typed) + "\r\nต่อ", where  # a secret is never altered
                continue
            checked += 1
            assert not any(junk in field.data for junk in JUNK), where
            assert "\r" not in field.data, where
            assert all(word.lower() in field.data.lower() for word in typed.split()), where  # codes: lower-cased
    assert checked >= 40


def test_a_subject_stays_on_one_line_and_a_note_keeps_its_lines(request_context):
    from forms.documents import DocumentForm

    form = DocumentForm(formdata=MultiDict({"subject": "  ขอเชิญ\u202eประชุม\r\nคณะกรรมการ\x00 ",
                                            "note": "ข้อ ๑\u200b\r\nข้อ ๒\x00"}))
    assert form.subject.data == "ขอเชิญประชุม คณะกรรมการ"
    assert form.note.data == "ข้อ ๑\nข้อ ๒"


# ---- CSV import -----------------------------------------------------------------------------------------

def test_names_imported_from_csv_are_cleaned_the_same_way():
    text = ("\ufeffcode,parent_code,kind,name_th,name_en,letter_code\n"
            "finance\u200b,,division,\"กองคลัง\u202e\x00\",Finance\u2066 Division\u2069,ลย 51001\u200f\n")
    [row] = parse_units_csv(text)
    assert (row["code"], row["name_th"], row["name_en"], row["letter_code"]) == (
        "finance", "กองคลัง", "Finance Division", "ลย 51001")
