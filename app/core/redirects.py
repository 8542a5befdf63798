import unicodedata
from urllib.parse import urlsplit


def safe_next_url(candidate, default):
    """Only same-site paths; an absolute or protocol-relative URL would be an open redirect.

    Control characters are refused outright: CR/LF cannot go into a Location header (Werkzeug raises, a
    500), and browsers drop tabs and newlines from URLs, so "/\\t/evil.example" would be followed as
    "//evil.example". A backslash is refused because browsers read it as a slash ("/\\evil.example").
    """
    if not candidate or not isinstance(candidate, str):
        return default
    if any(unicodedata.category(char) == "Cc" for char in candidate) or "\\" in candidate:
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
        return default
    return candidate
