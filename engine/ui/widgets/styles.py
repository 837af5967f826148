"""The text styles of documents and buttons: each a font role, a size relative to the body text,
and the theme colour it is drawn in."""

from __future__ import annotations

# style: (font role, size relative to the body text, theme colour role)
STYLES: dict[str, tuple[str, float, str]] = {
    "body": ("serif", 1.0, "text"),
    "body_small": ("serif", 0.88, "text"),  # choices, when that is what lets them all show
    "title": ("serif_bold", 1.55, "text"),
    "heading": ("serif_bold", 1.2, "text"),
    "subheading": ("sans_bold", 0.85, "accent"),
    "speaker": ("sans_bold", 0.8, "accent"),
    "speech": ("serif", 1.0, "text"),
    "feedback": ("serif", 1.0, "text"),  # roman: a page of italic is hard to read
    "chosen": ("serif_italic", 0.95, "muted"),
    "note": ("sans", 0.85, "muted"),
    "ui": ("sans", 0.95, "text"),
    "error": ("sans", 0.9, "text"),
}
