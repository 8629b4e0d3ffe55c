"""Link-preview images (1200x630 PNG), drawn at build time with no network.

The font is the one Pillow ships inside its own package (`ImageFont.load_default(size=...)`,
FreeType-rendered), so nothing is downloaded and every machine draws the same image.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageFont

from .errors import SiteDataError
from .social import CARD_SIZE

BACKGROUND = "#0b4a63"  # the site's primary colour (docs/assets/stylesheets/site.css)
TEXT = "#ffffff"  # 9.6:1 on the background
RULE = "#8fc3d6"
MARGIN = 80


def _font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        # Without FreeType Pillow falls back to a tiny fixed bitmap font: unreadable previews.
        raise SiteDataError("requirements.lock: pillow", "Pillow was built without FreeType; install the pinned wheel")
    return font


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit(text: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    # The largest size at which the title fits the space, down to a still-readable 40 px.
    for size in range(84, 39, -4):
        font = _font(size)
        lines = _wrap(text, font, width)
        if len(lines) * size * 1.25 <= height and all(font.getlength(line) <= width for line in lines):
            return font, lines
    return font, lines


def render_card(title: str, site_name: str, site_url: str) -> bytes:
    """The preview image for one page: site name, page title, and the site's address."""
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    small = _font(34)
    draw.text((MARGIN, MARGIN), site_name, font=small, fill=TEXT)
    draw.rectangle((MARGIN, MARGIN + 62, MARGIN + 160, MARGIN + 68), fill=RULE)
    top, bottom = MARGIN + 110, height - MARGIN - 70
    font, lines = _fit(title, width - 2 * MARGIN, bottom - top)
    line_height = int(font.size * 1.25)
    for i, line in enumerate(lines):
        draw.text((MARGIN, top + i * line_height), line, font=font, fill=TEXT)
    address = urlsplit(site_url)
    draw.text((MARGIN, height - MARGIN - 34), (address.netloc + address.path).rstrip("/"), font=small, fill=TEXT)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
