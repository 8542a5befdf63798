"""Search results as an Excel workbook, streamed row by row (openpyxl's write-only mode keeps memory flat
for tens of thousands of rows)."""
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from app.reports.xlsx import FONT_NAME, FONT_SIZE, cell_text
from app.search.queries import EXPORT_LIMIT
from app.search.rows import result_row

COLUMN_WIDTHS = (8, 26, 14, 20, 14, 20, 60, 30, 30, 20, 14, 14)


def results_workbook(chunks, locale="th", timezone_name="Asia/Bangkok"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Search results")[:31])
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header_font, font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True), Font(name=FONT_NAME, size=FONT_SIZE)
    sheet.append([_cell(sheet, name, header_font) for name in _headers()])
    count = 0
    for hits in chunks:
        for hit in hits:
            count += 1
            row = result_row(hit, locale, timezone_name)
            values = (count, row.unit_name, row.register_label, row.doc_number, row.dated, row.received,
                      row.subject, row.from_name, row.to_names, row.status, row.speed, row.secrecy)
            sheet.append([_cell(sheet, value, font) for value in values])
    if count >= EXPORT_LIMIT:
        sheet.append([_cell(sheet, _("Only the first %(count)d results are included; narrow the search.",
                                     count=EXPORT_LIMIT), header_font)])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _headers():
    return (_("No."), _("Unit"), _("Register number"), _("Document number"), _("Dated"), _("Received date"),
            _("Subject"), _("Sender"), _("To"), _("Status"), _("Speed"), _("Secrecy"))


def _cell(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=cell_text(value))
    if isinstance(value, str):
        cell.data_type = "s"  # typed text stays text: "=..." in a subject must not become a formula
    cell.font, cell.alignment = font, Alignment(vertical="top", wrap_text=isinstance(value, str))
    return cell
