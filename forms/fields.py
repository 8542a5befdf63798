def clean_text(value):
    """Text as services expect it: stripped, and '' rather than None for a field left out."""
    return (value or "").strip()
