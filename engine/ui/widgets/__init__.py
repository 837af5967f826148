"""Widgets, the pieces screens are built of; each lays itself out for a rect and draws itself.

- `document`: `Document`, wrapped paragraphs (`Block`s) in a scrolling viewport, with dialogue,
  drawn blocks and the typewriter;
- `buttons`: `Button` and `ButtonList` (numbered, locked, setting and text-field buttons; in a
  list, a row or two columns), and `draw_button`, which draws every button;
- `meters`: the meter panel, and `meter_guide` (each meter's label with its description);
- `chart`: the ending's chart of every meter across the playthrough;
- `toolbar`: `Toolbar`, the header's buttons in play (undo, history, save, load, settings, menu);
- `styles`, `shapes`: the text styles, and the shapes drawn alike everywhere (a rounded box,
  the marks for more above or below);
- `context`: `DrawingContext`, what widgets read from the app (which is one).
"""

from engine.ui.widgets.buttons import Button, ButtonList
from engine.ui.widgets.document import Block, Document

__all__ = ["Block", "Button", "ButtonList", "Document"]
