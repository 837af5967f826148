"""Before a new game: the player's name or code (when a class asks for it), the story's content
note, then the partner's name and pronouns."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from engine.classroom.game import PLAYER_LIMIT
from engine.story.text import PRONOUN_SETS, Partner
from engine.ui import navigation
from engine.ui.app import App
from engine.ui.fonts import drawable
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen, TwoColumnScreen
from engine.ui.widgets import Block, Button
from engine.ui.widgets.meters import meter_guide

NAME_LIMIT = 40
PRONOUN_LABELS = {"they": "they / them", "she": "she / her", "he": "he / him"}
# Keys that leave a text field alone (they move, choose, go back); other keys type.
FIELD_KEYS = (
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_TAB,
    pygame.K_RETURN,
    pygame.K_KP_ENTER,
    pygame.K_ESCAPE,
    pygame.K_F1,
    pygame.K_F5,
    pygame.K_F11,
)


@register_screen
class ContentNoteScreen(TwoColumnScreen):
    """The story's content note, with the support text when the story has one, and how to
    read the meters (unless a class keeps them for the ending): in a wide window the meters
    stand in a column of their own beside the note, so that all of it shows at once."""

    name = "content_note"

    def hint(self) -> str:
        return "Enter continue · Esc back"

    def note_blocks(self) -> list[Block]:
        story = self.app.game.story
        blocks = [Block("Before you begin", "title")]
        if story.content_note:
            blocks.append(Block(" ".join(story.content_note.split()), "body"))
        return blocks

    def support_blocks(self) -> list[Block]:
        support = self.app.game.story.support
        return [Block(" ".join(support.split()), "note")] if support else []

    def main_blocks(self) -> list[Block]:
        return self.note_blocks() + self.support_blocks()

    def side_blocks(self, space_before: float = 1.2) -> list[Block]:
        if not navigation.meters_explained_before_play(self.app):
            return []
        return meter_guide(self.app.game.story, space_before=space_before)

    def one_column_blocks(self) -> list[Block]:
        # The note, then the meters (short, and needed to read the play screen), then the
        # support text (long, and also on the title screen and in the pause menu).
        blocks = self.note_blocks() + self.side_blocks() + self.support_blocks()
        if len(blocks) == 1:
            blocks.append(Block("This story has no content note.", "body"))
        return blocks

    def buttons(self) -> list[Button]:
        return [
            Button("Continue", self.go_on, key="continue"),
            Button("Back to the title", self.back, key="back"),
        ]

    def go_on(self) -> None:
        navigation.to_partner(self.app)


class FieldScreen(MenuScreen):
    """A menu with a text field: letters, digits and Space type into it while it has the focus,
    Backspace deletes, Enter moves on to the next button. What is typed is kept as it is drawn
    (`fonts.drawable`): no control characters (NUL), nothing invisible (U+FE0F, zero-width
    spaces), accents composed with their letters."""

    limit = NAME_LIMIT

    def __init__(self, app: App, text: str = "", untouched: bool = False) -> None:
        super().__init__(app)
        self.text = text
        self.untouched = untouched  # a suggested text goes as soon as the player types
        pygame.key.start_text_input()

    @property
    def editing(self) -> bool:
        focused = self.button_list.focused
        return focused is not None and focused.field

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.editing and event.type == pygame.KEYDOWN:
            if event.key == pygame.K_BACKSPACE:
                self.text = "" if self.untouched else self.text[:-1]
                self.untouched = False
                self.refresh()
                return
            if event.key not in FIELD_KEYS:
                return  # letters and digits arrive as TEXTINPUT
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.field_entered()
                return
        super().handle_event(event)

    def field_entered(self) -> None:
        self.button_list.move(1)

    def handle_text(self, text: str) -> None:
        if not self.editing:
            return
        if self.untouched:
            self.text, self.untouched = "", False
        self.text = drawable(self.text + text)[: self.limit]
        self.refresh()

    def back(self) -> None:
        pygame.key.stop_text_input()
        self.app.pop()


@register_screen
class PlayerScreen(FieldScreen):
    """The player's name or code, which the class's records need; required, then `then()`."""

    name = "player"
    limit = PLAYER_LIMIT

    def __init__(self, app: App, then: Callable[[str], None]) -> None:
        super().__init__(app)
        self.then = then
        self.kind = app.game.classroom.ask_player if app.game.asks_player else "name"
        self.problem: str | None = None

    def hint(self) -> str:
        return f"Type your {self.kind} · Enter continue · Esc back"

    def blocks(self) -> list[Block]:
        class_name = self.app.game.classroom.name
        whose = f"Your class ({class_name})" if class_name else "Your class"
        if self.kind == "code":
            title, ask = "Your code", "Type the code your teacher gave you."
        else:
            title, ask = "Your name", "Type your name."
        blocks = [
            Block(title, "title"),
            Block(
                f"{ask} {whose} keeps a record of each playthrough, with your "
                f"{self.kind} on it, for the discussion afterwards.",
                "body",
            ),
        ]
        if self.problem:
            blocks.append(Block(self.problem, "note", space_before=0.4))
        return blocks

    def buttons(self) -> list[Button]:
        return [
            Button(f"Your {self.kind}", None, value=self.text, field=True, key="player"),
            Button("Continue", self.go_on, key="continue"),
            Button("Back", self.back, key="back"),
        ]

    def field_entered(self) -> None:
        self.go_on()

    def go_on(self) -> None:
        player = " ".join(self.text.split())
        if not player:
            self.problem = f"Please type your {self.kind} first: the record needs it."
            self.button_list.focus = 0
            self.refresh()
            return
        pygame.key.stop_text_input()
        self.then(player[:PLAYER_LIMIT])


@register_screen
class PartnerScreen(FieldScreen):
    """Name the partner and pick their pronouns, then begin."""

    name = "partner"

    def __init__(self, app: App) -> None:
        default = app.game.default_partner
        super().__init__(app, default.name, untouched=True)
        self.pronouns = default.pronouns

    @property
    def partner_name(self) -> str:
        return self.text

    def hint(self) -> str:
        return "Type a name · Up/Down move · Left/Right change · Esc back"

    def blocks(self) -> list[Block]:
        return [
            Block("Your partner", "title"),
            Block(
                "The story is about you and a partner. Give them a name (type to "
                "replace the one suggested) and pick the pronouns the story uses for "
                "them.",
                "body",
            ),
        ]

    def buttons(self) -> list[Button]:
        return [
            Button("Partner's name", None, value=self.partner_name, field=True, key="name"),
            Button(
                "Pronouns",
                None,
                value=PRONOUN_LABELS[self.pronouns],
                on_adjust=self.cycle_pronouns,
                key="pronouns",
            ),
            Button("Begin", self.begin, key="begin"),
            Button("Back", self.back, key="back"),
        ]

    def cycle_pronouns(self, step: int) -> None:
        names = list(PRONOUN_SETS)
        self.pronouns = names[(names.index(self.pronouns) + step) % len(names)]
        self.refresh()

    def begin(self) -> None:
        pygame.key.stop_text_input()
        default = self.app.game.default_partner.name
        name = " ".join(drawable(self.partner_name).split()) or default
        problem = self.app.game.new(Partner(name[:NAME_LIMIT], self.pronouns))
        navigation.start_playing(self.app, [problem] if problem else [])
