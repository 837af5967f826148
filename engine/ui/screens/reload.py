"""A reload that could not be used: the story's errors (file:line:col), or why the place in it
could not be kept; try again (F5), or go back to the version being played."""

from __future__ import annotations

from engine.story.model import Story
from engine.ui.app import App
from engine.ui.reading import count_problems
from engine.ui.registry import register_screen
from engine.ui.reload import reload_story, start_new_version
from engine.ui.screens.base import MenuScreen, problem_blocks
from engine.ui.widgets import Block, Button


@register_screen
class ReloadErrorScreen(MenuScreen):
    name = "reload_errors"
    button_share = 0.3
    buttons_in_row = True

    def __init__(
        self,
        app: App,
        path: str,
        headlines: list[str],
        lost_place: str | None = None,
        story: Story | None = None,
    ) -> None:
        super().__init__(app)
        self.path = path
        self.headlines = headlines
        self.lost_place = lost_place  # the new version loaded, but the place could not be kept
        self.story = story

    def hint(self) -> str:
        return "F5 try again · Esc back to the old version"

    def blocks(self) -> list[Block]:
        watching = (
            " (or just save the files: the game is watching them)"
            if self.app.settings.watch_story
            else ""
        )
        if self.lost_place:
            return [
                Block("Your place could not be kept", "title"),
                Block(
                    f"The new version of {self.path} loaded, but {self.lost_place}. "
                    "Start the new version at its title, fix the story and try again"
                    f"{watching}, or go back to playing the version loaded before.",
                    "body",
                ),
            ]
        them = "it" if len(self.headlines) == 1 else "them"
        return problem_blocks(
            "The story has errors",
            f"{self.path} could not be reloaded: "
            f"{count_problems(self.headlines)}. Fix {them} and press F5 to "
            f"try again{watching}, or go back to playing the version loaded "
            "before.",
            self.headlines,
        )

    def buttons(self) -> list[Button]:
        buttons = [Button("Try again", self.try_again, key="reload")]
        if self.lost_place and self.story is not None:
            buttons.append(Button("Start the new version", self.start_new, key="title"))
        buttons.append(Button("Back to the old version", self.back, key="back"))
        return buttons

    def try_again(self) -> None:
        reload_story(self.app)

    def start_new(self) -> None:
        start_new_version(self.app, self.story)

    def update(self, dt: float) -> bool:
        if self.app.story_changed():
            self.try_again()
        return False
