"""Cleaning text that people type, paste or import, before it is stored (issue 12 item 9).

Removed, because they are invisible and have no place in Thai or English official text, and some can
make a subject or a name display as something it is not:
- NUL and the other C0 controls, DEL and the C1 controls (a multi-line text keeps newline and tab);
- bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) and the direction
  marks U+200E, U+200F, U+061C: "abc" + U+202E + "gpj.exe" shows as "abcexe.jpg";
- zero-width spaces and joiners that only hide text: U+200B, U+2060, U+FEFF (a BOM pasted mid-text),
  U+180E. U+200C/U+200D are kept: they shape emoji sequences, and a name may carry one.
Every Thai letter, vowel, tone mark and digit (U+0E01-U+0E5B) is kept as it is.

Stripping rather than refusing: these characters arrive by copy and paste from PDFs, web pages and word
processors far more often than by intent, and removing them changes nothing a reader can see, so
refusing would only make a clerk hunt for an invisible character. Passwords are never cleaned (see
forms/fields.py): they are compared, not shown, and changing one would lock its owner out.
"""
import re

_INVISIBLE = "\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
_SINGLE_LINE_JUNK = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
_MULTI_LINE_JUNK = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_INVISIBLE}]")
_LINE_BREAKS = re.compile(r"\r\n?|\n|\t")


def clean_line(value):
    """One line of text (a name, a subject, a code): line breaks and tabs become spaces, junk goes."""
    if value is None:
        return None
    return _SINGLE_LINE_JUNK.sub("", _LINE_BREAKS.sub(" ", value))


def clean_lines(value):
    """Text of several lines (a note, an instruction): newlines (CR LF and CR become LF) and tabs stay."""
    if value is None:
        return None
    return _MULTI_LINE_JUNK.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
