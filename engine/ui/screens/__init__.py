"""The game's screens, one module each; every one is a `Screen` on the app's stack.

Importing this package imports every screen module, and each registers its screens by name
(`engine.ui.registry`), where `engine.ui.navigation` and the app find them: screens never import
each other. `base` holds what screens share.
"""

from engine.ui.screens import (  # noqa: F401 - imported for their registrations
    ending,
    feedback,
    help,
    history,
    keys,
    message,
    pause,
    play,
    reload,
    saves,
    settings,
    setup,
    title,
)
