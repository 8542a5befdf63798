"""A register report as an Excel workbook (openpyxl), laid out to print on A4 landscape."""
import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.reports.queries import COLUMNS

# TH Sarabun New is the government's standard font (มติ ครม. 2553), installed on most office machines;
# elsewhere the spreadsheet program substitutes one.
FONT_NAME = "TH Sarabun New"
FONT_SIZE = 14
COLUMN_WIDTHS = (20, 9, 18, 13, 26, 26, 48, 26, 26)
TITLE_ROW, HEADER_ROW = 1, 3
CANCELLED_GREY = "808080"
THIN = Side(style="thin", color="A0A0A0")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def register_workbook(report):
    """The report as the bytes of an .xlsx file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(f"{report.register_name} {report.year_label}")
    _write_title(sheet, report)
    _write_header(sheet)
    for offset, row in enumerate(report.rows, start=1):
        _write_row(sheet, HEADER_ROW + offset, row)
    _set_layout(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_title(sheet, report):
    cell = sheet.cell(row=TITLE_ROW, column=1, value=cell_text(report.title))
    cell.font = Font(name=FONT_NAME, size=FONT_SIZE + 4, bold=True)
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(COLUMNS))


def _write_header(sheet):
    for column, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=name)
        cell.font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER


def _write_row(sheet, row_number, row):
    font = Font(name=FONT_NAME, size=FONT_SIZE, strike=row.cancelled,
                color=CANCELLED_GREY if row.cancelled else None)
    for column, value in enumerate(row.cells(), start=1):
        cell = sheet.cell(row=row_number, column=column, value=cell_text(value))
        if isinstance(value, str):
            cell.data_type = "s"  # typed text stays text: "=..." in a subject must not become a formula
        cell.font, cell.alignment, cell.border = font, TOP_WRAPPED, BORDER


def _set_layout(sheet):
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def cell_text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _sheet_title(text):
    return SHEET_NAME_FORBIDDEN.sub(" ", text)[:31]
