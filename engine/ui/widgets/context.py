"""What a widget draws with: `DrawingContext`, the few things it reads from the app.

Widgets take the app as their context but know it only by this protocol, so that the widgets
never import the app that owns them (the app, which owns the meter panel, imports the widgets).
"""

from __future__ import annotations

from typing import Protocol

import pygame

from engine.ui.fonts import Fonts, TextCache
from engine.ui.layout import Frame, TextLog
from engine.ui.theme import Theme


class DrawingContext(Protocol):
    """The fonts, the rendered-text cache, the log of the text drawn in this frame, the theme,
    and the window with its frame (every rect computed from the window size). `App` is one."""

    @property
    def fonts(self) -> Fonts: ...

    @property
    def text_cache(self) -> TextCache: ...

    @property
    def text_log(self) -> TextLog: ...

    @property
    def theme(self) -> Theme: ...

    @property
    def window(self) -> pygame.Rect: ...

    @property
    def frame(self) -> Frame: ...
