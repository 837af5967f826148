"""Where the project's own files live: the project folder, the bundled story, the fonts, and the
default folders for saves and the compiled cache. One place, so a module that moves within the
package never has to count parent folders again."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BUNDLED_STORY = PROJECT / "scenes" / "balance_of_power"
ASSETS = PROJECT / "assets"
SAVES = PROJECT / "saves"
CACHE = PROJECT / ".cache" / "stories"
STORY_SCHEMA = PROJECT / "docs" / "story.schema.json"
