"""Pass 2: build each scene indexed in pass 1 (its choices and their outcomes, a router's routes,
or an ending), with every reference checked by `references.References`."""

from __future__ import annotations

import os

from yaml.nodes import Node

from engine.story import images, lint, model
from engine.story.diagnostics import WARNING
from engine.story.nodes import SCENE_ID, Fields, NodeReader
from engine.story.outline import SceneEntry, SceneIndex
from engine.story.references import References

MAX_WEIGHT = 1_000_000  # weights are relative; a cap keeps their sum a plain finite number


def build_scenes(
    index: SceneIndex, references: References, story_root: str = "."
) -> dict[str, model.Scene]:
    """Every indexed scene that could be built, by id, in index order; `story_root` is the
    story's folder, which its pictures are in."""
    scenes: dict[str, model.Scene] = {}
    builders: dict[NodeReader, SceneBuilder] = {}
    for scene_id, entry in index.entries.items():
        builder = builders.get(entry.reader)
        if builder is None:
            builder = builders[entry.reader] = SceneBuilder(entry.reader, references, story_root)
        scene = builder.scene(scene_id, entry)
        if scene is not None:
            scenes[scene_id] = scene
    return scenes


class SceneBuilder:
    """Builds the scenes of one file, reporting their problems in it."""

    def __init__(self, reader: NodeReader, references: References, story_root: str = ".") -> None:
        self.reader = reader
        self.references = references
        self.story_root = story_root

    def scene(self, scene_id: str, entry: SceneEntry) -> model.Scene | None:
        reader = self.reader
        fields = reader.mapping(entry.node, "scene", f"the scene '{scene_id}'")
        if fields is None:
            return None
        kinds = [name for name in (model.CHOICES, model.ROUTER, model.ENDING) if name in fields]
        if len(kinds) != 1:
            if kinds:
                reader.error(
                    fields[kinds[1]][0],
                    "E050",
                    f"the scene '{scene_id}' has both '{kinds[0]}' and '{kinds[1]}'",
                )
            else:
                reader.error(
                    entry.key,
                    "E050",
                    f"the scene '{scene_id}' has no way on: it needs 'choices', 'next' or 'ending'",
                )
            return None
        kind = kinds[0]
        text = ""
        if "text" in fields:
            text = reader.text(fields["text"][1], f"the text of scene '{scene_id}'") or ""
            self.check_length(fields["text"][1], "scene text", text)
        elif kind != model.ROUTER:
            reader.error(entry.key, "E012", f"the scene '{scene_id}' has no 'text'")
        title = reader.text_field(fields, "title", "a scene's title")
        image = self.image(fields["image"][1], scene_id) if "image" in fields else None
        mood = None
        if "mood" in fields:
            mood = self.references.known(
                reader, fields["mood"][1], self.references.moods, "mood", "E024"
            )
        mark = entry.key.start_mark
        place = model.Place(reader.file, mark.line + 1, mark.column + 1)
        body = fields[kind][1]
        if kind == model.CHOICES:
            choices = self.choices(body, scene_id)
            return model.Scene(
                scene_id, text, kind, title, choices=choices, place=place, image=image, mood=mood
            )
        if kind == model.ROUTER:
            routes = self.routes(body, scene_id)
            return model.Scene(
                scene_id, text, kind, title, routes=routes, place=place, image=image, mood=mood
            )
        ending = self.ending(body, scene_id)
        return model.Scene(
            scene_id, text, kind, title, ending=ending, place=place, image=image, mood=mood
        )

    def image(self, node: Node, scene_id: str) -> model.Image | None:
        """The scene's picture, its file checked (where it is, and its header: a PNG or JPEG
        within the limits) and its alternative text present."""
        reader = self.reader
        fields = reader.mapping(node, "image", f"the picture of scene '{scene_id}'")
        if fields is None:
            return None
        alt = reader.text_field(fields, "alt", "a picture's 'alt'")
        if alt is not None and not alt.strip():
            reader.error(fields["alt"][1], "E064", "a picture's 'alt' is blank", length=1)
            alt = None
        name = reader.text_field(fields, "file", "a picture's 'file'")
        if name is None:
            return None
        file_node = fields["file"][1]
        found = images.locate(self.story_root, reader.file, name)
        if found is None:
            reader.error(
                file_node,
                "E063",
                f"the picture '{name}' must be named relative to this file's folder, "
                "inside the story's folder",
            )
            return None
        relative, path = found
        if os.path.lexists(path) and not images.inside(path, self.story_root):
            reader.error(
                file_node, "E063", f"the picture '{name}' is a link that leads outside the story"
            )
            return None
        try:
            header = images.read_header(path)
        except images.ImageProblem as problem:
            reader.error(file_node, problem.code, f"{problem.message}: '{name}'")
            return None
        if alt is None:
            return None
        return model.Image(relative, path, alt, header.width, header.height)

    def choices(self, node: Node, scene_id: str) -> tuple[model.Choice, ...]:
        items = self.reader.sequence(node, f"the choices of scene '{scene_id}'")
        built: list[model.Choice] = []
        seen: dict[str, Node] = {}
        for position, item in enumerate(items, start=1):
            choice = self.choice(item, position, scene_id)
            if choice is None:
                continue
            if choice.id in seen:
                self.reader.error(
                    item,
                    "E014",
                    f"two choices in scene '{scene_id}' have the id "
                    f"'{choice.id}' (the first is at line "
                    f"{seen[choice.id].start_mark.line + 1})",
                )
                continue
            seen[choice.id] = item
            built.append(choice)
        return tuple(built)

    def choice(self, node: Node, position: int, scene_id: str) -> model.Choice | None:
        reader, references = self.reader, self.references
        what = f"choice {position} of scene '{scene_id}'"
        fields = reader.mapping(node, "choice", what)
        if fields is None:
            return None
        choice_id = str(position)
        if "id" in fields:
            choice_id = reader.id_value(fields["id"][1], "a choice's id", SCENE_ID) or choice_id
        text = reader.text_field(fields, "text", f"the text of {what}")
        self.check_length(fields.get("text"), "choice", text)
        response = None
        if "response" in fields:
            response = references.known(
                reader, fields["response"][1], references.responses, "response", "E023"
            )
            references.usage.responses_used.add(response)
        condition = references.condition(reader, fields, "the choice is never offered")
        locked = reader.text_field(fields, "locked", "a choice's 'locked' reason")
        self.check_length(fields.get("locked"), "locked reason", locked)
        if locked is not None and "if" not in fields:
            reader.error(
                fields["locked"][0],
                "E012",
                "'locked' needs an 'if': the condition that unlocks the choice",
            )
        goto, outcomes = None, ()
        has_goto, has_outcomes = "goto" in fields, "outcomes" in fields
        if has_goto == has_outcomes:
            if has_goto:
                reader.error(
                    fields["outcomes"][0], "E051", f"{what} has both 'goto' and 'outcomes'"
                )
            else:
                reader.error(node, "E051", f"{what} has neither 'goto' nor 'outcomes'", length=1)
        elif has_goto:
            goto = references.scene(reader, fields, "goto", "'goto'")
        else:
            outcomes = self.outcomes(fields["outcomes"][1], what)
            if outcomes and all(outcome.condition is not None for outcome in outcomes):
                reader.error(
                    fields["outcomes"][0],
                    "W103",
                    "every outcome has an 'if': when none holds, the choice strands the player",
                    severity=WARNING,
                )
        return model.Choice(
            id=choice_id,
            text=text or "",
            goto=goto,
            outcomes=outcomes,
            response=response,
            condition=condition,
            locked=locked,
            effects=references.effects(reader, fields),
            sets=references.sets(reader, fields),
            feedback=self.feedback(fields, "a choice's feedback"),
        )

    def outcomes(self, node: Node, what: str) -> tuple[model.Outcome, ...]:
        reader, references = self.reader, self.references
        built = []
        for item in reader.sequence(node, f"the outcomes of {what}"):
            fields = reader.mapping(item, "outcome", f"an outcome of {what}")
            if fields is None:
                continue
            weight = 1.0
            if "weight" in fields:
                value = reader.number(fields["weight"][1], "an outcome's weight")
                if value is not None and not 0 < value <= MAX_WEIGHT:
                    reader.error(
                        fields["weight"][1],
                        "E010",
                        f"an outcome's weight must be above 0 and at most {MAX_WEIGHT:,}",
                    )
                elif value is not None:
                    weight = value
            goto = references.scene(reader, fields, "goto", "'goto'")
            built.append(
                model.Outcome(
                    goto=goto or "",
                    weight=weight,
                    condition=references.condition(reader, fields, "this outcome never happens"),
                    effects=references.effects(reader, fields),
                    sets=references.sets(reader, fields),
                    feedback=self.feedback(fields, "an outcome's feedback"),
                )
            )
        return tuple(built)

    def routes(self, node: Node, scene_id: str) -> tuple[model.Route, ...]:
        reader, references = self.reader, self.references
        built = []
        for item in reader.sequence(node, f"'next' of scene '{scene_id}'"):
            fields = reader.mapping(item, "route", f"an entry of 'next' in scene '{scene_id}'")
            if fields is None:
                continue
            goto = references.scene(reader, fields, "goto", "'goto'")
            built.append(
                model.Route(
                    goto or "", references.condition(reader, fields, "this entry is never taken")
                )
            )
        if built and built[-1].condition is not None:
            reader.error(
                node.value[-1],
                "W102",
                "the last entry of 'next' has an 'if': when no entry holds, the player is stranded",
                "end 'next' with an entry that has no 'if'",
                severity=WARNING,
                length=1,
            )
        return tuple(built)

    def ending(self, node: Node, scene_id: str) -> model.Ending | None:
        reader = self.reader
        fields = reader.mapping(node, "ending", f"the ending of scene '{scene_id}'")
        if fields is None:
            return None
        title = reader.text_field(fields, "title", "an ending's title") or ""
        self.check_length(fields.get("title"), "ending title", title)
        questions: list[str] = []
        if "questions" in fields:
            for item in reader.sequence(fields["questions"][1], "'questions'", allow_empty=True):
                question = reader.text(item, "a question")
                if question is not None:
                    questions.append(question)
        support = False
        if "support" in fields:
            support = reader.boolean(fields["support"][1], "an ending's 'support'") is True
        debrief = reader.text_field(fields, "debrief", "a debrief")
        self.check_length(fields.get("debrief"), "debrief", debrief)
        expect = self.references.condition(
            reader, fields, "no path can reach this ending as expected", "expect"
        )
        return model.Ending(title, debrief, tuple(questions), support, expect)

    def feedback(self, fields: Fields, what: str) -> str | None:
        feedback = self.reader.text_field(fields, "feedback", what)
        self.check_length(fields.get("feedback"), "feedback", feedback)
        return feedback

    def check_length(
        self, pair: tuple[Node, Node] | Node | None, role: str, text: str | None
    ) -> None:
        """Warn (W109) when a text is longer than a player reads comfortably in its role."""
        message = lint.too_long(role, text)
        if message is not None:
            node = pair[1] if isinstance(pair, tuple) else pair
            self.reader.error(
                node,
                "W109",
                message,
                "split it, or move some of it to another scene",
                severity=WARNING,
                length=1,
            )
