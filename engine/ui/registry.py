"""The screens by name: each screen class registers itself under its `name` when its module is
imported (`@register_screen`), and whoever opens a screen looks its class up here
(`screen_class`), so that no screen imports another and the app imports none.

`engine/ui/screens/__init__.py` imports every screen module, so importing that package (as the
entry points `launch` and `screenshot` do) registers them all.
"""

from __future__ import annotations

from typing import Any, TypeVar

ScreenClass = TypeVar("ScreenClass", bound=type)

_SCREENS: dict[str, type] = {}


def register_screen(cls: ScreenClass) -> ScreenClass:
    """Register a screen class under its `name` (a class decorator); two classes may not share
    a name."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"{cls.__qualname__} has no name to be registered under")
    known = _SCREENS.get(name)
    if known is not None and (known.__module__, known.__qualname__) != (
        cls.__module__,
        cls.__qualname__,
    ):
        raise ValueError(
            f"two screens are named {name!r}: {known.__qualname__} and {cls.__qualname__}"
        )
    _SCREENS[name] = cls
    return cls


def screen_class(name: str) -> Any:
    """The screen class registered under `name`; its constructor takes the app first."""
    try:
        return _SCREENS[name]
    except KeyError:
        raise LookupError(
            f"no screen is registered as {name!r} (is engine.ui.screens imported?)"
        ) from None


def screen_names() -> list[str]:
    """The names of every registered screen, sorted."""
    return sorted(_SCREENS)
