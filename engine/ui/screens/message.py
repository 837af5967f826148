"""Messages: a notice or a fault shown on screen (the game goes on), a question to confirm, and
the story-errors screen."""

from __future__ import annotations

from collections.abc import Callable

from engine.ui.app import App
from engine.ui.reading import count_problems
from engine.ui.registry import register_screen
from engine.ui.reload import reopen
from engine.ui.screens.base import MenuScreen, problem_blocks
from engine.ui.widgets import Block, Button


@register_screen
class MessageScreen(MenuScreen):
    """A title, a message and its details, and OK. Shown over whatever was on screen."""

    name = "message"
    overlay = True

    buttons_in_row = True

    def __init__(
        self,
        app: App,
        title: str,
        text: str,
        details: list[str] | None = None,
        actions: list[Button] | None = None,
    ) -> None:
        super().__init__(app)
        self.title = title
        self.text = text
        self.details = list(details or [])
        self.actions = list(actions or [])  # buttons after OK (the export's Open)

    def blocks(self) -> list[Block]:
        blocks = [Block(self.title, "heading"), Block(self.text, "body")]
        blocks += [Block(line, "note", space_before=0.3) for line in self.details]
        return blocks

    def buttons(self) -> list[Button]:
        return [Button("OK", self.back, key="ok"), *self.actions]


@register_screen
class ConfirmScreen(MenuScreen):
    """A question before something that cannot be taken back (saving over a save): the
    action's button, and Cancel, which is focused first. Shown over the screen that asks."""

    name = "confirm"
    overlay = True
    buttons_in_row = True

    def __init__(self, app: App, title: str, text: str, yes: str, then: Callable[[], None]) -> None:
        super().__init__(app)
        self.title = title
        self.text = text
        self.yes = yes
        self.then = then

    def blocks(self) -> list[Block]:
        return [Block(self.title, "heading"), Block(self.text, "body")]

    def buttons(self) -> list[Button]:
        return [
            Button("Cancel", self.back, key="cancel"),
            Button(self.yes, self.confirm, key="yes"),
        ]

    def confirm(self) -> None:
        self.app.pop()
        self.then()


@register_screen
class StoryErrorScreen(MenuScreen):
    """The story (or the classroom settings) could not be loaded: the diagnostics, one a line,
    and a way out; F5 tries again once they are fixed."""

    name = "story_errors"

    def __init__(self, app: App, path: str, headlines: list[str], what: str = "story") -> None:
        super().__init__(app)
        self.path = path
        self.headlines = headlines
        self.what = what  # 'story' or 'classroom'

    def header_text(self) -> str:
        return "Balance of Power"

    def hint(self) -> str:
        return "PgUp/PgDn scroll · F5 try again · Esc quit"

    def blocks(self) -> list[Block]:
        them = "it" if len(self.headlines) == 1 else "them"
        found = count_problems(self.headlines)
        if self.what == "classroom":
            return problem_blocks(
                "The classroom settings have errors",
                f"{self.path} cannot be used: {found}. Fix {them} and press F5 "
                "to try again, or start the game without --classroom.",
                self.headlines,
            )
        return problem_blocks(
            "This story has errors",
            f"{self.path} cannot be played: {found}. Fix {them} and press F5 "
            f"to try again; “python main.py validate {self.path}” lists {them} "
            "too.",
            self.headlines,
        )

    def buttons(self) -> list[Button]:
        return [
            Button("Try again", self.try_again, key="reload"),
            Button("Quit", self.app.quit, key="quit"),
        ]

    def try_again(self) -> None:
        reopen(self.app)

    def back(self) -> None:
        self.app.quit()
