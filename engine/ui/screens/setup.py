"""Before a new game: the story's content note, then the partner's name and pronouns."""

from __future__ import annotations

import pygame

from engine.text import PRONOUN_SETS, Partner
from engine.ui.screens.base import MenuScreen
from engine.ui.widgets import Block, Button

NAME_LIMIT = 40
PRONOUN_LABELS = {"they": "they / them", "she": "she / her", "he": "he / him"}


class ContentNoteScreen(MenuScreen):
    """The story's content note, with the support text when the story has one."""

    name = "content_note"

    def hint(self) -> str:
        return "Enter continue · Esc back"

    def blocks(self) -> list[Block]:
        story = self.app.game.story
        blocks = [Block("Before you begin", "title"),
                  Block(" ".join((story.content_note or "This story has no content note.")
                               .split()), "body")]
        if story.support:
            blocks.append(Block(" ".join(story.support.split()), "note"))
        return blocks

    def buttons(self) -> list[Button]:
        return [Button("Continue", self.go_on, key="continue"),
                Button("Back to the title", self.back, key="back")]

    def go_on(self) -> None:
        self.app.replace(PartnerScreen(self.app))


class PartnerScreen(MenuScreen):
    """Name the partner and pick their pronouns, then begin."""

    name = "partner"

    def __init__(self, app):
        super().__init__(app)
        default = app.game.default_partner
        self.partner_name = default.name
        self.pronouns = default.pronouns
        self.untouched = True  # the suggested name goes as soon as the player types
        pygame.key.start_text_input()

    def hint(self) -> str:
        return "Type a name · Up/Down move · Left/Right change · Esc back"

    def blocks(self) -> list[Block]:
        return [Block("Your partner", "title"),
                Block("The story is about you and a partner. Give them a name (type to "
                      "replace the one suggested) and pick the pronouns the story uses for "
                      "them.", "body")]

    def buttons(self) -> list[Button]:
        return [
            Button("Partner's name", None, value=self.partner_name, field=True, key="name"),
            Button("Pronouns", None, value=PRONOUN_LABELS[self.pronouns],
                   on_adjust=self.cycle_pronouns, key="pronouns"),
            Button("Begin", self.begin, key="begin"),
            Button("Back", self.back, key="back"),
        ]

    def cycle_pronouns(self, step: int) -> None:
        names = list(PRONOUN_SETS)
        self.pronouns = names[(names.index(self.pronouns) + step) % len(names)]
        self.refresh()

    @property
    def editing(self) -> bool:
        focused = self.button_list.focused
        return focused is not None and focused.field

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.editing and event.type == pygame.KEYDOWN:
            if event.key == pygame.K_BACKSPACE:
                self.partner_name = "" if self.untouched else self.partner_name[:-1]
                self.untouched = False
                self.refresh()
                return
            if event.key not in (pygame.K_UP, pygame.K_DOWN, pygame.K_TAB, pygame.K_RETURN,
                                 pygame.K_KP_ENTER, pygame.K_ESCAPE, pygame.K_F11):
                return  # letters and digits arrive as TEXTINPUT
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.button_list.move(1)
                return
        super().handle_event(event)

    def handle_text(self, text: str) -> None:
        if not self.editing:
            return
        text = "".join(ch for ch in text if ch.isprintable())
        if self.untouched:
            self.partner_name, self.untouched = "", False
        self.partner_name = (self.partner_name + text)[:NAME_LIMIT]
        self.refresh()

    def back(self) -> None:
        pygame.key.stop_text_input()
        self.app.pop()

    def begin(self) -> None:
        from engine.ui.screens.play import start_playing

        pygame.key.stop_text_input()
        name = " ".join(self.partner_name.split()) or self.app.game.default_partner.name
        problem = self.app.game.new(Partner(name[:NAME_LIMIT], self.pronouns))
        start_playing(self.app, [problem] if problem else [])
