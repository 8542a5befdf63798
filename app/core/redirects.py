from urllib.parse import urlsplit


def safe_next_url(candidate, default):
    """Only same-site paths; an absolute or protocol-relative URL would be an open redirect."""
    if not candidate:
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
        return default
    return candidate
