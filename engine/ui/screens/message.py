"""Messages: a notice or a fault shown on screen (the game goes on), and the story-errors screen."""

from __future__ import annotations

from engine.ui.app import App
from engine.ui.screens.base import MenuScreen
from engine.ui.widgets import Block, Button


class MessageScreen(MenuScreen):
    """A title, a message and its details, and OK. Shown over whatever was on screen."""

    name = "message"
    overlay = True

    def __init__(self, app: App, title: str, text: str, details: list[str] | None = None):
        super().__init__(app)
        self.title = title
        self.text = text
        self.details = list(details or [])

    def blocks(self) -> list[Block]:
        blocks = [Block(self.title, "heading"), Block(self.text, "body")]
        blocks += [Block(line, "note", space_before=0.3) for line in self.details]
        return blocks

    def buttons(self) -> list[Button]:
        return [Button("OK", self.back, key="ok")]


class StoryErrorScreen(MenuScreen):
    """The story could not be loaded: its diagnostics, one a line, and a way out."""

    name = "story_errors"

    def __init__(self, app: App, path: str, headlines: list[str]):
        super().__init__(app)
        self.path = path
        self.headlines = headlines

    def header_text(self) -> str:
        return "Balance of Power"

    def hint(self) -> str:
        return "PgUp/PgDn scroll · Enter quit"

    def blocks(self) -> list[Block]:
        count = len(self.headlines)
        blocks = [Block("This story has errors", "title"),
                  Block(f"{self.path} cannot be played: {count} problem"
                        f"{'s' if count != 1 else ''} found. Fix {'it' if count == 1 else 'them'} "
                        "and start the game again; “python main.py validate "
                        f"{self.path}” lists {'it' if count == 1 else 'them'} too.", "body")]
        blocks += [Block(line, "error", space_before=0.4) for line in self.headlines[:200]]
        return blocks

    def buttons(self) -> list[Button]:
        return [Button("Quit", self.app.quit, key="quit")]

    def back(self) -> None:
        self.app.quit()
