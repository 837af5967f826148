"""The ending: its title and text, what happened, the path taken (choices, how often each response
was chosen), a chart of every meter across the playthrough with what each meter means, questions
to discuss; then the title."""

from __future__ import annotations

import pygame

from engine.play.session import Session
from engine.ui import navigation
from engine.ui.app import App
from engine.ui.keybindings import Action, Verb
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen, picture_block, scene_blocks
from engine.ui.widgets import Block, Button, Document
from engine.ui.widgets.chart import MeterChart, meter_series
from engine.ui.widgets.meters import meter_guide


def path_summary(session: Session) -> str:
    """'6 choices: Accept 2 · Fight for cooperation 2 · Walk away 1 · other choices 1'."""
    labels = session.story.responses
    parts = [
        f"{labels[key]} {count}" if key is not None else f"other choices {count}"
        for key, count in session.response_counts().items()
    ]
    total = len(session.history)
    head = f"{total} choice{'s' if total != 1 else ''}"
    return head + (": " + " · ".join(parts) if labels and parts else ".")


MIN_CHART_HEIGHT = 140  # a chart squeezed smaller than this (or than it reads at) is left out


@register_screen
class EndingScreen(MenuScreen):
    name = "ending"
    share = 1.0
    button_share = 0.34
    buttons_in_row = True
    buttons_in_grid = True  # in two columns when they do not fit in a row
    grid_from = 3

    @property
    def session(self) -> Session:
        return self.app.game.session

    def header_text(self) -> str:
        return f"{self.session.story.title} — the end"

    def hint(self) -> str:
        return "PgUp/PgDn scroll · Up/Down move · Enter choose"

    def content_area(self) -> pygame.Rect:
        frame = self.app.frame
        width = min(
            frame.window.width - 2 * frame.margin,
            max(frame.column.width, round(frame.window.width * 0.6)),
        )
        if frame.window.width >= 1100:
            width = min(frame.window.width - 2 * frame.margin, round(frame.column.width * 1.9))
        top = frame.header.bottom + frame.gap
        return pygame.Rect(
            (frame.window.width - width) // 2, top, width, frame.window.height - top - frame.margin
        )

    def button_columns(self, area: pygame.Rect) -> tuple[int, int]:
        """A little wider than the text when that lets the buttons stand in two columns."""
        frame = self.app.frame
        width = min(
            frame.window.width - 2 * frame.margin, max(area.width, round(frame.window.width * 0.8))
        )
        return (frame.window.width - width) // 2, width

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.wide = False
        self.guide_beside_chart = False
        self.side_document = Document(app, [], what="ending chart")

    def chart(self) -> MeterChart:
        return MeterChart(self.app, self.session.story, meter_series(self.session))

    def layout(self) -> None:
        """Wide windows: the text on the left, the chart and the buttons on the right."""
        frame = self.app.frame
        self.wide = bool(self.session.story.meters) and frame.window.width >= 1100
        self.guide_beside_chart = self.wide  # until the chart's column says otherwise
        if not self.wide:
            super().layout()
            return
        area = self.content_area()
        gap = frame.gap * 3
        self.button_list.set_buttons(self.buttons())
        buttons_height = min(self.button_list.measure(area.width), area.height // 3)
        self.button_list.layout(
            pygame.Rect(area.left, area.bottom - buttons_height, area.width, buttons_height)
        )
        columns_height = area.height - buttons_height - frame.gap * 2
        left_width = round((area.width - gap) * 0.55)
        right = pygame.Rect(
            area.left + left_width + gap, area.top, area.width - left_width - gap, columns_height
        )
        heading = [Block("The meters across your playthrough", "heading")]
        path = [
            Block("Your path", "heading", space_before=1.2),
            Block(path_summary(self.session), "body"),
        ]
        guide = self.guide(space_before=1.2)
        chart = self.chart()
        least = max(MIN_CHART_HEIGHT, chart.least_height(right.width))
        for with_guide in (True, False) if guide else (False,):  # beside the chart if it fits
            probe = Document(self.app, heading + (guide if with_guide else []) + path)
            probe.layout(right)
            chart_room = right.height - probe.height - frame.gap * 3
            chart_height = max(0, min(chart.height_for(right.width), chart_room))
            self.guide_beside_chart = with_guide
            if chart_height >= least:
                break
        else:  # no room for a chart that reads beside the text: one column, the chart in it
            self.wide = False
            super().layout()
            return
        blocks = (
            heading
            + [Block(draw=chart.draw, height=chart_height, space_before=0.6)]
            + (guide if self.guide_beside_chart else [])
            + path
        )
        self.side_document = Document(self.app, blocks, what="ending chart")
        self.side_document.layout(right)
        scroll = self.document.scroll
        self.document = Document(self.app, self.blocks(), what="ending text")
        self.document.layout(pygame.Rect(area.left, area.top, left_width, columns_height))
        self.document.scroll = scroll
        self.document.clamp()

    def guide(self, space_before: float = 1.4) -> list[Block]:
        """What the meters mean, by their labels (from the story's descriptions)."""
        return meter_guide(
            self.session.story,
            self.session.partner,
            heading="What the meters mean",
            space_before=space_before,
        )

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        if self.wide:
            self.side_document.draw(surface)

    def blocks(self) -> list[Block]:
        session, story = self.session, self.session.story
        ending = session.ending
        render = session.render
        blocks = []
        image = session.scene.image
        if image is not None:  # an ending's picture, as a scene's: above its title
            column = self.app.frame.column
            width = min(column.width, self.content_area().width)
            alt = render(image.alt)
            picture = picture_block(self.app, image, alt, width, round(column.height * 0.3))
            if picture is not None:
                blocks.append(picture)
        blocks += [
            Block("Ending", "subheading"),
            Block(render(ending.title) if ending else "The end", "title", space_before=0.2),
        ]
        blocks += scene_blocks(session.scene.text, session.partner)
        if ending and ending.debrief:
            blocks += [
                Block("What happened", "heading", space_before=1.4),
                Block(" ".join(render(ending.debrief).split()), "body"),
            ]
        if ending and ending.support and story.support:
            blocks.append(Block(" ".join(render(story.support).split()), "note", space_before=1.0))
        if self.wide and not self.guide_beside_chart:  # it did not fit beside the chart
            blocks += self.guide()
        if self.wide:  # the summary stands under the chart; the choices, one by one, here
            blocks.append(Block("The choices you made", "heading", space_before=1.4))
        else:
            blocks += [
                Block("Your path", "heading", space_before=1.4),
                Block(path_summary(session), "body"),
            ]
        for number, turn in enumerate(session.history, start=1):
            scene = story.scenes.get(turn.scene)
            where = render(scene.title) if scene and scene.title else None
            response = story.responses.get(turn.response) if turn.response else None
            text = f"{number}. " + (f"{where}: " if where else "") + turn.text
            if response:
                text += f" ({response})"
            blocks.append(Block(text, "note", indent=0.5, space_before=0.25))
        if story.meters and not self.wide:
            chart = self.chart()
            width = self.content_area().width
            blocks += [
                Block("The meters across your playthrough", "heading", space_before=1.4),
                Block(draw=chart.draw, height=chart.height_for(width), space_before=0.6),
            ]
            blocks += self.guide(space_before=1.0)
        if ending and ending.questions:
            blocks.append(Block("For discussion", "heading", space_before=1.4))
            for number, question in enumerate(ending.questions, start=1):
                blocks.append(
                    Block(f"{number}. {render(question)}", "body", indent=0.5, space_before=0.4)
                )
        return blocks

    def buttons(self) -> list[Button]:
        buttons = [Button("Back to the title", self.to_title, key="title")]
        if self.app.game.can_undo:
            buttons.append(Button("Undo the last choice", self.undo, key="undo"))
        buttons.append(Button("The story so far", self.history, key="history"))
        buttons.append(Button("Export a report of this playthrough", self.export, key="export"))
        return buttons

    def to_title(self) -> None:
        navigation.to_title(self.app)

    def export(self) -> None:
        """Write the playthrough's one-page HTML report, and say where it is."""
        try:
            path = self.app.game.export_report()
        except OSError as error:
            self.app.show_message(
                "The report was not written", f"It could not be written: {error.strerror or error}."
            )
            return
        navigation.show_report(self.app, path.resolve())

    def back(self) -> None:
        navigation.open_pause(self.app)

    def undo(self) -> None:
        if self.app.game.undo() is not None:
            navigation.start_playing(self.app)

    def history(self) -> None:
        navigation.open_history(self.app)

    def handle_mouse(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONUP and event.button == 3:
            self.back()  # a right click: the menu, as in play
            return
        super().handle_mouse(event)

    def apply(self, action: Action) -> None:
        verb = action.verb
        if verb is Verb.UNDO:
            self.undo()
        elif verb is Verb.HISTORY:
            self.history()
        else:
            super().apply(action)
