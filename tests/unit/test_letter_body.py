"""The body of a letter as typed or pasted from a PDF (issue 15 item 2): paragraphs, numbered items, tables."""
from app.letters.body import Item, Paragraph, Table, parse, plain_text


def test_lines_wrapped_by_a_pdf_join_back_without_a_space_between_thai_letters():
    (paragraph,) = parse("ตามที่องค์การบริหารส่วนจัง\nหวัดเลยได้จัดโครงการ")
    assert paragraph == Paragraph("ตามที่องค์การบริหารส่วนจังหวัดเลยได้จัดโครงการ")


def test_after_a_number_or_a_latin_word_the_join_keeps_a_space():
    assert parse("ประจำปี พ.ศ. ๒๕๗๐\nในวันที่ 15\nมกราคม")[0].text == "ประจำปี พ.ศ. ๒๕๗๐ ในวันที่ 15 มกราคม"


def test_a_blank_line_starts_a_paragraph_and_numbers_start_items():
    blocks = parse("ในการนี้ ขอความอนุเคราะห์ ดังนี้\n๑. ห้องประชุม\n(2) ลานจอดรถ\n1.1 ที่จอดรถตู้\n\nจึงเรียนมา")
    assert blocks == [Paragraph("ในการนี้ ขอความอนุเคราะห์ ดังนี้"), Item("๑.", "ห้องประชุม"),
                      Item("(2)", "ลานจอดรถ"), Item("1.1", "ที่จอดรถตู้", depth=1), Paragraph("จึงเรียนมา")]


def test_a_year_at_the_start_of_a_line_is_not_an_item():
    assert parse("2570 เป็นปีงบประมาณ")[0] == Paragraph("2570 เป็นปีงบประมาณ")


def test_pipes_make_a_table_and_a_rule_under_the_first_row_makes_it_the_header():
    (table,) = parse("| รายการ | จำนวน |\n|---|---|\n| เก้าอี้ | 200 |")
    assert table == Table(rows=[["เก้าอี้", "200"]], header=["รายการ", "จำนวน"])


def test_typed_markup_is_text_never_html():
    (paragraph,) = parse("<b>ตัวหนา</b> & <script>")
    assert paragraph.text == "<b>ตัวหนา</b> & <script>"  # the template escapes it


def test_plain_text_keeps_the_reading_order():
    assert plain_text("ก\n\n1. ข\n| ค | ง |") == "ก\n1. ข\nค ง"
