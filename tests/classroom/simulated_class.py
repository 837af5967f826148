"""A class of students playing the bundled story through the real game, for the printed reports.

Each student is a `ClassroomGame` in a class with a records folder, as the desktop game plays it:
the choices are shown, some seconds pass on the game's clock, a seeded random choice is made;
every fifth student leaves early (quits), after one to eight choices. The records are the ones
the game writes (the autosaves, which are not needed here, are not).
"""

from __future__ import annotations

import random
from pathlib import Path

from engine import load_story
from engine.classroom.game import ClassroomGame
from engine.classroom.settings import Classroom
from engine.paths import BUNDLED_STORY
from engine.play.flow import Flow

# The bundled story's longest path found by 20 000 seeded random playthroughs: 21 choices (it
# ends on the safety path, whose ending also prints the story's help text).
LONGEST_SEED = 3119
LONGEST_PATH = (
    "thin_life,give_key,accept,fight,next_song,give_space,join_choir,fight,thank_them,fight,"
    "promise_tea,send_them_anyway,say_no,yield_generously,ask_not_to,fight,promise_to_tell,"
    "stay_in,keep_quiet,tell_someone,stay_the_night"
).split(",")


def play_class(folder: Path, students: int = 30, seed: int = 0) -> list[Path]:
    """Play `students` playthroughs into `folder` (records) and return the record files."""
    story = load_story(BUNDLED_STORY)
    records = folder / "records"
    classroom = Classroom(name="Year 10, Tuesday", records=records)
    for number in range(students):
        rng = random.Random(seed * 1000 + number)
        clock = [0.0]
        game = ClassroomGame(
            story, folder / "saves", seed + number, classroom, player=f"A{number + 1}"
        )
        game.now = lambda clock=clock: clock[0]
        game.autosaving = False  # the records are what is wanted here
        game.new()
        leave_after = rng.randint(1, 8) if number % 5 == 4 else None
        while game.session.state == Flow.PLAYING:
            if leave_after is not None and len(game.session.history) >= leave_after:
                break
            game.choices_shown()
            clock[0] += rng.choice([rng.uniform(0.4, 3.0), rng.uniform(3.0, 45.0)])
            game.choose(rng.choice(game.session.offered()).id)
        game.leave()
    return sorted(records.glob("*.json"))


def play_longest(folder: Path) -> Path:
    """The bundled story's longest path, played by one student; returns its record file."""
    story = load_story(BUNDLED_STORY)
    records = folder / "records"
    game = ClassroomGame(
        story, folder / "saves", LONGEST_SEED, Classroom(records=records), player="A1"
    )
    clock = [0.0]
    game.now = lambda: clock[0]
    game.autosaving = False
    game.new()
    for choice in LONGEST_PATH:
        game.choices_shown()
        clock[0] += 7.5
        game.choose(choice)
    assert game.session.state == Flow.ENDED, game.session.state
    (record,) = records.glob("*.json")
    return record


# A short path to the safety ending, as `playtest --runs 3000` found it (the partner's control
# is drawn by chance at the spare key).
SAFETY_SEED = 20
SAFETY_PATH = (
    "thin_life,give_key,walk_away,walk_away,bring_dinner,skip_choir,walk_away,accept,"
    "say_something,keep_waiting,fight,ask_not_to,accept_again,stay_in,tell_jo,stay_the_night"
).split(",")


def play_to_safety(folder: Path) -> Path:
    """The bundled story played to its safety ending (whose page carries the story's help
    text); returns the record file."""
    story = load_story(BUNDLED_STORY)
    records = folder / "records"
    game = ClassroomGame(story, folder / "saves", SAFETY_SEED, Classroom(records=records))
    game.autosaving = False
    game.new()
    for choice in SAFETY_PATH:
        game.choose(choice)
    assert game.session.state == Flow.ENDED and game.session.scene_id == "end_safety"
    (record,) = records.glob("*.json")
    return record


if __name__ == "__main__":  # python -m tests.classroom.simulated_class FOLDER: records to look at
    import sys

    target = Path(sys.argv[1])
    print(len(play_class(target)), "records in", target / "records")
    print("the longest path:", play_longest(target / "longest"))
