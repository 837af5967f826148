"""`Toolbar`: small buttons in the header line (Undo, History, Save, Load, Settings, Menu), so
that a player with only a mouse can do during play what the keys do; each says its key.

They are laid out from the right of the header; when the header is too narrow for all of them
the least needed are left out (the menu, which holds them all, is always there). A button acts
when the mouse is released over the one it was pressed on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from engine.ui.layout import blit_text
from engine.ui.widgets.context import DrawingContext
from engine.ui.widgets.shapes import draw_box


@dataclass
class Tool:
    """A header button: its label, the key that does the same, what it does, and a name."""

    label: str
    key_hint: str
    on_activate: Callable[[], None]
    key: str
    rect: pygame.Rect | None = None

    @property
    def text(self) -> str:
        return f"{self.label} ({self.key_hint})"


class Toolbar:
    """Header buttons, given most needed first (the first is always shown), drawn in the
    order given from the left."""

    share = 0.62  # the most of the header's width the buttons take

    def __init__(self, ui: DrawingContext) -> None:
        self.ui = ui
        self.tools: list[Tool] = []
        self.shown: list[Tool] = []
        self.hover: Tool | None = None
        self.pressed: Tool | None = None

    @property
    def font(self) -> pygame.font.Font:
        return self.ui.fonts.get("sans", 0.8)

    def padding(self) -> int:
        return max(6, self.ui.fonts.body // 2)

    def layout(self, tools: list[Tool], need: list[str]) -> None:
        """Place `tools` (in drawing order) at the right of the header; `need` names them
        from the most to the least needed, the ones left out first when room is short."""
        header, cache = self.ui.frame.header, self.ui.text_cache
        font, pad = self.font, self.padding()
        spacing = max(4, pad // 2)
        widths = {tool.key: cache.width(font, tool.text) + pad * 2 for tool in tools}
        room = round(header.width * self.share)
        keep = list(need)
        while len(keep) > 1 and sum(widths[k] for k in keep) + spacing * (len(keep) - 1) > room:
            keep.pop()
        self.tools = tools
        self.shown = [tool for tool in tools if tool.key in keep]
        height = min(header.height - 2, font.get_linesize() + max(4, pad // 2))
        x = header.right
        for tool in reversed(self.shown):
            width = widths[tool.key]
            x -= width
            tool.rect = pygame.Rect(x, header.centery - height // 2, width, height)
            x -= spacing
        for tool in tools:
            if tool not in self.shown:
                tool.rect = None
        if self.hover not in self.shown:
            self.hover = None

    @property
    def left(self) -> int:
        """Where the buttons begin (the header's right when there are none)."""
        return min((t.rect.left for t in self.shown if t.rect), default=self.ui.frame.header.right)

    def hit(self, position: tuple[int, int]) -> Tool | None:
        return next((t for t in self.shown if t.rect and t.rect.collidepoint(position)), None)

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        """Hover lights a button; a left click on one does what it does. True when the event
        was the toolbar's."""
        if event.type == pygame.MOUSEMOTION:
            tool = self.hit(event.pos)
            changed = tool is not self.hover
            self.hover = tool
            return changed
        if getattr(event, "button", None) != 1:
            return False
        tool = self.hit(event.pos)
        if event.type == pygame.MOUSEBUTTONDOWN:
            self.pressed = tool
            return tool is not None
        if event.type == pygame.MOUSEBUTTONUP:
            pressed, self.pressed = self.pressed, None
            if tool is not None and tool is pressed:
                tool.on_activate()
                return True
            return tool is not None
        return False

    def draw(self, surface: pygame.Surface) -> None:
        ui, theme, cache = self.ui, self.ui.theme, self.ui.text_cache
        font, pad = self.font, self.padding()
        for tool in self.shown:
            rect = tool.rect
            lit = tool is self.hover
            fill = theme.focus_fill if lit else theme.background
            draw_box(
                surface,
                rect,
                fill,
                theme.accent if lit else theme.control_edge,
                1,
                max(3, pad // 2),
            )
            colour = theme.focus_text if lit else theme.muted
            text = cache.render(font, tool.text, colour, fill)
            position = (rect.left + pad, rect.top + (rect.height - text.get_height()) // 2)
            blit_text(surface, text, position, rect, ui.text_log, f"header button {tool.key}")
