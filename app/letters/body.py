"""The text of a letter as an author types or pastes it, read into blocks the PDF lays out.

- A blank line starts a new paragraph. Line breaks inside a paragraph are where a PDF or a narrow window
  wrapped the text, so they are joined: with nothing between two Thai letters (Thai has no spaces between
  words, so a wrap may fall inside one), with a space otherwise (after a number, a Latin word).
- A line that starts with a number ("1.", "๑.", "(1)", "1)", "1.1") starts a numbered item.
- Lines that start with "|" are a table; a line of dashes under the first row makes it the header.
Nothing typed is ever read as HTML.
"""
import re
from dataclasses import dataclass, field

_ITEM = re.compile(r"^\s*(\(?[0-9๐-๙]+(?:\.[0-9๐-๙]+)*[.)]?)\s+(.*)$")
_THAI_LETTER = re.compile(r"[\u0e01-\u0e4e]")  # letters, vowels and marks; not Thai digits (๐-๙)
_RULE_ROW = re.compile(r"^[\s|:\-]+$")


@dataclass
class Paragraph:
    text: str


@dataclass
class Item:
    label: str
    text: str
    depth: int = 0  # 1.1 is one deeper than 1.


@dataclass
class Table:
    rows: list
    header: list = field(default_factory=list)


def parse(text):
    """The blocks of `text`, in order."""
    blocks, lines = [], (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    open_block = None
    for line in lines:
        stripped = line.strip()
        if not stripped:
            open_block = None
            continue
        if stripped.startswith("|"):
            open_block = _table_row(blocks, open_block, stripped)
            continue
        item = _ITEM.match(stripped)
        if item and _looks_numbered(item.group(1)):
            open_block = Item(item.group(1), item.group(2).strip(), depth=item.group(1).strip("().").count("."))
            blocks.append(open_block)
        elif isinstance(open_block, (Paragraph, Item)):
            open_block.text = join_wrapped(open_block.text, stripped)
        else:
            open_block = Paragraph(stripped)
            blocks.append(open_block)
    return blocks


def join_wrapped(before, after):
    if before and after and _THAI_LETTER.match(before[-1]) and _THAI_LETTER.match(after[0]):
        return before + after
    return f"{before} {after}".strip()


def _looks_numbered(label):
    # "2569 งบประมาณ" is a year, not item 2569: an item's number has a mark: "1.", "1)", "(1)", "1.1".
    return label.endswith((".", ")")) or label.startswith("(") or "." in label


def _table_row(blocks, open_block, line):
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    if not isinstance(open_block, Table):
        open_block = Table(rows=[])
        blocks.append(open_block)
    if _RULE_ROW.match(line) and len(open_block.rows) == 1 and not open_block.header:
        open_block.header = open_block.rows.pop()
    elif not _RULE_ROW.match(line):
        open_block.rows.append(cells)
    return open_block


def plain_text(text):
    """The body as running text (for search and for comparing revisions)."""
    parts = []
    for block in parse(text):
        if isinstance(block, Table):
            parts.extend(" ".join(row) for row in ([block.header] if block.header else []) + block.rows)
        elif isinstance(block, Item):
            parts.append(f"{block.label} {block.text}")
        else:
            parts.append(block.text)
    return "\n".join(parts)
