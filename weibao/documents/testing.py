"""A drawn signature for tests and the demo: a PNG data URI like the signature pad sends."""

from __future__ import annotations

import base64
import io
import math


def sample_signature(*, seed: int = 0, width: int = 360, height: int = 120) -> str:
    """A pen stroke on a white canvas as `data:image/png;base64,…`."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    points = [
        (20 + x, height / 2 + math.sin((x + seed * 17) / 14) * (height / 4) * (1 + (x % 40) / 80))
        for x in range(0, width - 40, 4)
    ]
    draw.line(points, fill=(20, 20, 20, 255), width=3)
    draw.line([(40, height - 25), (width - 60, height - 30)], fill=(20, 20, 20, 255), width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def blank_signature(*, width: int = 360, height: int = 120) -> str:
    """An empty pad, as sent when nobody drew anything."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (255, 255, 255, 255)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
