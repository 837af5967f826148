"""How much a story may hold: the limit the loader and the printer of its diagnostics read
within (through `engine.safe_read`)."""

# The most a story's files may hold together: far beyond any real story, and small enough that a
# story of this size is still checked in seconds, within a laptop's memory (docs/performance.md).
STORY_BYTES_LIMIT = 16 * 1024 * 1024
