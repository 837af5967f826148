"""A scene's picture in the desktop game: loaded once, scaled to the reading column, kept.

The loader checked the picture when the story was loaded (`engine.story.images`); the file is
checked again here, header first, before pygame decodes it, since it may have changed since.
A picture that cannot be read, or decoded, is left out (the scene shows its text alone), and
that is remembered, so a broken file is not read again every frame. Scaled pictures are kept
per (file, width), a few at a time.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from pathlib import Path

import pygame

from engine.safe_read import Refused, read_limited
from engine.story.images import IMAGE_BYTES_LIMIT, ImageProblem, read_header
from engine.story.model import Image

KEEP_PICTURES = 8  # scaled pictures kept (a scene's picture at one or two widths, a few scenes)
HEIGHT_SHARE = 0.38  # at most this share of the reading column's height


def picture_size(image: Image, width: int, height: int) -> tuple[int, int]:
    """The size to draw `image` at within `width` x `height` pixels: its own size at most
    (never upscaled), smaller to fit, in its own proportions."""
    scale = min(1.0, width / image.width, height / image.height)
    return max(1, round(image.width * scale)), max(1, round(image.height * scale))


class PictureCache:
    """Scenes' pictures, decoded and scaled, by (file, width, height); None for one that
    could not be read."""

    def __init__(self, keep: int = KEEP_PICTURES) -> None:
        self.keep = keep
        self._scaled: OrderedDict[tuple[str, int, int], pygame.Surface | None] = OrderedDict()
        self.loads = 0  # files decoded (the tests count them)

    def get(self, image: Image, size: tuple[int, int]) -> pygame.Surface | None:
        """The picture at `size`, or None when its file cannot be read as a picture now."""
        key = (image.path, *size)
        if key in self._scaled:
            self._scaled.move_to_end(key)
            return self._scaled[key]
        surface = self._load(image)
        if surface is not None and surface.get_size() != size:
            surface = pygame.transform.smoothscale(surface, size)
        self._scaled[key] = surface
        while len(self._scaled) > self.keep:
            self._scaled.popitem(last=False)
        return surface

    def _load(self, image: Image) -> pygame.Surface | None:
        self.loads += 1
        try:
            header = read_header(image.path)
            data = read_limited(Path(image.path), IMAGE_BYTES_LIMIT)
            surface = pygame.image.load(io.BytesIO(data), f"picture.{header.kind}")
        except (ImageProblem, Refused, OSError, pygame.error, ValueError):
            return None
        if surface.get_size() != (header.width, header.height):
            return None  # the file changed between its header and its pixels
        if pygame.display.get_surface() is not None:
            surface = surface.convert_alpha() if surface.get_alpha() else surface.convert()
        return surface

    def clear(self) -> None:
        self._scaled.clear()
