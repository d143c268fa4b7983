"""The Teams app's two icons, drawn rather than stored: three linked nodes, a network. Teams
wants a 192×192 full-colour icon and a 32×32 white outline on transparency."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

ACCENT = "#1d4f91"
WHITE = (255, 255, 255, 255)
# The nodes, as fractions of the icon's side.
NODES = ((0.28, 0.68), (0.72, 0.68), (0.5, 0.3))


def color_icon(size: int = 192) -> bytes:
    """White nodes and links on the accent colour, edge to edge."""
    image = Image.new("RGBA", (size, size), ACCENT)
    _network(ImageDraw.Draw(image), size, filled=True)
    return _png(image)


def outline_icon(size: int = 32) -> bytes:
    """White outlines on a transparent background."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    _network(ImageDraw.Draw(image), size, filled=False)
    return _png(image)


def _network(draw: ImageDraw.ImageDraw, size: int, *, filled: bool) -> None:
    points = [(x * size, y * size) for x, y in NODES]
    line = max(1, round(size / 24))
    radius = size * 0.12
    for index, start in enumerate(points):
        draw.line([start, points[(index + 1) % len(points)]], fill=WHITE, width=line)
    for x, y in points:
        box = (x - radius, y - radius, x + radius, y + radius)
        if filled:
            draw.ellipse(box, fill=WHITE)
        else:
            draw.ellipse(box, fill=(0, 0, 0, 0), outline=WHITE, width=line)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
