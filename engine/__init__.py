"""Balance of Power's engine: load a YAML story, check it, and play it.

The whole public API a game, a tool or a test needs:

    story = load_story("scenes/balance_of_power")     # raises StoryError with diagnostics
    session = Session(story, seed=7)
    session.paragraphs(), session.options, session.meters   # what to show
    turn = session.choose("argue")                      # feedback and meter changes
    session.undo()
    data = session.to_save(); Session.from_save(story, data)

The core (everything but `engine.ui`) never imports pygame.
"""

from engine.play.session import (
    ChoiceNotOffered,
    Choose,
    MeterChange,
    Option,
    Session,
    SessionError,
    Turn,
    Undo,
)
from engine.story.cache import check_story_cached, load_story_cached
from engine.story.diagnostics import Diagnostic
from engine.story.loader import StoryError, check_story, load_story
from engine.story.model import Choice, Ending, Meter, Scene, Story
from engine.story.text import Paragraph, Partner

__all__ = [
    "Choice", "ChoiceNotOffered", "Choose", "Diagnostic", "Ending", "Meter", "MeterChange",
    "Option", "Paragraph", "Partner", "Scene", "Session", "SessionError", "Story", "StoryError",
    "Turn", "Undo", "check_story", "check_story_cached", "load_story", "load_story_cached",
]
