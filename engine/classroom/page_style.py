"""What the class report and a player's playthrough page share: the folder of their templates
(templates/: the markup, and the stylesheets page.css, shared, class_report.css and
playthrough.css, each page's own print layout), the environment that renders them, and the
colours their charts are drawn in. tests/classroom/test_printed_pages.py prints both pages with
headless Chromium and counts the sheets."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from engine.templating import environment

TEMPLATES = Path(__file__).with_name("templates")

# Colour-blind-safe colours (Okabe-Ito) for responses, in the order they are met.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
NO_RESPONSE = "#999999"


def pages() -> Environment:
    """The classroom's templates (cached: every call returns the same environment)."""
    return environment(TEMPLATES)
