"""Images in the TUI: decoded with Pillow, drawn inline with half blocks, full screen with the
terminal's graphics protocol where it has one.

**Inline (the page viewer).** The viewer caches rendered lines, so an image there is text: each cell
is ``▀`` with the upper pixel as its colour and the lower one as its background (two square-ish
pixels per cell). Any terminal with true colour shows it; it is deterministic (snapshots); the size
follows the viewer's width. An image the viewer has no pixels for (not loaded yet, too large, not
an attachment, unreadable) is a labelled chip instead: ``🖼 alt · name``.

**Full screen.** Kitty's graphics protocol or Sixel, through ``textual-image``, in terminals that
announce one of them (``TERM``/``TERM_PROGRAM``: Kitty, WezTerm, iTerm2, foot, Konsole, mlterm,
contour, Ghostty, or ``WORKBENCH_IMAGES=protocol``); ``textual-image`` asks the terminal once, before
the app starts (:func:`prepare_graphics`: it cannot once Textual reads the keyboard), so other
terminals pay nothing at start-up. Everywhere else the same half blocks, at the screen's size.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MAX_IMAGE_BYTES = 8 * 1024 * 1024  # larger attachments stay chips (and are not downloaded)
MAX_DECODED_SIDE = 640  # pixels kept per image (the viewer never needs more)
MAX_INLINE_COLUMNS = 72
MAX_INLINE_ROWS = 24
BACKDROP = (128, 128, 128)  # what transparent pixels are drawn over

_GRAPHICS_TERMINALS = (
    "kitty",
    "wezterm",
    "iterm",
    "foot",
    "konsole",
    "mlterm",
    "contour",
    "ghostty",
)
_protocol_widget: Any = None  # textual_image.widget.Image once prepare_graphics found a protocol


def decode(data: bytes) -> PILImage | None:
    """The image in ``data`` as RGB pixels (at most :data:`MAX_DECODED_SIDE` a side), or None when
    Pillow cannot read it."""
    # lazy, for start-up: Pillow loads on first use
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((MAX_DECODED_SIDE, MAX_DECODED_SIDE))
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    backdrop = Image.new("RGBA", rgba.size, (*BACKDROP, 255))
    return Image.alpha_composite(backdrop, rgba).convert("RGB")


def cell_size(image: PILImage, max_columns: int, max_rows: int) -> tuple[int, int]:
    """``(columns, rows)`` for ``image`` in half blocks: as wide as it is (in pixels) up to
    ``max_columns``, its aspect kept, at most ``max_rows``."""
    width, height = image.size
    columns = max(1, min(width, max_columns))
    rows = max(1, round(height * columns / width / 2))
    if rows > max_rows:
        rows = max_rows
        columns = max(1, min(columns, round(width * rows * 2 / height)))
    return columns, rows


def halfcell_lines(image: PILImage, columns: int, rows: int) -> list[list[Segment]]:
    """The image as ``rows`` lines of ``columns`` half-block cells."""
    # lazy, for start-up: Pillow loads on first use
    from PIL import Image

    small = image.resize((columns, rows * 2), Image.Resampling.BOX)
    pixels = small.load()
    assert pixels is not None
    lines = []
    for row in range(rows):
        line = []
        for column in range(columns):
            top = _rgb(pixels[column, row * 2])
            bottom = _rgb(pixels[column, row * 2 + 1])
            style = Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom))
            line.append(Segment("▀", style))
        lines.append(line)
    return lines


def _rgb(pixel: Any) -> tuple[int, int, int]:
    """An RGB pixel as Pillow gives it (a grey level for one-band images)."""
    if isinstance(pixel, tuple):
        return int(pixel[0]), int(pixel[1]), int(pixel[2])
    return int(pixel), int(pixel), int(pixel)


class HalfcellImage:
    """A Rich renderable: the image in half blocks, fitted to the width it is given (and to
    ``max_rows``), with ``label`` (its alt text and name) under it."""

    def __init__(self, image: PILImage, label: Text, *, max_rows: int = MAX_INLINE_ROWS) -> None:
        self.image = image
        self.label = label
        self.max_rows = max_rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns, rows = cell_size(
            self.image, min(options.max_width, MAX_INLINE_COLUMNS), self.max_rows
        )
        for line in halfcell_lines(self.image, columns, rows):
            yield from line
            yield Segment.line()
        yield self.label


def attachment_name(src: str) -> str:
    """The attachment an image's ``attachment:name`` target names ('' for any other target)."""
    return unquote(src[len("attachment:") :]) if src.startswith("attachment:") else ""


def image_label(alt: str, src: str) -> str:
    """``🖼 alt · name``: how an image is labelled (under a drawn one, or as its chip)."""
    words = " · ".join(part for part in (alt.strip(), attachment_name(src) or src) if part)
    return f"🖼 {words or 'image'}"


def lone_image(children: list[Any]) -> tuple[str, str] | None:
    """``(alt, src)`` when an inline run (markdown-it tokens) is one image and nothing else."""
    found = None
    for tok in children:
        if tok.type == "image" and found is None:
            found = (tok.content or "", str(tok.attrs.get("src", "")))
        elif not (tok.type in ("text", "softbreak") and not tok.content.strip()):
            return None
    return found


def image_block(alt: str, src: str, images: Mapping[str, Any], muted: str) -> HalfcellImage | Text:
    """An image alone in its paragraph: drawn when its pixels are in ``images``, else a chip."""
    label = Text(image_label(alt, src), style=Style(color=muted))
    image = images.get(attachment_name(src))
    return label if image is None else HalfcellImage(image, label)


def referenced_images(storage: str) -> list[str]:
    """Attachment names the page shows as images (``ac:image`` around ``ri:attachment``), in order."""
    # lazy, for start-up: html and re load on first use
    import html
    import re

    names: list[str] = []
    for block in re.finditer(r"<ac:image\b.*?</ac:image>", storage, re.S):
        found = re.search(r'<ri:attachment\b[^>]*\bri:filename="([^"]*)"', block.group(0))
        if found is not None:
            name = html.unescape(found.group(1))
            if name not in names:
                names.append(name)
    return names


# -- full screen --------------------------------------------------------------------------------
def graphics_terminal(env: Mapping[str, str]) -> bool:
    """Does the environment name a terminal with an image protocol (Kitty's or Sixel)?"""
    wanted = env.get("WORKBENCH_IMAGES", "").lower()
    if wanted in ("0", "off", "halfcell", "no"):
        return False
    if wanted == "protocol":
        return True
    names = " ".join(
        env.get(key, "").lower() for key in ("TERM", "TERM_PROGRAM", "LC_TERMINAL")
    ) + (" kitty" if env.get("KITTY_WINDOW_ID") else "")
    return any(name in names for name in _GRAPHICS_TERMINALS)


def prepare_graphics(env: Mapping[str, str] | None = None) -> None:
    """Before the app starts: in a terminal that announces an image protocol, let ``textual-image``
    ask it which (a few escape sequences, answered at once; 0.1 s at most when unanswered)."""
    global _protocol_widget
    env = os.environ if env is None else env
    stdout = sys.__stdout__
    if stdout is None or not stdout.isatty() or not graphics_terminal(env):
        return
    try:
        # lazy, for start-up: textual-image (and Pillow) load only in such terminals; importing it
        # is what asks the terminal
        from textual_image.renderable import Image as Chosen
        from textual_image.renderable import SixelImage, TGPImage
        from textual_image.widget import Image as ProtocolImage
    except Exception:  # noqa: BLE001 - an unusual terminal answer must never stop the TUI
        return
    if Chosen in (SixelImage, TGPImage):  # otherwise: neither protocol after all, half blocks
        _protocol_widget = ProtocolImage


def protocol_name() -> str:
    """``"sixel"``, ``"kitty"`` or ``""`` (half blocks) for the full-screen view."""
    if _protocol_widget is None:
        return ""
    return "sixel" if "Sixel" in _protocol_widget.__name__ else "kitty"


class HalfcellView(Widget):
    """An image filling the widget, in half blocks (the full-screen view's fallback)."""

    DEFAULT_CSS = "HalfcellView { width: 1fr; height: 1fr; }"

    def __init__(self, image: PILImage, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.image = image

    def render(self) -> Text:
        columns, rows = cell_size(self.image, max(1, self.size.width), max(1, self.size.height))
        text = Text(justify="center")
        for n, line in enumerate(halfcell_lines(self.image, columns, rows)):
            if n:
                text.append("\n")
            for segment in line:
                text.append(segment.text, segment.style)
        return text


def full_screen_widget(image: PILImage) -> Widget:
    """The widget the full-screen view shows ``image`` with."""
    if _protocol_widget is not None:
        widget: Widget = _protocol_widget(image)
        return widget
    return HalfcellView(image)
